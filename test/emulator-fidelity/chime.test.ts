/** Chime SDK speaker search through @aws-sdk/client-chime-sdk-media-pipelines and @aws-sdk/client-chime-sdk-voice. */
import {
	GetSpeakerSearchTaskCommand as GetMpTask,
	StartSpeakerSearchTaskCommand as StartMpTask,
	StopSpeakerSearchTaskCommand as StopMpTask,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import {
	GetSpeakerSearchTaskCommand as GetVoiceTask,
	StartSpeakerSearchTaskCommand as StartVoiceTask,
	StopSpeakerSearchTaskCommand as StopVoiceTask,
} from '@aws-sdk/client-chime-sdk-voice';
import { type Emulator, startEmulator } from '../emulator';
import {
	errorOf,
	expectStatesInOrder,
	mediaPipelinesClient,
	pollUntil,
	signedRawRequest,
	voiceClient,
} from './helpers';

const DOMAIN_ARN = 'arn:aws:chime:us-east-1:123456789012:voice-profile-domain/my-domain';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({
		durations: {
			chimeMediaPipeline: { queuedMs: 80, initializingMs: 80, runningMs: 120 },
			chimeVoice: { queuedMs: 80, runningMs: 160 },
		},
	});
});
afterAll(() => emulator.close());

