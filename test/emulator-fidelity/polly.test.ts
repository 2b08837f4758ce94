/** Polly StartSpeechSynthesisTask / GetSpeechSynthesisTask / ListSpeechSynthesisTasks through @aws-sdk/client-polly. */
import {
	GetSpeechSynthesisTaskCommand,
	ListSpeechSynthesisTasksCommand,
	paginateListSpeechSynthesisTasks,
	StartSpeechSynthesisTaskCommand,
	type StartSpeechSynthesisTaskCommandInput,
	type SynthesisTask,
} from '@aws-sdk/client-polly';
import { type Emulator, type OutputUriStyle, startEmulator } from '../emulator';
import { errorOf, expectStatesInOrder, pollUntil, pollyClient, signedRawRequest } from './helpers';

const BUCKET = 'speech-tasks-output';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const base: StartSpeechSynthesisTaskCommandInput = {
	OutputFormat: 'mp3',
	OutputS3BucketName: BUCKET,
	Text: 'Hello from the emulator.',
	VoiceId: 'Joanna',
};

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ durations: { polly: { queuedMs: 120, runningMs: 240 } } });
});
afterAll(() => emulator.close());

async function start(
	input: Partial<StartSpeechSynthesisTaskCommandInput> = {},
): Promise<SynthesisTask> {
	const out = await pollyClient(emulator).send(
		new StartSpeechSynthesisTaskCommand({ ...base, ...input }),
	);
	return out.SynthesisTask!;
}

async function waitTerminal(taskId: string) {
	const polly = pollyClient(emulator);
	return pollUntil(
		() => polly.send(new GetSpeechSynthesisTaskCommand({ TaskId: taskId })),
		(r) => r.SynthesisTask!.TaskStatus === 'completed' || r.SynthesisTask!.TaskStatus === 'failed',
		(r) => r.SynthesisTask!.TaskStatus!,
	);
}

