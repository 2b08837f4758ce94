/** SigV4 verification (with @smithy/signature-v4) as seen through the official SDKs and raw signed requests. */
import { createHash } from 'node:crypto';
import { GetSpeakerSearchTaskCommand as GetMpTask } from '@aws-sdk/client-chime-sdk-media-pipelines';
import { GetSpeakerSearchTaskCommand as GetVoiceTask } from '@aws-sdk/client-chime-sdk-voice';
import {
	GetSpeechSynthesisTaskCommand,
	ListSpeechSynthesisTasksCommand,
} from '@aws-sdk/client-polly';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type Emulator, startEmulator } from '../emulator';
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
beforeAll(async () => {
	emulator = await startEmulator({ buckets: [BUCKET, { name: 'eu-bucket', region: 'eu-west-1' }] });
	emulator.putObject(BUCKET, 'hello.txt', 'hello', { contentType: 'text/plain' });
	emulator.putObject('eu-bucket', 'hello.txt', 'bonjour', { contentType: 'text/plain' });
});
afterAll(() => emulator.close());

const badSecret = () => ({ ...emulator.awsCredentials, secretAccessKey: 'wrong-secret' });
const unknownKey = () => ({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' });

describe('STS GetCallerIdentity (raw signed requests)', () => {
	const form = 'Action=GetCallerIdentity&Version=2011-06-15';
	const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

	test('POST form → XML with Arn, UserId, Account, RequestId', async () => {
		const res = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			method: 'POST',
			body: form,
			headers: formHeaders,
		});
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/xml');
		const xml = res.body.toString();
		expect(xml).toContain(
			'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
		);
		expect(xml).toMatch(
			/<GetCallerIdentityResult>\s*<Arn>arn:aws:iam::123456789012:user\/speech-tasks-emulator<\/Arn><UserId>AIDA\w+<\/UserId><Account>123456789012<\/Account>/,
		);
		expect(xml).toMatch(/<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>/);
		expect(res.headers['x-amzn-requestid']).toBeTruthy();
	});

	test('query-string form and JSON on Accept: application/json', async () => {
		const res = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
			headers: { accept: 'application/json' },
		});
		expect(res.status).toBe(200);
		expect(
			JSON.parse(res.body.toString()).GetCallerIdentityResponse.GetCallerIdentityResult.Account,
		).toBe('123456789012');
	});

	test('bad secret → 403 SignatureDoesNotMatch; unknown key → InvalidClientTokenId; no auth → MissingAuthenticationToken', async () => {
		const bad = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			method: 'POST',
			body: form,
			headers: formHeaders,
			credentials: badSecret(),
		});
		expect(bad.status).toBe(403);
		expect(bad.body.toString()).toMatch(
			/<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">\s*<Error><Type>Sender<\/Type><Code>SignatureDoesNotMatch<\/Code><Message>/,
		);
		expect(bad.body.toString()).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
		const unknown = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			method: 'POST',
			body: form,
			headers: formHeaders,
			credentials: unknownKey(),
		});
		expect(unknown.body.toString()).toContain('<Code>InvalidClientTokenId</Code>');
		const none = await rawRequest(`${emulator.url}/sts/`, {
			method: 'POST',
			body: form,
			headers: formHeaders,
		});
		expect(none.status).toBe(403);
		expect(none.body.toString()).toContain('<Code>MissingAuthenticationToken</Code>');
		const wrongService = await signedRawRequest(emulator, {
			service: 'polly',
			path: '/sts/',
			method: 'POST',
			body: form,
			headers: formHeaders,
		});
		expect(wrongService.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
		const otherAction = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			method: 'POST',
			// AssumeRole is emulated now (sts-assume-role.test.ts): an action STS does not have.
			body: 'Action=NoSuchAction&Version=2011-06-15',
			headers: formHeaders,
		});
		expect(otherAction.status).toBe(400);
		expect(otherAction.body.toString()).toContain('<Code>InvalidAction</Code>');
	});

	test('a tampered body no longer matches the signature', async () => {
		const res = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			method: 'POST',
			body: form,
			headers: formHeaders,
		});
		expect(res.status).toBe(200);
		expect(emulator.requests[emulator.requests.length - 1]).toMatchObject({
			service: 'sts',
			route: 'sts.getCallerIdentity',
			status: 200,
			signatureOk: true,
			region: 'us-east-1',
		});
		const tampered = await signedRawRequest(emulator, {
			service: 'sts',
			path: '/sts/',
			method: 'POST',
			body: form,
			sendBody: form.replace('2011-06-15', '2011-06-16'),
			headers: formHeaders,
		});
		expect(tampered.status).toBe(403);
		expect(tampered.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
		expect(emulator.requests[emulator.requests.length - 1]).toMatchObject({
			signatureOk: false,
			signatureFailure: 'mismatch',
		});
	});
});

