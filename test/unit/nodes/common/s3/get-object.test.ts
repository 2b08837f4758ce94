import { NodeApiError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	bodyLength,
	EMPTY_BODY_SHA256,
	getPollyObject,
	isRetryableDownloadError,
	wrongRegion,
} from '../../../../../nodes/common/s3/get-object';
import { resolveDownloadTarget } from '../../../../../nodes/common/s3/output-uri';
import { parseAwsError } from '../../../../../nodes/common/errors/aws-error';
import { fakeContext, s3Error, stream } from '../audio/fake-context';

const CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'secret', region: 'us-east-1' };
const CUSTOM = { ...CREDENTIALS, customEndpoints: true, s3Endpoint: 'http://127.0.0.1:4566' };
const URI = 'https://s3.us-east-1.amazonaws.com/my-bucket/dir/70b61c0f.mp3';

const target = (uri = URI, credentials: ICredentialDataDecryptedObject = CREDENTIALS) =>
	resolveDownloadTarget(uri, credentials);

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	return error as NodeApiError;
}

describe('getPollyObject: request and success', () => {
	it('sends a streamed, signed-ready GET without following redirects', async () => {
		const body = stream('ID3', 'audio');
		const { context, sent } = fakeContext([
			{ statusCode: 200, headers: { 'content-length': '8' }, body },
		]);
		const object = await getPollyObject(context, target(), 'mp3');
		expect(object.body).toBe(body);
		expect(object.contentLength).toBe(8);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			method: 'GET',
			url: 'https://s3.us-east-1.amazonaws.com/my-bucket/dir/70b61c0f.mp3',
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			headers: { 'x-amz-content-sha256': EMPTY_BODY_SHA256 },
		});
		expect(sent[0].timeout).toBeGreaterThanOrEqual(30_000);
		expect(sent[0].timeout).toBeLessThanOrEqual(300_000);
	});
});

