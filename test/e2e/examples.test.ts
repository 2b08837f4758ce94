// The example workflows, run through n8n's engine against the local emulator, which verifies every
// SigV4 signature with @smithy/signature-v4 and every bearer token.
import type { INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator, FaultName, RoutePattern } from '../emulator';
import { expectNoSecrets } from '../harness/secrets';
import { emulatorCredentials } from './emulator-credentials';
import { runExample } from './example-workflow';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ timeScale: 0.02, seed: 7 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const TEXT = 'Hello from the end-to-end test of n8n-nodes-speech-tasks.';
const bucket = () => emulator.resources.buckets[0];
const polly = (format: string, extra: Record<string, unknown> = {}) =>
	String(
		emulator.createPollyTask({
			Text: TEXT,
			VoiceId: 'Joanna',
			OutputFormat: format,
			OutputS3BucketName: bucket(),
			...extra,
		} as never).TaskId,
	);

function awsRequestsVerified() {
	const aws = emulator.requests.filter((r) => r.service !== 'aspose');
	expect(aws.length).toBeGreaterThan(0);
	return aws.every((r) => r.signatureOk === true);
}

const completed = (outputs: INodeExecutionData[][]) => outputs[0] ?? [];

describe('example workflows against the emulator', () => {
	it('polly-task-to-audio: mp3, PCM as WAV and speech marks, all signatures verified', async () => {
		const ids = [
			polly('mp3'),
			polly('pcm', { SampleRate: '16000' }),
			polly('json', { SpeechMarkTypes: ['word'] }),
		];
		const { outputs, result } = await runExample('polly-task-to-audio.json', {
			inputs: ids.map((taskId) => ({ json: { taskId } })),
			credentials: emulatorCredentials(emulator),
		});
		expect(result.error).toBeUndefined();
		const items = completed(outputs);
		expect(items.map((i) => i.json.TaskId)).toEqual(ids);
		expect(items.map((i) => i.binary?.data.mimeType)).toEqual([
			'audio/mpeg',
			'audio/wav',
			'application/x-ndjson',
		]);
		const mp3 = Buffer.from(items[0].binary!.data.data, 'base64');
		expect(mp3[0]).toBe(0xff);
		expect(mp3[1] & 0xe0).toBe(0xe0); // MPEG frame sync
		const wav = Buffer.from(items[1].binary!.data.data, 'base64');
		expect(wav.toString('ascii', 0, 4) + wav.toString('ascii', 8, 12)).toBe('RIFFWAVE');
		expect(wav.readUInt32LE(24)).toBe(16000);
		expect((items[2].json.speechMarks as unknown[]).length).toBeGreaterThan(0);
		expect(awsRequestsVerified()).toBe(true);
		expectNoSecrets(outputs);
	});

	it('aspose-authenticated-to-audio: token fetched, WAV attached', async () => {
		const id = emulator.createAsposeTask(TEXT);
		const { outputs } = await runExample('aspose-authenticated-to-audio.json', {
			inputs: [{ json: { taskId: id } }],
			credentials: emulatorCredentials(emulator),
		});
		const [item] = completed(outputs);
		expect(item.json.taskStatus).toBe('Completed');
		expect(item.binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: `${id}.wav` });
		expect(emulator.requests.filter((r) => r.route === 'aspose.token')).toHaveLength(1);
	});

	it('aspose-trial-to-audio: no credential, no Authorization header', async () => {
		const id = emulator.createAsposeTask(TEXT, { trial: true });
		const trialBaseUrl = emulator.endpoints.aspose;
		const { outputs } = await runExample('aspose-trial-to-audio.json', {
			inputs: [{ json: { taskId: id } }],
			credentials: {},
			parameters: {
				'Fetch Aspose Audio': { options: { trialBaseUrl } },
				'Wait Until Complete': { options: { timeout: 600, trialBaseUrl } },
			},
		});
		expect(completed(outputs)[0].binary?.data.mimeType).toBe('audio/wav');
		expect(emulator.requests.every((r) => String(r.route).startsWith('aspose.trial.'))).toBe(true);
	});

	it('chime-speaker-search: Voice results and a media insights pipeline by ARN', async () => {
		const voiceTask = emulator.createVoiceSpeakerSearchTask();
		const voice = await runExample('chime-speaker-search.json', {
			inputs: [
				{
					json: {
						voiceConnectorId: emulator.resources.voiceConnectorIds[0],
						speakerSearchTaskId: String(voiceTask.SpeakerSearchTaskId),
					},
				},
			],
			credentials: emulatorCredentials(emulator),
		});
		const [done] = completed(voice.outputs);
		expect(done.json.SpeakerSearchTaskStatus).toBe('SUCCEEDED');
		expect(
			(done.json.SpeakerSearchDetails as { Results: unknown[] }).Results.length,
		).toBeGreaterThan(0);

		const pipeline = emulator.resources.mediaInsightsPipelines[0];
		const pipelineTask = emulator.createMediaPipelineSpeakerSearchTask({
			identifier: pipeline.arn,
		} as never);
		const viaArn = await runExample('chime-speaker-search.json', {
			inputs: [
				{
					json: {
						pipeline: pipeline.arn,
						speakerSearchTaskId: String(pipelineTask.SpeakerSearchTaskId),
					},
				},
			],
			credentials: emulatorCredentials(emulator),
			parameters: {
				'Get Speaker Search Task': {
					source: 'mediaInsightsPipeline',
					identifier: '={{ $json.pipeline }}',
				},
			},
		});
		expect(completed(viaArn.outputs)[0].json.SpeakerSearchTaskStatus).toBe('Stopped');
		expect(awsRequestsVerified()).toBe(true);
	});
});

