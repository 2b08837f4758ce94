// Runs nodes inside n8n-core's real WorkflowExecute, as n8n does for a manual execution.
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	ICredentialType,
	IConnections,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { TestNodeTypes } from './node-types';

export interface RunOptions {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: Record<string, ICredentialType>;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	nodes: INode[];
	connections?: IConnections;
	/** Name of the node the run starts at; defaults to the first node. */
	start?: string;
	input?: INodeExecutionData[];
	/** The execution's ID; a new one per run unless given (a repeat of an execution gives the same). */
	executionId?: string;
	/** The workflow's static data as n8n loads it from the database; n8n-core changes it in place. */
	staticData?: IDataObject;
}

export interface RunResult {
	run: IRun;
	/** Output items per node name, per output index, of the node's first run. */
	outputs: Record<string, INodeExecutionData[][]>;
	/** The first output of the start node (or the only node). */
	output: INodeExecutionData[];
	error?: ExecutionError;
	credentialsHelper: TestCredentialsHelper;
}

export interface RunningWorkflow {
	result: Promise<RunResult>;
	cancel(): void;
}

let executionCounter = 0;

export function startWorkflow(options: RunOptions): RunningWorkflow {
	const { nodes, connections = {}, input = [{ json: {} }] } = options;
	const startNode = nodes.find((n) => n.name === (options.start ?? nodes[0].name))!;
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes,
		connections,
		active: false,
		nodeTypes: new TestNodeTypes(options.nodeTypes),
		staticData: options.staticData,
	});
	const executionId = options.executionId ?? `exec-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'test-workflow',
		nodes,
		connections,
	} as never);
	const credentialsHelper = new TestCredentialsHelper(
		options.credentialTypes ?? {},
		options.credentials ?? {},
	);
	const additionalData = {
		hooks,
		executionId,
		variables: {},
		currentNodeParameters: undefined,
		credentialsHelper,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	} as unknown as IWorkflowExecuteAdditionalData;

	let execution: ReturnType<WorkflowExecute['processRunExecutionData']>;
	try {
		execution = new WorkflowExecute(
			additionalData,
			'manual',
			createRunExecutionData({
				executionData: {
					nodeExecutionStack: [{ node: startNode, data: { main: [input] }, source: null }],
				},
			}),
		).processRunExecutionData(workflow);
	} catch (error) {
		// n8n refuses to start a workflow whose nodes have issues (a required parameter left empty).
		const refused = Promise.resolve({
			run: undefined as unknown as IRun,
			outputs: {},
			output: [],
			error: error as ExecutionError,
			credentialsHelper,
		});
		return { result: refused, cancel: () => undefined };
	}

	const result = (async () => {
		const run = await execution;
		const outputs: Record<string, INodeExecutionData[][]> = {};
		for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
			outputs[name] = (tasks[0]?.data?.main ?? []).map((items) => items ?? []);
		}
		const startTask = run.data.resultData.runData[startNode.name]?.[0];
		return {
			run,
			outputs,
			output: outputs[startNode.name]?.[0] ?? [],
			error: startTask?.error ?? run.data.resultData.error,
			credentialsHelper,
		};
	})();

	return { result, cancel: () => execution.cancel() };
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	return await startWorkflow(options).result;
}
