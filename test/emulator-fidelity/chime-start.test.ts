/**
 * StartSpeakerSearchTask of both Chime SDK APIs through the official clients: success, ClientRequestToken
 * idempotency, and every documented Start error arriving as the SDK's own exception class with its status and message.
 */
import {
	BadRequestException as MpBadRequest,
	ChimeSDKMediaPipelinesServiceException,
	ConflictException as MpConflict,
	ForbiddenException as MpForbidden,
	GetSpeakerSearchTaskCommand as GetMpTask,
	NotFoundException as MpNotFound,
	ResourceLimitExceededException as MpResourceLimitExceeded,
	ServiceFailureException as MpServiceFailure,
	ServiceUnavailableException as MpServiceUnavailable,
	StartSpeakerSearchTaskCommand as StartMpTask,
	type StartSpeakerSearchTaskCommandInput as StartMpInput,
	ThrottledClientException as MpThrottled,
	UnauthorizedClientException as MpUnauthorized,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import {
	AccessDeniedException,
	BadRequestException as VoiceBadRequest,
	ConflictException as VoiceConflict,
	ForbiddenException as VoiceForbidden,
	GetSpeakerSearchTaskCommand as GetVoiceTask,
	GoneException,
	NotFoundException as VoiceNotFound,
	ResourceLimitExceededException as VoiceResourceLimitExceeded,
	ServiceFailureException as VoiceServiceFailure,
	ServiceUnavailableException as VoiceServiceUnavailable,
	StartSpeakerSearchTaskCommand as StartVoiceTask,
	type StartSpeakerSearchTaskCommandInput as StartVoiceInput,
	StopSpeakerSearchTaskCommand as StopVoiceTask,
	ThrottledClientException as VoiceThrottled,
	UnauthorizedClientException as VoiceUnauthorized,
	UnprocessableEntityException,
} from '@aws-sdk/client-chime-sdk-voice';
import {
	DEFAULT_ACTIVE_SPEAKER_SEARCH_TASK_LIMIT,
	type Emulator,
	type EmulatorOptions,
	startEmulator,
} from '../emulator';
import { type SdkError, errorOf, mediaPipelinesClient, voiceClient } from './helpers';

const DOMAIN_ARN = 'arn:aws:chime:us-east-1:123456789012:voice-profile-domain/my-domain';
const STREAM_ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/call-1/1700000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Long enough that nothing started in a test finishes during it (real clock). */
const LONG = { chimeMediaPipeline: 600_000, chimeVoice: 600_000 };

type ErrorClass = abstract new (...args: never[]) => Error;

/** The SDK threw `cls` (by class and by name) with this HTTP status and a message matching `message`. */
function expectSdkError(
	error: SdkError,
	cls: ErrorClass,
	name: string,
	status: number,
	message: RegExp,
): void {
	expect(error).toBeInstanceOf(cls);
	expect(error.name).toBe(name);
	expect(error.$metadata.httpStatusCode).toBe(status);
	expect(error.message).toMatch(message);
	expect(error.$metadata.requestId).toMatch(GUID);
}

let emulator: Emulator;
let seq = 0;
/** A fresh TransactionId / token suffix per call, so tests on the shared emulator never collide. */
const unique = (prefix: string) => `${prefix}-${++seq}-${Date.now().toString(36)}`;

beforeAll(async () => {
	emulator = await startEmulator({ durations: LONG });
});
afterEach(() => {
	emulator.clearFaults();
	emulator.clearDenials();
});
afterAll(() => emulator.close());

const pipeline = () => emulator.resources.mediaInsightsPipelines[0];
const connector = () => emulator.resources.voiceConnectorIds[0];
const startMp = (input: Partial<StartMpInput> = {}, e: Emulator = emulator, maxAttempts = 1) =>
	mediaPipelinesClient(e, { maxAttempts }).send(
		new StartMpTask({
			Identifier: e.resources.mediaInsightsPipelines[0].id,
			VoiceProfileDomainArn: DOMAIN_ARN,
			...input,
		} as StartMpInput),
	);
const startVoice = (
	input: Partial<StartVoiceInput> = {},
	e: Emulator = emulator,
	maxAttempts = 1,
) =>
	voiceClient(e, { maxAttempts }).send(
		new StartVoiceTask({
			VoiceConnectorId: e.resources.voiceConnectorIds[0],
			TransactionId: unique('tx'),
			VoiceProfileDomainId: 'domain-1',
			...input,
		} as StartVoiceInput),
	);

/** Runs `fn` against a fresh emulator and closes it. */
async function withEmulator(options: EmulatorOptions, fn: (e: Emulator) => Promise<void>) {
	const e = await startEmulator(options);
	try {
		await fn(e);
	} finally {
		await e.close();
	}
}

describe('Chime SDK Media Pipelines StartSpeakerSearchTask', () => {
	test('201 with every member (pipeline by ARN, Kinesis video stream with fragment number)', async () => {
		const started = await startMp({
			Identifier: pipeline().arn,
			KinesisVideoStreamSourceTaskConfiguration: {
				StreamArn: STREAM_ARN,
				ChannelId: 1,
				FragmentNumber: '91343852333181432392682062622220590765191907586',
			},
			ClientRequestToken: unique('mp-every-member'),
		});
		expect(started.$metadata.httpStatusCode).toBe(201);
		expect(started.SpeakerSearchTask).toMatchObject({
			SpeakerSearchTaskId: expect.stringMatching(GUID),
			SpeakerSearchTaskStatus: 'NotStarted',
			CreatedTimestamp: expect.any(Date),
			UpdatedTimestamp: expect.any(Date),
		});
		const got = await mediaPipelinesClient(emulator).send(
			new GetMpTask({
				Identifier: pipeline().id,
				SpeakerSearchTaskId: started.SpeakerSearchTask!.SpeakerSearchTaskId,
			}),
		);
		expect(got.SpeakerSearchTask!.SpeakerSearchTaskId).toBe(
			started.SpeakerSearchTask!.SpeakerSearchTaskId,
		);
	});

	test('without a ClientRequestToken the SDK generates one (idempotencyToken): each call starts a new task', async () => {
		const a = await startMp();
		const b = await startMp();
		expect(a.SpeakerSearchTask!.SpeakerSearchTaskId).not.toBe(
			b.SpeakerSearchTask!.SpeakerSearchTaskId,
		);
	});

	test('the same ClientRequestToken twice (pipeline by ID, then by ARN) → the same task, only one started', async () => {
		await withEmulator({ clock: 'manual', durations: LONG }, async (e) => {
			const token = 'mp-idempotent-0001';
			const first = await startMp({ ClientRequestToken: token }, e);
			const again = await startMp(
				{ Identifier: e.resources.mediaInsightsPipelines[0].arn, ClientRequestToken: token },
				e,
			);
			expect(again.$metadata.httpStatusCode).toBe(201);
			expect(again.SpeakerSearchTask!.SpeakerSearchTaskId).toBe(
				first.SpeakerSearchTask!.SpeakerSearchTaskId,
			);
			expect(e.activeSpeakerSearchTasks()).toBe(1);
			expect(e.requestsFor('chimeMediaPipeline').map((r) => r.status)).toEqual([201, 201]);
		});
	});

	test('409 ConflictException: the same ClientRequestToken with other parameters', async () => {
		const token = unique('mp-conflict');
		await startMp({ ClientRequestToken: token });
		const error = await errorOf(() =>
			startMp({ ClientRequestToken: token, VoiceProfileDomainArn: `${DOMAIN_ARN}-other` }),
		);
		expectSdkError(
			error,
			MpConflict,
			'ConflictException',
			409,
			/ClientRequestToken was already used .* different parameters/,
		);
		expect(error.Code).toBe('Conflict');
		expect(error.$fault).toBe('client');
	});

	const kvs = (extra: Record<string, unknown>) => ({
		KinesisVideoStreamSourceTaskConfiguration: { StreamArn: STREAM_ARN, ChannelId: 0, ...extra },
	});
	test.each<[string, Record<string, unknown>, RegExp]>([
		[
			'no VoiceProfileDomainArn',
			{ VoiceProfileDomainArn: undefined },
			/^1 validation error detected: Value null at 'voiceProfileDomainArn' failed to satisfy constraint: Member must not be null$/,
		],
		[
			'a VoiceProfileDomainArn that is no ARN (sensitive: its value is not echoed)',
			{ VoiceProfileDomainArn: 'my domain' },
			/^1 validation error detected: Value at 'voiceProfileDomainArn' failed to satisfy constraint: Member must satisfy regular expression pattern: \^arn/,
		],
		[
			'ChannelId 2',
			kvs({ ChannelId: 2 }),
			/Value '2' at 'kinesisVideoStreamSourceTaskConfiguration\.channelId' failed to satisfy constraint: Member must have value less than or equal to 1$/,
		],
		[
			'ChannelId -1',
			kvs({ ChannelId: -1 }),
			/at 'kinesisVideoStreamSourceTaskConfiguration\.channelId' failed to satisfy constraint: Member must have value greater than or equal to 0$/,
		],
		[
			'a FragmentNumber that is not digits',
			kvs({ FragmentNumber: '12a' }),
			/Value '12a' at 'kinesisVideoStreamSourceTaskConfiguration\.fragmentNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\[0-9\]\+\$$/,
		],
		[
			'an empty FragmentNumber',
			kvs({ FragmentNumber: '' }),
			/fragmentNumber' failed to satisfy constraint: Member must have length greater than or equal to 1/,
		],
		[
			'a StreamArn of another service',
			kvs({ StreamArn: 'arn:aws:s3:::bucket/key' }),
			/at 'kinesisVideoStreamSourceTaskConfiguration\.streamArn' failed to satisfy constraint: Member must satisfy regular expression pattern/,
		],
		[
			'a stream configuration without StreamArn',
			{ KinesisVideoStreamSourceTaskConfiguration: { ChannelId: 0 } },
			/Value null at 'kinesisVideoStreamSourceTaskConfiguration\.streamArn' failed to satisfy constraint: Member must not be null/,
		],
		[
			'a one-character ClientRequestToken',
			{ ClientRequestToken: 'x' },
			/^1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 2$/,
		],
		[
			'a ClientRequestToken with other characters',
			{ ClientRequestToken: 'token with spaces' },
			/at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \[-_a-zA-Z0-9\]\*$/,
		],
		[
			'a blank pipeline identifier',
			{ Identifier: '   ' },
			/Value ' {3}' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \.\*\\S\.\*$/,
		],
		[
			'two violations at once',
			{ ...kvs({ ChannelId: 7, FragmentNumber: 'x' }) },
			/^2 validation errors detected: .*channelId.*; .*fragmentNumber/,
		],
	])('400 BadRequestException: %s', async (_label, input, message) => {
		const error = await errorOf(() => startMp(input as Partial<StartMpInput>));
		expectSdkError(error, MpBadRequest, 'BadRequestException', 400, message);
		expect(error.Code).toBe('BadRequest');
		expect(error.message).not.toContain('my domain');
	});

	test('404 NotFoundException: unknown pipeline (ID or ARN), unknown voice profile domain', async () => {
		for (const identifier of [
			'00000000-0000-4000-8000-000000000000',
			'arn:aws:chime:us-east-1:123456789012:media-insights-pipeline/00000000-0000-4000-8000-000000000000',
			// A known pipeline ID under another account's ARN.
			pipeline().arn.replace('123456789012', '210987654321'),
		]) {
			const error = await errorOf(() => startMp({ Identifier: identifier }));
			expectSdkError(
				error,
				MpNotFound,
				'NotFoundException',
				404,
				/^Media insights pipeline .* not found\.$/,
			);
			expect(error.Code).toBe('NotFound');
		}
		const domain = await errorOf(() =>
			startMp({ VoiceProfileDomainArn: `${DOMAIN_ARN.replace('my-domain', 'no-such-domain')}` }),
		);
		expectSdkError(
			domain,
			MpNotFound,
			'NotFoundException',
			404,
			/^Voice profile domain no-such-domain not found\.$/,
		);
	});

	test('voiceProfileDomainIds: only those domains, in this account and Region, exist', async () => {
		await withEmulator({ voiceProfileDomainIds: ['known-domain'] }, async (e) => {
			const arn = (region: string, account: string, id: string) =>
				`arn:aws:chime:${region}:${account}:voice-profile-domain/${id}`;
			const ok = await startMp(
				{ VoiceProfileDomainArn: arn('us-east-1', '123456789012', 'known-domain') },
				e,
			);
			expect(ok.$metadata.httpStatusCode).toBe(201);
			for (const other of [
				arn('us-east-1', '123456789012', 'other-domain'),
				arn('us-east-1', '210987654321', 'known-domain'),
				arn('eu-west-2', '123456789012', 'known-domain'),
			]) {
				const error = await errorOf(() => startMp({ VoiceProfileDomainArn: other }, e));
				expectSdkError(error, MpNotFound, 'NotFoundException', 404, /^Voice profile domain /);
			}
		});
	});

	test('400 ResourceLimitExceededException beyond activeSpeakerSearchTaskLimit; a repeat with a used token still answers', async () => {
		await withEmulator(
			{
				clock: 'manual',
				activeSpeakerSearchTaskLimit: 2,
				durations: { chimeMediaPipeline: 1_000, chimeVoice: 1_000 },
			},
			async (e) => {
				await startMp({ ClientRequestToken: 'mp-limit-1' }, e);
				await startVoice({}, e); // both APIs count against the same per-Region quota
				const error = await errorOf(() => startMp({}, e));
				expectSdkError(
					error,
					MpResourceLimitExceeded,
					'ResourceLimitExceededException',
					400,
					/^The number of active speaker search tasks in us-east-1 has reached the limit of 2\.$/,
				);
				expect(error.Code).toBe('ResourceLimitExceeded');
				expect(error.$fault).toBe('client');
				// An idempotent repeat is not a new task.
				expect(
					(await startMp({ ClientRequestToken: 'mp-limit-1' }, e)).$metadata.httpStatusCode,
				).toBe(201);
				e.advance(5_000); // well past both durations: both finished, no longer active
				expect(e.activeSpeakerSearchTasks()).toBe(0);
				expect((await startMp({}, e)).$metadata.httpStatusCode).toBe(201);
			},
		);
	});

	test(`the default limit is the published quota (${DEFAULT_ACTIVE_SPEAKER_SEARCH_TASK_LIMIT} per Region)`, async () => {
		await withEmulator({}, async (e) => {
			for (let i = 0; i < DEFAULT_ACTIVE_SPEAKER_SEARCH_TASK_LIMIT; i++)
				e.createMediaPipelineSpeakerSearchTask({ outcome: 'hang', durationMs: 0 });
			expect(e.activeSpeakerSearchTasks()).toBe(25);
			const error = await errorOf(() => startMp({}, e));
			expectSdkError(
				error,
				MpResourceLimitExceeded,
				'ResourceLimitExceededException',
				400,
				/limit of 25\.$/,
			);
		});
		// Each Region has its own quota.
		await withEmulator({ acceptedRegions: ['us-east-1', 'eu-west-2'] }, async (e) => {
			for (let i = 0; i < 25; i++) e.createMediaPipelineSpeakerSearchTask({ outcome: 'hang' });
			const started = await mediaPipelinesClient(e, { region: 'eu-west-2' }).send(
				new StartMpTask({
					Identifier: e.resources.mediaInsightsPipelines[0].id,
					VoiceProfileDomainArn: DOMAIN_ARN,
				}),
			);
			expect(started.$metadata.httpStatusCode).toBe(201);
			expect(e.activeSpeakerSearchTasks('eu-west-2')).toBe(1);
		});
	});

	test('denials: 403 ForbiddenException (default), 401 UnauthorizedClientException, AccessDeniedException (not modelled here)', async () => {
		emulator.setDenials([{ route: 'chimeMediaPipeline.start' }]);
		const forbidden = await errorOf(() => startMp());
		expectSdkError(forbidden, MpForbidden, 'ForbiddenException', 403, /^AWS authorization failed$/);
		expect(forbidden.Code).toBe('Forbidden');
		// Other routes are not denied.
		const task = emulator.createMediaPipelineSpeakerSearchTask();
		await mediaPipelinesClient(emulator).send(
			new GetMpTask({
				Identifier: pipeline().id,
				SpeakerSearchTaskId: String(task.SpeakerSearchTaskId),
			}),
		);
		emulator.setDenials([{ route: 'chimeMediaPipeline.*', error: 'UnauthorizedClientException' }]);
		const unauthorized = await errorOf(() => startMp());
		expectSdkError(
			unauthorized,
			MpUnauthorized,
			'UnauthorizedClientException',
			401,
			/^The client is not currently authorized to make the request\.$/,
		);
		emulator.setDenials([{ route: 'chimeMediaPipeline.start', error: 'AccessDeniedException' }]);
		const denied = await errorOf(() => startMp());
		// Media Pipelines does not model AccessDeniedException: the SDK throws its base exception under that name.
		expectSdkError(
			denied,
			ChimeSDKMediaPipelinesServiceException,
			'AccessDeniedException',
			403,
			/^User: arn:aws:iam::123456789012:user\/speech-tasks-emulator is not authorized to perform: chime:StartSpeakerSearchTask$/,
		);
		const entry = emulator.requestsFor('chimeMediaPipeline').pop()!;
		expect(entry).toMatchObject({
			signatureOk: true,
			status: 403,
			errorCode: 'AccessDeniedException',
		});
	});

	test('a denial for one access key leaves other keys alone', async () => {
		const other = { accessKeyId: 'AKIAEMULATOR00000002', secretAccessKey: 'second/secret/key' };
		await withEmulator(
			{
				extraCredentials: [other],
				denials: [{ route: '*', accessKeyId: other.accessKeyId, message: 'No Chime for you.' }],
			},
			async (e) => {
				expect((await startMp({}, e)).$metadata.httpStatusCode).toBe(201);
				const error = await errorOf(() =>
					mediaPipelinesClient(e, { credentials: other }).send(
						new StartMpTask({
							Identifier: e.resources.mediaInsightsPipelines[0].id,
							VoiceProfileDomainArn: DOMAIN_ARN,
						}),
					),
				);
				expectSdkError(error, MpForbidden, 'ForbiddenException', 403, /^No Chime for you\.$/);
				e.reset(); // reset() forgets denials as it forgets faults
				expect(
					(
						await mediaPipelinesClient(e, { credentials: other }).send(
							new StartMpTask({
								Identifier: e.resources.mediaInsightsPipelines[0].id,
								VoiceProfileDomainArn: DOMAIN_ARN,
							}),
						)
					).$metadata.httpStatusCode,
				).toBe(201);
			},
		);
	});

	test.each<[string, string, ErrorClass, number, RegExp, 'client' | 'server']>([
		[
			'throttle',
			'ThrottledClientException',
			MpThrottled,
			429,
			/exceeded its request rate limit/,
			'client',
		],
		['error500', 'ServiceFailureException', MpServiceFailure, 500, /unexpected error/, 'server'],
		[
			'error503',
			'ServiceUnavailableException',
			MpServiceUnavailable,
			503,
			/currently unavailable/,
			'server',
		],
	])(
		'fault %s on chimeMediaPipeline.start → %s',
		async (fault, name, cls, status, message, side) => {
			emulator.setFaults([
				{ route: 'chimeMediaPipeline.start', fault: fault as 'throttle', retryAfterSeconds: 2 },
			]);
			const before = emulator.activeSpeakerSearchTasks();
			const error = await errorOf(() => startMp());
			expectSdkError(error, cls, name, status, message);
			expect(error.$fault).toBe(side);
			expect(emulator.activeSpeakerSearchTasks()).toBe(before); // no task was started
			if (fault === 'throttle') expect(error.$response?.headers['retry-after']).toBe('2');
		},
	);

	test('one throttle, then the SDK retry (same generated ClientRequestToken) starts the task', async () => {
		emulator.setFaults([{ route: 'chimeMediaPipeline.start', fault: 'throttle', count: 1 }]);
		const started = await startMp({}, emulator, 3);
		expect(started.$metadata.httpStatusCode).toBe(201);
		expect(started.$metadata.attempts).toBe(2);
	});
});

describe('Chime SDK Voice StartSpeakerSearchTask', () => {
	test('201 IN_QUEUE with CallDetails; CallLeg Callee → IsCaller false', async () => {
		const transactionId = unique('tx-ok');
		const started = await startVoice({
			TransactionId: transactionId,
			CallLeg: 'Callee',
			ClientRequestToken: unique('voice-ok'),
		});
		expect(started.$metadata.httpStatusCode).toBe(201);
		expect(started.SpeakerSearchTask).toMatchObject({
			SpeakerSearchTaskId: expect.any(String),
			SpeakerSearchTaskStatus: 'IN_QUEUE',
			CallDetails: { VoiceConnectorId: connector(), TransactionId: transactionId, IsCaller: false },
			CreatedTimestamp: expect.any(Date),
		});
	});

	test('the same ClientRequestToken twice → the same task, only one started; other parameters → 409 ConflictException', async () => {
		await withEmulator({ clock: 'manual', durations: LONG }, async (e) => {
			const input = {
				TransactionId: 'call-0001',
				VoiceProfileDomainId: 'domain-1',
				ClientRequestToken: 'voice-idempotent-0001',
			};
			const first = await startVoice(input, e);
			const again = await startVoice({ ...input, CallLeg: 'Caller' }, e); // Caller is the default leg
			expect(again.$metadata.httpStatusCode).toBe(201);
			expect(again.SpeakerSearchTask!.SpeakerSearchTaskId).toBe(
				first.SpeakerSearchTask!.SpeakerSearchTaskId,
			);
			expect(e.activeSpeakerSearchTasks()).toBe(1);
			const error = await errorOf(() => startVoice({ ...input, TransactionId: 'call-0002' }, e));
			expectSdkError(
				error,
				VoiceConflict,
				'ConflictException',
				409,
				/ClientRequestToken was already used .* different parameters/,
			);
			expect(error.Code).toBe('Conflict');
			expect(e.activeSpeakerSearchTasks()).toBe(1);
		});
	});

	test.each<[string, Record<string, unknown>, RegExp]>([
		[
			'no TransactionId',
			{ TransactionId: undefined },
			/^1 validation error detected: Value null at 'transactionId' failed to satisfy constraint: Member must not be null$/,
		],
		[
			'an empty VoiceProfileDomainId',
			{ VoiceProfileDomainId: '' },
			/Value '' at 'voiceProfileDomainId' failed to satisfy constraint: Member must have length greater than or equal to 1/,
		],
		[
			'a blank TransactionId',
			{ TransactionId: '   ' },
			/Value ' {3}' at 'transactionId' failed to satisfy constraint: Member must satisfy regular expression pattern: \.\*\\S\.\*$/,
		],
		[
			'a TransactionId of 257 characters',
			{ TransactionId: 't'.repeat(257) },
			/at 'transactionId' failed to satisfy constraint: Member must have length less than or equal to 256$/,
		],
		[
			'CallLeg Both',
			{ CallLeg: 'Both' },
			/^1 validation error detected: Value 'Both' at 'callLeg' failed to satisfy constraint: Member must satisfy enum value set: \[Caller, Callee\]$/,
		],
		[
			'a one-character ClientRequestToken',
			{ ClientRequestToken: 'x' },
			/Value 'x' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern/,
		],
		[
			'a malformed VoiceConnectorId',
			{ VoiceConnectorId: 'NOT-A-CONNECTOR' },
			/Value 'NOT-A-CONNECTOR' at 'voiceConnectorId' failed to satisfy constraint: Member must satisfy regular expression pattern/,
		],
		[
			'two violations at once',
			{ TransactionId: undefined, VoiceProfileDomainId: undefined },
			/^2 validation errors detected: Value null at 'transactionId'.*; Value null at 'voiceProfileDomainId'/,
		],
	])('400 BadRequestException: %s', async (_label, input, message) => {
		const error = await errorOf(() => startVoice(input as Partial<StartVoiceInput>));
		expectSdkError(error, VoiceBadRequest, 'BadRequestException', 400, message);
		expect(error.Code).toBe('BadRequest');
	});

	test('404 NotFoundException: unknown voice connector, unknown voice profile domain', async () => {
		const connectorError = await errorOf(() =>
			startVoice({ VoiceConnectorId: 'zzzzzzzzzzzzzzzzzzzzzz' }),
		);
		expectSdkError(
			connectorError,
			VoiceNotFound,
			'NotFoundException',
			404,
			/^Voice connector zzzzzzzzzzzzzzzzzzzzzz not found\.$/,
		);
		expect(connectorError.Code).toBe('NotFound');
		const domain = await errorOf(() => startVoice({ VoiceProfileDomainId: 'no-such-domain-1' }));
		expectSdkError(
			domain,
			VoiceNotFound,
			'NotFoundException',
			404,
			/^Voice profile domain no-such-domain-1 not found\.$/,
		);
		await withEmulator({ voiceProfileDomainIds: ['known-domain'] }, async (e) => {
			expect(
				(await startVoice({ VoiceProfileDomainId: 'known-domain' }, e)).$metadata.httpStatusCode,
			).toBe(201);
			const error = await errorOf(() => startVoice({ VoiceProfileDomainId: 'domain-1' }, e));
			expectSdkError(error, VoiceNotFound, 'NotFoundException', 404, /domain-1 not found/);
		});
	});

	test('410 GoneException: the call has ended (endVoiceCall, or `call-ended` in the TransactionId)', async () => {
		const transactionId = unique('tx-to-end');
		emulator.endVoiceCall(transactionId);
		for (const id of [transactionId, unique('call-ended')]) {
			const error = await errorOf(() => startVoice({ TransactionId: id }));
			expectSdkError(
				error,
				GoneException,
				'GoneException',
				410,
				new RegExp(`^The call with TransactionId ${id} has ended\\.$`),
			);
			expect(error.Code).toBe('Gone');
		}
	});

	test('422 UnprocessableEntityException: no such call (voiceTransactions "declared", another connector, `unknown-call`)', async () => {
		await withEmulator(
			{
				voiceTransactions: 'declared',
				voiceCalls: [
					'declared-call',
					{ transactionId: 'pinned-call', voiceConnectorId: 'voiceconnector00000001' },
				],
				durations: LONG,
			},
			async (e) => {
				const [first, second] = e.resources.voiceConnectorIds;
				expect(
					(await startVoice({ TransactionId: 'declared-call' }, e)).$metadata.httpStatusCode,
				).toBe(201);
				expect(
					(await startVoice({ TransactionId: 'pinned-call', VoiceConnectorId: second }, e))
						.$metadata.httpStatusCode,
				).toBe(201);
				for (const [transactionId, voiceConnectorId] of [
					['never-declared', first],
					['pinned-call', first],
				]) {
					const error = await errorOf(() =>
						startVoice({ TransactionId: transactionId, VoiceConnectorId: voiceConnectorId }, e),
					);
					expectSdkError(
						error,
						UnprocessableEntityException,
						'UnprocessableEntityException',
						422,
						new RegExp(
							`^TransactionId ${transactionId} is not an active call on Voice Connector ${voiceConnectorId}\\.$`,
						),
					);
					expect(error.Code).toBe('Unprocessable');
				}
				e.startVoiceCall('never-declared');
				expect(
					(await startVoice({ TransactionId: 'never-declared' }, e)).$metadata.httpStatusCode,
				).toBe(201);
				e.endVoiceCall('declared-call');
				const gone = await errorOf(() => startVoice({ TransactionId: 'declared-call' }, e));
				expect(gone.name).toBe('GoneException');
				e.reset(); // declared calls go back to `voiceCalls`
				expect((await errorOf(() => startVoice({ TransactionId: 'never-declared' }, e))).name).toBe(
					'UnprocessableEntityException',
				);
			},
		);
		const trigger = await errorOf(() => startVoice({ TransactionId: unique('unknown-call') }));
		expectSdkError(
			trigger,
			UnprocessableEntityException,
			'UnprocessableEntityException',
			422,
			/is not an active call/,
		);
	});

	test('400 ResourceLimitExceededException: a second search on the same call (quota 1), and the per-Region limit', async () => {
		await withEmulator(
			{
				clock: 'manual',
				activeSpeakerSearchTaskLimit: 3,
				durations: { chimeVoice: { queuedMs: 500, runningMs: 500 }, chimeMediaPipeline: 1_000 },
			},
			async (e) => {
				await startVoice({ TransactionId: 'busy-call' }, e);
				const perCall = await errorOf(() =>
					startVoice({ TransactionId: 'busy-call', CallLeg: 'Callee' }, e),
				);
				expectSdkError(
					perCall,
					VoiceResourceLimitExceeded,
					'ResourceLimitExceededException',
					400,
					/^A speaker search task is already active for TransactionId busy-call \(at most 1 per call\)\.$/,
				);
				expect(perCall.Code).toBe('ResourceLimitExceeded');
				await startVoice({}, e);
				await startMp({}, e);
				const perRegion = await errorOf(() => startVoice({}, e));
				expectSdkError(
					perRegion,
					VoiceResourceLimitExceeded,
					'ResourceLimitExceededException',
					400,
					/^The number of active speaker search tasks in us-east-1 has reached the limit of 3\.$/,
				);
				e.advance(1_000);
				expect((await startVoice({ TransactionId: 'busy-call' }, e)).$metadata.httpStatusCode).toBe(
					201,
				);
			},
		);
	});

	test('a stopped search no longer counts: the call can be searched again', async () => {
		await withEmulator({ durations: LONG }, async (e) => {
			const client = voiceClient(e);
			const started = await startVoice({ TransactionId: 'restart-call' }, e);
			expect((await errorOf(() => startVoice({ TransactionId: 'restart-call' }, e))).name).toBe(
				'ResourceLimitExceededException',
			);
			await client.send(
				new StopVoiceTask({
					VoiceConnectorId: e.resources.voiceConnectorIds[0],
					SpeakerSearchTaskId: started.SpeakerSearchTask!.SpeakerSearchTaskId,
				}),
			);
			expect(
				(await startVoice({ TransactionId: 'restart-call' }, e)).$metadata.httpStatusCode,
			).toBe(201);
		});
	});

	test('denials: 403 AccessDeniedException, 403 ForbiddenException, 401 UnauthorizedClientException', async () => {
		const cases: Array<[string | undefined, ErrorClass, string, number, RegExp]> = [
			[
				'AccessDeniedException',
				AccessDeniedException,
				'AccessDeniedException',
				403,
				/^User: arn:aws:iam::123456789012:user\/speech-tasks-emulator is not authorized to perform: chime:StartSpeakerSearchTask$/,
			],
			[undefined, VoiceForbidden, 'ForbiddenException', 403, /^AWS authorization failed$/],
			[
				'UnauthorizedClientException',
				VoiceUnauthorized,
				'UnauthorizedClientException',
				401,
				/not currently authorized/,
			],
		];
		for (const [kind, cls, name, status, message] of cases) {
			emulator.setDenials([
				{ route: 'chimeVoice.start', error: kind as 'AccessDeniedException' | undefined },
			]);
			const error = await errorOf(() => startVoice());
			expectSdkError(error, cls, name, status, message);
		}
		emulator.clearDenials();
		expect((await startVoice()).$metadata.httpStatusCode).toBe(201);
	});

	test.each<[string, string, ErrorClass, number, RegExp, string]>([
		[
			'throttle',
			'ThrottledClientException',
			VoiceThrottled,
			429,
			/exceeded its request rate limit/,
			'Throttled',
		],
		[
			'error500',
			'ServiceFailureException',
			VoiceServiceFailure,
			500,
			/unexpected error/,
			'ServiceFailure',
		],
		[
			'error503',
			'ServiceUnavailableException',
			VoiceServiceUnavailable,
			503,
			/currently unavailable/,
			'ServiceUnavailable',
		],
	])('fault %s on chimeVoice.start → %s', async (fault, name, cls, status, message, code) => {
		emulator.setFaults([{ route: 'chimeVoice.start', fault: fault as 'throttle' }]);
		const before = emulator.activeSpeakerSearchTasks();
		const error = await errorOf(() => startVoice());
		expectSdkError(error, cls, name, status, message);
		expect(error.Code).toBe(code);
		expect(emulator.activeSpeakerSearchTasks()).toBe(before);
	});

	test('a fault message override reaches the SDK', async () => {
		emulator.setFaults([
			{ route: 'chimeVoice.start', fault: 'error503', message: 'Voice analytics is down.' },
		]);
		const error = await errorOf(() => startVoice());
		expectSdkError(
			error,
			VoiceServiceUnavailable,
			'ServiceUnavailableException',
			503,
			/^Voice analytics is down\.$/,
		);
	});
});

describe('error type styles on Start errors', () => {
	test('coral x-amzn-ErrorType still gives the class; without the header the SDK reports the body Code', async () => {
		await withEmulator(
			{ errorTypeStyle: { chimeVoice: 'coral', chimeMediaPipeline: 'none' }, durations: LONG },
			async (e) => {
				e.endVoiceCall('ended-call');
				const gone = await errorOf(() => startVoice({ TransactionId: 'ended-call' }, e));
				expectSdkError(gone, GoneException, 'GoneException', 410, /has ended/);
				const conflicting = await errorOf(async () => {
					await startMp({ ClientRequestToken: 'style-token' }, e);
					await startMp(
						{ ClientRequestToken: 'style-token', VoiceProfileDomainArn: `${DOMAIN_ARN}2` },
						e,
					);
				});
				// The documented pitfall: the ErrorCode enum value, not the exception name.
				expect(conflicting.name).toBe('Conflict');
				expect(conflicting.$metadata.httpStatusCode).toBe(409);
			},
		);
	});
});

describe('Get after Start', () => {
	test('the task a Start created is the one Get reads, on both APIs', async () => {
		const mp = await startMp({ ClientRequestToken: unique('mp-get') });
		const voice = await startVoice({ ClientRequestToken: unique('voice-get') });
		const mpGot = await mediaPipelinesClient(emulator).send(
			new GetMpTask({
				Identifier: pipeline().arn,
				SpeakerSearchTaskId: mp.SpeakerSearchTask!.SpeakerSearchTaskId,
			}),
		);
		const voiceGot = await voiceClient(emulator).send(
			new GetVoiceTask({
				VoiceConnectorId: connector(),
				SpeakerSearchTaskId: voice.SpeakerSearchTask!.SpeakerSearchTaskId,
			}),
		);
		expect(mpGot.SpeakerSearchTask!.CreatedTimestamp).toEqual(
			mp.SpeakerSearchTask!.CreatedTimestamp,
		);
		expect(voiceGot.SpeakerSearchTask!.CallDetails).toEqual(voice.SpeakerSearchTask!.CallDetails);
	});
});
