import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { awsEndpoints } from '../nodes/common/adapters/lookup';
import { signAwsRequest } from './common/aws/authenticate';
import { OTHER_REGION, shortLabel } from './common/aws/endpoints';
import type { AwsEndpoint } from './common/aws/endpoints';
import { AWS_REGIONS } from './common/aws/regions';

const regionOptions: INodePropertyOptions[] = [
	...AWS_REGIONS.map((region) => ({
		name: `${region.displayName} - ${region.name}`,
		value: region.name,
	})),
	{ name: 'Other (Type Below)', value: OTHER_REGION },
];

/** One custom endpoint field per AWS API the package calls, in the order of the list of services. */
const customEndpoint = (endpoint: AwsEndpoint): INodeProperties => ({
	displayName: `${shortLabel(endpoint)} Endpoint`,
	name: endpoint.field,
	type: 'string',
	default: '',
	placeholder: `https://${endpoint.prefix}.{region}.amazonaws.com`,
	description: `Base URL for ${endpoint.label} instead of the AWS default, e.g. a VPC endpoint, a proxy or a local emulator. {region} is replaced by the region. Leave empty to use the default endpoint.`,
	displayOptions: { show: { customEndpoints: [true] } },
});

// Expression pieces for the credential test: the region in use and the STS endpoint for it.
const REGION = `($credentials.region === "${OTHER_REGION}" ? String($credentials.customRegion).trim() : $credentials.region)`;
const DEFAULT_STS = `"https://sts." + ${REGION} + ".amazonaws.com" + (${REGION}.startsWith("cn-") ? ".cn" : "")`;
const CUSTOM_STS = `String($credentials.stsEndpoint).trim().split("{region}").join(${REGION})`;

export class AwsSigV4Api implements ICredentialType {
	name = 'awsSigV4Api';

	displayName = 'AWS (SigV4) API';

	documentationUrl = 'https://github.com/speech-tasks/n8n-nodes-speech-tasks#credentials';

	icon = { light: 'file:icons/aws.svg', dark: 'file:icons/aws.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: regionOptions,
			default: 'us-east-1',
			description:
				'Region of the AWS services to call. Choose "Other (Type Below)" for a region not in the list.',
		},
		{
			displayName: 'Custom Region',
			name: 'customRegion',
			type: 'string',
			default: '',
			placeholder: 'e.g. eu-west-1',
			description: 'Region code, as AWS writes it',
			displayOptions: { show: { region: [OTHER_REGION] } },
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Temporary Credentials',
			name: 'temporaryCredentials',
			type: 'boolean',
			default: false,
			description: 'Whether the keys are temporary (from AWS STS) and come with a session token',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { temporaryCredentials: [true] } },
		},
		{
			displayName: 'Custom Endpoints',
			name: 'customEndpoints',
			type: 'boolean',
			default: false,
			description:
				'Whether to send requests to other base URLs than the AWS defaults: VPC endpoints, proxies or local emulators',
		},
		...awsEndpoints().map(customEndpoint),
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signAwsRequest(credentials, requestOptions);
	}

	// STS GetCallerIdentity needs no permission, so it checks the keys and nothing else.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.customEndpoints && String($credentials.stsEndpoint || "").trim() !== "" ? ${CUSTOM_STS} : ${DEFAULT_STS} }}`,
			url: '/',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'Action=GetCallerIdentity&Version=2011-06-15',
		},
	};
}