describe('Chime SDK Media Pipelines', () => {
	test('Start answers 201 NotStarted; Get by ID and by ARN walks NotStarted → Initializing → InProgress → Stopped', async () => {
		const client = mediaPipelinesClient(emulator);
		const pipeline = emulator.resources.mediaInsightsPipelines[0];
		const started = await client.send(
			new StartMpTask({
				Identifier: pipeline.id,
				VoiceProfileDomainArn: DOMAIN_ARN,
				KinesisVideoStreamSourceTaskConfiguration: {
					StreamArn: 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/s/1',
					ChannelId: 0,
				},
			}),
		);
		expect(started.$metadata.httpStatusCode).toBe(201);
		const task = started.SpeakerSearchTask!;
		expect(task.SpeakerSearchTaskId).toMatch(GUID);
		expect(task.SpeakerSearchTaskStatus).toBe('NotStarted');
		expect(task.CreatedTimestamp).toBeInstanceOf(Date);
		expect(task.UpdatedTimestamp).toBeInstanceOf(Date);
		const { seen, last } = await pollUntil(
			// The ARN contains ':' and '/': the SDK percent-encodes it and signs the double-encoded path.
			() =>
				client.send(
					new GetMpTask({
						Identifier: pipeline.arn,
						SpeakerSearchTaskId: task.SpeakerSearchTaskId,
					}),
				),
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus === 'Stopped',
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus!,
			5_000,
			10,
		);
		expectStatesInOrder(seen, ['NotStarted', 'Initializing', 'InProgress', 'Stopped']);
		expect(last.SpeakerSearchTask!.UpdatedTimestamp!.getTime()).toBeGreaterThan(
			task.CreatedTimestamp!.getTime(),
		);
		const byId = await client.send(
			new GetMpTask({ Identifier: pipeline.id, SpeakerSearchTaskId: task.SpeakerSearchTaskId }),
		);
		expect(byId.SpeakerSearchTask!.SpeakerSearchTaskStatus).toBe('Stopped');
		expect(emulator.requestsFor('chimeMediaPipeline').every((r) => r.signatureOk)).toBe(true);
		expect(
			emulator.requestsFor('chimeMediaPipeline').some((r) => r.path.includes('arn%3Aaws%3Achime')),
		).toBe(true);
	});

	test('a domain ARN containing "fail" ends Failed; Stop answers 204 and the task is Stopping', async () => {
		const client = mediaPipelinesClient(emulator);
		const id = emulator.resources.mediaInsightsPipelines[1].id;
		const failing = await client.send(
			new StartMpTask({ Identifier: id, VoiceProfileDomainArn: `${DOMAIN_ARN}-fail` }),
		);
		const f = await pollUntil(
			() =>
				client.send(
					new GetMpTask({
						Identifier: id,
						SpeakerSearchTaskId: failing.SpeakerSearchTask!.SpeakerSearchTaskId,
					}),
				),
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus === 'Failed',
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus!,
		);
		expect(f.seen[f.seen.length - 1]).toBe('Failed');
		const hanging = emulator.createMediaPipelineSpeakerSearchTask({
			identifier: id,
			outcome: 'hang',
			durationMs: 0,
		});
		const taskId = String(hanging.SpeakerSearchTaskId);
		expect(
			(await client.send(new GetMpTask({ Identifier: id, SpeakerSearchTaskId: taskId })))
				.SpeakerSearchTask!.SpeakerSearchTaskStatus,
		).toBe('InProgress');
		const stop = await client.send(new StopMpTask({ Identifier: id, SpeakerSearchTaskId: taskId }));
		expect(stop.$metadata.httpStatusCode).toBe(204);
		expect(
			(await client.send(new GetMpTask({ Identifier: id, SpeakerSearchTaskId: taskId })))
				.SpeakerSearchTask!.SpeakerSearchTaskStatus,
		).toBe('Stopping');
		const conflict = await errorOf(() =>
			client.send(new StopMpTask({ Identifier: id, SpeakerSearchTaskId: taskId })),
		);
		expect(conflict.name).toBe('ConflictException');
		expect(conflict.$metadata.httpStatusCode).toBe(409);
	});

	test('NotFoundException, BadRequestException with Code/Message bodies', async () => {
		const client = mediaPipelinesClient(emulator);
		const unknownPipeline = await errorOf(() =>
			client.send(
				new GetMpTask({
					Identifier: '00000000-0000-4000-8000-000000000000',
					SpeakerSearchTaskId: '00000000-0000-4000-8000-000000000001',
				}),
			),
		);
		expect(unknownPipeline.name).toBe('NotFoundException');
		expect(unknownPipeline.$metadata.httpStatusCode).toBe(404);
		expect(unknownPipeline.message).toMatch(/Media insights pipeline .* not found/);
		expect(unknownPipeline.Code).toBe('NotFound');
		const id = emulator.resources.mediaInsightsPipelines[0].id;
		const unknownTask = await errorOf(() =>
			client.send(
				new GetMpTask({
					Identifier: id,
					SpeakerSearchTaskId: '00000000-0000-4000-8000-000000000001',
				}),
			),
		);
		expect(unknownTask.name).toBe('NotFoundException');
		const badId = await errorOf(() =>
			client.send(new GetMpTask({ Identifier: id, SpeakerSearchTaskId: 'not-a-guid' })),
		);
		expect(badId.name).toBe('BadRequestException');
		expect(badId.$metadata.httpStatusCode).toBe(400);
		const badArn = await errorOf(() =>
			client.send(new StartMpTask({ Identifier: id, VoiceProfileDomainArn: 'not an arn' })),
		);
		expect(badArn.name).toBe('BadRequestException');
		const raw = await signedRawRequest(emulator, {
			service: 'chime',
			path: `/chimeMediaPipeline/media-insights-pipelines/${id}/speaker-search-tasks/00000000-0000-4000-8000-000000000001`,
		});
		expect(raw.headers['x-amzn-errortype']).toBe('NotFoundException');
		expect(JSON.parse(raw.body.toString())).toMatchObject({
			Code: 'NotFound',
			Message: expect.any(String),
			RequestId: raw.headers['x-amzn-requestid'],
		});
	});

	test('without x-amzn-ErrorType the SDK falls back to the body Code (the documented pitfall)', async () => {
		const bare = await startEmulator({
			errorTypeStyle: { chimeMediaPipeline: 'none', chimeVoice: 'coral' },
		});
		try {
			const error = await errorOf(() =>
				mediaPipelinesClient(bare).send(
					new GetMpTask({
						Identifier: bare.resources.mediaInsightsPipelines[0].id,
						SpeakerSearchTaskId: '00000000-0000-4000-8000-000000000001',
					}),
				),
			);
			expect(error.name).toBe('NotFound');
			expect(error.$metadata.httpStatusCode).toBe(404);
			const coral = await errorOf(() =>
				voiceClient(bare).send(
					new GetVoiceTask({
						VoiceConnectorId: bare.resources.voiceConnectorIds[0],
						SpeakerSearchTaskId: 'nope',
					}),
				),
			);
			expect(coral.name).toBe('NotFoundException');
		} finally {
			await bare.close();
		}
	});

	test('ClientRequestToken makes Start idempotent', async () => {
		const client = mediaPipelinesClient(emulator);
		const id = emulator.resources.mediaInsightsPipelines[0].id;
		const a = await client.send(
			new StartMpTask({
				Identifier: id,
				VoiceProfileDomainArn: DOMAIN_ARN,
				ClientRequestToken: 'token-123',
			}),
		);
		const b = await client.send(
			new StartMpTask({
				Identifier: id,
				VoiceProfileDomainArn: DOMAIN_ARN,
				ClientRequestToken: 'token-123',
			}),
		);
		expect(b.SpeakerSearchTask!.SpeakerSearchTaskId).toBe(a.SpeakerSearchTask!.SpeakerSearchTaskId);
	});
});

