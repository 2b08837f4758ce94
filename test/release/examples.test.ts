// Every workflow in examples/ as a user imports it into n8n: the conventions they share (a sticky note
// above that says what to fill in, a Manual Trigger, the credential placeholders n8n's import matches by
// name), nothing that asks for a pasted task ID, only node types this package registers, and each one
// run by the end-to-end tests, the demo and `npm run test:n8n`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const examplesDir = join(root, 'examples');
const PACKAGE = 'n8n-nodes-speech-tasks';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: unknown;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
	settings: Record<string, unknown>;
	meta?: Record<string, unknown>;
}

/** `dist/nodes/GetPollySynthesisTask/GetPollySynthesisTask.node.js` → `getPollySynthesisTask`. */
const registeredName = (file: string) => {
	const base = file.split('/').pop()!.split('.')[0];
	return base[0].toLowerCase() + base.slice(1);
};
const nodeTypes = new Set(pkg.n8n.nodes.map((file) => `${PACKAGE}.${registeredName(file)}`));
const credentialTypes = new Set(pkg.n8n.credentials.map(registeredName));
/** The credential each type is imported as: the same ID and name in every example. */
const CREDENTIALS: Record<string, { id: string; name: string }> = {
	awsSigV4Api: { id: 'speechTasksAws', name: 'AWS (SigV4) account' },
	asposeCloudApi: { id: 'speechTasksAspose', name: 'Aspose Cloud account' },
};
const PLACEHOLDER = /^(?:YOUR|PASTE)-[A-Z0-9-]+$/;

const files = readdirSync(examplesDir)
	.filter((f) => f.endsWith('.json'))
	.sort();
const read = (file: string) => JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as Example;
const sticky = (example: Example) =>
	example.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote');

/** Every string in a value, with its path. */
function strings(value: unknown, path: string): Array<[string, string]> {
	if (typeof value === 'string') return [[path, value]];
	if (!value || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, v]) => strings(v, `${path}.${key}`));
}

describe('example workflows (examples/*.json)', () => {
	it('the Polly, Aspose and speaker search examples are all there', () => {
		expect(files).toEqual([
			'aspose-authenticated-to-audio.json',
			'aspose-trial-to-audio.json',
			'chime-speaker-search.json',
			'polly-synthesize-speech.json',
			'polly-task-to-audio.json',
		]);
	});

	it.each(files)('%s: an importable workflow whose nodes are all connected', (file) => {
		const example = read(file);
		expect(example.name).toMatch(/\S/);
		expect(example.settings).toMatchObject({ executionOrder: 'v1' });
		const names = example.nodes.map((n) => n.name);
		expect(new Set(names).size).toBe(names.length);
		expect(new Set(example.nodes.map((n) => n.id)).size).toBe(names.length);
		const positions = example.nodes.map((n) => JSON.stringify(n.position));
		expect(new Set(positions).size).toBe(positions.length);
		for (const node of example.nodes) {
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
			expect(node.typeVersion).toBeGreaterThan(0);
		}
		// Every connection joins two nodes of the workflow; every node but the note is reached from the trigger.
		const triggers = example.nodes.filter((n) => n.type === 'n8n-nodes-base.manualTrigger');
		expect(triggers).toHaveLength(1);
		const reached = new Set([triggers[0].name]);
		const queue = [triggers[0].name];
		for (const [from, { main }] of Object.entries(example.connections)) {
			expect(names).toContain(from);
			for (const target of main.flat()) expect(names).toContain(target.node);
		}
		while (queue.length) {
			for (const target of example.connections[queue.shift()!]?.main.flat() ?? [])
				if (!reached.has(target.node)) {
					reached.add(target.node);
					queue.push(target.node);
				}
		}
		const notes = sticky(example).map((n) => n.name);
		expect(names.filter((n) => !reached.has(n) && !notes.includes(n))).toEqual([]);
	});

	it.each(files)('%s: only node types and credentials this package registers', (file) => {
		const example = read(file);
		const ours = example.nodes.filter((n) => n.type.startsWith(`${PACKAGE}.`));
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) {
			expect(nodeTypes).toContain(node.type);
			for (const [type, reference] of Object.entries(node.credentials ?? {})) {
				expect(credentialTypes).toContain(type);
				expect(reference).toEqual(CREDENTIALS[type]);
			}
		}
		for (const node of example.nodes.filter((n) => !n.type.startsWith(`${PACKAGE}.`)))
			expect(node.type).toMatch(/^n8n-nodes-base\.(manualTrigger|stickyNote|set)$/);
	});

	it.each(files)('%s: a sticky note above the nodes says what the workflow does', (file) => {
		const example = read(file);
		const [note, ...more] = sticky(example);
		expect(more).toHaveLength(0);
		const content = String(note.parameters.content);
		expect(content).toMatch(/^## \S/);
		const [, noteY] = note.position as [number, number];
		const height = Number(note.parameters.height);
		const lowest = Math.min(
			...example.nodes.filter((n) => n !== note).map((n) => (n.position as number[])[1]),
		);
		expect(noteY + height).toBeLessThanOrEqual(lowest);
		// It names the outputs the user gets.
		expect(content).toMatch(/binary `data`|\*\*Completed\*\*/);
	});

	it.each(files)(
		'%s: asks for no pasted ID; every placeholder is a resource of the account, explained in the note',
		(file) => {
			const example = read(file);
			const content = String(sticky(example)[0].parameters.content);
			expect(content).not.toMatch(/paste/i);
			const placeholders = example.nodes
				.flatMap((node) => strings(node.parameters, node.name))
				.filter(([, value]) => PLACEHOLDER.test(value));
			for (const [path, value] of placeholders) {
				expect(value).toMatch(/^YOUR-/);
				// Not a task's ID: that comes from the node that starts the task.
				expect(`${path.split('.').pop()} ${value}`).not.toMatch(/task/i);
			}
			// Task IDs are never typed in: they come from the node before (an expression).
			for (const node of example.nodes)
				for (const [path, value] of strings(node.parameters, node.name))
					if (/\.(taskId|speakerSearchTaskId)$/.test(path)) expect(value).toMatch(/^=/);
			if (placeholders.length) expect(content).toMatch(/fill in|replace/i);
		},
	);

	it.each(files)('%s: run by the end-to-end tests, the demo and npm run test:n8n', (file) => {
		for (const runner of [
			'test/e2e/examples.test.ts',
			'test/demo/run.ts',
			'test/n8n/step-cli.ts',
			'test/n8n/step-browser.ts',
		])
			expect({ runner, mentions: readFileSync(join(root, runner), 'utf8').includes(file) }).toEqual(
				{
					runner,
					mentions: true,
				},
			);
	});
});
