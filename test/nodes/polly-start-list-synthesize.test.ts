/**
 * Start Polly Synthesis Task, List Polly Synthesis Tasks and Synthesize Polly Speech in n8n's real engine
 * against the emulator: Start → Wait Until Complete gives the emulated object byte for byte in every
 * format; every bad parameter is refused before any request; the Task picker and the voice list load.
 */
import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { node } from '../harness/fixtures';
import { loadOptionsContext } from '../harness/load-options';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';
import { fastEmulator } from '../reliability/support/emulator-env';
import { GetPollySynthesisTask } from '../../nodes/GetPollySynthesisTask/GetPollySynthesisTask.node';
import { getLanguages, getVoices } from '../../nodes/common/polly/voices';

const BUCKET = 'speech-tasks-output';
const START = 'Start Polly Synthesis Task';
const WAIT = 'Wait Until Complete';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await fastEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const start = (params: INodeParameters) =>
	node(
		TYPES.startPollySynthesisTask,
		{
			text: 'Hello from n8n.',
			textType: 'text',
			engine: 'neural',
			voiceId: 'Joanna',
			outputFormat: 'mp3',
			outputS3BucketName: BUCKET,
			additionalFields: {},
			...params,
		},
		{ name: START },
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

async function startThenWait(params: INodeParameters) {
	const nodes: INode[] = [start(params), wait()];
	return await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes,
		connections: { [START]: { main: [[{ node: WAIT, type: 'main', index: 0 }]] } },
	});
}

async function runOne(n: INode, input: INodeExecutionData[] = [{ json: {} }]) {
	return await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes: [n],
		input,
	});
}

/** Bucket and key of an OutputUri the emulated Polly wrote (regional form). */
function objectOf(uri: string): { bucket: string; key: string } {
	const [, bucket, ...key] = new URL(uri).pathname.split('/');
	return { bucket, key: key.map(decodeURIComponent).join('/') };
}

const FORMATS: Array<[string, INodeParameters, string]> = [
	['mp3', {}, 'audio/mpeg'],
	['ogg_vorbis', {}, 'audio/ogg'],
	['ogg_opus', {}, 'audio/ogg'],
	['pcm', { sampleRate: '8000' }, 'audio/wav'],
	['mulaw', {}, 'audio/wav'],
	['alaw', {}, 'audio/wav'],
	['json', { speechMarkTypes: ['word', 'sentence'] }, 'application/x-ndjson'],
];

