/** Fault injection: every fault observed through an SDK or raw HTTP, plus rule selection semantics. */
import { GetSpeakerSearchTaskCommand as GetMpTask } from '@aws-sdk/client-chime-sdk-media-pipelines';
import { GetSpeakerSearchTaskCommand as GetVoiceTask } from '@aws-sdk/client-chime-sdk-voice';
import {
	GetSpeechSynthesisTaskCommand,
	ListSpeechSynthesisTasksCommand,
} from '@aws-sdk/client-polly';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type Emulator, FAULT_NAMES, type FaultName, startEmulator } from '../emulator';
import {
	bodyBytes,
	errorOf,
	mediaPipelinesClient,
	pollyClient,
	rawRequest,
	s3Client,
	signedRawRequest,
	voiceClient,
} from './helpers';

const BUCKET = 'speech-tasks-output';
let emulator: Emulator;
let taskId: string;
let voiceTask: { connector: string; id: string };
let mpTask: { pipeline: string; id: string };
const observed = new Set<FaultName>();

beforeAll(async () => {
	emulator = await startEmulator({ seed: 7 });
	taskId = String(
		emulator.createPollyTask(
			{
				OutputFormat: 'mp3',
				OutputS3BucketName: BUCKET,
				Text: 'Fault injection.',
				VoiceId: 'Joanna',
			},
			{ durationMs: 0 },
		).TaskId,
	);
	const v = emulator.createVoiceSpeakerSearchTask();
	voiceTask = {
		connector: emulator.resources.voiceConnectorIds[0],
		id: String(v.SpeakerSearchTaskId),
	};
	const m = emulator.createMediaPipelineSpeakerSearchTask();
	mpTask = {
		pipeline: emulator.resources.mediaInsightsPipelines[0].id,
		id: String(m.SpeakerSearchTaskId),
	};
	emulator.putObject(BUCKET, 'object.bin', Buffer.alloc(10_000, 7));
});
afterEach(() => {
	for (const entry of emulator.requests) if (entry.fault) observed.add(entry.fault);
	emulator.clearFaults();
});
afterAll(() => emulator.close());

const getPolly = (maxAttempts = 1) =>
	pollyClient(emulator, { maxAttempts }).send(
		new GetSpeechSynthesisTaskCommand({ TaskId: taskId }),
	);
const getS3 = (o: { maxAttempts?: number; followRegionRedirects?: boolean } = {}) =>
	s3Client(emulator, o).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'object.bin' }));
const getVoice = () =>
	voiceClient(emulator).send(
		new GetVoiceTask({ VoiceConnectorId: voiceTask.connector, SpeakerSearchTaskId: voiceTask.id }),
	);
const getMp = () =>
	mediaPipelinesClient(emulator).send(
		new GetMpTask({ Identifier: mpTask.pipeline, SpeakerSearchTaskId: mpTask.id }),
	);
const asposeFetch = async (id = 'x') => {
	const token = emulator.issueAsposeToken();
	return fetch(`${emulator.endpoints.aspose}/v5.0/ocr/ConvertTextToSpeech?id=${id}`, {
		headers: { Authorization: `Bearer ${token}` },
	});
};

