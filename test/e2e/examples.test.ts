// The example workflows, run through n8n's engine against the local emulator, which verifies every
// SigV4 signature with @smithy/signature-v4 and every bearer token.
import type { INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator, FaultName, RoutePattern } from '../emulator';
import { expectNoSecrets } from '../harness/secrets';
import { asposeWav, audioKind } from '../n8n/audio';
import { emulatorCredentials } from './emulator-credentials';
import { runExample } from './example-workflow';
import type { ExampleRun } from './example-workflow';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ timeScale: 0.02, seed: 7 });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

const bucket = () => emulator.resources.buckets[0];
/** What a user fills in in the Polly example: a bucket of theirs. */
const bucketFilledIn = () => ({ outputS3BucketName: bucket() });

/** The object the emulated Polly wrote at an OutputUri (regional form: /bucket/key). */
function writtenObject(uri: string): Buffer {
	const [, name, ...key] = new URL(uri).pathname.split('/');
	const bytes = emulator.objectBytes(name, key.map(decodeURIComponent).join('/'));
	if (!bytes) throw new Error(`the emulator holds no object at ${uri}`);
	return bytes;
}

/** Every output format: [format, additional fields, MIME type of the binary]. */
const FORMATS: Array<[string, Record<string, unknown>, string]> = [
	['mp3', {}, 'audio/mpeg'],
	['ogg_vorbis', {}, 'audio/ogg'],
	['ogg_opus', {}, 'audio/ogg'],
	['pcm', { sampleRate: '16000' }, 'audio/wav'],
	['mulaw', {}, 'audio/wav'],
	['alaw', {}, 'audio/wav'],
	['json', { speechMarkTypes: ['sentence', 'word'] }, 'application/x-ndjson'],
];

function awsRequestsVerified() {
	const aws = emulator.requests.filter((r) => r.service !== 'aspose');
	expect(aws.length).toBeGreaterThan(0);
	return aws.every((r) => r.signatureOk === true);
}

const completed = (outputs: INodeExecutionData[][]) => outputs[0] ?? [];
const routes = (route: RoutePattern) => emulator.requests.filter((r) => r.route === route);

// Node names in the examples.
const START = 'Start Polly Synthesis Task';
const SYNTHESIZE = 'Synthesize Polly Speech';
const SUBMIT = 'Submit Aspose Text to Speech';
const START_PIPELINE = 'Start Speaker Search (Pipeline)';
const WAIT_PIPELINE = 'Wait Until Complete (Pipeline)';
const START_VOICE = 'Start Speaker Search (Voice Connector)';
const WAIT_VOICE = 'Wait Until Complete (Voice Connector)';

/** What a user fills in in the speaker search example: the call's resources (not task IDs). */
function chimeValues() {
	return {
		mediaInsightsPipeline: emulator.resources.mediaInsightsPipelines[0].arn,
		voiceProfileDomainArn: `arn:aws:chime:${emulator.region}:${emulator.accountId}:voice-profile-domain/e2e`,
		voiceConnectorId: emulator.resources.voiceConnectorIds[0],
		transactionId: 'e2e-call-0001',
		voiceProfileDomainId: 'e2e-voice-profile-domain',
	};
}

/** The item's binary is exactly the WAV the emulator produced for the task. */
function expectEmulatorWav(item: INodeExecutionData, id: string, trial: boolean) {
	const produced = asposeWav(emulator, id, trial);
	expect(produced?.length).toBeGreaterThan(44);
	const received = Buffer.from(item.binary!.data.data, 'base64');
	expect(received.equals(produced!)).toBe(true);
}

