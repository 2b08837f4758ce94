import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { awsEndpoints } from '../nodes/common/adapters/lookup';
import {
	assumeRole,
	assumesRole,
	DEFAULT_ROLE_SESSION_NAME,
	DEFAULT_SESSION_SECONDS,
	ROLE_SESSION_FIELD,
	SESSION_SECONDS_RANGE,
} from './common/aws/assume-role';
import { baseKeysOf, signAwsRequest } from './common/aws/authenticate';
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
			displayName: 'Assume Role',
			name: 'assumeRole',
			type: 'boolean',
			default: false,
			description:
				"Whether to use the keys above only to assume an IAM role (STS AssumeRole) and sign requests with the role's temporary credentials, which n8n renews before they expire",
		},
		{
			displayName: 'Role ARN',
			name: 'roleArn',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'arn:aws:iam::123456789012:role/n8n-speech-tasks',
			description:
				"ARN of the role to assume. Its trust policy must allow the keys' IAM user or role, which needs sts:AssumeRole on it.",
			displayOptions: { show: { assumeRole: [true] } },
		},
		{
			displayName: 'External ID',
			name: 'externalId',
			// Not a password: it stands in the clear in the role's trust policy (IAM User Guide, "The confused
			// deputy problem"), and n8n's lint flags password fields that hold no secret. Errors still cut it out.
			type: 'string',
			default: '',
			description:
				"The external ID the role's trust policy requires (sts:ExternalId condition), usually for a role in another account. Leave empty if it requires none.",
			displayOptions: { show: { assumeRole: [true] } },
		},
		{
			displayName: 'Role Session Name',
			name: 'roleSessionName',
			type: 'string',
			default: DEFAULT_ROLE_SESSION_NAME,
			description:
				'Name of the role session, shown in CloudTrail: 2 to 64 letters, digits or _ + = , . @ -',
			displayOptions: { show: { assumeRole: [true] } },
		},
		{
			displayName: 'Session Duration',
			name: 'roleSessionDuration',
			type: 'number',
			typeOptions: { minValue: SESSION_SECONDS_RANGE[0], maxValue: SESSION_SECONDS_RANGE[1] },
			default: DEFAULT_SESSION_SECONDS,
			description:
				"Seconds the role's temporary credentials last (900 to 43200, at most the role's maximum session duration). n8n renews them 5 minutes before they expire.",
			displayOptions: { show: { assumeRole: [true] } },
		},
		{
			// The assumed role's temporary credentials (JSON), filled and renewed by preAuthentication.
			displayName: 'Role Session',
			name: ROLE_SESSION_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
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

	/**
	 * With Assume Role on: STS AssumeRole signed with the credential's keys. n8n calls this when the hidden
	 * expirable field is empty, for a credential test, and when `authenticate` asks for renewal (see
	 * common/aws/assume-role.ts), and stores the result. Without Assume Role it returns nothing to store.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (!assumesRole(credentials)) return {};
		const keys = baseKeysOf(credentials);
		const session = await assumeRole(this, credentials, (options) =>
			signAwsRequest(credentials, options, new Date(), awsEndpoints(), keys),
		);
		return { [ROLE_SESSION_FIELD]: JSON.stringify(session) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signAwsRequest(credentials, requestOptions);
	}

	// STS GetCallerIdentity needs no permission, so it checks the keys and nothing else. With Assume Role
	// on, n8n runs preAuthentication for every credential test, so the role is assumed afresh and the test
	// request is signed with its session: the test then checks the role too.
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