describe('throttle', () => {
	test('Polly ThrottlingException 400, Chime ThrottledClientException 429, S3 SlowDown 503, Aspose 429, STS Throttling', async () => {
		emulator.setFaults([{ route: '*', fault: 'throttle', retryAfterSeconds: 2 }]);
		const polly = await errorOf(() => getPolly());
		expect(polly.name).toBe('ThrottlingException');
		expect(polly.$metadata.httpStatusCode).toBe(400);
		expect(polly.message).toBe('Rate exceeded');
		expect(polly.$response?.headers['retry-after']).toBe('2');
		const voice = await errorOf(getVoice);
		expect(voice.name).toBe('ThrottledClientException');
		expect(voice.$metadata.httpStatusCode).toBe(429);
		expect(voice.Code).toBe('Throttled');
		const mp = await errorOf(getMp);
		expect(mp.name).toBe('ThrottledClientException');
		expect(mp.$metadata.httpStatusCode).toBe(429);
		const s3 = await errorOf(() => getS3());
		expect(s3.name).toBe('SlowDown');
		expect(s3.$metadata.httpStatusCode).toBe(503);
		const aspose = await asposeFetch();
		expect(aspose.status).toBe(429);
		expect(aspose.headers.get('retry-after')).toBe('2');
		expect(((await aspose.json()) as { title?: string }).title).toBe('Too Many Requests');
		const sts = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
		});
		expect(sts.status).toBe(400);
		expect(sts.body.toString()).toContain('<Code>Throttling</Code>');
	});

	test('the SDK retries throttling and succeeds once the fault stops (count)', async () => {
		emulator.setFaults([{ route: 'polly.get', fault: 'throttle', count: 2 }]);
		const before = emulator.requests.length;
		const out = await getPolly(3);
		expect(out.SynthesisTask!.TaskId).toBe(taskId);
		expect(emulator.requests.slice(before).map((r) => [r.status, r.fault])).toEqual([
			[400, 'throttle'],
			[400, 'throttle'],
			[200, undefined],
		]);
	});
});

describe('server errors', () => {
	test('error500: ServiceFailureException (Polly, Chime), InternalError (S3), ProblemDetails (Aspose)', async () => {
		emulator.setFaults([
			{ route: ['polly.*', 'chimeVoice.get', 's3.get', 'aspose.fetch'], fault: 'error500' },
		]);
		const polly = await errorOf(() => getPolly());
		expect(polly.name).toBe('ServiceFailureException');
		expect(polly.$metadata.httpStatusCode).toBe(500);
		expect(polly.$fault).toBe('server');
		const voice = await errorOf(getVoice);
		expect(voice.name).toBe('ServiceFailureException');
		const s3 = await errorOf(() => getS3());
		expect(s3.name).toBe('InternalError');
		expect(s3.$metadata.httpStatusCode).toBe(500);
		expect((await asposeFetch()).status).toBe(500);
		// Not matched by the rule:
		expect((await getMp()).SpeakerSearchTask!.SpeakerSearchTaskId).toBe(mpTask.id);
	});

	test('error503: ServiceUnavailableException (Chime, Polly), ServiceUnavailable (S3); the SDK retries it', async () => {
		emulator.setFaults([{ route: '*', fault: 'error503', count: 4 }]);
		const mp = await errorOf(getMp);
		expect(mp.name).toBe('ServiceUnavailableException');
		expect(mp.$metadata.httpStatusCode).toBe(503);
		const polly = await errorOf(() => getPolly());
		expect(polly.name).toBe('ServiceUnavailableException');
		const s3 = await errorOf(() => getS3());
		expect(s3.name).toBe('ServiceUnavailable');
		const out = await getPolly(3); // 4th request faulted, 5th succeeds
		expect(out.SynthesisTask!.TaskId).toBe(taskId);
	});
});