describe('example workflows against the emulator', () => {
	it.each(FORMATS)(
		'polly-task-to-audio (%s): Start → Wait Until Complete, the binary is the object Polly wrote, byte for byte',
		async (outputFormat, additionalFields, mimeType) => {
			const { outputs, outputsOf, result } = await runExample('polly-task-to-audio.json', {
				credentials: emulatorCredentials(emulator),
				parameters: { [START]: { ...bucketFilledIn(), outputFormat, additionalFields } },
			});
			expect(result.error).toBeUndefined();
			const [started] = outputsOf(START)[0];
			// Version 2, Simplify on: the fields a workflow needs, which Auto-Detect takes as they are.
			expect(Object.keys(started.json).sort()).toEqual([
				'CreationTime',
				'OutputUri',
				'TaskId',
				'TaskStatus',
			]);
			expect(['scheduled', 'inProgress']).toContain(started.json.TaskStatus);
			expect(outputs.map((items) => items.length)).toEqual([1, 0, 0]);
			const [item] = completed(outputs);
			expect(item.json).toMatchObject({
				TaskId: started.json.TaskId,
				TaskStatus: 'completed',
				OutputFormat: outputFormat,
				OutputUri: started.json.OutputUri,
			});
			const written = writtenObject(String(item.json.OutputUri));
			expect(written.length).toBeGreaterThan(0);
			const binary = item.binary!.data;
			expect(binary.mimeType).toBe(mimeType);
			const bytes = Buffer.from(binary.data, 'base64');
			if (mimeType === 'audio/wav') {
				// Headerless samples get a WAV header: what follows it is Polly's object, byte for byte.
				expect(bytes.toString('ascii', 0, 4) + bytes.toString('ascii', 8, 12)).toBe('RIFFWAVE');
				expect(bytes.readUInt32LE(24)).toBe(Number(additionalFields.sampleRate ?? 8000));
				expect(bytes.readUInt32LE(40)).toBe(written.length);
				expect(bytes.subarray(44).equals(written)).toBe(true);
			} else {
				expect(bytes.equals(written)).toBe(true);
			}
			if (outputFormat === 'json')
				expect((item.json.speechMarks as unknown[]).length).toBeGreaterThan(0);
			expect(routes('polly.start')).toHaveLength(1);
			expect(awsRequestsVerified()).toBe(true);
			expectNoSecrets(outputs);
		},
	);

	it('polly-task-to-audio: three items start three tasks, waited for together', async () => {
		const { outputs, outputsOf, result } = await runExample('polly-task-to-audio.json', {
			inputs: [{ json: {} }, { json: {} }, { json: {} }],
			credentials: emulatorCredentials(emulator),
			parameters: { [START]: bucketFilledIn() },
		});
		expect(result.error).toBeUndefined();
		const started = outputsOf(START)[0].map((i) => i.json.TaskId);
		expect(new Set(started).size).toBe(3);
		expect(completed(outputs).map((i) => i.json.TaskId)).toEqual(started);
		for (const item of completed(outputs))
			expect(
				Buffer.from(item.binary!.data.data, 'base64').equals(
					writtenObject(String(item.json.OutputUri)),
				),
			).toBe(true);
		expect(routes('polly.start')).toHaveLength(3);
	});

	it('polly-task-to-audio as imported (bucket not filled in): refused before any request, naming the field', async () => {
		const { result } = await runExample('polly-task-to-audio.json', {
			credentials: emulatorCredentials(emulator),
			keepPlaceholders: true,
		});
		expect(result.error?.message).toMatch(/S3 Bucket Name/);
		expect(emulator.requests).toHaveLength(0);
	});

	it.each(FORMATS)(
		'polly-synthesize-speech (%s): the audio straight from Synthesize Polly Speech, as Polly sent it',
		async (outputFormat, additionalFields, mimeType) => {
			const { outputs, result, example } = await runExample('polly-synthesize-speech.json', {
				credentials: emulatorCredentials(emulator),
				parameters: { [SYNTHESIZE]: { outputFormat, additionalFields } },
			});
			expect(result.error).toBeUndefined();
			const text = String(example.nodes.find((n) => n.name === SYNTHESIZE)!.parameters.text);
			const [item] = outputs[0];
			expect(item.json).toMatchObject({
				RequestCharacters: text.length,
				OutputFormat: outputFormat,
				VoiceId: 'Joanna',
			});
			const [answer] = routes('polly.synthesize');
			expect(answer.status).toBe(200);
			const binary = item.binary!.data;
			expect(binary.mimeType).toBe(mimeType);
			const bytes = Buffer.from(binary.data, 'base64');
			if (mimeType === 'audio/wav') {
				expect(bytes.toString('ascii', 0, 4) + bytes.toString('ascii', 8, 12)).toBe('RIFFWAVE');
				expect(bytes.length - 44).toBe(answer.bytesSent);
			} else {
				expect(bytes.length).toBe(answer.bytesSent);
			}
			if (outputFormat === 'mp3') {
				expect(binary.fileName).toBe('speech.mp3');
				expect(audioKind(bytes)).toBe('mp3');
			}
			if (outputFormat === 'json')
				expect((item.json.speechMarks as unknown[]).length).toBeGreaterThan(0);
			expect(emulator.requests.map((r) => r.route)).toEqual(['polly.synthesize']);
			expect(awsRequestsVerified()).toBe(true);
			expectNoSecrets(outputs);
		},
	);

	it('aspose-trial-to-audio: Submit (trial) → Wait Until Complete, the WAV the emulator made byte for byte, no credential', async () => {
		const trialBaseUrl = emulator.endpoints.aspose;
		const { outputs, outputsOf, result } = await runExample('aspose-trial-to-audio.json', {
			credentials: {},
			parameters: {
				[SUBMIT]: { options: { trialBaseUrl } },
				'Wait Until Complete': { options: { timeout: 600, trialBaseUrl } },
			},
		});
		expect(result.error).toBeUndefined();
		const [submitted] = outputsOf(SUBMIT)[0];
		expect(submitted.json).toMatchObject({ taskStatus: 'Pending', trial: true });
		const id = String(submitted.json.id);
		expect(outputs.map((items) => items.length)).toEqual([1, 0, 0]);
		const [item] = completed(outputs);
		expect(item.json).toMatchObject({ id, taskStatus: 'Completed' });
		expect(item.binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: `${id}.wav` });
		expectEmulatorWav(item, id, true);
		expect(emulator.requests.filter((r) => r.route === 'aspose.trial.submit')).toHaveLength(1);
		expect(emulator.requests.every((r) => String(r.route).startsWith('aspose.trial.'))).toBe(true);
	});

	it('aspose-authenticated-to-audio: Submit → Wait Until Complete, the WAV byte for byte; an expired stored token is renewed exactly once', async () => {
		// One credential object for both runs: the token the first run fetches is stored in it, as n8n does.
		const credentials = emulatorCredentials(emulator);
		const first = await runExample('aspose-authenticated-to-audio.json', { credentials });
		expect(first.result.error).toBeUndefined();
		const id = String(first.outputsOf(SUBMIT)[0][0].json.id);
		const [item] = completed(first.outputs);
		expect(item.json).toMatchObject({ id, taskStatus: 'Completed' });
		expect(item.binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: `${id}.wav` });
		expectEmulatorWav(item, id, false);
		expect(emulator.requests.filter((r) => r.route === 'aspose.token')).toHaveLength(1);
		expect(emulator.requests.filter((r) => r.status === 401)).toHaveLength(0);
		const storedToken = String(credentials.asposeCloudApi.accessToken);
		expect(storedToken).not.toBe('');

		// The stored token expires; the next run is refused once, renews it once and completes.
		expect(emulator.expireTokens()).toBe(1);
		const mark = emulator.requests.length;
		const second = await runExample('aspose-authenticated-to-audio.json', { credentials });
		expect(second.result.error).toBeUndefined();
		const after = emulator.requests.slice(mark).filter((r) => r.service === 'aspose');
		expect(after.filter((r) => r.route === 'aspose.token')).toHaveLength(1);
		expect(after.filter((r) => r.status === 401)).toHaveLength(1);
		expect(after.slice(0, 3).map((r) => `${r.route} ${r.status}`)).toEqual([
			'aspose.submit 401',
			'aspose.token 200',
			'aspose.submit 200',
		]);
		expect(String(credentials.asposeCloudApi.accessToken)).not.toBe(storedToken);
		const secondId = String(second.outputsOf(SUBMIT)[0][0].json.id);
		expect(secondId).not.toBe(id);
		const [again] = completed(second.outputs);
		expect(again.json.id).toBe(secondId);
		expectEmulatorWav(again, secondId, false);
		expectNoSecrets(first.outputs, second.outputs);
	});

	it('chime-speaker-search: both sources start → wait → results, all signatures verified', async () => {
		const values = chimeValues();
		const run = await runExample('chime-speaker-search.json', {
			values,
			credentials: emulatorCredentials(emulator),
		});
		expect(run.result.error).toBeUndefined();

		const [voiceStarted] = run.outputsOf(START_VOICE)[0];
		expect(voiceStarted.json).toMatchObject({
			SpeakerSearchTaskStatus: 'IN_QUEUE',
			CallDetails: {
				VoiceConnectorId: values.voiceConnectorId,
				TransactionId: values.transactionId,
			},
		});
		const voiceOut = run.outputsOf(WAIT_VOICE);
		expect(voiceOut.map((items) => items.length)).toEqual([1, 0, 0]);
		const [voice] = completed(voiceOut);
		expect(voice.json).toMatchObject({
			SpeakerSearchTaskId: voiceStarted.json.SpeakerSearchTaskId,
			SpeakerSearchTaskStatus: 'SUCCEEDED',
		});
		expect(
			(voice.json.SpeakerSearchDetails as { Results: unknown[] }).Results.length,
		).toBeGreaterThan(0);
		expect(voice.binary).toBeUndefined();

		const [pipelineStarted] = run.outputsOf(START_PIPELINE)[0];
		expect(pipelineStarted.json).toMatchObject({
			MediaInsightsPipelineIdentifier: values.mediaInsightsPipeline,
		});
		const pipelineOut = run.outputsOf(WAIT_PIPELINE);
		expect(pipelineOut.map((items) => items.length)).toEqual([1, 0, 0]);
		expect(completed(pipelineOut)[0].json).toMatchObject({
			SpeakerSearchTaskId: pipelineStarted.json.SpeakerSearchTaskId,
			SpeakerSearchTaskStatus: 'Stopped',
		});

		expect(routes('chimeVoice.start')).toHaveLength(1);
		expect(routes('chimeMediaPipeline.start')).toHaveLength(1);
		expect(routes('chimeVoice.get').length).toBeGreaterThan(0);
		expect(routes('chimeMediaPipeline.get').length).toBeGreaterThan(0);
		expect(awsRequestsVerified()).toBe(true);
	});

	it('chime-speaker-search: a pipeline given by ID, the Voice branch left out', async () => {
		const pipeline = emulator.resources.mediaInsightsPipelines[0];
		const run = await runExample('chime-speaker-search.json', {
			values: { ...chimeValues(), mediaInsightsPipeline: pipeline.id },
			credentials: emulatorCredentials(emulator),
			omit: [START_VOICE, WAIT_VOICE],
		});
		expect(run.result.error).toBeUndefined();
		expect(completed(run.outputsOf(WAIT_PIPELINE))[0].json.SpeakerSearchTaskStatus).toBe('Stopped');
		expect(routes('chimeVoice.start')).toHaveLength(0);
	});
});

