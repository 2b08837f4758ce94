/**
 * Every node can be an AI agent's tool. n8n runs a tool variant under the node's type name with "Tool"
 * appended and hands the agent only the first output: Wait Until Complete, run that way against the emulator,
 * answers with every item, completed or failed, in input order, each with its waitOutcome.
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { node } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { fastEmulator } from '../reliability/support/emulator-env';

const BUCKET = 'speech-tasks-output';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await fastEmulator();
});
afterAll(async () => await emulator.close());

describe('usableAsTool', () => {
	it.each(Object.keys(nodeTypes))(
		'%s is a tool, with a description an agent can act on',
		(type) => {
			const description = nodeTypes[type].description as INodeTypeDescription;
			const tool = description.usableAsTool;
			expect(tool === true || (typeof tool === 'object' && tool !== null)).toBe(true);
			const text =
				typeof tool === 'object' && tool.replacements?.description
					? tool.replacements.description
					: description.description;
			expect(text.length).toBeGreaterThan(40);
		},
	);

	it('Wait Until Complete tells the agent what to pass and what comes back', () => {
		const tool = nodeTypes[TYPES.waitUntilComplete].description.usableAsTool;
		expect(tool).toEqual({
			replacements: {
				description: expect.stringMatching(
					/^Wait until a speech task finishes, then return it with waitOutcome \(completed, failed or timedOut\)\. Pass the task exactly as .*Start Polly Synthesis Task.* returned it\. Takes up to 120 seconds/,
				),
			},
		});
	});
});

describe('Wait Until Complete as a tool', () => {
	it('answers on its first output with every item and its waitOutcome, in input order', async () => {
		const make = (text: string, outcome: 'succeed' | 'fail') =>
			emulator.createPollyTask(
				{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: text, VoiceId: 'Joanna' },
				{ durationMs: 0, outcome },
			);
		const failed = make('Fails.', 'fail');
		const done = make('Works.', 'succeed');
		const toolType = `${TYPES.waitUntilComplete}Tool`;
		const { output, run, error } = await runWorkflow({
			nodeTypes: { ...nodeTypes, [toolType]: nodeTypes[TYPES.waitUntilComplete] },
			credentialTypes,
			credentials: emulatorCredentials(emulator),
			nodes: [
				node(toolType, {
					service: 'auto',
					downloadAudio: false,
					options: { strategy: 'fixed', interval: 0.2 },
				}),
			],
			input: [failed, done].map((task) => ({
				json: { TaskId: String(task.TaskId), TaskStatus: String(task.TaskStatus) },
			})),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => [item.json.TaskId, item.pairedItem])).toEqual([
			[failed.TaskId, { item: 0 }],
			[done.TaskId, { item: 1 }],
		]);
		expect(output.map((item) => (item.json.waitOutcome as { outcome: string }).outcome)).toEqual([
			'failed',
			'completed',
		]);
		const outputs = run.data.resultData.runData['Node Under Test'][0].data!.main;
		expect(outputs).toHaveLength(1);
	});
});
