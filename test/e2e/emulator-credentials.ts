// The package's two credentials, pointed at a running emulator.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Emulator } from '../emulator';

export function emulatorCredentials(
	emulator: Emulator,
): Record<string, ICredentialDataDecryptedObject> {
	const { endpoints, credentials } = emulator;
	return {
		awsSigV4Api: {
			region: emulator.region,
			accessKeyId: credentials.accessKeyId,
			secretAccessKey: credentials.secretAccessKey,
			temporaryCredentials: Boolean(credentials.sessionToken),
			sessionToken: credentials.sessionToken ?? '',
			customEndpoints: true,
			pollyEndpoint: endpoints.polly,
			chimeMediaPipelinesEndpoint: endpoints.chimeMediaPipeline,
			chimeVoiceEndpoint: endpoints.chimeVoice,
			s3Endpoint: endpoints.s3,
			stsEndpoint: endpoints.sts,
		},
		asposeCloudApi: {
			authentication: 'clientCredentials',
			baseUrl: endpoints.aspose,
			clientId: credentials.asposeClientId,
			clientSecret: credentials.asposeClientSecret,
			accessToken: '',
		},
	};
}
