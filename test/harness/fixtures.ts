// Credentials and node builders shared by the node tests. Every secret here is unique so that
// `expectNoSecrets` can find it anywhere it leaks.
import type { ICredentialDataDecryptedObject, INode, INodeParameters } from 'n8n-workflow';

import { credentialTypes, nodeTypes } from './package';
import type { RunOptions } from './run-workflow';

export const SECRETS = {
	secretAccessKey: 'wJalrXUtnFEMI-SECRET-KEY-never-shown-0123456789',
	sessionToken: 'FwoGZXIvYXdzE-SESSION-TOKEN-never-shown-abcdef',
	clientSecret: 'aspose-CLIENT-SECRET-never-shown-42',
	accessToken1: 'aspose-ACCESS-TOKEN-one-never-shown',
	accessToken2: 'aspose-ACCESS-TOKEN-two-never-shown',
	pastedToken: 'aspose-PASTED-TOKEN-never-shown',
};

export function awsCredentials(
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		region: 'us-east-1',
		accessKeyId: 'AKIDSPEECHTASKSTEST',
		secretAccessKey: SECRETS.secretAccessKey,
		temporaryCredentials: true,
		sessionToken: SECRETS.sessionToken,
		customEndpoints: false,
		...overrides,
	};
}

export function asposeCredentials(
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		authentication: 'clientCredentials',
		baseUrl: 'https://api.aspose.cloud',
		clientId: 'aspose-client-id',
		clientSecret: SECRETS.clientSecret,
		accessToken: '',
		...overrides,
	};
}

export function node(type: string, parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return {
		id: `node-${type}`,
		name: 'Node Under Test',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: {
			awsSigV4Api: { id: 'aws-1', name: 'AWS' },
			asposeCloudApi: { id: 'aspose-1', name: 'Aspose' },
		},
		...extra,
	};
}

/** Options for runWorkflow with the package's types and both test credentials. */
export function single(
	n: INode,
	input = [{ json: {} }],
	credentials: RunOptions['credentials'] = {
		awsSigV4Api: awsCredentials(),
		asposeCloudApi: asposeCredentials(),
	},
): RunOptions {
	return { nodeTypes, credentialTypes, credentials, nodes: [n], input };
}
