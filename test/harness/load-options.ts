// Runs a node's editor methods (dropdowns, "From List" searches) in n8n-core's real LoadOptionsContext,
// as the editor's backend does when a panel opens.
import { LoadOptionsContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ILoadOptionsFunctions,
	INode,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { TestNodeTypes } from './node-types';
import { credentialTypes, nodeTypes } from './package';

export function loadOptionsContext(
	node: INode,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): ILoadOptionsFunctions {
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(nodeTypes),
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentialTypes, credentials),
		// What the panel shows right now: the editor sends it with every request for options.
		currentNodeParameters: node.parameters,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters');
}
