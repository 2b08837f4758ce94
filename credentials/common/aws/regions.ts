/**
 * Every public region of the partitions this package supports, as shown in the credential's
 * region list. Source: the partition metadata AWS publishes for its SDKs (region id and description).
 */
export type AwsPartitionId = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface AwsRegion {
	name: string;
	displayName: string;
	partition: AwsPartitionId;
}

const region = (
	name: string,
	displayName: string,
	partition: AwsPartitionId = 'aws',
): AwsRegion => ({
	name,
	displayName,
	partition,
});

export const AWS_REGIONS: readonly AwsRegion[] = [
	region('us-east-1', 'US East (N. Virginia)'),
	region('us-east-2', 'US East (Ohio)'),
	region('us-west-1', 'US West (N. California)'),
	region('us-west-2', 'US West (Oregon)'),
	region('af-south-1', 'Africa (Cape Town)'),
	region('ap-east-1', 'Asia Pacific (Hong Kong)'),
	region('ap-east-2', 'Asia Pacific (Taipei)'),
	region('ap-northeast-1', 'Asia Pacific (Tokyo)'),
	region('ap-northeast-2', 'Asia Pacific (Seoul)'),
	region('ap-northeast-3', 'Asia Pacific (Osaka)'),
	region('ap-south-1', 'Asia Pacific (Mumbai)'),
	region('ap-south-2', 'Asia Pacific (Hyderabad)'),
	region('ap-southeast-1', 'Asia Pacific (Singapore)'),
	region('ap-southeast-2', 'Asia Pacific (Sydney)'),
	region('ap-southeast-3', 'Asia Pacific (Jakarta)'),
	region('ap-southeast-4', 'Asia Pacific (Melbourne)'),
	region('ap-southeast-5', 'Asia Pacific (Malaysia)'),
	region('ap-southeast-6', 'Asia Pacific (New Zealand)'),
	region('ap-southeast-7', 'Asia Pacific (Thailand)'),
	region('ca-central-1', 'Canada (Central)'),
	region('ca-west-1', 'Canada West (Calgary)'),
	region('eu-central-1', 'Europe (Frankfurt)'),
	region('eu-central-2', 'Europe (Zurich)'),
	region('eu-north-1', 'Europe (Stockholm)'),
	region('eu-south-1', 'Europe (Milan)'),
	region('eu-south-2', 'Europe (Spain)'),
	region('eu-west-1', 'Europe (Ireland)'),
	region('eu-west-2', 'Europe (London)'),
	region('eu-west-3', 'Europe (Paris)'),
	region('il-central-1', 'Israel (Tel Aviv)'),
	region('me-central-1', 'Middle East (UAE)'),
	region('me-south-1', 'Middle East (Bahrain)'),
	region('me-west-1', 'Middle East (Saudi Arabia)'),
	region('mx-central-1', 'Mexico (Central)'),
	region('sa-east-1', 'South America (Sao Paulo)'),
	region('sa-west-1', 'South America (Chile)'),
	region('cn-north-1', 'China (Beijing)', 'aws-cn'),
	region('cn-northwest-1', 'China (Ningxia)', 'aws-cn'),
	region('us-gov-east-1', 'AWS GovCloud (US-East)', 'aws-us-gov'),
	region('us-gov-west-1', 'AWS GovCloud (US-West)', 'aws-us-gov'),
];