describe('Start Speaker Search Task: a repeated start starts one task', () => {
	const startedIds = (run: ExampleRun) =>
		[START_PIPELINE, START_VOICE].map((name) =>
			String(run.outputsOf(name)[0][0].json.SpeakerSearchTaskId),
		);

	it('the same execution run twice (same ClientRequestToken): the same two tasks; a new execution starts new ones', async () => {
		const credentials = emulatorCredentials(emulator);
		const values = chimeValues();
		const first = await runExample('chime-speaker-search.json', {
			values,
			credentials,
			executionId: 'e2e-repeated-execution',
		});
		const repeat = await runExample('chime-speaker-search.json', {
			values,
			credentials,
			executionId: 'e2e-repeated-execution',
		});
		expect(first.result.error).toBeUndefined();
		expect(repeat.result.error).toBeUndefined();
		expect(startedIds(repeat)).toEqual(startedIds(first));
		// Four start requests, all answered with one of the two tasks.
		expect(routes('chimeVoice.start').map((r) => r.status)).toEqual([201, 201]);
		expect(routes('chimeMediaPipeline.start').map((r) => r.status)).toEqual([201, 201]);
		expect(completed(repeat.outputsOf(WAIT_VOICE))[0].json.SpeakerSearchTaskId).toBe(
			startedIds(first)[1],
		);

		const other = await runExample('chime-speaker-search.json', {
			values,
			credentials,
			executionId: 'e2e-another-execution',
		});
		const otherIds = startedIds(other);
		expect(otherIds[0]).not.toBe(startedIds(first)[0]);
		expect(otherIds[1]).not.toBe(startedIds(first)[1]);
	});

	it('Retry On Fail after a lost answer: the retry gets the task the first attempt started', async () => {
		// The emulator starts the task and then sends a malformed answer, as if the connection broke
		// after AWS had started it; n8n's Retry On Fail runs the node again in the same execution.
		emulator.setFaults([
			{ route: 'chimeVoice.start', fault: 'malformedJson', count: 1 },
			{ route: 'chimeMediaPipeline.start', fault: 'malformedJson', count: 1 },
		]);
		const retry = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };
		const run = await runExample('chime-speaker-search.json', {
			values: chimeValues(),
			credentials: emulatorCredentials(emulator),
			settings: { [START_VOICE]: retry, [START_PIPELINE]: retry },
		});
		expect(run.result.error).toBeUndefined();
		expect(emulator.faultCounts().malformedJson).toBe(2);
		for (const [route, start, wait, done] of [
			['chimeVoice.start', START_VOICE, WAIT_VOICE, 'SUCCEEDED'],
			['chimeMediaPipeline.start', START_PIPELINE, WAIT_PIPELINE, 'Stopped'],
		] as const) {
			const starts = routes(route);
			expect(starts.map((r) => [r.status, r.fault])).toEqual([
				[201, 'malformedJson'],
				[201, undefined],
			]);
			const task = run.outputsOf(start)[0][0].json;
			// The task the retry got was created by the first attempt, before the retry was sent.
			const created = Date.parse(String(task.CreatedTimestamp));
			expect(created).toBeGreaterThanOrEqual(starts[0].time - 1000);
			expect(created).toBeLessThan(starts[1].time);
			const [finished] = completed(run.outputsOf(wait));
			expect(finished.json).toMatchObject({
				SpeakerSearchTaskId: task.SpeakerSearchTaskId,
				SpeakerSearchTaskStatus: done,
			});
			// Wait Until Complete only ever asked about that one task.
			const gets = routes(route.replace('.start', '.get') as RoutePattern);
			expect(gets.length).toBeGreaterThan(0);
			expect(gets.every((r) => r.path.endsWith(`/${String(task.SpeakerSearchTaskId)}`))).toBe(true);
		}
	});
});

