/**
 * Request-rate quotas (option `quotas`): what the official SDK clients see when a caller exceeds the documented
 * rates, per account and Region. A manual clock makes the buckets refill only when the test moves time.
 */
import { GetSpeakerSearchTaskCommand as GetMpTask } from '@aws-sdk/client-chime-sdk-media-pipelines';
import { GetSpeakerSearchTaskCommand as GetVoiceTask } from '@aws-sdk/client-chime-sdk-voice';
import {
	GetSpeechSynthesisTaskCommand,
	ListSpeechSynthesisTasksCommand,
	PollyClient,
	StartSpeechSynthesisTaskCommand,
	type Engine,
} from '@aws-sdk/client-polly';
import { type Emulator, type EmulatorOptions, startEmulator } from '../emulator';
import { errorOf, mediaPipelinesClient, pollyClient, voiceClient } from './helpers';

const BUCKET = 'speech-tasks-output';
const started: Emulator[] = [];

async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
	const emulator = await startEmulator({ clock: 'manual', acceptedRegions: '*', ...options });
	started.push(emulator);
	return emulator;
}

afterAll(async () => {
	await Promise.all(started.map((e) => e.close()));
});

function pollyTask(emulator: Emulator): string {
	return String(
		emulator.createPollyTask(
			{ OutputFormat: 'mp3', OutputS3BucketName: BUCKET, Text: 'Quota.', VoiceId: 'Joanna' },
			{ durationMs: 0 },
		).TaskId,
	);
}

/** Sends `count` requests one after another; the outcome of each: 'ok' or the error name and status. */
async function outcomes(count: number, send: () => Promise<unknown>): Promise<string[]> {
	const seen: string[] = [];
	for (let i = 0; i < count; i++) {
		try {
			await send();
			seen.push('ok');
		} catch (error) {
			const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
			seen.push(`${e.name} ${e.$metadata?.httpStatusCode}`);
		}
	}
	return seen;
}