describe('Start Polly Synthesis Task → Wait Until Complete', () => {
	it.each(FORMATS)(
		'%s: the binary is the object Polly wrote, byte for byte',
		async (outputFormat, fields, mimeType) => {
			const { outputs, error } = await startThenWait({
				outputFormat,
				additionalFields: { ...fields, outputS3KeyPrefix: 'n8n/' },
			});
			expect(error).toBeUndefined();
			const [started] = outputs[START][0];
			expect(started.json).toMatchObject({
				TaskId: expect.any(String),
				OutputFormat: outputFormat,
			});
			expect(['scheduled', 'inProgress', 'completed']).toContain(started.json.TaskStatus);
			const [done] = outputs[WAIT][0];
			expect(done.json).toMatchObject({ TaskId: started.json.TaskId, TaskStatus: 'completed' });
			const { bucket, key } = objectOf(String(done.json.OutputUri));
			expect(bucket).toBe(BUCKET);
			expect(key.startsWith('n8n/')).toBe(true);
			const written = emulator.objectBytes(bucket, key);
			expect(written).toBeDefined();
			const binary = done.binary!.data;
			expect(binary.mimeType).toBe(mimeType);
			const bytes = Buffer.from(binary.data, 'base64');
			if (mimeType === 'audio/wav') {
				// Headerless samples get a WAV header: the samples after it are Polly's bytes.
				expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
				expect(bytes.subarray(44, 44 + written!.length).equals(written!)).toBe(true);
				expect(bytes.readUInt32LE(40)).toBe(written!.length);
			} else {
				expect(bytes.equals(written!)).toBe(true);
			}
			if (outputFormat === 'json') expect(Array.isArray(done.json.speechMarks)).toBe(true);
			expectNoSecrets(outputs);
		},
	);

	it('sends exactly the parameters set, as Polly names them', async () => {
		const { outputs, error } = await runOne(
			start({
				text: '<speak>Hi <mark name="a"/> there</speak>',
				textType: 'ssml',
				engine: 'standard',
				voiceId: 'Joanna',
				outputFormat: 'json',
				additionalFields: {
					speechMarkTypes: ['ssml', 'word'],
					sampleRate: '16000',
					languageCode: 'en-US',
					snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:polly-done',
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(outputs[START][0][0].json).toMatchObject({
			Engine: 'standard',
			OutputFormat: 'json',
			SampleRate: '16000',
			SpeechMarkTypes: ['ssml', 'word'],
			SnsTopicArn: 'arn:aws:sns:us-east-1:123456789012:polly-done',
			TextType: 'ssml',
			VoiceId: 'Joanna',
			RequestCharacters: 'Hi  there'.length,
		});
		expect(emulator.requests.filter((r) => r.route === 'polly.start')).toHaveLength(1);
	});

	it('an error Polly gives (a voice without the engine) names the service code and sends nothing more', async () => {
		const { error } = await runOne(start({ engine: 'long-form', voiceId: 'Brian' }));
		expect(error?.message).toMatch(/engine|voice/i);
		expect(error?.description).toContain('[EngineNotSupportedException]');
		expect(emulator.requests.map((r) => r.route)).toEqual(['polly.start']);
	});
});

describe('every bad parameter is refused before any request', () => {
	const bad: Array<[string, INodeParameters, RegExp]> = [
		['empty text', { text: '   ' }, /Text is empty/],
		['text over 100,000 billed characters', { text: 'a'.repeat(100_001) }, /100000/],
		[
			'SSML over 200,000 characters with its tags',
			{ textType: 'ssml', text: `<speak>${'<break/>'.repeat(25_000)}a</speak>` },
			/200000/,
		],
		['SSML without <speak>', { textType: 'ssml', text: 'Hello <break/>' }, /<speak>/],
		[
			'speech mark types with an audio format',
			{ additionalFields: { speechMarkTypes: ['word'] } },
			/Speech Mark Types.*audio/,
		],
		['speech marks without types', { outputFormat: 'json' }, /Speech Mark Types are not set/],
		[
			'ssml marks with plain text',
			{ outputFormat: 'json', additionalFields: { speechMarkTypes: ['ssml'] } },
			/plain text/,
		],
		[
			'a sample rate the format does not allow',
			{ outputFormat: 'pcm', additionalFields: { sampleRate: '24000' } },
			/24000 Hz does not work with the output format pcm/,
		],
		[
			'a bucket an expression leaves empty',
			{ outputS3BucketName: '={{ "" }}' },
			/S3 Bucket Name is empty/,
		],
		['a bucket URL', { outputS3BucketName: 's3://my-bucket' }, /URL or ARN/],
		['an invalid bucket name', { outputS3BucketName: 'My_Bucket' }, /not a valid S3 bucket name/],
		[
			'an SNS ARN of the wrong form',
			{ additionalFields: { snsTopicArn: 'arn:aws:sqs:us-east-1:123456789012:q' } },
			/not an SNS topic ARN/,
		],
		[
			'a language code of the wrong form',
			{ additionalFields: { languageCode: 'english' } },
			/not a language code/,
		],
		['a voice an expression leaves empty', { voiceId: '={{ "" }}' }, /Voice is empty/],
		['a voice ID of the wrong form', { voiceId: 'joanna smith' }, /not a Polly voice ID/],
		[
			'too many lexicons',
			{ additionalFields: { lexiconNames: 'a,b,c,d,e,f' } },
			/Lexicon Names list 6/,
		],
		[
			'a key prefix with spaces',
			{ additionalFields: { outputS3KeyPrefix: 'my folder/' } },
			/S3 Key Prefix contains characters/,
		],
	];

	it.each(bad)('%s', async (_case, params, message) => {
		const { error } = await runOne(start(params));
		expect(error?.message).toMatch(message);
		expect(error?.description).toContain('Nothing was sent to the service.');
		expect(emulator.requests).toEqual([]);
	});

	it('Synthesize Polly Speech refuses text over 3,000 billed characters and points to Start Polly Synthesis Task', async () => {
		const { error } = await runOne(
			node(TYPES.synthesizePollySpeech, {
				text: 'a'.repeat(3001),
				engine: 'neural',
				voiceId: 'Joanna',
				outputFormat: 'mp3',
				binaryPropertyName: 'data',
			}),
		);
		expect(error?.message).toMatch(/3001 billed characters.*at most 3000/);
		expect(error?.description).toContain('Start Polly Synthesis Task');
		expect(emulator.requests).toEqual([]);
	});
});

describe('List Polly Synthesis Tasks', () => {
	function createTasks(count: number, outcome?: 'fail') {
		const ids: string[] = [];
		for (let i = 0; i < count; i++) {
			const task = emulator.createPollyTask(
				{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: `Task ${i}.`, VoiceId: 'Joanna' },
				{ durationMs: 0, outcome: outcome === 'fail' ? 'fail' : 'succeed' },
			);
			ids.push(String(task.TaskId));
		}
		return ids;
	}

	it('Return All follows NextToken: one item per task, none twice', async () => {
		const ids = createTasks(230);
		const { output, error } = await runOne(
			node(TYPES.listPollySynthesisTasks, { returnAll: true, filters: {} }),
		);
		expect(error).toBeUndefined();
		expect(output.map((i) => i.json.TaskId).sort()).toEqual([...ids].sort());
		expect(emulator.requests.filter((r) => r.route === 'polly.list').length).toBe(3);
	});

	it('Limit stops early and asks for no more than it needs', async () => {
		createTasks(120);
		const { output } = await runOne(
			node(TYPES.listPollySynthesisTasks, { returnAll: false, limit: 7 }),
		);
		expect(output).toHaveLength(7);
		const lists = emulator.requests.filter((r) => r.route === 'polly.list');
		expect(lists).toHaveLength(1);
		expect(lists[0].url).toContain('MaxResults=7');
	});

	it('the Status filter is sent to Polly', async () => {
		const failed = createTasks(3, 'fail');
		createTasks(4);
		const { output } = await runOne(
			node(TYPES.listPollySynthesisTasks, { returnAll: true, filters: { status: 'failed' } }),
		);
		expect(output.map((i) => i.json.TaskId).sort()).toEqual([...failed].sort());
		expect(output.every((i) => i.json.TaskStatus === 'failed')).toBe(true);
	});
});

describe('Task ID picker and voice list (the editor methods, in n8n-core LoadOptionsContext)', () => {
	it('"From List" shows recent tasks with status and creation time, searchable; the picked value runs Get', async () => {
		const task = emulator.createPollyTask(
			{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: 'Picked.', VoiceId: 'Matthew' },
			{ durationMs: 0 },
		);
		emulator.createPollyTask(
			{ OutputFormat: 'ogg_vorbis', OutputS3BucketName: BUCKET, Text: 'Other.', VoiceId: 'Joanna' },
			{ durationMs: 0 },
		);
		const get = node(TYPES.getPollySynthesisTask, {
			taskId: { __rl: true, mode: 'list', value: '' },
		});
		const ctx = loadOptionsContext(get, emulatorCredentials(emulator));
		const search = new GetPollySynthesisTask().methods.listSearch.searchPollyTasks;
		const all = await search.call(ctx);
		expect(all.results).toHaveLength(2);
		const picked = all.results.find((r) => r.value === task.TaskId)!;
		expect(picked.name).toMatch(
			/^[\w-]+ \((queued|running|completed), \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/,
		);
		expect(picked.description).toBe('Matthew, standard, mp3');
		const found = await search.call(ctx, 'matthew');
		expect(found.results.map((r) => r.value)).toEqual([task.TaskId]);

		const { output, error } = await runOne(
			node(TYPES.getPollySynthesisTask, {
				taskId: { __rl: true, mode: 'list', value: picked.value },
			}),
		);
		expect(error).toBeUndefined();
		expect(output[0].json.TaskId).toBe(task.TaskId);
	});

	it('saved workflows with a plain string Task ID keep working', async () => {
		const task = emulator.createPollyTask(
			{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: 'Old.', VoiceId: 'Joanna' },
			{ durationMs: 0 },
		);
		const { output, error } = await runOne(
			node(TYPES.getPollySynthesisTask, { taskId: String(task.TaskId) }),
		);
		expect(error).toBeUndefined();
		expect(output[0].json.TaskId).toBe(task.TaskId);
	});

	it('the Voice list shows the voices of the chosen engine and language, with gender and language', async () => {
		const startNode = start({ engine: 'long-form', additionalFields: {} });
		const ctx = loadOptionsContext(startNode, emulatorCredentials(emulator));
		const voices = await getVoices.call(ctx);
		expect(voices.length).toBeGreaterThan(0);
		for (const voice of voices) {
			expect(voice.name).toMatch(/^\S+ \((Female|Male), .+\)$/);
			expect(voice.description).toMatch(/engines: .*long-form/);
		}
		const names = voices.map((v) => v.name);
		expect([...names].sort((a, b) => a.localeCompare(b))).toEqual(names);

		const hindi = loadOptionsContext(
			start({ engine: 'standard', additionalFields: { languageCode: 'hi-IN' } }),
			emulatorCredentials(emulator),
		);
		const bilingual = await getVoices.call(hindi);
		expect(bilingual.map((v) => v.value)).toContain('Aditi');
		const languages = await getLanguages.call(hindi);
		expect(languages.map((l) => l.value)).toEqual(expect.arrayContaining(['en-US', 'hi-IN']));
		expect(emulator.requests.every((r) => r.route === 'polly.voices')).toBe(true);
	});
});

describe('Synthesize Polly Speech', () => {
	it.each(FORMATS)(
		'%s: audio straight to binary, with RequestCharacters and the content type',
		async (outputFormat, fields, mimeType) => {
			const { output, error } = await runOne(
				node(TYPES.synthesizePollySpeech, {
					text: 'Short and sweet.',
					textType: 'text',
					engine: 'neural',
					voiceId: 'Joanna',
					outputFormat,
					additionalFields: fields,
					binaryPropertyName: 'speech',
				}),
			);
			expect(error).toBeUndefined();
			const [item] = output;
			expect(item.json).toMatchObject({
				RequestCharacters: 'Short and sweet.'.length,
				OutputFormat: outputFormat,
			});
			expect(typeof item.json.ContentType).toBe('string');
			const binary = item.binary!.speech;
			expect(binary.mimeType).toBe(mimeType);
			const bytes = Buffer.from(binary.data, 'base64');
			expect(bytes.length).toBeGreaterThan(0);
			if (mimeType === 'audio/wav') {
				expect(bytes.toString('ascii', 0, 4) + bytes.toString('ascii', 8, 12)).toBe('RIFFWAVE');
				expect(bytes.readUInt32LE(24)).toBe(
					Number(fields.sampleRate ?? (outputFormat === 'pcm' ? 16000 : 8000)),
				);
			}
			if (outputFormat === 'json')
				expect((item.json.speechMarks as unknown[]).length).toBeGreaterThan(0);
			expect(emulator.requests.map((r) => r.route)).toEqual(['polly.synthesize']);
		},
	);
});

describe('Wait Until Complete: the Polly Task ID picker', () => {
	const waitFor = (taskId?: unknown) =>
		node(
			TYPES.waitUntilComplete,
			{
				service: 'polly',
				...(taskId === undefined ? {} : { taskId }),
				downloadAudio: false,
				options: { strategy: 'fixed', interval: 0.2, timeout: 30 },
			} as INodeParameters,
			{ name: WAIT },
		);
	const task = () =>
		emulator.createPollyTask(
			{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: 'Waited for.', VoiceId: 'Joanna' },
			{ durationMs: 0 },
		);

	it.each([
		['by default, the input item (By ID with an expression)', undefined],
		['From List', 'list'],
		['By ID', 'id'],
		['a plain string, as saved before the picker', 'plain'],
	])('%s', async (_case, mode) => {
		const TaskId = String(task().TaskId);
		const taskId =
			mode === undefined
				? undefined
				: mode === 'plain'
					? TaskId
					: { __rl: true, mode, value: TaskId };
		const { outputs, error } = await runOne(waitFor(taskId), [{ json: { TaskId } }]);
		expect(error).toBeUndefined();
		expect(outputs[WAIT][0].map((i) => i.json.TaskId)).toEqual([TaskId]);
	});
});