describe('transport faults', () => {
	test('reset destroys the connection (SDK over HTTP/1.1 and HTTP/2, raw HTTP)', async () => {
		emulator.setFaults([{ route: ['s3.get', 'polly.get'], fault: 'reset' }]);
		const s3 = await errorOf(() => getS3());
		expect(String(s3.code ?? s3.name) + s3.message).toMatch(/ECONNRESET|socket hang up|aborted/i);
		const polly = await errorOf(() => getPolly());
		expect(polly).toHaveProperty('message');
		await expect(rawRequest(`${emulator.endpoints.s3}/${BUCKET}/object.bin`)).rejects.toThrow();
		expect(
			emulator.requests
				.filter((r) => r.fault === 'reset')
				.every((r) => r.aborted && r.status === undefined),
		).toBe(true);
	});

	test('slow delays the response by delayMs', async () => {
		emulator.setFaults([{ route: 'polly.get', fault: 'slow', delayMs: 300 }]);
		const t0 = Date.now();
		await getPolly();
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		expect(emulator.requests[emulator.requests.length - 1]).toMatchObject({
			fault: 'slow',
			status: 200,
		});
	});

	test('truncated: Content-Length larger than the body, then the connection ends', async () => {
		emulator.setFaults([{ route: ['s3.get', 'polly.get'], fault: 'truncated' }]);
		await expect(rawRequest(`${emulator.endpoints.s3}/${BUCKET}/object.bin`)).rejects.toThrow();
		const s3 = await errorOf(async () => bodyBytes((await getS3()).Body));
		expect(s3).toHaveProperty('message');
		const polly = await errorOf(() => getPolly());
		expect(polly).toHaveProperty('message');
		const entries = emulator.requests.filter((r) => r.fault === 'truncated');
		expect(entries.length).toBeGreaterThanOrEqual(3);
		expect(entries.every((r) => r.aborted)).toBe(true);
	});

	test('malformedJson: a 200 whose JSON body does not parse', async () => {
		emulator.setFaults([
			{ route: ['polly.get', 'chimeVoice.get', 'aspose.fetch'], fault: 'malformedJson' },
		]);
		const polly = await errorOf(() => getPolly());
		expect(polly.$metadata?.httpStatusCode ?? polly.$response?.statusCode ?? 200).toBe(200);
		expect(polly.message).toMatch(/JSON|Unexpected|deserializ/i);
		const voice = await errorOf(getVoice);
		expect(voice).toHaveProperty('message');
		const aspose = await asposeFetch();
		expect(aspose.status).toBe(200);
		await expect(aspose.json()).rejects.toThrow();
	});
});