describe('getPollyObject: errors', () => {
	it('NoSuchKey: the object was deleted or moved', async () => {
		const { context } = fakeContext([
			{
				statusCode: 404,
				headers: { 'x-amz-request-id': 'REQ1' },
				body: stream(s3Error('NoSuchKey', 'The specified key does not exist.')),
			},
		]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error.message).toMatch(/no longer in S3/);
		expect(error.description).toMatch(/deleted or moved/);
		expect(error.description).toContain('s3://my-bucket/dir/70b61c0f.mp3');
		expect(error.description).toMatch(/\[NoSuchKey\]/);
		expect(error.description).toMatch(/REQ1/);
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(3);
		expect(isRetryableDownloadError(error)).toBe(false);
	});

	it('AccessDenied: allow s3:GetObject on the object', async () => {
		const { context } = fakeContext([
			{ statusCode: 403, body: stream(s3Error('AccessDenied', 'Access Denied')) },
		]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error.message).toMatch(/denied access to the Polly output file/);
		expect(error.description).toContain('s3:GetObject on arn:aws:s3:::my-bucket/dir/70b61c0f.mp3');
		expect(error.description).toMatch(/kms:Decrypt/);
	});

	it('AccessDenied in China names the aws-cn partition', async () => {
		const credentials = { ...CREDENTIALS, region: 'cn-north-1' };
		const { context } = fakeContext(
			[{ statusCode: 403, body: stream(s3Error('AccessDenied', 'Access Denied')) }],
			credentials,
		);
		const error = await failure(
			getPollyObject(context, target('s3://my-bucket/k.mp3', credentials), 'mp3'),
		);
		expect(error.description).toContain('arn:aws-cn:s3:::my-bucket/k.mp3');
	});

	it('NoSuchBucket', async () => {
		const { context } = fakeContext([
			{ statusCode: 404, body: stream(s3Error('NoSuchBucket', 'gone')) },
		]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error.message).toMatch(/bucket .* no longer exists/);
	});

	it('SignatureDoesNotMatch keeps the credential advice', async () => {
		const { context } = fakeContext([
			{ statusCode: 403, body: stream(s3Error('SignatureDoesNotMatch', 'no')) },
		]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error.message).toMatch(/signature/);
	});

	it('SlowDown is throttling: retryable, with Retry-After', async () => {
		const { context } = fakeContext([
			{
				statusCode: 503,
				headers: { 'retry-after': '2' },
				body: stream(s3Error('SlowDown', 'Please reduce your request rate.')),
			},
		]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error.message).toBe('S3 is asking for fewer downloads at once');
		expect(error.description).toMatch(/retries after a pause.*\[SlowDown\]/);
		expect(isRetryableDownloadError(error)).toBe(true);
		expect((error as NodeApiError & { retryAfterMs?: number }).retryAfterMs).toBe(2000);
	});

	it('a 500 InternalError is retryable without a Retry-After', async () => {
		const { context } = fakeContext([
			{ statusCode: 500, body: stream(s3Error('InternalError', 'oops')) },
		]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(isRetryableDownloadError(error)).toBe(true);
		expect((error as NodeApiError & { retryAfterMs?: number }).retryAfterMs).toBeUndefined();
	});

	it('a 503 without a body is retryable', async () => {
		const { context } = fakeContext([{ statusCode: 503, body: stream('') }]);
		expect(isRetryableDownloadError(await failure(getPollyObject(context, target(), 'mp3')))).toBe(
			true,
		);
	});

	it.each([
		['ECONNRESET', true],
		['ETIMEDOUT', true],
		['ECONNABORTED', true],
		['ENOTFOUND', false],
		['ECONNREFUSED', false],
	])('network error %s → networkError, retryable %s', async (code, retryable) => {
		const { context } = fakeContext([Object.assign(new Error(`connect ${code}`), { code })]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error.message).toMatch(
			/^Could not reach S3 .*\((connection reset|timed out|host name not found|connection refused)\)$/,
		);
		expect(error.description).toContain(`[${code}]`);
		expect(error.description).toMatch(/connection failed/);
		expect(isRetryableDownloadError(error)).toBe(retryable);
	});

	it('a network error wrapped by n8n (NodeApiError with the cause) is read the same way', async () => {
		const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const wrapped = new NodeApiError(context0().ctx.getNode(), cause as never);
		const { context } = fakeContext([wrapped]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error).not.toBe(wrapped);
		expect(error.message).toBe(
			'Could not reach S3 to download the Polly output (connection reset)',
		);
		expect(error.description).toContain('[ECONNRESET]');
		expect(isRetryableDownloadError(error)).toBe(true);
	});

	it('an unknown thrown error gets a safe message without the request', async () => {
		const thrown = Object.assign(new Error('boom'), {
			config: { headers: { authorization: 'AWS4-HMAC-SHA256 Signature=abc' } },
		});
		const { context } = fakeContext([thrown]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(error.message).toBe('Downloading the Polly output failed: boom');
		expect(
			JSON.stringify({ ...error, message: error.message, description: error.description }),
		).not.toMatch(/Signature=abc/);
	});
});

function context0() {
	return fakeContext([]).context;
}

describe('getPollyObject: wrong region', () => {
	it('301 PermanentRedirect with x-amz-bucket-region → once more at that region', async () => {
		const ok = stream('audio');
		const { context, sent } = fakeContext([
			{
				statusCode: 301,
				headers: { 'x-amz-bucket-region': 'eu-west-1' },
				body: stream(
					s3Error(
						'PermanentRedirect',
						'The bucket you are attempting to access must be addressed using the specified endpoint.',
					),
				),
			},
			{ statusCode: 200, headers: { 'content-length': '5' }, body: ok },
		]);
		const object = await getPollyObject(context, target(), 'mp3');
		expect(sent.map((options) => options.url)).toEqual([
			'https://s3.us-east-1.amazonaws.com/my-bucket/dir/70b61c0f.mp3',
			'https://s3.eu-west-1.amazonaws.com/my-bucket/dir/70b61c0f.mp3',
		]);
		expect(object.body).toBe(ok);
		expect(object.target.region).toBe('eu-west-1');
	});

	it('400 AuthorizationHeaderMalformed with <Region>', async () => {
		const { context, sent } = fakeContext([
			{
				statusCode: 400,
				body: stream(
					s3Error(
						'AuthorizationHeaderMalformed',
						"The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
						'<Region>eu-central-1</Region>',
					),
				),
			},
			{ statusCode: 200, body: stream('x') },
		]);
		await getPollyObject(context, target(), 'mp3');
		expect(sent[1].url).toBe('https://s3.eu-central-1.amazonaws.com/my-bucket/dir/70b61c0f.mp3');
	});

	it('301 with only <Endpoint>', async () => {
		const { context, sent } = fakeContext([
			{
				statusCode: 301,
				body: stream(
					s3Error(
						'PermanentRedirect',
						'use the endpoint',
						'<Bucket>my-bucket</Bucket><Endpoint>my-bucket.s3.eu-west-2.amazonaws.com</Endpoint>',
					),
				),
			},
			{ statusCode: 200, body: stream('x') },
		]);
		await getPollyObject(context, target(), 'mp3');
		expect(sent[1].url).toBe('https://s3.eu-west-2.amazonaws.com/my-bucket/dir/70b61c0f.mp3');
	});

	it('307 TemporaryRedirect: the Location header is never followed', async () => {
		const { context, sent } = fakeContext([
			{
				statusCode: 307,
				headers: {
					location: 'https://evil.example/steal',
					'x-amz-bucket-region': 'ap-southeast-2',
				},
				body: stream(
					s3Error(
						'TemporaryRedirect',
						'Please re-send this request to the specified temporary endpoint.',
					),
				),
			},
			{ statusCode: 200, body: stream('x') },
		]);
		await getPollyObject(context, target(), 'mp3');
		expect(sent[1].url).toBe('https://s3.ap-southeast-2.amazonaws.com/my-bucket/dir/70b61c0f.mp3');
	});

	it('a second wrong-region answer tells which region to set', async () => {
		const redirect = () => ({
			statusCode: 301,
			headers: { 'x-amz-bucket-region': 'eu-west-1' },
			body: stream(s3Error('PermanentRedirect', 'moved')),
		});
		const { context, sent } = fakeContext([redirect(), redirect()]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(sent).toHaveLength(2);
		expect(error.message).toBe('The Polly output bucket is in region eu-west-1, not us-east-1');
		expect(error.description).toMatch(
			/Set the Region of the AWS \(SigV4\) credential to eu-west-1/,
		);
	});

	it('a redirect to the region the host already names is not retried', async () => {
		const { context, sent } = fakeContext([
			{
				statusCode: 400,
				body: stream(
					s3Error('AuthorizationHeaderMalformed', 'wrong region', '<Region>us-east-1</Region>'),
				),
			},
		]);
		const error = await failure(getPollyObject(context, target(), 'mp3'));
		expect(sent).toHaveLength(1);
		expect(error.message).toMatch(/is in region us-east-1/);
	});

	it.each(['cn-north-1', 'us-gov-west-1', 'evil.example.com/x', '169.254.169.254'])(
		'a redirect to %s is refused',
		async (region) => {
			const { context, sent } = fakeContext([
				{
					statusCode: 301,
					headers: { 'x-amz-bucket-region': region },
					body: stream(s3Error('PermanentRedirect', 'moved')),
				},
			]);
			const error = await failure(getPollyObject(context, target(), 'mp3'));
			expect(sent).toHaveLength(1);
			expect(error.message).toBe('Refused to follow S3 to another region');
		},
	);

	it('custom endpoint: the same URL once more, then a clear error', async () => {
		const customTarget = target('s3://my-bucket/k.mp3', CUSTOM);
		const redirect = () => ({
			statusCode: 301,
			headers: { 'x-amz-bucket-region': 'eu-west-1' },
			body: stream(s3Error('PermanentRedirect', 'moved')),
		});
		const first = fakeContext([redirect(), { statusCode: 200, body: stream('x') }], CUSTOM);
		await getPollyObject(first.context, customTarget, 'mp3');
		expect(first.sent.map((options) => options.url)).toEqual([
			'http://127.0.0.1:4566/my-bucket/k.mp3',
			'http://127.0.0.1:4566/my-bucket/k.mp3',
		]);

		const second = fakeContext([redirect(), redirect()], CUSTOM);
		const error = await failure(getPollyObject(second.context, customTarget, 'mp3'));
		expect(error.description).toMatch(/custom S3 endpoint/);
		expect(error.description).toMatch(/eu-west-1/);
	});
});

describe('helpers', () => {
	it.each([
		[{ 'content-length': '123' }, 123],
		[{ 'Content-Length': '0' }, 0],
		[{ 'content-length': ['7'] }, 7],
		[{ 'content-length': '12', 'content-encoding': 'identity' }, 12],
		[{ 'content-length': '12', 'content-encoding': 'gzip' }, undefined],
		[{ 'content-length': '-1' }, undefined],
		[{ 'content-length': 'abc' }, undefined],
		[{}, undefined],
	])('bodyLength(%j) = %s', (headers, expected) => {
		expect(bodyLength(headers)).toBe(expected);
	});

	it.each([
		[301, { 'x-amz-bucket-region': 'eu-west-1' }, s3Error('PermanentRedirect', 'x'), 'eu-west-1'],
		[
			400,
			{},
			s3Error('AuthorizationHeaderMalformed', 'x', '<Region>ap-south-1</Region>'),
			'ap-south-1',
		],
		[400, {}, s3Error('AuthorizationHeaderMalformed', 'x'), undefined],
		[403, { 'x-amz-bucket-region': 'eu-west-1' }, s3Error('AccessDenied', 'x'), undefined],
		[
			301,
			{},
			s3Error(
				'PermanentRedirect',
				'x',
				'<Endpoint>b.s3-fips.dualstack.us-west-1.amazonaws.com</Endpoint>',
			),
			'us-west-1',
		],
		[
			301,
			{},
			s3Error('PermanentRedirect', 'x', '<Endpoint>s3.cn-north-1.amazonaws.com.cn</Endpoint>'),
			'cn-north-1',
		],
		[301, {}, s3Error('PermanentRedirect', 'x'), undefined],
	])('wrongRegion(%s, %j, …)', (status, headers, body, expected) => {
		expect(wrongRegion(parseAwsError(status, headers, body), body)).toBe(expected);
	});
});
