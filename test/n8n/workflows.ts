/** The example workflows and credentials as a user would import them, pointed at the emulator. */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { emulatorCredentials } from '../e2e/emulator-credentials';
import type { Emulator } from '../emulator';
import { PACKAGE, TYPES } from '../harness/type-names';
import { repoRoot } from '../scripts/repo-root';

export { PACKAGE };
export const REPO_ROOT = repoRoot();
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** Short names for the package's node types. */
export const NODE_TYPES = {
	getPolly: TYPES.getPollySynthesisTask,
	getSpeakerSearch: TYPES.getSpeakerSearchTask,
	fetchAspose: TYPES.fetchAsposeAudio,
	wait: TYPES.waitUntilComplete,
	submitAspose: TYPES.submitAsposeTextToSpeech,
	startSpeakerSearch: TYPES.startSpeakerSearchTask,
	startPolly: TYPES.startPollySynthesisTask,
	listPolly: TYPES.listPollySynthesisTasks,
	synthesizePolly: TYPES.synthesizePollySpeech,
} as const;

export const AWS_CREDENTIAL_ID = 'speechTasksAws';
export const ASPOSE_CREDENTIAL_ID = 'speechTasksAspose';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** The package's credentials pointed at the emulator, as `n8n import:credentials` takes them. */
export function credentialsFor(emulator: Emulator): object[] {
	const data = emulatorCredentials(emulator);
	return [
		{
			id: AWS_CREDENTIAL_ID,
			name: 'AWS (SigV4) account',
			type: 'awsSigV4Api',
			data: data.awsSigV4Api,
		},
		{
			id: ASPOSE_CREDENTIAL_ID,
			name: 'Aspose Cloud account',
			type: 'asposeCloudApi',
			data: data.asposeCloudApi,
		},
	];
}

export function readExample(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
}

export function nodeOfType(workflow: Workflow, type: string): WorkflowNode {
	const node = workflow.nodes.find((n) => n.type === type);
	if (!node) throw new Error(`workflow "${workflow.name}" has no ${type} node`);
	return node;
}

export function nodeNamed(workflow: Workflow, name: string): WorkflowNode {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`workflow "${workflow.name}" has no node "${name}"`);
	return node;
}

/** The node that `node`'s first output leads to (a task node's Wait Until Complete). */
export function nextNode(workflow: Workflow, node: WorkflowNode): WorkflowNode {
	const main = (workflow.connections[node.name] as { main?: Array<Array<{ node: string }>> })?.main;
	const next = main?.[0]?.[0]?.node;
	if (!next) throw new Error(`workflow "${workflow.name}": "${node.name}" leads nowhere`);
	return nodeNamed(workflow, next);
}

/** The package's nodes of a workflow. */
export function packageNodes(workflow: Workflow): WorkflowNode[] {
	return workflow.nodes.filter((n) => n.type.startsWith(`${PACKAGE}.`));
}

/** A value a user replaces in an example: `YOUR-VOICE-CONNECTOR-ID`, `YOUR-S3-BUCKET`. */
const PLACEHOLDER = /^(?:YOUR|PASTE)-[A-Z0-9-]+$/;

/**
 * Fills in the placeholders of the Set node (by assignment name) and of the package's nodes (by parameter
 * name), and points trial nodes at the emulator. Throws if a placeholder is left over or a value has no
 * placeholder to go to.
 */
export function fillExample(
	workflow: Workflow,
	id: string,
	values: Record<string, string>,
	trialBaseUrl: string,
): Workflow {
	const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
	copy.id = id;
	const used = new Set<string>();
	for (const node of copy.nodes) {
		const assignments = (
			node.parameters?.assignments as
				| { assignments?: Array<{ name: string; value: unknown }> }
				| undefined
		)?.assignments;
		for (const assignment of assignments ?? []) {
			if (
				typeof assignment.value === 'string' &&
				PLACEHOLDER.test(assignment.value) &&
				assignment.name in values
			) {
				assignment.value = values[assignment.name];
				used.add(assignment.name);
			}
		}
		const isOurs = node.type.startsWith(`${PACKAGE}.`);
		// A parameter of the package's nodes a user fills in (the Polly example's S3 bucket).
		for (const [name, value] of Object.entries(isOurs ? node.parameters : {})) {
			if (typeof value === 'string' && PLACEHOLDER.test(value) && name in values) {
				node.parameters[name] = values[name];
				used.add(name);
			}
		}
		if (isOurs && node.parameters.useTrial === true) {
			node.parameters.options = { ...(node.parameters.options ?? {}), trialBaseUrl };
		}
	}
	const unused = Object.keys(values).filter((k) => !used.has(k));
	if (unused.length) throw new Error(`${workflow.name}: no placeholder for ${unused.join(', ')}`);
	const left = JSON.stringify(copy).match(/"(?:YOUR|PASTE)-[A-Z0-9-]+"/g);
	if (left) throw new Error(`${workflow.name}: placeholders left: ${left.join(', ')}`);
	return copy;
}