describe('SDK clients with wrong credentials', () => {
	test('bad secret: InvalidSignatureException (Polly, both Chime APIs), SignatureDoesNotMatch (S3)', async () => {
		const creds = { credentials: badSecret() };
		const polly = await errorOf(() =>
			pollyClient(emulator, creds).send(new ListSpeechSynthesisTasksCommand({})),
		);
		expect(polly.name).toBe('InvalidSignatureException');
		expect(polly.$metadata.httpStatusCode).toBe(403);
		expect(polly.message).toMatch(
			/The request signature we calculated does not match the signature you provided/,
		);
		const mp = await errorOf(() =>
			mediaPipelinesClient(emulator, creds).send(
				new GetMpTask({
					Identifier: emulator.resources.mediaInsightsPipelines[0].id,
					SpeakerSearchTaskId: '00000000-0000-4000-8000-000000000001',
				}),
			),
		);
		expect(mp.name).toBe('InvalidSignatureException');
		const voice = await errorOf(() =>
			voiceClient(emulator, creds).send(
				new GetVoiceTask({
					VoiceConnectorId: emulator.resources.voiceConnectorIds[0],
					SpeakerSearchTaskId: 'x',
				}),
			),
		);
		expect(voice.name).toBe('InvalidSignatureException');
		expect(voice.$metadata.httpStatusCode).toBe(403);
		const s3 = await errorOf(() =>
			s3Client(emulator, creds).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'hello.txt' })),
		);
		expect(s3.name).toBe('SignatureDoesNotMatch');
		expect(s3.$metadata.httpStatusCode).toBe(403);
		expect(s3.message).toMatch(/signature we calculated does not match/);
		const failures = emulator.requests
			.filter((r) => r.signatureOk === false)
			.map((r) => r.signatureFailure);
		expect(failures).toEqual(expect.arrayContaining(['mismatch']));
	});

	test('unknown key: UnrecognizedClientException / InvalidAccessKeyId', async () => {
		const creds = { credentials: unknownKey() };
		const polly = await errorOf(() =>
			pollyClient(emulator, creds).send(new ListSpeechSynthesisTasksCommand({})),
		);
		expect(polly.name).toBe('UnrecognizedClientException');
		expect(polly.$metadata.httpStatusCode).toBe(403);
		expect(polly.message).toBe('The security token included in the request is invalid.');
		const s3 = await errorOf(() =>
			s3Client(emulator, creds).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'hello.txt' })),
		);
		expect(s3.name).toBe('InvalidAccessKeyId');
		expect(s3.AWSAccessKeyId).toBe('AKIAUNKNOWN000000000');
	});

	test('a scope region the emulator does not serve → InvalidSignatureException', async () => {
		const polly = await errorOf(() =>
			pollyClient(emulator, { region: 'ap-south-1' }).send(new ListSpeechSynthesisTasksCommand({})),
		);
		expect(polly.name).toBe('InvalidSignatureException');
		expect(polly.message).toMatch(/Credential should be scoped to a valid region/);
	});

	test('a scope service other than the signing name → InvalidSignatureException', async () => {
		const res = await signedRawRequest(emulator, {
			service: 'polly',
			path: '/chimeVoice/voice-connectors/abcdef1ghijkl2mnopqrs3/speaker-search-tasks/x',
		});
		expect(res.status).toBe(403);
		expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
		expect(JSON.parse(res.body.toString()).message).toMatch(
			/Credential should be scoped to correct service: 'chime'/,
		);
	});

	test('no Authorization → MissingAuthenticationTokenException / S3 AccessDenied', async () => {
		const polly = await rawRequest(`${emulator.url}/polly/v1/synthesisTasks`);
		expect(polly.status).toBe(403);
		expect(String(polly.headers['x-amzn-errortype'])).toMatch(
			/^MissingAuthenticationTokenException/,
		);
		expect(JSON.parse(polly.body.toString())).toEqual({ message: 'Missing Authentication Token' });
		const s3 = await rawRequest(`${emulator.url}/s3/${BUCKET}/hello.txt`);
		expect(s3.status).toBe(403);
		expect(s3.body.toString()).toContain('<Code>AccessDenied</Code>');
		expect(s3.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
		expect(s3.headers['x-amz-id-2']).toBeTruthy();
	});

	test('x-amz-date more than 15 minutes off → "Signature expired" / RequestTimeTooSkewed', async () => {
		const old = new Date(Date.now() - 20 * 60_000);
		const polly = await signedRawRequest(emulator, {
			service: 'polly',
			path: '/polly/v1/synthesisTasks',
			signingDate: old,
		});
		expect(polly.status).toBe(403);
		expect(String(polly.headers['x-amzn-errortype'])).toMatch(/^InvalidSignatureException/);
		expect(JSON.parse(polly.body.toString()).message).toMatch(
			/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
		);
		const future = await signedRawRequest(emulator, {
			service: 'polly',
			path: '/polly/v1/synthesisTasks',
			signingDate: new Date(Date.now() + 20 * 60_000),
		});
		expect(JSON.parse(future.body.toString()).message).toMatch(/^Signature not yet current/);
		const s3 = await signedRawRequest(emulator, {
			service: 's3',
			path: `/s3/${BUCKET}/hello.txt`,
			signingDate: old,
			uriEscapePath: false,
		});
		expect(s3.status).toBe(403);
		expect(s3.body.toString()).toMatch(
			/<Code>RequestTimeTooSkewed<\/Code>.*<MaxAllowedSkewMilliseconds>900000<\/MaxAllowedSkewMilliseconds>/s,
		);
	});

	test('S3 requires x-amz-content-sha256 and a path signed without double encoding', async () => {
		const res = await signedRawRequest(emulator, {
			service: 's3',
			path: `/s3/${BUCKET}/hello.txt`,
			applyChecksum: false,
			uriEscapePath: false,
		});
		expect(res.status).toBe(400);
		expect(res.body.toString()).toContain(
			'<Code>InvalidRequest</Code><Message>Missing required header for this request: x-amz-content-sha256</Message>',
		);
		const ok = await signedRawRequest(emulator, {
			service: 's3',
			path: `/s3/${BUCKET}/hello.txt`,
			uriEscapePath: false,
		});
		expect(ok.status).toBe(200);
		expect(ok.body.toString()).toBe('hello');
		emulator.putObject(BUCKET, 'a b.txt', 'spaced');
		const doubled = await signedRawRequest(emulator, {
			service: 's3',
			path: `/s3/${BUCKET}/a%20b.txt`,
			uriEscapePath: true,
		});
		expect(doubled.status).toBe(403);
		expect(doubled.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
		const single = await signedRawRequest(emulator, {
			service: 's3',
			path: `/s3/${BUCKET}/a%20b.txt`,
			uriEscapePath: false,
		});
		expect(single.body.toString()).toBe('spaced');
		const unsigned = await signedRawRequest(emulator, {
			service: 's3',
			path: `/s3/${BUCKET}/hello.txt`,
			uriEscapePath: false,
			headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
		});
		expect(unsigned.status).toBe(200);
		const wrongHash = createHash('sha256').update('abc').digest('hex');
		const mismatch = await signedRawRequest(emulator, {
			service: 's3',
			path: `/s3/${BUCKET}/hello.txt`,
			uriEscapePath: false,
			headers: { 'x-amz-content-sha256': wrongHash },
		});
		expect(mismatch.status).toBe(400);
		expect(mismatch.body.toString()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
	});
});

describe('session tokens', () => {
	test('the configured session token must be sent (and is signed)', async () => {
		const e = await startEmulator({
			credentials: {
				accessKeyId: 'ASIAEMULATOR00000001',
				secretAccessKey: 'temp-secret',
				sessionToken: 'session-token-1',
			},
		});
		try {
			const ok = await pollyClient(e).send(new ListSpeechSynthesisTasksCommand({}));
			expect(ok.$metadata.httpStatusCode).toBe(200);
			const sts = await signedRawRequest(e, {
				service: 'sts',
				path: '/sts/',
				query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
			});
			expect(sts.body.toString()).toContain(':assumed-role/');
			const noToken = await errorOf(() =>
				pollyClient(e, {
					credentials: { accessKeyId: 'ASIAEMULATOR00000001', secretAccessKey: 'temp-secret' },
				}).send(new ListSpeechSynthesisTasksCommand({})),
			);
			expect(noToken.name).toBe('UnrecognizedClientException');
			const wrongToken = await errorOf(() =>
				s3Client(e, {
					credentials: {
						accessKeyId: 'ASIAEMULATOR00000001',
						secretAccessKey: 'temp-secret',
						sessionToken: 'other',
					},
				}).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'x' })),
			);
			expect(wrongToken.name).toBe('InvalidToken');
			expect(wrongToken.$metadata.httpStatusCode).toBe(400);
		} finally {
			await e.close();
		}
	});
});

