/** The emulator's own API: endpoints, request log, reset, helpers, clock, shutdown. */
import { connect } from 'node:net';
import { ListSpeechSynthesisTasksCommand } from '@aws-sdk/client-polly';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type Emulator, SERVICE_PREFIXES, startEmulator } from '../emulator';
import { bodyBytes, errorOf, pollyClient, rawRequest, s3Client, signedRawRequest } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

test('url, endpoints, credentials and seeded resources', () => {
	expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	expect(emulator.endpoints).toEqual({
		polly: `${emulator.url}/polly`,
		chimeMediaPipeline: `${emulator.url}/chimeMediaPipeline`,
		chimeVoice: `${emulator.url}/chimeVoice`,
		s3: `${emulator.url}/s3`,
		sts: `${emulator.url}/sts`,
		aspose: `${emulator.url}/aspose`,
	});
	expect(Object.values(SERVICE_PREFIXES)).toHaveLength(6);
	expect(emulator.credentials).toMatchObject({
		accessKeyId: expect.any(String),
		secretAccessKey: expect.any(String),
		asposeClientId: expect.any(String),
		asposeClientSecret: expect.any(String),
	});
	expect(emulator.resources.voiceConnectorIds.length).toBeGreaterThanOrEqual(2);
	expect(emulator.resources.mediaInsightsPipelines[0].arn).toBe(
		`arn:aws:chime:us-east-1:123456789012:media-insights-pipeline/${emulator.resources.mediaInsightsPipelines[0].id}`,
	);
	expect(emulator.resources.buckets).toEqual(['speech-tasks-output']);
});

test('the request log records method, path, service, route, status, signature result', async () => {
	const before = emulator.requests.length;
	await pollyClient(emulator).send(new ListSpeechSynthesisTasksCommand({ MaxResults: 5 }));
	await errorOf(() =>
		pollyClient(emulator, {
			credentials: { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: 'x' },
		}).send(new ListSpeechSynthesisTasksCommand({})),
	);
	await rawRequest(`${emulator.url}/nowhere`);
	const [ok, bad, unknown] = emulator.requests.slice(before);
	expect(ok).toMatchObject({
		method: 'GET',
		path: '/polly/v1/synthesisTasks',
		url: '/polly/v1/synthesisTasks?MaxResults=5',
		service: 'polly',
		route: 'polly.list',
		status: 200,
		signatureOk: true,
		accessKeyId: emulator.credentials.accessKeyId,
		region: 'us-east-1',
	});
	expect(ok.durationMs).toBeGreaterThanOrEqual(0);
	expect(bad).toMatchObject({
		status: 403,
		signatureOk: false,
		signatureFailure: 'mismatch',
		errorCode: 'InvalidSignatureException',
	});
	expect(unknown).toMatchObject({ service: 'unknown', status: 404 });
	expect(emulator.requestsFor('polly').length).toBeGreaterThanOrEqual(2);
});

test('unknown operations answer in the service protocol', async () => {
	const polly = await signedRawRequest(emulator, { service: 'polly', path: '/polly/v1/lexicons' });
	expect(polly.status).toBe(404);
	expect(String(polly.headers['x-amzn-errortype'])).toMatch(/^UnknownOperationException/);
	const s3 = await signedRawRequest(emulator, {
		service: 's3',
		path: '/s3/speech-tasks-output',
		uriEscapePath: false,
	});
	expect(s3.status).toBe(501);
	expect(s3.body.toString()).toContain('<Code>NotImplemented</Code>');
	const aspose = await rawRequest(`${emulator.endpoints.aspose}/v5.0/ocr/RecognizeImage`, {
		method: 'POST',
	});
	expect(aspose.status).toBe(404);
});

test('putObject, reset() and the helpers', async () => {
	emulator.putObject('new-bucket', 'k.txt', 'v');
	expect(
		(
			await bodyBytes(
				(
					await s3Client(emulator).send(
						new GetObjectCommand({ Bucket: 'new-bucket', Key: 'k.txt' }),
					)
				).Body,
			)
		).toString(),
	).toBe('v');
	const task = emulator.createPollyTask({
		OutputFormat: 'pcm',
		OutputS3BucketName: 'speech-tasks-output',
		Text: 'hi',
		VoiceId: 'Joanna',
	});
	emulator.setFaults([{ route: '*', fault: 'slow', delayMs: 1 }]);
	emulator.reset();
	expect(emulator.requests).toHaveLength(0);
	expect(emulator.getPollyTask(String(task.TaskId))).toBeUndefined();
	expect(emulator.faultCounts()).toEqual({});
	const gone = await errorOf(() =>
		s3Client(emulator).send(new GetObjectCommand({ Bucket: 'new-bucket', Key: 'k.txt' })),
	);
	expect(gone.name).toBe('NoSuchBucket');
	expect(emulator.requests[0].fault).toBeUndefined();
	expect(() => emulator.advance(1)).toThrow(/manual clock/);
});

test('close() ends open connections and in-flight slow responses promptly, and frees the port', async () => {
	const e = await startEmulator({ faults: [{ route: '*', fault: 'slow', delayMs: 60_000 }] });
	const pending = rawRequest(`${e.endpoints.aspose}/connect/token`, { method: 'POST' }).catch(
		(error) => error,
	);
	await new Promise((r) => setTimeout(r, 50));
	const t0 = Date.now();
	await e.close();
	expect(Date.now() - t0).toBeLessThan(3_000);
	expect(await pending).toHaveProperty('message');
	const refused = await new Promise<string>((resolve) => {
		const socket = connect(e.port, '127.0.0.1');
		socket.on('connect', () => {
			socket.destroy();
			resolve('connected');
		});
		socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
	});
	expect(refused).toBe('ECONNREFUSED');
});
