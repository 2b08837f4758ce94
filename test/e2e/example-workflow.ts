// Runs an `examples/*.json` workflow through n8n-core's engine with this package's nodes.
// n8n's own nodes in the file (Manual Trigger, Set, Sticky Note) are not part of this package. The node
// that feeds the package's nodes (the Set node, or the Manual Trigger when nothing is in between) is
// replaced by a stand-in that outputs what it would have output: the Set node's fields with the values
// a user fills in, the items a test gives, or one empty item like the Manual Trigger. n8n's engine then
// runs the package's nodes from there, every branch of them. What a user fills in in the package's own
// nodes (the Polly example's S3 bucket) is given as `parameters`; a placeholder left there is an error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { credentialTypes, nodeTypes, PACKAGE } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { repoRoot } from '../scripts/repo-root';
import type { RunResult } from '../harness/run-workflow';

export const EXAMPLES_DIR = join(repoRoot(), 'examples');

export interface ExampleWorkflow {
	name: string;
	nodes: INode[];
	connections: IConnections;
}

export function loadExample(file: string): ExampleWorkflow {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
}

const ours = (node: INode) => node.type.startsWith(`${PACKAGE}.`);

/** A placeholder a user replaces in an example's Set node (`YOUR-VOICE-CONNECTOR-ID`, `PASTE-…`). */
export const PLACEHOLDER = /^(?:YOUR|PASTE)-[A-Z0-9-]+$/;

/** The stand-in for the node that feeds the package's nodes: it outputs its input. */
const INPUT_TYPE = 'test.exampleInput';
const inputType: INodeType = {
	description: {
		displayName: 'Example Input',
		name: 'exampleInput',
		group: ['input'],
		version: 1,
		description: 'Outputs the items of the node it stands in for',
		defaults: { name: 'Example Input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	},
};

/** Removes nodes (by name) and every connection to or from them. */
function without(example: ExampleWorkflow, names: string[]): ExampleWorkflow {
	const gone = new Set(names);
	for (const name of names)
		if (!example.nodes.some((n) => n.name === name))
			throw new Error(`${example.name}: no node "${name}" to leave out`);
	const connections: IConnections = {};
	for (const [from, byType] of Object.entries(example.connections)) {
		if (gone.has(from)) continue;
		connections[from] = {
			main: (byType.main ?? []).map((targets) => (targets ?? []).filter((t) => !gone.has(t.node))),
		};
	}
	return {
		...example,
		nodes: example.nodes.filter((n) => !gone.has(n.name)),
		connections,
	};
}

/**
 * The package's part of an example: its nodes, the connections among them, and the one node of
 * n8n's own that feeds them (`source`).
 */
export function packagePart(example: ExampleWorkflow) {
	const nodes = example.nodes.filter(ours);
	const names = new Set(nodes.map((n) => n.name));
	const connections: IConnections = {};
	const sources = new Set<string>();
	for (const [from, byType] of Object.entries(example.connections)) {
		const main = (byType.main ?? []).map((targets) =>
			(targets ?? []).filter((t) => names.has(t.node)),
		);
		if (names.has(from)) connections[from] = { main };
		else if (main.some((targets) => targets.length)) {
			sources.add(from);
			connections[from] = { main };
		}
	}
	if (sources.size !== 1)
		throw new Error(
			`${example.name}: the package's nodes must be fed by one node, not ${sources.size}`,
		);
	const source = example.nodes.find((n) => sources.has(n.name))!;
	return { nodes, connections, source };
}

/**
 * The one item an example's Set node outputs with the user's values in place of its placeholders.
 * Throws if a value has no field to go to or a placeholder is left.
 */
export function setNodeOutput(node: INode, values: Record<string, string>): INodeExecutionData[] {
	const assignments =
		(node.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> })
			?.assignments ?? [];
	const json: IDataObject = {};
	for (const { name, value } of assignments)
		json[name] = name in values ? values[name] : (value as IDataObject[string]);
	const unknown = Object.keys(values).filter((k) => !assignments.some((a) => a.name === k));
	if (unknown.length) throw new Error(`"${node.name}" has no field ${unknown.join(', ')}`);
	const left = Object.entries(json).filter(([, v]) => typeof v === 'string' && PLACEHOLDER.test(v));
	if (left.length)
		throw new Error(`"${node.name}": placeholders left: ${left.map(([k]) => k).join(', ')}`);
	return [{ json }];
}

/** The parameters (by path) of a node that still hold a placeholder, such as `outputS3BucketName`. */
export function placeholdersIn(parameters: unknown, path = ''): string[] {
	if (typeof parameters === 'string') return PLACEHOLDER.test(parameters) ? [path] : [];
	if (!parameters || typeof parameters !== 'object') return [];
	return Object.entries(parameters).flatMap(([key, value]) =>
		placeholdersIn(value, path ? `${path}.${key}` : key),
	);
}

export interface ExampleRun {
	example: ExampleWorkflow;
	result: RunResult;
	/** Outputs of the example's first last package node (Wait Until Complete): completed, failed, timed out. */
	outputs: INodeExecutionData[][];
	/** Outputs of a package node, by name (each output of its first run). */
	outputsOf(name: string): INodeExecutionData[][];
}

export async function runExample(
	file: string,
	options: {
		/** What the node before the package's nodes outputs (default: see `values`). */
		inputs?: INodeExecutionData[];
		/** The fields a user fills in in the example's Set node; without `inputs`, its one item. */
		values?: Record<string, string>;
		credentials: Record<string, ICredentialDataDecryptedObject>;
		/** Changes to node parameters, by node name (for example the emulator's trial base URL). */
		parameters?: Record<string, Record<string, unknown>>;
		/** Changes to node settings, by node name (for example `retryOnFail`). */
		settings?: Record<string, Partial<INode>>;
		/** Nodes left out, by name (a branch the run does not need). */
		omit?: string[];
		/** The execution ID (the same ID twice repeats an execution). */
		executionId?: string;
		/** Run with placeholders left in the package's nodes (a user who did not fill them in). */
		keepPlaceholders?: boolean;
	},
): Promise<ExampleRun> {
	const example = without(loadExample(file), options.omit ?? []);
	const { nodes, connections, source } = packagePart(example);
	for (const node of nodes) {
		Object.assign(node.parameters, options.parameters?.[node.name] ?? {});
		Object.assign(node, options.settings?.[node.name] ?? {});
		const left = placeholdersIn(node.parameters);
		if (left.length && !options.keepPlaceholders)
			throw new Error(`"${node.name}": placeholders left: ${left.join(', ')}`);
	}
	const input =
		options.inputs ??
		(source.type === 'n8n-nodes-base.set'
			? setNodeOutput(source, options.values ?? {})
			: [{ json: {} }]);
	const stand: INode = { ...source, type: INPUT_TYPE, typeVersion: 1, parameters: {} };
	const result = await runWorkflow({
		nodeTypes: { ...nodeTypes, [INPUT_TYPE]: inputType },
		credentialTypes,
		credentials: options.credentials,
		nodes: [stand, ...nodes],
		connections,
		start: stand.name,
		input,
		executionId: options.executionId,
	});
	const outputsOf = (name: string) => result.outputs[name] ?? [];
	const last = nodes.find((n) => !connections[n.name]?.main.some((t) => t?.length)) ?? nodes[0];
	return { example, result, outputs: outputsOf(last.name), outputsOf };
}