describe('regions and clocks', () => {
	test('a bucket in another region answers 301 PermanentRedirect; the SDK follows it when asked', async () => {
		const error = await errorOf(() =>
			s3Client(emulator).send(new GetObjectCommand({ Bucket: 'eu-bucket', Key: 'hello.txt' })),
		);
		expect(error.name).toBe('PermanentRedirect');
		expect(error.$metadata.httpStatusCode).toBe(301);
		expect(error.$response?.headers['x-amz-bucket-region']).toBe('eu-west-1');
		const out = await s3Client(emulator, { followRegionRedirects: true }).send(
			new GetObjectCommand({ Bucket: 'eu-bucket', Key: 'hello.txt' }),
		);
		expect((await bodyBytes(out.Body)).toString()).toBe('bonjour');
		const last = emulator.requests.slice(-2);
		expect(last.map((r) => [r.status, r.region])).toEqual([
			[301, 'us-east-1'],
			[200, 'eu-west-1'],
		]);
	});

	test('a server clock 30 min ahead: the SDK corrects its clock from the Date header and retries', async () => {
		const e = await startEmulator({ clockOffsetMs: 30 * 60_000 });
		try {
			const out = await pollyClient(e, { maxAttempts: 3 }).send(
				new ListSpeechSynthesisTasksCommand({}),
			);
			expect(out.$metadata.httpStatusCode).toBe(200);
			expect(e.requests.map((r) => [r.status, r.signatureFailure])).toEqual([
				[403, 'expired'],
				[200, undefined],
			]);
		} finally {
			await e.close();
		}
	});

	test('Polly speaks HTTP/2 (SDK default) and S3 HTTP/1.1 on the same port, both verified', async () => {
		await pollyClient(emulator).send(new ListSpeechSynthesisTasksCommand({}));
		const polly = emulator.requests[emulator.requests.length - 1];
		expect(polly).toMatchObject({ httpVersion: '2.0', signatureOk: true });
		await bodyBytes(
			(await s3Client(emulator).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'hello.txt' })))
				.Body,
		);
		expect(emulator.requests[emulator.requests.length - 1]).toMatchObject({
			httpVersion: '1.1',
			signatureOk: true,
		});
		const missing = await errorOf(() =>
			pollyClient(emulator).send(new GetSpeechSynthesisTaskCommand({ TaskId: 'nope' })),
		);
		expect(missing.name).toBe('SynthesisTaskNotFoundException');
	});
});
