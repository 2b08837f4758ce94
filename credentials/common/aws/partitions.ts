import type { AwsPartitionId } from './regions';

/** DNS facts of one AWS partition (botocore / SDK partition metadata). */
export interface AwsPartition {
	id: AwsPartitionId;
	regionRegex: RegExp;
	dnsSuffix: string;
	dualStackDnsSuffix: string;
}

// Order matters: the GovCloud and China patterns are tried before the catch-all commercial one.
export const AWS_PARTITIONS: readonly AwsPartition[] = [
	{
		id: 'aws-us-gov',
		regionRegex: /^us-gov-\w+-\d+$/,
		dnsSuffix: 'amazonaws.com',
		dualStackDnsSuffix: 'api.aws',
	},
	{
		id: 'aws-cn',
		regionRegex: /^cn-\w+-\d+$/,
		dnsSuffix: 'amazonaws.com.cn',
		dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
	},
	{
		id: 'aws',
		regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
		dnsSuffix: 'amazonaws.com',
		dualStackDnsSuffix: 'api.aws',
	},
];

const COMMERCIAL = AWS_PARTITIONS[AWS_PARTITIONS.length - 1];

/** The partition whose region pattern matches, or undefined for something that is no region name. */
export function matchPartition(region: string): AwsPartition | undefined {
	return AWS_PARTITIONS.find((partition) => partition.regionRegex.test(region));
}

/** Partition of a region; an unknown region falls back to the commercial partition, as the SDKs do. */
export function partitionOf(region: string): AwsPartition {
	return matchPartition(region) ?? COMMERCIAL;
}

export function dnsSuffixOf(region: string): string {
	return partitionOf(region).dnsSuffix;
}
