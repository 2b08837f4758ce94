/**
 * Simplify on the Polly task nodes (Get Polly Synthesis Task, Start Polly Synthesis Task, List Polly Synthesis
 * Tasks), in n8n's real engine against the emulator: version 1 (saved workflows) outputs whole tasks as before;
 * version 2 simplifies by default, and with Simplify off outputs whole tasks again; Wait Until Complete's
 * Auto-Detect recognises a simplified item.
 */
import { NodeHelpers } from 'n8n-workflow';
import type {
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeTypeDescription,
} from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { node } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { fastEmulator } from '../reliability/support/emulator-env';

const BUCKET = 'speech-tasks-output';
const SIMPLE_FIELDS = ['TaskId', 'TaskStatus', 'TaskStatusReason', 'OutputUri', 'CreationTime'];

let emulator: Emulator;
beforeAll(async () => {
	emulator = await fastEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

async function run(nodes: INode[], connections = {}, input?: INodeExecutionData[]) {
	return await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes,
		connections,
		input,
	});
}

const completedTask = () =>
	emulator.createPollyTask(
		{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: 'Simple.', VoiceId: 'Joanna' },
		{ durationMs: 0 },
	);

const get = (typeVersion: number, parameters: INodeParameters) =>
	node(TYPES.getPollySynthesisTask, parameters, { typeVersion });

describe('the Simplify parameter exists, on by default, from version 2 on', () => {
	it.each([
		TYPES.getPollySynthesisTask,
		TYPES.startPollySynthesisTask,
		TYPES.listPollySynthesisTasks,
	])('%s', (type) => {
		const description = nodeTypes[type].description as INodeTypeDescription;
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		const defaults = (typeVersion: number) =>
			NodeHelpers.getNodeParameters(
				description.properties,
				{},
				true,
				false,
				{ typeVersion } as INode,
				description,
			);
		expect(defaults(1)).not.toHaveProperty('simplify');
		expect(defaults(2)).toHaveProperty('simplify', true);
	});
});