describe('auth faults', () => {
	test('expiredToken: ExpiredTokenException 403 (Polly, Chime), ExpiredToken 400 (S3), 401 (Aspose)', async () => {
		emulator.setFaults([{ route: '*', fault: 'expiredToken' }]);
		const polly = await errorOf(() => getPolly());
		expect(polly.name).toBe('ExpiredTokenException');
		expect(polly.$metadata.httpStatusCode).toBe(403);
		expect(polly.message).toBe('The security token included in the request is expired');
		expect((await errorOf(getVoice)).name).toBe('ExpiredTokenException');
		const s3 = await errorOf(() => getS3());
		expect(s3.name).toBe('ExpiredToken');
		expect(s3.$metadata.httpStatusCode).toBe(400);
		const aspose = await asposeFetch();
		expect(aspose.status).toBe(401);
		expect(aspose.headers.get('www-authenticate')).toMatch(/expired/);
		// The token endpoint itself is not a bearer route: not affected.
		const token = await fetch(`${emulator.endpoints.aspose}/connect/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: emulator.credentials.asposeClientId,
				client_secret: emulator.credentials.asposeClientSecret,
			}),
		});
		expect(token.status).toBe(200);
	});

	test('signatureRejected: InvalidSignatureException / SignatureDoesNotMatch / Aspose 401', async () => {
		emulator.setFaults([{ route: '*', fault: 'signatureRejected' }]);
		const polly = await errorOf(() => getPolly());
		expect(polly.name).toBe('InvalidSignatureException');
		expect(polly.$metadata.httpStatusCode).toBe(403);
		const s3 = await errorOf(() => getS3());
		expect(s3.name).toBe('SignatureDoesNotMatch');
		expect((await asposeFetch()).status).toBe(401);
	});

	test('clockSkew: "Signature expired" InvalidSignatureException (Polly), RequestTimeTooSkewed (S3)', async () => {
		emulator.setFaults([{ route: ['polly.get', 's3.get', 'sts.*'], fault: 'clockSkew' }]);
		const polly = await errorOf(() => getPolly());
		expect(polly.name).toBe('InvalidSignatureException');
		expect(polly.message).toMatch(/^Signature expired: /);
		const s3 = await errorOf(() => getS3());
		expect(s3.name).toBe('RequestTimeTooSkewed');
		expect(s3.$metadata.httpStatusCode).toBe(403);
		const sts = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
		});
		expect(sts.body.toString()).toMatch(
			/<Code>SignatureDoesNotMatch<\/Code><Message>Signature expired/,
		);
	});

	test('s3Redirect: 301 PermanentRedirect with x-amz-bucket-region; the retry signed for that region succeeds', async () => {
		const e = await startEmulator();
		try {
			e.putObject(BUCKET, 'moved.txt', 'moved');
			e.setFaults([{ route: 's3.get', fault: 's3Redirect', region: 'eu-central-1', count: 1 }]);
			const out = await s3Client(e, { followRegionRedirects: true }).send(
				new GetObjectCommand({ Bucket: BUCKET, Key: 'moved.txt' }),
			);
			expect((await bodyBytes(out.Body)).toString()).toBe('moved');
			expect(e.requests.map((r) => [r.status, r.region, r.fault])).toEqual([
				[301, undefined, 's3Redirect'],
				[200, 'eu-central-1', undefined],
			]);
			const raw = await signedRawRequest(e, {
				service: 's3',
				path: `/s3/${BUCKET}/moved.txt`,
				uriEscapePath: false,
			});
			expect(raw.status).toBe(301);
			expect(raw.headers['x-amz-bucket-region']).toBe('eu-central-1');
			expect(raw.body.toString()).toMatch(
				/<Code>PermanentRedirect<\/Code>.*<Region>eu-central-1<\/Region>/s,
			);
			observed.add('s3Redirect');
		} finally {
			await e.close();
		}
	});
});

describe('rule selection', () => {
	test('count = first N, every = every Nth, after = skip, route wildcards', async () => {
		emulator.setFaults([{ route: 'polly.*', fault: 'error500', after: 1, count: 2 }]);
		const results: number[] = [];
		for (let i = 0; i < 5; i++)
			results.push(
				(
					await signedRawRequest(emulator, {
						service: 'polly',
						path: `/polly/v1/synthesisTasks/${taskId}`,
					})
				).status,
			);
		expect(results).toEqual([200, 500, 500, 200, 200]);
		emulator.setFaults([{ route: 'polly.get', fault: 'error503', every: 3 }]);
		const every: number[] = [];
		for (let i = 0; i < 6; i++)
			every.push(
				(
					await signedRawRequest(emulator, {
						service: 'polly',
						path: `/polly/v1/synthesisTasks/${taskId}`,
					})
				).status,
			);
		expect(every).toEqual([200, 200, 503, 200, 200, 503]);
	});

	test('rate uses seeded randomness: same seed, same sequence', async () => {
		const sequence = async (e: Emulator) => {
			e.setFaults([{ route: 'aspose.token', fault: 'error503', rate: 0.3, seed: 1234 }]);
			const out: number[] = [];
			for (let i = 0; i < 60; i++)
				out.push((await fetch(`${e.endpoints.aspose}/connect/token`, { method: 'POST' })).status);
			return out;
		};
		const other = await startEmulator();
		try {
			const a = await sequence(emulator);
			const b = await sequence(other);
			expect(a).toEqual(b);
			const faults = a.filter((s) => s === 503).length;
			expect(faults).toBeGreaterThan(5);
			expect(faults).toBeLessThan(35);
		} finally {
			await other.close();
		}
	});

	test('faults given at start, faultCounts() and validation of rules', async () => {
		const e = await startEmulator({
			faults: [{ route: 'polly.list', fault: 'throttle', count: 1 }],
		});
		try {
			const first = await errorOf(() =>
				pollyClient(e).send(new ListSpeechSynthesisTasksCommand({})),
			);
			expect(first.name).toBe('ThrottlingException');
			expect(
				(await pollyClient(e).send(new ListSpeechSynthesisTasksCommand({}))).$metadata
					.httpStatusCode,
			).toBe(200);
			expect(e.faultCounts()).toEqual({ throttle: 1 });
			expect(e.requests.filter((r) => r.fault).length).toBe(1);
		} finally {
			await e.close();
		}
		expect(() => emulator.setFaults([{ route: '*', fault: 'explode' as FaultName }])).toThrow(
			/Unknown fault/,
		);
		expect(() => emulator.setFaults([{ route: '*', fault: 'throttle', rate: 2 }])).toThrow(/rate/);
		expect(emulator.faultCounts().throttle).toBeGreaterThan(0);
	});
});

test('every fault type was injected at least once by this file', () => {
	expect([...observed].sort()).toEqual([...FAULT_NAMES].sort());
});
