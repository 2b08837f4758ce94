import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { requestAsposeToken } from './common/aspose/token';

/**
 * Aspose Cloud bearer token. With client credentials n8n fetches the token through
 * `preAuthentication`, keeps it in the hidden expirable `accessToken` field and fetches a new one
 * after a 401 (core retries the request once).
 */
export class AsposeCloudApi implements ICredentialType {
	name = 'asposeCloudApi';

	displayName = 'Aspose Cloud API';

	icon: Icon = { light: 'file:icons/aspose.svg', dark: 'file:icons/aspose.dark.svg' };

	documentationUrl = 'https://github.com/speech-tasks/n8n-nodes-speech-tasks#aspose-cloud-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Client ID and Secret',
					value: 'clientCredentials',
					description: 'n8n requests a token from Aspose and renews it when it expires',
				},
				{
					name: 'Access Token',
					value: 'pastedToken',
					description: 'Paste a token you already have; it is not renewed when it expires',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
			description: 'From dashboard.aspose.cloud → Applications',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Access Token',
			name: 'pastedToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['pastedToken'] } },
			description: 'A bearer token from POST /connect/token (valid for one hour)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.aspose.cloud',
			description: 'Change only for a proxy or a local emulator',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authentication === 'pastedToken') {
			return { accessToken: String(credentials.pastedToken ?? '').trim() };
		}
		return { accessToken: await requestAsposeToken(this, credentials) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// A status query for an unknown task answers 200 (NotExist) with a valid token and 401 without.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v5.0/ocr/ConvertTextToSpeech',
			qs: { id: 'n8n-credential-test' },
			method: 'GET',
		},
	};
}
