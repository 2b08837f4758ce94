// Reading, classifying and wording failures, and turning them into n8n errors.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { parseAwsError, sanitizeErrorCode } from '../../../../../nodes/common/errors/aws-error';
import {
	classifyStatus,
	isNetworkErrorCode,
	tokenFailure,
	tokenFailureIn,
} from '../../../../../nodes/common/errors/failure';
import {
	apiError,
	asNodeError,
	errorItem,
	parameterError,
	withCode,
} from '../../../../../nodes/common/errors/node-errors';
import { asposeErrorReader, awsErrorReader } from '../../../../../nodes/common/errors/readers';
import {
	describeAwsError,
	describeS3Error,
	networkFailure,
} from '../../../../../nodes/common/errors/wording';

const NODE: INode = {
	id: '1',
	name: 'N',
	type: 't',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const CONTEXT = {
	label: 'Polly synthesis task',
	notFoundHint: 'Check the Task ID.',
	action: 'polly:GetSpeechSynthesisTask',
};

describe('classifying', () => {
	it.each([
		[429, undefined, 'throttling'],
		[400, 'ThrottlingException', 'throttling'],
		[400, 'ThrottledClientException', 'throttling'],
		[503, 'SlowDown', 'throttling'],
		[500, undefined, 'transient'],
		[504, undefined, 'transient'],
		[400, 'RequestTimeout', 'transient'],
		[400, 'ValidationException', 'fatal'],
		[403, 'AccessDeniedException', 'fatal'],
		[404, undefined, 'fatal'],
	])('HTTP %i %s → %s', (status, code, kind) => {
		expect(classifyStatus(status, code)).toBe(kind);
	});

	it('knows network error codes by name only', () => {
		expect(isNetworkErrorCode('ECONNRESET')).toBe(true);
		expect(isNetworkErrorCode('toString')).toBe(false);
		expect(isNetworkErrorCode(500)).toBe(false);
	});

	it('finds a token failure however n8n wrapped it', () => {
		const failure = tokenFailure('refused', 401);
		expect(tokenFailureIn({ cause: { cause: failure } })).toBe(failure);
		expect(tokenFailureIn(new Error('other'))).toBeUndefined();
	});
});

describe('reading AWS error answers', () => {
	it('takes the code from x-amzn-errortype, the body or S3 XML, sanitised as the SDKs do', () => {
		expect(sanitizeErrorCode('com.amazon.coral#ThrottlingException:http://internal')).toBe(
			'ThrottlingException',
		);
		expect(
			parseAwsError(400, { 'X-Amzn-ErrorType': 'ValidationException:http://x' }, {}).code,
		).toBe('ValidationException');
		expect(
			parseAwsError(400, {}, { __type: 'polly#InvalidTaskIdException', message: 'bad' }),
		).toMatchObject({
			code: 'InvalidTaskIdException',
			message: 'bad',
		});
		expect(parseAwsError(400, {}, '{"Code":"X","Message":"m"}')).toMatchObject({
			code: 'X',
			message: 'm',
		});
		const xml =
			'<Error><Code>NoSuchKey</Code><Message>gone</Message><Region>eu-west-1</Region></Error>';
		expect(parseAwsError(404, { 'x-amz-request-id': 'r1' }, xml)).toMatchObject({
			code: 'NoSuchKey',
			message: 'gone',
			region: 'eu-west-1',
			requestId: 'r1',
		});
		expect(parseAwsError(502, {}, 'Bad Gateway').code).toBe('502');
	});

	it('reads Retry-After in seconds', () => {
		expect(parseAwsError(429, { 'retry-after': '3' }, '').retryAfterMs).toBe(3000);
	});

	it('explains, classifies and appends the code', () => {
		const read = awsErrorReader(CONTEXT)(
			400,
			{ 'x-amzn-requestid': 'req-1' },
			{ __type: 'ThrottlingException' },
		);
		expect(read).toMatchObject({
			kind: 'throttling',
			code: 'ThrottlingException',
			status: 400,
			requestId: 'req-1',
		});
		expect(read.message).toBe('AWS is throttling requests');
		expect(read.description).toMatch(/\[ThrottlingException\]$/);
	});
});

describe('wording AWS errors', () => {
	const error = (code: string, status = 400, message = '') => ({ code, status, message });

	it.each([
		['InvalidSignatureException', 'AWS rejected the request signature'],
		['UnrecognizedClientException', 'AWS does not recognise the access key'],
		['ExpiredTokenException', 'The AWS session token has expired'],
		['RequestTimeTooSkewed', "AWS rejected the request time: this machine's clock is off"],
		['AccessDeniedException', 'AWS denied access to the Polly synthesis task'],
		['SynthesisTaskNotFoundException', 'AWS found no such Polly synthesis task'],
		['InvalidTaskIdException', 'Polly does not accept this task ID'],
	])('%s → %s', (code, message) => {
		expect(describeAwsError(error(code), CONTEXT).message).toBe(message);
	});

	it('says what to do: the IAM action, the hint, the clock', () => {
		expect(describeAwsError(error('AccessDeniedException', 403), CONTEXT).description).toMatch(
			/Allow polly:GetSpeechSynthesisTask/,
		);
		expect(describeAwsError(error('NotFoundException', 404), CONTEXT).description).toBe(
			'Check the Task ID.',
		);
		expect(
			describeAwsError(
				error('InvalidSignatureException', 403, 'Signature expired: 20240101T000000Z'),
				CONTEXT,
			).message,
		).toMatch(/clock/);
	});

	it('falls back on the status, then on the code itself', () => {
		expect(describeAwsError(error('Whatever', 503), CONTEXT).message).toBe(
			'AWS is unavailable at the moment',
		);
		expect(describeAwsError(error('Whatever', 404), CONTEXT).message).toBe(
			'AWS found no such Polly synthesis task',
		);
		expect(describeAwsError(error('OddException', 400, 'it is odd'), CONTEXT)).toEqual({
			message: 'AWS refused the request for the Polly synthesis task: it is odd',
			description: 'Correct what AWS names, then run the node again. [HTTP 400]',
		});
	});

	it('words S3 answers about the Polly output object', () => {
		const object = { bucket: 'b', key: 'k.mp3', arn: 'arn:aws:s3:::b/k.mp3', outputFormat: 'mp3' };
		expect(describeS3Error(error('NoSuchKey', 404), object).message).toBe(
			'The Polly output file (mp3) is no longer in S3',
		);
		expect(describeS3Error(error('AccessDenied', 403), object).description).toMatch(
			/s3:GetObject on arn:aws:s3:::b\/k.mp3/,
		);
		expect(describeS3Error(error('SlowDown', 503), object).message).toBe(
			'S3 is asking for fewer downloads at once',
		);
	});

	it('names network failures in words', () => {
		expect(networkFailure('ECONNRESET', 'S3').message).toBe(
			'Could not reach S3 (connection reset)',
		);
		expect(networkFailure('EWHATEVER', 'S3').message).toBe('Could not reach S3 (network error)');
	});
});

describe('reading Aspose error answers', () => {
	it('renews nothing itself: a 401 that still arrives means the token was refused', () => {
		const read = asposeErrorReader(401, {}, { detail: 'Token expired' });
		expect(read).toMatchObject({
			kind: 'fatal',
			code: '401',
			message: 'Aspose rejected the access token',
		});
		expect(read.description).toMatch(/Aspose says: Token expired$/);
	});

	it('classifies throttling and outages, and reads ProblemDetails from text too', () => {
		expect(asposeErrorReader(429, { 'retry-after': '2' }, '')).toMatchObject({
			kind: 'throttling',
			retryAfterMs: 2000,
		});
		expect(asposeErrorReader(503, {}, '')).toMatchObject({
			kind: 'transient',
			message: 'Aspose is unavailable at the moment',
		});
		expect(asposeErrorReader(400, {}, '{"title":"Bad id"}').description).toBe(
			'Check the Task ID and the Base URL. Aspose says: Bad id [HTTP 400]',
		);
		expect(asposeErrorReader(400, {}, { detail: 42 }).description).toBe(
			'Check the Task ID and the Base URL. [HTTP 400]',
		);
	});
});

describe('n8n errors', () => {
	it('an API error carries words, code, status and request ID, nothing else', () => {
		const error = apiError(
			NODE,
			{ message: 'm', description: 'd', code: 'C', status: 400, requestId: 'r' },
			2,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('m');
		expect(error.description).toBe('d (request ID r)');
		expect(error.httpCode).toBe('400');
		expect(error.errorResponse).toEqual({ message: 'm', serviceCode: 'C', httpCode: '400' });
		expect(error.context.itemIndex).toBe(2);
	});

	it('appends the service code to the description', () => {
		expect(withCode({ message: 'm', description: 'd' }, 'X')).toEqual({
			message: 'm',
			description: 'd [X]',
		});
		expect(withCode({ message: 'm', description: 'd' }, undefined)).toEqual({
			message: 'm',
			description: 'd',
		});
	});

	it('parameter errors are NodeOperationErrors; anything else is wrapped; error items say error and details', () => {
		const refused = parameterError(
			NODE,
			{ message: 'The Task ID is empty', description: 'Fill it in.' },
			1,
		);
		expect(refused).toBeInstanceOf(NodeOperationError);
		expect(asNodeError(NODE, refused, 0)).toBe(refused);
		expect(asNodeError(NODE, new Error('aborted'), 0)).toBeInstanceOf(NodeOperationError);
		expect(errorItem(NODE, refused, 1)).toEqual({
			json: { error: 'The Task ID is empty', details: 'Fill it in.' },
			pairedItem: { item: 1 },
		});
	});
});