describe('injected faults: every run ends in the documented output or a clear error', () => {
	// Faults on the polling routes of Wait Until Complete are recovered; the expected outcome per
	// fault is the README's failure table. Wait Until Complete reads a task's status with a Get, or
	// several tasks' with one listing (ListSpeechSynthesisTasks) when that costs fewer requests: a
	// status fault goes on both, so it hits whichever way the statuses are read.
	const STATUS: RoutePattern[] = ['polly.get', 'polly.list'];
	const recovered: Array<[FaultName, string, RoutePattern[], Record<string, unknown>]> = [
		['throttle', 'status reads', STATUS, { retryAfterSeconds: 1 }],
		['throttle', 'status reads', STATUS, {}],
		['error500', 'status reads', STATUS, {}],
		['error503', 'status reads', STATUS, {}],
		['reset', 'status reads', STATUS, {}],
		['truncated', 'status reads', STATUS, {}],
		['malformedJson', 'status reads', STATUS, {}],
		['throttle', 's3.get', ['s3.get'], {}],
		['error503', 's3.get', ['s3.get'], {}],
		['reset', 's3.get', ['s3.get'], {}],
		['s3Redirect', 's3.get', ['s3.get'], {}],
	];

	it.each(recovered)(
		'%s on %s: Wait Until Complete recovers and every item completes',
		async (fault, _where, routes, extra) => {
			// Two items start two tasks; every status read and download is Wait Until Complete's.
			// A wrong-region answer to the retry at the bucket's region is a real error: with both
			// downloads in flight, the first two S3 requests may be one item's download and its retry,
			// so the redirect is injected once.
			const count = fault === 's3Redirect' ? 1 : 2;
			emulator.setFaults(routes.map((route) => ({ route, fault, count, ...extra })));
			const started = Date.now();
			const { outputs, outputsOf, result } = await runExample('polly-task-to-audio.json', {
				inputs: [{ json: {} }, { json: {} }],
				credentials: emulatorCredentials(emulator),
				parameters: { [START]: bucketFilledIn() },
			});
			expect(result.error).toBeUndefined();
			const ids = outputsOf(START)[0].map((i) => i.json.TaskId);
			expect(ids).toHaveLength(2);
			expect(completed(outputs).map((i) => [i.json.TaskId, i.binary?.data.mimeType])).toEqual(
				ids.map((id) => [id, 'audio/mpeg']),
			);
			expect(emulator.faultCounts()[fault]).toBeGreaterThan(0);
			expect(Date.now() - started).toBeLessThan(30000);
		},
	);

	const clearErrors: Array<[FaultName, RoutePattern, RegExp]> = [
		['signatureRejected', 'polly.start', /rejected the request signature/],
		['clockSkew', 'polly.start', /clock is off/],
		['expiredToken', 'polly.start', /session token has expired/],
		['throttle', 'polly.start', /throttling/],
	];

	it.each(clearErrors)(
		'%s on the task node (Start): a clear error, nothing hangs, no task waited for',
		async (fault, route, message) => {
			emulator.setFaults([{ route, fault }]);
			const { result } = await runExample('polly-task-to-audio.json', {
				credentials: emulatorCredentials(emulator),
				parameters: { [START]: bucketFilledIn() },
			});
			expect(result.error?.message).toMatch(message);
			expect(routes('polly.get')).toHaveLength(0);
			expectNoSecrets(result.error);
		},
	);

	it('an Aspose token that expires during the wait is renewed once and the run completes', async () => {
		// The first poll of Wait Until Complete is refused as if the token had just expired.
		emulator.setFaults([{ route: 'aspose.fetch', fault: 'expiredToken', count: 1 }]);
		const { outputs, outputsOf, result } = await runExample('aspose-authenticated-to-audio.json', {
			credentials: emulatorCredentials(emulator),
		});
		expect(result.error).toBeUndefined();
		const id = String(outputsOf(SUBMIT)[0][0].json.id);
		expectEmulatorWav(completed(outputs)[0], id, false);
		expect(emulator.faultCounts().expiredToken).toBe(1);
		expect(routes('aspose.token')).toHaveLength(2);
	});
});