describe('Polly quotas', () => {
	test('GetSpeechSynthesisTask and ListSpeechSynthesisTasks share 10 per second; the 11th is a 400 ThrottlingException', async () => {
		const emulator = await emulatorWith({ quotas: true });
		const taskId = pollyTask(emulator);
		const client = pollyClient(emulator);
		const get = () => client.send(new GetSpeechSynthesisTaskCommand({ TaskId: taskId }));
		const list = () => client.send(new ListSpeechSynthesisTasksCommand({}));

		expect(await outcomes(6, get)).toEqual(Array(6).fill('ok'));
		expect(await outcomes(4, list)).toEqual(Array(4).fill('ok'));
		const throttled = await errorOf(get);
		expect(throttled.name).toBe('ThrottlingException');
		expect(throttled.$metadata.httpStatusCode).toBe(400);
		expect(throttled.message).toBe('Rate exceeded');
		expect(throttled.$response?.headers['x-amzn-errortype']).toMatch(/ThrottlingException/);
		expect((await errorOf(list)).name).toBe('ThrottlingException');

		// A tenth of a second gives one request back; a second gives all ten.
		emulator.advance(100);
		expect(await outcomes(2, get)).toEqual(['ok', 'ThrottlingException 400']);
		emulator.advance(1000);
		expect(await outcomes(11, list)).toEqual([...Array(10).fill('ok'), 'ThrottlingException 400']);

		// The request log keeps the throttled answers: status, error code, no injected fault.
		const refused = emulator.requests.filter((e) => e.errorCode === 'ThrottlingException');
		expect(refused).toHaveLength(4);
		expect(refused.every((e) => e.status === 400 && e.fault === undefined && e.signatureOk)).toBe(
			true,
		);
		expect(emulator.quotaCounts()).toEqual({ 'polly:GetList': 4 });
	});

	test('quotas are per Region, and a changed rate applies', async () => {
		const emulator = await emulatorWith({ quotas: { pollyGetList: 3 } });
		const taskId = pollyTask(emulator);
		const get = (region: string) => () =>
			pollyClient(emulator, { region }).send(new GetSpeechSynthesisTaskCommand({ TaskId: taskId }));
		expect(await outcomes(4, get('us-east-1'))).toEqual([
			'ok',
			'ok',
			'ok',
			'ThrottlingException 400',
		]);
		// Another Region has its own quota (the task itself is not there: the quota is checked first).
		const other = await outcomes(4, get('eu-west-1'));
		expect(other.filter((o) => o === 'ThrottlingException 400')).toHaveLength(1);
		expect(other[3]).toBe('ThrottlingException 400');
	});

	test('StartSpeechSynthesisTask: standard 10/s with a burst of 12, long-form 1/s, engines counted apart', async () => {
		const emulator = await emulatorWith({ quotas: true });
		const client = pollyClient(emulator);
		const start =
			(engine: Engine, voice = 'Joanna') =>
			() =>
				client.send(
					new StartSpeechSynthesisTaskCommand({
						Engine: engine,
						OutputFormat: 'mp3',
						OutputS3BucketName: BUCKET,
						Text: 'Quota.',
						VoiceId: voice as never,
					}),
				);
		expect(await outcomes(13, start('standard'))).toEqual([
			...Array(12).fill('ok'),
			'ThrottlingException 400',
		]);
		expect(await outcomes(2, start('long-form', 'Danielle'))).toEqual([
			'ok',
			'ThrottlingException 400',
		]);
		expect(await outcomes(10, start('neural'))).toEqual(Array(10).fill('ok'));
		// Burst used up, the standard bucket refills at 10 per second.
		emulator.advance(200);
		expect(await outcomes(3, start('standard'))).toEqual(['ok', 'ok', 'ThrottlingException 400']);
		expect(emulator.quotaCounts()).toEqual({
			'polly:Start:standard': 2,
			'polly:Start:long-form': 1,
		});
	});

	test('off by default: no request is throttled', async () => {
		const emulator = await emulatorWith({});
		const taskId = pollyTask(emulator);
		const client = pollyClient(emulator);
		expect(
			await outcomes(30, () => client.send(new GetSpeechSynthesisTaskCommand({ TaskId: taskId }))),
		).toEqual(Array(30).fill('ok'));
		expect(emulator.quotaCounts()).toEqual({});
	});

	test("the AWS SDK's adaptive retry mode gets every request through the quota", async () => {
		const emulator = await startEmulator({ quotas: { pollyGetList: 5 } });
		started.push(emulator);
		const taskId = pollyTask(emulator);
		const client = new PollyClient({
			region: 'us-east-1',
			endpoint: emulator.endpoints.polly,
			credentials: emulator.awsCredentials,
			retryMode: 'adaptive',
			maxAttempts: 10,
		});
		const results = await Promise.all(
			Array.from({ length: 12 }, () =>
				client.send(new GetSpeechSynthesisTaskCommand({ TaskId: taskId })),
			),
		);
		expect(results.every((r) => r.SynthesisTask?.TaskId === taskId)).toBe(true);
		expect(emulator.quotaCounts()['polly:GetList']).toBeGreaterThan(0);
	});
});

describe('Chime quotas', () => {
	test('each operation at chimePerSecond; over it, 429 ThrottledClientException (Voice and Media Pipelines)', async () => {
		const emulator = await emulatorWith({ quotas: { chimePerSecond: 2 } });
		const voiceTask = emulator.createVoiceSpeakerSearchTask();
		const connector = emulator.resources.voiceConnectorIds[0];
		const getVoice = () =>
			voiceClient(emulator).send(
				new GetVoiceTask({
					VoiceConnectorId: connector,
					SpeakerSearchTaskId: String(voiceTask.SpeakerSearchTaskId),
				}),
			);
		expect(await outcomes(3, getVoice)).toEqual(['ok', 'ok', 'ThrottledClientException 429']);
		const voice = await errorOf(getVoice);
		expect(voice.name).toBe('ThrottledClientException');
		expect(voice.Code).toBe('Throttled');

		const mpTask = emulator.createMediaPipelineSpeakerSearchTask();
		const getMp = () =>
			mediaPipelinesClient(emulator).send(
				new GetMpTask({
					Identifier: emulator.resources.mediaInsightsPipelines[0].id,
					SpeakerSearchTaskId: String(mpTask.SpeakerSearchTaskId),
				}),
			);
		expect(await outcomes(3, getMp)).toEqual(['ok', 'ok', 'ThrottledClientException 429']);
		emulator.advance(500);
		expect(await outcomes(1, getVoice)).toEqual(['ok']);
		expect(emulator.quotaCounts()).toEqual({
			'chimeVoice.get': 2,
			'chimeMediaPipeline.get': 1,
		});
	});
});