describe('injected faults: every run ends in the documented output or a clear error', () => {
	// Faults on the polling routes of Wait Until Complete (after the task node's first read) are
	// recovered; the expected outcome per fault is the README's failure table.
	const recovered: Array<[FaultName, RoutePattern, Record<string, unknown>]> = [
		['throttle', 'polly.get', { retryAfterSeconds: 1 }],
		['throttle', 'polly.get', {}],
		['error500', 'polly.get', {}],
		['error503', 'polly.get', {}],
		['reset', 'polly.get', {}],
		['truncated', 'polly.get', {}],
		['malformedJson', 'polly.get', {}],
		['throttle', 's3.get', {}],
		['error503', 's3.get', {}],
		['reset', 's3.get', {}],
		['s3Redirect', 's3.get', {}],
	];

	it.each(recovered)(
		'%s on %s: Wait Until Complete recovers and every item completes',
		async (fault, route, extra) => {
			const ids = [polly('mp3'), polly('mp3')];
			// The first read is the task node's; fault the next ones, which Wait Until Complete makes.
			emulator.setFaults([
				{ route, fault, count: 2, after: route === 'polly.get' ? 2 : 0, ...extra },
			]);
			const started = Date.now();
			const { outputs, result } = await runExample('polly-task-to-audio.json', {
				inputs: ids.map((taskId) => ({ json: { taskId } })),
				credentials: emulatorCredentials(emulator),
			});
			expect(result.error).toBeUndefined();
			expect(completed(outputs).map((i) => [i.json.TaskId, i.binary?.data.mimeType])).toEqual(
				ids.map((id) => [id, 'audio/mpeg']),
			);
			expect(emulator.faultCounts()[fault]).toBeGreaterThan(0);
			expect(Date.now() - started).toBeLessThan(30000);
		},
	);

	const clearErrors: Array<[FaultName, RoutePattern, RegExp]> = [
		['signatureRejected', 'polly.get', /rejected the request signature/],
		['clockSkew', 'polly.get', /clock is off/],
		['expiredToken', 'polly.get', /session token has expired/],
		['throttle', 'polly.get', /throttling/],
	];

	it.each(clearErrors)(
		'%s on the task node read: a clear error, nothing hangs',
		async (fault, route, message) => {
			emulator.setFaults([{ route, fault }]);
			const { result } = await runExample('polly-task-to-audio.json', {
				inputs: [{ json: { taskId: polly('mp3') } }],
				credentials: emulatorCredentials(emulator),
			});
			expect(result.error?.message).toMatch(message);
			expectNoSecrets(result.error);
		},
	);

	it('an expired Aspose token is renewed once and the run completes', async () => {
		const id = emulator.createAsposeTask(TEXT);
		emulator.setFaults([{ route: 'aspose.fetch', fault: 'expiredToken', count: 1, after: 1 }]);
		const { outputs } = await runExample('aspose-authenticated-to-audio.json', {
			inputs: [{ json: { taskId: id } }],
			credentials: emulatorCredentials(emulator),
		});
		expect(completed(outputs)[0].binary?.data.mimeType).toBe('audio/wav');
		expect(emulator.requests.filter((r) => r.route === 'aspose.token')).toHaveLength(2);
	});
});