describe('Chime SDK Voice', () => {
	test('Start answers 201 IN_QUEUE; Get walks IN_QUEUE → IN_PROGRESS → SUCCEEDED with results', async () => {
		const client = voiceClient(emulator);
		const connector = emulator.resources.voiceConnectorIds[0];
		const started = await client.send(
			new StartVoiceTask({
				VoiceConnectorId: connector,
				TransactionId: 'tx-0001',
				VoiceProfileDomainId: 'domain-1',
				CallLeg: 'Callee',
			}),
		);
		expect(started.$metadata.httpStatusCode).toBe(201);
		const task = started.SpeakerSearchTask!;
		expect(task).toMatchObject({
			SpeakerSearchTaskStatus: 'IN_QUEUE',
			CallDetails: { VoiceConnectorId: connector, TransactionId: 'tx-0001', IsCaller: false },
		});
		expect(task.StartedTimestamp).toBeUndefined();
		const { seen, last } = await pollUntil(
			() =>
				client.send(
					new GetVoiceTask({
						VoiceConnectorId: connector,
						SpeakerSearchTaskId: task.SpeakerSearchTaskId,
					}),
				),
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus === 'SUCCEEDED',
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus!,
			5_000,
			10,
		);
		expectStatesInOrder(seen, ['IN_QUEUE', 'IN_PROGRESS', 'SUCCEEDED']);
		const done = last.SpeakerSearchTask!;
		expect(done.StartedTimestamp).toBeInstanceOf(Date);
		expect(done.SpeakerSearchDetails!.VoiceprintGenerationStatus).toBe(
			'VoiceprintGenerationSuccess',
		);
		const results = done.SpeakerSearchDetails!.Results!;
		expect(results.length).toBeGreaterThan(0);
		for (const r of results) {
			expect(r.ConfidenceScore).toBeGreaterThanOrEqual(0);
			expect(r.ConfidenceScore).toBeLessThanOrEqual(1);
			expect(emulator.resources.voiceProfileIds).toContain(r.VoiceProfileId);
		}
		expect(results[0].ConfidenceScore).toBeGreaterThanOrEqual(0.8);
	});

	test.each([
		['partial-call', 'PARTIAL_SUCCESS', 'VoiceprintGenerationFailure'],
		['will-fail', 'FAILED', 'VoiceprintGenerationFailure'],
		['stopped-by-caller', 'STOPPED', undefined],
	])('TransactionId %s ends %s with a StatusMessage', async (transactionId, status, voiceprint) => {
		const client = voiceClient(emulator);
		const connector = emulator.resources.voiceConnectorIds[1];
		const started = await client.send(
			new StartVoiceTask({
				VoiceConnectorId: connector,
				TransactionId: transactionId,
				VoiceProfileDomainId: 'domain-1',
			}),
		);
		const { last } = await pollUntil(
			() =>
				client.send(
					new GetVoiceTask({
						VoiceConnectorId: connector,
						SpeakerSearchTaskId: started.SpeakerSearchTask!.SpeakerSearchTaskId,
					}),
				),
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus === status,
			(r) => r.SpeakerSearchTask!.SpeakerSearchTaskStatus!,
		);
		expect(last.SpeakerSearchTask!.StatusMessage).toBeTruthy();
		expect(last.SpeakerSearchTask!.SpeakerSearchDetails?.VoiceprintGenerationStatus).toBe(
			voiceprint,
		);
	});

	test('Stop turns a running task STOPPED', async () => {
		const client = voiceClient(emulator);
		const task = emulator.createVoiceSpeakerSearchTask({ outcome: 'hang' });
		const connector = String((task.CallDetails as { VoiceConnectorId: string }).VoiceConnectorId);
		const stop = await client.send(
			new StopVoiceTask({
				VoiceConnectorId: connector,
				SpeakerSearchTaskId: String(task.SpeakerSearchTaskId),
			}),
		);
		expect(stop.$metadata.httpStatusCode).toBe(204);
		const got = await client.send(
			new GetVoiceTask({
				VoiceConnectorId: connector,
				SpeakerSearchTaskId: String(task.SpeakerSearchTaskId),
			}),
		);
		expect(got.SpeakerSearchTask!.SpeakerSearchTaskStatus).toBe('STOPPED');
		expect(emulator.getVoiceSpeakerSearchTask(String(task.SpeakerSearchTaskId))).toMatchObject({
			SpeakerSearchTaskStatus: 'STOPPED',
		});
	});

	test('NotFoundException for unknown connectors and tasks, BadRequestException for malformed IDs', async () => {
		const client = voiceClient(emulator);
		const unknown = await errorOf(() =>
			client.send(
				new GetVoiceTask({ VoiceConnectorId: 'zzzzzzzzzzzzzzzzzzzzzz', SpeakerSearchTaskId: 't' }),
			),
		);
		expect(unknown.name).toBe('NotFoundException');
		expect(unknown.$metadata.httpStatusCode).toBe(404);
		expect(unknown.message).toMatch(/Voice connector .* not found/);
		const task = await errorOf(() =>
			client.send(
				new GetVoiceTask({
					VoiceConnectorId: emulator.resources.voiceConnectorIds[0],
					SpeakerSearchTaskId: 'no-such-task',
				}),
			),
		);
		expect(task.name).toBe('NotFoundException');
		const bad = await errorOf(() =>
			client.send(new GetVoiceTask({ VoiceConnectorId: 'BAD', SpeakerSearchTaskId: 'x' })),
		);
		expect(bad.name).toBe('BadRequestException');
		expect(bad.$metadata.httpStatusCode).toBe(400);
		const missing = await errorOf(() =>
			client.send(
				new StartVoiceTask({
					VoiceConnectorId: emulator.resources.voiceConnectorIds[0],
					TransactionId: '',
					VoiceProfileDomainId: 'd',
				}),
			),
		);
		expect(missing.name).toBe('BadRequestException');
	});
});