/**
 * A webhook version of an example for the queue-mode batch: Webhook (POST, answers with the first binary
 * of the last node) → the example's task node (its input from the request body) → the Wait Until Complete
 * it leads to.
 */
export function webhookWorkflow(
	example: Workflow,
	id: string,
	webhookPath: string,
	taskNodeType: string,
	taskParameters: Record<string, unknown>,
): Workflow {
	const copy = JSON.parse(JSON.stringify(example)) as Workflow;
	const taskNode = nodeOfType(copy, taskNodeType);
	const waitNode = nextNode(copy, taskNode);
	Object.assign(taskNode.parameters, taskParameters);
	const webhook: WorkflowNode = {
		id: 'webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode: 'lastNode',
			responseData: 'firstEntryBinary',
			responseBinaryPropertyName: 'data',
			options: {},
		},
	};
	return {
		id,
		name: `${example.name} (webhook, queue mode)`,
		nodes: [webhook, taskNode, waitNode],
		connections: {
			Webhook: { main: [[{ node: taskNode.name, type: 'main', index: 0 }]] },
			[taskNode.name]: { main: [[{ node: waitNode.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/**
 * For the editor only: the nodes no example uses (the examples start their tasks), set up as a user reads a
 * task started elsewhere — Get Polly Synthesis Task and Wait Until Complete (Amazon Polly) with their Task
 * ID picker on "From List", List Polly Synthesis Tasks, Get Speaker Search Task on a Voice Connector and
 * Fetch Aspose Audio with the account credential. Also two Start Speaker Search Task nodes (the examples
 * fill theirs by expressions) with every ID on "From List": Voice Connector and Voice Profile Domain on a
 * Voice Connector, Media Insights Pipeline and Voice Profile Domain on a media insights pipeline.
 */
export function readingNodesWorkflow(id: string): Workflow {
	const aws = { awsSigV4Api: { id: AWS_CREDENTIAL_ID, name: 'AWS (SigV4) account' } };
	const fromList = { __rl: true, mode: 'list', value: '' };
	const trigger: WorkflowNode = {
		id: 'trigger',
		name: 'When clicking ‘Execute workflow’',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 380],
		parameters: {},
	};
	const nodes: WorkflowNode[] = [
		{
			id: 'reading-polly-get',
			name: 'Get Polly Synthesis Task',
			type: NODE_TYPES.getPolly,
			typeVersion: 1,
			position: [220, 0],
			parameters: { taskId: fromList },
			credentials: aws,
		},
		{
			id: 'reading-polly-wait',
			name: 'Wait Until Complete (Polly)',
			type: NODE_TYPES.wait,
			typeVersion: 1,
			position: [220, 180],
			parameters: {
				service: 'polly',
				taskId: fromList,
				downloadAudio: true,
				binaryPropertyName: 'data',
				options: {},
			},
			credentials: aws,
		},
		{
			id: 'reading-polly-list',
			name: 'List Polly Synthesis Tasks',
			type: NODE_TYPES.listPolly,
			typeVersion: 1,
			position: [220, 380],
			parameters: { returnAll: false, limit: 50, filters: {} },
			credentials: aws,
		},
		{
			id: 'reading-speaker-search-get',
			name: 'Get Speaker Search Task',
			type: NODE_TYPES.getSpeakerSearch,
			typeVersion: 1,
			position: [220, 540],
			parameters: {
				source: 'voiceConnector',
				voiceConnectorId: '={{ $json.voiceConnectorId }}',
				speakerSearchTaskId: '={{ $json.speakerSearchTaskId }}',
			},
			credentials: aws,
		},
		{
			id: 'reading-aspose-fetch',
			name: 'Fetch Aspose Audio',
			type: NODE_TYPES.fetchAspose,
			typeVersion: 1,
			position: [220, 700],
			parameters: { useTrial: false, taskId: '={{ $json.taskId }}', binaryPropertyName: 'data' },
			credentials: { asposeCloudApi: { id: ASPOSE_CREDENTIAL_ID, name: 'Aspose Cloud account' } },
		},
		{
			id: 'reading-speaker-search-start-voice',
			name: 'Start Speaker Search (Voice Connector, From List)',
			type: NODE_TYPES.startSpeakerSearch,
			typeVersion: 1,
			position: [220, 860],
			parameters: {
				source: 'voiceConnector',
				voiceConnectorId: fromList,
				transactionId: '',
				voiceProfileDomainId: fromList,
				options: {},
			},
			credentials: aws,
		},
		{
			id: 'reading-speaker-search-start-pipeline',
			name: 'Start Speaker Search (Pipeline, From List)',
			type: NODE_TYPES.startSpeakerSearch,
			typeVersion: 1,
			position: [220, 1020],
			parameters: {
				source: 'mediaInsightsPipeline',
				identifier: fromList,
				voiceProfileDomainArn: fromList,
			},
			credentials: aws,
		},
	];
	return {
		id,
		name: 'Editor check: the reading nodes (Polly task picker, List, Speaker Search, Aspose) and the Chime pickers',
		nodes: [trigger, ...nodes],
		connections: {
			[trigger.name]: {
				main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))],
			},
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}
