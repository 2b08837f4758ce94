// Runs an `examples/*.json` workflow through n8n-core's engine with this package's nodes.
// n8n's own nodes in the file (Manual Trigger, Set, Sticky Note) are not part of this package:
// the run starts at the first package node and gets, as its input, the items the Set node would
// have produced — the task IDs of the tasks just created.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IConnections,
	INode,
	INodeExecutionData,
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

/** The package's part of an example: its nodes, the connections among them, and the first of them. */
export function packagePart(example: ExampleWorkflow) {
	const nodes = example.nodes.filter(ours);
	const names = new Set(nodes.map((n) => n.name));
	const connections: IConnections = {};
	for (const [from, byType] of Object.entries(example.connections)) {
		if (!names.has(from)) continue;
		connections[from] = {
			main: (byType.main ?? []).map((targets) => (targets ?? []).filter((t) => names.has(t.node))),
		};
	}
	const targets = new Set(
		Object.values(connections).flatMap((c) => c.main.flat().map((t) => t!.node)),
	);
	const start = nodes.find((n) => !targets.has(n.name));
	if (!start) throw new Error(`${example.name}: no package node to start at`);
	return { nodes, connections, start };
}

export interface ExampleRun {
	example: ExampleWorkflow;
	result: RunResult;
	/** Outputs of the example's last package node (Wait Until Complete): completed, failed, timed out. */
	outputs: INodeExecutionData[][];
}

export async function runExample(
	file: string,
	options: {
		inputs: INodeExecutionData[];
		credentials: Record<string, ICredentialDataDecryptedObject>;
		/** Changes to node parameters, by node name (for example the emulator's trial base URL). */
		parameters?: Record<string, Record<string, unknown>>;
	},
): Promise<ExampleRun> {
	const example = loadExample(file);
	const { nodes, connections, start } = packagePart(example);
	for (const node of nodes) Object.assign(node.parameters, options.parameters?.[node.name] ?? {});
	const result = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: options.credentials,
		nodes,
		connections,
		start: start.name,
		input: options.inputs,
	});
	const last = nodes.find((n) => !connections[n.name]?.main.some((t) => t?.length)) ?? start;
	return { example, result, outputs: result.outputs[last.name] ?? [] };
}