describe('Get Polly Synthesis Task', () => {
	it('version 1 outputs the whole task, as saved workflows expect', async () => {
		const task = completedTask();
		const { output, error } = await run([get(1, { taskId: String(task.TaskId) })]);
		expect(error).toBeUndefined();
		expect(output[0].json).toEqual(emulator.getPollyTask(String(task.TaskId)));
		expect(Object.keys(output[0].json).length).toBeGreaterThan(SIMPLE_FIELDS.length);
	});

	it('version 2 outputs ID, status, output file and creation time by default', async () => {
		const task = completedTask();
		const { output, error } = await run([get(2, { taskId: String(task.TaskId) })]);
		expect(error).toBeUndefined();
		const full = emulator.getPollyTask(String(task.TaskId))!;
		expect(output[0].json).toEqual({
			TaskId: full.TaskId,
			TaskStatus: 'completed',
			OutputUri: full.OutputUri,
			CreationTime: full.CreationTime,
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('version 2 keeps the reason of a failed task', async () => {
		const task = emulator.createPollyTask(
			{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: 'Fails.', VoiceId: 'Joanna' },
			{ durationMs: 0, outcome: 'fail' },
		);
		const { output } = await run([get(2, { taskId: String(task.TaskId) })]);
		expect(output[0].json).toMatchObject({
			TaskStatus: 'failed',
			TaskStatusReason: expect.any(String),
		});
		expect(Object.keys(output[0].json).every((key) => SIMPLE_FIELDS.includes(key))).toBe(true);
	});

	it('version 2 with Simplify off outputs the whole task', async () => {
		const task = completedTask();
		const { output } = await run([get(2, { taskId: String(task.TaskId), simplify: false })]);
		expect(output[0].json).toEqual(emulator.getPollyTask(String(task.TaskId)));
	});

	it('under Continue On Fail, error items pass as they are', async () => {
		const { output, error } = await run(
			[get(2, { taskId: '={{ $json.id }}' })].map((n) => ({
				...n,
				onError: 'continueRegularOutput' as const,
			})),
			{},
			[{ json: { id: String(completedTask().TaskId) } }, { json: { id: 'no-such-task' } }],
		);
		expect(error).toBeUndefined();
		expect(Object.keys(output[0].json).sort()).toEqual(
			['CreationTime', 'OutputUri', 'TaskId', 'TaskStatus'].sort(),
		);
		expect(output[1].json).toEqual({ error: expect.any(String), details: expect.any(String) });
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('Start Polly Synthesis Task → Wait Until Complete', () => {
	const START = 'Start Polly Synthesis Task';
	const WAIT = 'Wait Until Complete';
	const start = (typeVersion: number, extra: INodeParameters = {}) =>
		node(
			TYPES.startPollySynthesisTask,
			{
				text: 'Hello from a simplified item.',
				textType: 'text',
				engine: 'neural',
				voiceId: 'Joanna',
				outputFormat: 'mp3',
				outputS3BucketName: BUCKET,
				additionalFields: {},
				...extra,
			},
			{ name: START, typeVersion },
		);
	const wait = () =>
		node(
			TYPES.waitUntilComplete,
			{
				service: 'auto',
				downloadAudio: true,
				binaryPropertyName: 'data',
				options: { strategy: 'fixed', interval: 0.2, timeout: 30 },
			},
			{ name: WAIT, position: [200, 0] },
		);
	const connections = { [START]: { main: [[{ node: WAIT, type: 'main' as const, index: 0 }]] } };

	it('version 2 outputs the simplified task, and Wait Until Complete recognises it and gets the audio', async () => {
		const { outputs, error } = await run([start(2), wait()], connections);
		expect(error).toBeUndefined();
		const [started] = outputs[START][0];
		expect(Object.keys(started.json).every((key) => SIMPLE_FIELDS.includes(key))).toBe(true);
		expect(started.json).toMatchObject({
			TaskId: expect.any(String),
			TaskStatus: expect.any(String),
		});
		const [done] = outputs[WAIT][0];
		expect(done.json).toMatchObject({ TaskId: started.json.TaskId, TaskStatus: 'completed' });
		expect(done.binary?.data.mimeType).toBe('audio/mpeg');
	});

	it.each([
		['version 1', 1, {}],
		['version 2 with Simplify off', 2, { simplify: false }],
	])('%s outputs the whole task', async (_case, typeVersion, extra) => {
		const { outputs, error } = await run([start(typeVersion, extra)]);
		expect(error).toBeUndefined();
		expect(outputs[START][0][0].json).toMatchObject({
			Engine: 'neural',
			VoiceId: 'Joanna',
			OutputFormat: 'mp3',
			RequestCharacters: 'Hello from a simplified item.'.length,
		});
	});
});

describe('List Polly Synthesis Tasks', () => {
	const list = (typeVersion: number, extra: INodeParameters = {}) =>
		node(TYPES.listPollySynthesisTasks, { returnAll: true, ...extra }, { typeVersion });

	it('version 2 simplifies every task; version 1 and Simplify off give whole tasks', async () => {
		const tasks = [completedTask(), completedTask()];
		const simplified = await run([list(2)]);
		expect(simplified.output.map((i) => i.json.TaskId).sort()).toEqual(
			tasks.map((t) => t.TaskId).sort(),
		);
		for (const item of simplified.output)
			expect(Object.keys(item.json).every((key) => SIMPLE_FIELDS.includes(key))).toBe(true);
		for (const whole of [await run([list(1)]), await run([list(2, { simplify: false })])]) {
			expect(whole.output).toHaveLength(2);
			for (const item of whole.output)
				expect(item.json).toEqual(emulator.getPollyTask(String(item.json.TaskId)));
		}
	});
});