describe('exact state sequences on a manual clock', () => {
	test('Media Pipelines: NotStarted → Initializing → InProgress → Stopped; Stop → Stopping → Stopped', async () => {
		const e = await startEmulator({
			clock: 'manual',
			durations: {
				chimeMediaPipeline: { queuedMs: 1_000, initializingMs: 1_000, runningMs: 1_000 },
			},
		});
		try {
			const client = mediaPipelinesClient(e);
			const pipeline = e.resources.mediaInsightsPipelines[0];
			const started = await client.send(
				new StartMpTask({ Identifier: pipeline.arn, VoiceProfileDomainArn: DOMAIN_ARN }),
			);
			const id = started.SpeakerSearchTask!.SpeakerSearchTaskId;
			const status = async () =>
				(await client.send(new GetMpTask({ Identifier: pipeline.arn, SpeakerSearchTaskId: id })))
					.SpeakerSearchTask!;
			const seen: string[] = [];
			for (let i = 0; i < 4; i++) {
				seen.push((await status()).SpeakerSearchTaskStatus!);
				e.advance(1_000);
			}
			expect(seen).toEqual(['NotStarted', 'Initializing', 'InProgress', 'Stopped']);
			const done = await status();
			expect(done.UpdatedTimestamp!.getTime() - done.CreatedTimestamp!.getTime()).toBe(3_000);
			const other = e.createMediaPipelineSpeakerSearchTask({
				identifier: pipeline.id,
				durationMs: 10_000,
			});
			await client.send(
				new StopMpTask({
					Identifier: pipeline.id,
					SpeakerSearchTaskId: String(other.SpeakerSearchTaskId),
				}),
			);
			expect(
				e.getMediaPipelineSpeakerSearchTask(String(other.SpeakerSearchTaskId))!
					.SpeakerSearchTaskStatus,
			).toBe('Stopping');
			e.advance(1_000);
			expect(
				e.getMediaPipelineSpeakerSearchTask(String(other.SpeakerSearchTaskId))!
					.SpeakerSearchTaskStatus,
			).toBe('Stopped');
		} finally {
			await e.close();
		}
	});

	test('Voice: IN_QUEUE → IN_PROGRESS → SUCCEEDED with StartedTimestamp set when work starts', async () => {
		const e = await startEmulator({
			clock: 'manual',
			durations: { chimeVoice: { queuedMs: 1_000, runningMs: 2_000 } },
		});
		try {
			const client = voiceClient(e);
			const connector = e.resources.voiceConnectorIds[0];
			const started = await client.send(
				new StartVoiceTask({
					VoiceConnectorId: connector,
					TransactionId: 'tx',
					VoiceProfileDomainId: 'd',
				}),
			);
			const get = async () =>
				(
					await client.send(
						new GetVoiceTask({
							VoiceConnectorId: connector,
							SpeakerSearchTaskId: started.SpeakerSearchTask!.SpeakerSearchTaskId,
						}),
					)
				).SpeakerSearchTask!;
			const a = await get();
			e.advance(1_000);
			const b = await get();
			e.advance(2_000);
			const c = await get();
			expect([a, b, c].map((t) => t.SpeakerSearchTaskStatus)).toEqual([
				'IN_QUEUE',
				'IN_PROGRESS',
				'SUCCEEDED',
			]);
			expect(a.StartedTimestamp).toBeUndefined();
			expect(b.StartedTimestamp!.getTime() - b.CreatedTimestamp!.getTime()).toBe(1_000);
			expect(c.UpdatedTimestamp!.getTime() - c.CreatedTimestamp!.getTime()).toBe(3_000);
		} finally {
			await e.close();
		}
	});
});