describe('StartSpeechSynthesisTask', () => {
	test('returns a scheduled task with the documented shape', async () => {
		const before = Date.now();
		const out = await pollyClient(emulator).send(new StartSpeechSynthesisTaskCommand(base));
		expect(out.$metadata.httpStatusCode).toBe(200);
		expect(out.$metadata.requestId).toMatch(UUID);
		const task = out.SynthesisTask!;
		expect(task.TaskId).toMatch(UUID);
		expect(task.TaskStatus).toBe('scheduled');
		expect(task.OutputUri).toBe(`https://s3.us-east-1.amazonaws.com/${BUCKET}/${task.TaskId}.mp3`);
		expect(task.CreationTime).toBeInstanceOf(Date);
		expect(task.CreationTime!.getTime()).toBeGreaterThanOrEqual(before - 1000);
		expect(task.RequestCharacters).toBe(base.Text!.length);
		expect(task).toMatchObject({
			OutputFormat: 'mp3',
			VoiceId: 'Joanna',
			TextType: 'text',
			Engine: 'standard',
		});
		expect(task.TaskStatusReason).toBeUndefined();
	});

	test('puts a dot between OutputS3KeyPrefix and the task id; json output uses .marks', async () => {
		const ogg = await start({
			OutputFormat: 'ogg_vorbis',
			OutputS3KeyPrefix: 'optional/prefix/path/file',
		});
		expect(ogg.OutputUri).toBe(
			`https://s3.us-east-1.amazonaws.com/${BUCKET}/optional/prefix/path/file.${ogg.TaskId}.ogg`,
		);
		const marks = await start({ OutputFormat: 'json', SpeechMarkTypes: ['sentence', 'word'] });
		expect(marks.OutputUri).toMatch(new RegExp(`/${marks.TaskId}\\.marks$`));
		expect(marks.SpeechMarkTypes).toEqual(['sentence', 'word']);
	});

	test('bills SSML without tags and echoes optional members', async () => {
		const text = '<speak>Hello <break time="1s"/> world</speak>';
		const task = await start({
			Text: text,
			TextType: 'ssml',
			Engine: 'neural',
			SampleRate: '24000',
			LanguageCode: 'en-US',
			LexiconNames: ['EmulatorLexicon'],
			SnsTopicArn: 'arn:aws:sns:us-east-1:123456789012:speech-done',
		});
		expect(task.RequestCharacters).toBe('Hello  world'.length);
		expect(task).toMatchObject({
			TextType: 'ssml',
			Engine: 'neural',
			SampleRate: '24000',
			LanguageCode: 'en-US',
			LexiconNames: ['EmulatorLexicon'],
		});
		expect(task.SnsTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:speech-done');
	});

	test.each([
		['TextLengthExceededException', 400, { Text: 'x'.repeat(200_001) }, /Maximum text length/],
		[
			'InvalidS3BucketException',
			400,
			{ OutputS3BucketName: 'Bad_Bucket' },
			/bucket name is invalid/,
		],
		['InvalidS3KeyException', 400, { OutputS3KeyPrefix: 'has space' }, /prefix is invalid/],
		['InvalidSampleRateException', 400, { SampleRate: '44100' }, /SampleRate/],
		['InvalidSnsTopicArnException', 400, { SnsTopicArn: 'arn:aws:sqs:nope' }, /SNS topic ARN/],
		['InvalidSsmlException', 400, { TextType: 'ssml', Text: 'not <speak>' }, /Invalid SSML/],
		[
			'EngineNotSupportedException',
			400,
			{ Engine: 'long-form', VoiceId: 'Joey' },
			/does not support the selected engine/,
		],
		['LexiconNotFoundException', 404, { LexiconNames: ['Missing'] }, /Lexicon not found/],
		[
			'MarksNotSupportedForFormatException',
			400,
			{ SpeechMarkTypes: ['word'] },
			/json output format/,
		],
		[
			'SsmlMarksNotSupportedForTextTypeException',
			400,
			{ OutputFormat: 'json', SpeechMarkTypes: ['ssml'] },
			/SSML speech marks/,
		],
		['ValidationException', 400, { VoiceId: 'Nobody' as never }, /voiceId.*enum value set/],
	] as Array<[string, number, Partial<StartSpeechSynthesisTaskCommandInput>, RegExp]>)(
		'%s (%i) through the SDK',
		async (name, status, input, message) => {
			const error = await errorOf(() =>
				pollyClient(emulator).send(new StartSpeechSynthesisTaskCommand({ ...base, ...input })),
			);
			expect(error.name).toBe(name);
			expect(error.$metadata.httpStatusCode).toBe(status);
			expect(error.$fault).toBe('client');
			expect(error.message).toMatch(message);
			expect(error.$metadata.requestId).toMatch(UUID);
		},
	);
});

describe('GetSpeechSynthesisTask', () => {
	test('walks scheduled → inProgress → completed (real clock)', async () => {
		const task = await start();
		const { seen, last } = await waitTerminal(task.TaskId!);
		expectStatesInOrder(seen, ['scheduled', 'inProgress', 'completed']);
		expect(last.SynthesisTask).toMatchObject({
			TaskId: task.TaskId,
			OutputUri: task.OutputUri,
			RequestCharacters: task.RequestCharacters,
		});
	});

	test('fail-bucket and the [[fail]] trigger end failed with a TaskStatusReason', async () => {
		const bucket = await start({ OutputS3BucketName: 'fail-bucket' });
		const text = await start({ Text: 'Please [[fail]] this.' });
		const a = await waitTerminal(bucket.TaskId!);
		const b = await waitTerminal(text.TaskId!);
		expectStatesInOrder(a.seen, ['scheduled', 'inProgress', 'failed']);
		expect(a.last.SynthesisTask!.TaskStatusReason).toMatch(/upload file to S3/);
		expect(b.last.SynthesisTask!.TaskStatus).toBe('failed');
		expect(b.last.SynthesisTask!.TaskStatusReason).toBeTruthy();
	});

	test('[[hang]] keeps a task inProgress', async () => {
		const task = await start({ Text: 'never ends [[hang]]' });
		const polly = pollyClient(emulator);
		await new Promise((r) => setTimeout(r, 500));
		const out = await polly.send(new GetSpeechSynthesisTaskCommand({ TaskId: task.TaskId }));
		expect(out.SynthesisTask!.TaskStatus).toBe('inProgress');
	});

	test('InvalidTaskIdException and SynthesisTaskNotFoundException are 400s with a message', async () => {
		const polly = pollyClient(emulator);
		const invalid = await errorOf(() =>
			polly.send(new GetSpeechSynthesisTaskCommand({ TaskId: 'bad.id' })),
		);
		expect(invalid.name).toBe('InvalidTaskIdException');
		expect(invalid.$metadata.httpStatusCode).toBe(400);
		expect(invalid.message).toMatch(/Task ID is not valid/);
		const missing = await errorOf(() =>
			polly.send(
				new GetSpeechSynthesisTaskCommand({ TaskId: 'a2b9b2c2-0000-4000-8000-000000000000' }),
			),
		);
		expect(missing.name).toBe('SynthesisTaskNotFoundException');
		expect(missing.$metadata.httpStatusCode).toBe(400);
		expect(missing.message).toBe(
			'The Speech Synthesis task with requested Task ID cannot be found.',
		);
	});

	test('errors carry a coral-decorated x-amzn-ErrorType, a lowercase message member and x-amzn-RequestId', async () => {
		const res = await signedRawRequest(emulator, {
			service: 'polly',
			path: '/polly/v1/synthesisTasks/unknown-task',
		});
		expect(res.status).toBe(400);
		expect(res.headers['x-amzn-errortype']).toBe(
			'SynthesisTaskNotFoundException:http://internal.amazon.com/coral/com.amazonaws.polly.v1/',
		);
		expect(res.headers['x-amzn-requestid']).toMatch(UUID);
		expect(JSON.parse(res.body.toString())).toEqual({
			message: 'The Speech Synthesis task with requested Task ID cannot be found.',
		});
	});
});

describe('ListSpeechSynthesisTasks', () => {
	test('paginates with MaxResults / NextToken and filters by Status', async () => {
		const fresh = await startEmulator({ durations: { polly: 0 } });
		try {
			const polly = pollyClient(fresh);
			const ids: string[] = [];
			for (let i = 0; i < 7; i++) {
				const out = await polly.send(
					new StartSpeechSynthesisTaskCommand({ ...base, Text: `Task number ${i}.` }),
				);
				ids.push(out.SynthesisTask!.TaskId!);
			}
			fresh.createPollyTask({ ...base, Text: 'stuck [[hang]]' });
			const seen: string[] = [];
			let pages = 0;
			for await (const page of paginateListSpeechSynthesisTasks(
				{ client: polly, pageSize: 3 },
				{ Status: 'completed' },
			)) {
				pages++;
				expect(page.SynthesisTasks!.length).toBeLessThanOrEqual(3);
				for (const t of page.SynthesisTasks!) seen.push(t.TaskId!);
			}
			expect(pages).toBe(3);
			expect(new Set(seen)).toEqual(new Set(ids));
			const all = await polly.send(new ListSpeechSynthesisTasksCommand({}));
			expect(all.SynthesisTasks).toHaveLength(8);
			expect(all.NextToken).toBeUndefined();
			const times = all.SynthesisTasks!.map((t) => t.CreationTime!.getTime());
			expect([...times].sort((a, b) => b - a)).toEqual(times);
			const running = await polly.send(
				new ListSpeechSynthesisTasksCommand({ Status: 'inProgress' }),
			);
			expect(running.SynthesisTasks!.map((t) => t.TaskStatus)).toEqual(['inProgress']);
			const badToken = await errorOf(() =>
				polly.send(new ListSpeechSynthesisTasksCommand({ NextToken: 'garbage' })),
			);
			expect(badToken.name).toBe('InvalidNextTokenException');
			const badMax = await errorOf(() =>
				polly.send(new ListSpeechSynthesisTasksCommand({ MaxResults: 101 })),
			);
			expect(badMax.name).toBe('ValidationException');
		} finally {
			await fresh.close();
		}
	});
});

describe('clock, retention and OutputUri forms', () => {
	test('a manual clock moves tasks forward; tasks expire after 72 h', async () => {
		const manual = await startEmulator({ clock: 'manual' });
		try {
			const polly = pollyClient(manual);
			const out = await polly.send(
				new StartSpeechSynthesisTaskCommand({
					...base,
					Engine: 'neural',
					Text: 'x'.repeat(10_000),
				}),
			);
			const get = () =>
				polly.send(new GetSpeechSynthesisTaskCommand({ TaskId: out.SynthesisTask!.TaskId }));
			expect((await get()).SynthesisTask!.TaskStatus).toBe('scheduled');
			manual.advance(5_000);
			expect((await get()).SynthesisTask!.TaskStatus).toBe('inProgress');
			manual.advance(60_000);
			expect((await get()).SynthesisTask!.TaskStatus).toBe('completed');
			manual.advance(71 * 3_600_000);
			expect((await get()).SynthesisTask!.TaskStatus).toBe('completed');
			manual.advance(1 * 3_600_000);
			const gone = await errorOf(get);
			expect(gone.name).toBe('SynthesisTaskNotFoundException');
		} finally {
			await manual.close();
		}
	});

	test('timeScale shortens modelled durations', async () => {
		const fast = await startEmulator({ timeScale: 0.01 });
		try {
			const polly = pollyClient(fast);
			const out = await polly.send(
				new StartSpeechSynthesisTaskCommand({ ...base, Engine: 'neural', Text: 'y'.repeat(2_000) }),
			);
			// Model: ~3 s queue + 2,000 × 1.5 ms ≈ 6 s → ~60 ms at timeScale 0.01 (±15 % jitter).
			const t0 = Date.now();
			const { seen } = await pollUntil(
				() => polly.send(new GetSpeechSynthesisTaskCommand({ TaskId: out.SynthesisTask!.TaskId })),
				(r) => r.SynthesisTask!.TaskStatus === 'completed',
				(r) => r.SynthesisTask!.TaskStatus!,
				5_000,
				5,
			);
			expect(seen[seen.length - 1]).toBe('completed');
			expect(Date.now() - t0).toBeLessThan(5_000);
		} finally {
			await fast.close();
		}
	});

	test.each([
		['regional', 'https://s3.eu-west-1.amazonaws.com/b-1/ID.mp3'],
		['global', 'https://s3.amazonaws.com/b-1/ID.mp3'],
		['dash', 'https://s3-eu-west-1.amazonaws.com/b-1/ID.mp3'],
		['virtual-hosted', 'https://b-1.s3.eu-west-1.amazonaws.com/ID.mp3'],
		['s3', 's3://b-1/ID.mp3'],
		['emulator', 'EMU/s3/b-1/ID.mp3'],
	] as Array<[OutputUriStyle, string]>)('OutputUri style %s', async (style, expected) => {
		const e = await startEmulator({ outputUriStyle: style, region: 'eu-west-1' });
		try {
			const task = e.createPollyTask({ ...base, OutputS3BucketName: 'b-1' });
			expect(task.OutputUri).toBe(
				expected.replace('ID', String(task.TaskId)).replace('EMU', e.url),
			);
		} finally {
			await e.close();
		}
	});

	test('createPollyTask validates like the service', () => {
		expect(() => emulator.createPollyTask({ ...base, OutputS3BucketName: 'UPPER' })).toThrow(
			expect.objectContaining({ name: 'InvalidS3BucketException' }),
		);
		const task = emulator.createPollyTask(
			{ ...base },
			{ outcome: 'fail', durationMs: 0, failureReason: 'custom reason' },
		);
		expect(emulator.getPollyTask(String(task.TaskId))).toMatchObject({
			TaskStatus: 'failed',
			TaskStatusReason: 'custom reason',
		});
	});
});
