// Item accounting beyond the fault matrix: many items of every service in one run with faults of every
// kind, n8n's "Continue (using error output)", a fatal failure without Continue On Fail while other items are
// still waiting, and a body that breaks off after its status line.
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { node } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { BATCH_FROM_ITEMS } from '../../nodes/WaitUntilComplete/run-job';
import { expectEachItemOnce, account, runBounded } from './support/accounting';
import { emulatorCredentials, fastEmulator } from './support/emulator-env';
import { runCell } from './support/run-target';
import { startRecordingServer } from './support/recording-server';
import { TARGETS } from './support/targets';

describe('one run, every service, faults of every kind', () => {
	it('puts each of 40 items exactly once into Completed or an error item', async () => {
		const emulator = await fastEmulator({ seed: 3 });
		try {
			const pipeline = emulator.resources.mediaInsightsPipelines[0].id;
			const connector = emulator.resources.voiceConnectorIds[0];
			const input = Array.from({ length: 40 }, (_, i) => {
				switch (i % 4) {
					case 0:
						return {
							json: emulator.createPollyTask(
								{
									OutputFormat: 'mp3',
									OutputS3BucketName: 'speech-tasks-output',
									Text: `Item ${i}.`,
									VoiceId: 'Joanna',
								},
								{ durationMs: 300 },
							),
						};
					case 1:
						return {
							json: {
								...emulator.createMediaPipelineSpeakerSearchTask({
									identifier: pipeline,
									durationMs: 300,
								}),
								MediaInsightsPipelineIdentifier: pipeline,
							},
						};
					case 2:
						return {
							json: emulator.createVoiceSpeakerSearchTask({
								voiceConnectorId: connector,
								durationMs: 300,
							}),
						};
					default:
						return {
							json: {
								id: emulator.createAsposeTask(`Item ${i}.`, { durationMs: 300 }),
								taskStatus: 'Pending',
							},
						};
				}
			});
			const routes: Array<
				'polly.get' | 'chimeMediaPipeline.get' | 'chimeVoice.get' | 'aspose.fetch' | 's3.get'
			> = ['polly.get', 'chimeMediaPipeline.get', 'chimeVoice.get', 'aspose.fetch', 's3.get'];
			emulator.setFaults([
				{ route: routes, fault: 'throttle', rate: 0.1, retryAfterSeconds: 1 },
				{ route: routes, fault: 'error503', rate: 0.05 },
				{ route: routes, fault: 'reset', rate: 0.05 },
				{ route: routes, fault: 'truncated', rate: 0.05 },
				{ route: ['polly.get', 'chimeVoice.get'], fault: 'signatureRejected', count: 2 },
			]);
			const waitNode = node(
				TYPES.waitUntilComplete,
				{
					service: 'auto',
					downloadAudio: true,
					binaryPropertyName: 'data',
					options: { strategy: 'fixed', interval: 0.2, timeout: 20 },
				},
				{ name: 'Wait Until Complete', onError: 'continueRegularOutput' },
			);
			const { result } = await runBounded(
				{
					nodeTypes,
					credentialTypes,
					credentials: emulatorCredentials(emulator),
					nodes: [waitNode],
					input: input as INodeExecutionData[],
				},
				40_000,
			);
			const accounting = account(result, 'Wait Until Complete', [
				'completed',
				'failed',
				'timedOut',
			]);
			expectEachItemOnce(accounting, 40);
			// The two signature rejections are the only errors; every other item recovered from its faults.
			expect(accounting.errors).toHaveLength(2);
			for (const error of accounting.errors)
				expect(error.message).toBe('AWS rejected the request signature');
			expect(accounting.count('completed')).toBe(38);
		} finally {
			await emulator.close();
		}
	});
});

describe('Continue (using error output)', () => {
	// The Get nodes are declarative: n8n's RoutingNode moves their error items to the error output itself.
	it.each(
		[TARGETS.getPolly, TARGETS.getSpeakerSearchPipeline, TARGETS.getSpeakerSearchVoice].map(
			(t) => [t.label, t] as const,
		),
	)(
		'%s: the failed item goes to the error output, the others to the main output',
		async (_label, target) => {
			const run = await runCell(target, {
				items: 3,
				rule: { ...{ route: target.routes, fault: 'signatureRejected' }, count: 1 },
				continueOnFail: 'errorOutput',
				limitMs: 20_000,
			});
			expectEachItemOnce(run.accounting, 3);
			const outputs = run.result.outputs[run.node.name];
			expect(outputs[0]).toHaveLength(2);
			expect(outputs[1]).toHaveLength(1);
		},
	);

	// BUG B3 (nodes/common/error-item.ts): n8n's handleNodeErrorOutput moves an item to the error output only if
	// it carries `error` or its json has no keys but error/message/details. errorItem() adds `description` and
	// `httpCode`, so with "Continue (using error output)" failed items stay in the main (Completed) output.
	// Fix: return `{ json: {...}, error: <the NodeApiError/NodeOperationError>, pairedItem }` from errorItem().
	it.each([TARGETS.fetchAspose, TARGETS.waitVoice].map((t) => [t.label, t] as const))(
		'%s: the failed item goes to the error output, the others to the main output (B3)',
		async (_label, target) => {
			const fault = target.wait ? 'signatureRejected' : 'throttle';
			const run = await runCell(target, {
				items: 3,
				rule: { route: target.routes, fault, count: 1 },
				continueOnFail: 'errorOutput',
				limitMs: 20_000,
			});
			expectEachItemOnce(run.accounting, 3);
			const outputs = run.result.outputs[run.node.name];
			const errorOutput = outputs[outputs.length - 1];
			expect(errorOutput).toHaveLength(1);
			expect(outputs[0]).toHaveLength(2);
		},
	);
});

describe('Wait Until Complete without Continue On Fail', () => {
	// Fewer items than batched reads start from, so that every check is one Get (unless `items` says more).
	async function failFast(
		options: Record<string, unknown>,
		faults: Array<Record<string, unknown>>,
		items = BATCH_FROM_ITEMS - 1,
	) {
		const emulator = await fastEmulator();
		try {
			const hanging = Array.from({ length: items }, (_, i) =>
				emulator.createPollyTask(
					{
						OutputFormat: 'mp3',
						OutputS3BucketName: 'speech-tasks-output',
						Text: `Item ${i}.`,
						VoiceId: 'Joanna',
					},
					{ outcome: 'hang' },
				),
			);
			emulator.setFaults(faults as never);
			const waitNode: INode = node(
				TYPES.waitUntilComplete,
				{
					service: 'polly',
					taskId: '={{ $json.TaskId }}',
					options: { strategy: 'fixed', interval: 0.3, timeout: 60, ...options },
				},
				{ name: 'Wait Until Complete' },
			);
			const { result, elapsedMs } = await runBounded(
				{
					nodeTypes,
					credentialTypes,
					credentials: emulatorCredentials(emulator),
					nodes: [waitNode],
					input: hanging.map((t) => ({ json: t as IDataObject })),
				},
				20_000,
			);
			const atFailure = emulator.requests.length;
			await new Promise((resolve) => setTimeout(resolve, 1000));
			return {
				result,
				elapsedMs,
				requestsAfterFailure: emulator.requests.slice(atFailure).map((r) => r.url),
			};
		} finally {
			await emulator.close();
		}
	}

	it('fails the node with the first fatal error at once, without waiting for the other items', async () => {
		const { result, elapsedMs } = await failFast({}, [
			{ route: 'polly.get', fault: 'expiredToken', after: 25, count: 1 },
		]);
		expect(result.error?.message).toBe('The AWS session token has expired');
		expect((result.error as { description?: string }).description).toMatch(/fresh Access Key ID/);
		expect(elapsedMs).toBeLessThan(5000);
	});

	it('fails the node at once when the token expired while many items are read by a listing', async () => {
		// The listing's failure sends its items to Get (a refused listing must not end the node), and the
		// first Get's answer, the same expired token, ends it.
		const { result, elapsedMs } = await failFast(
			{},
			[
				{ route: 'polly.list', fault: 'expiredToken' },
				{ route: 'polly.get', fault: 'expiredToken' },
			],
			BATCH_FROM_ITEMS * 2,
		);
		expect(result.error?.message).toBe('The AWS session token has expired');
		expect(elapsedMs).toBeLessThan(5000);
	});

	// BUG B11 (nodes/common/polling/limiter.ts, WaitUntilComplete.node.ts): when one item ends the node (no
	// Continue On Fail), the items waiting for a request slot in the limiter still send one status request each
	// after the node has failed: the limiter does not know the stop signal. (On cancellation n8n's abort signal
	// stops those requests before they leave; on a failure nothing does.) Forced here with one request slot and
	// slow answers, so that most items are queued when the failure comes.
	it('sends no request after the node has failed (B11)', async () => {
		const { result, requestsAfterFailure } = await failFast({ maxConcurrentRequests: 1 }, [
			{ route: 'polly.get', fault: 'expiredToken', after: 25, count: 1 },
			{ route: 'polly.get', fault: 'slow', delayMs: 100 },
		]);
		expect(result.error?.message).toBe('The AWS session token has expired');
		expect(requestsAfterFailure).toEqual([]);
	});
});

describe('a body that breaks off after a 200 status line (deterministic)', () => {
	// The emulator's `truncated` fault lets either side of the race win; this server always sends the status
	// line and half of the JSON, waits, then drops the connection.
	it('Wait Until Complete retries it and completes; Get Polly Synthesis Task reports an error', async () => {
		const server = await startRecordingServer();
		let calls = 0;
		server.handle((_request, response) => {
			calls++;
			const body = JSON.stringify({ SynthesisTask: { TaskId: 't1', TaskStatus: 'inProgress' } });
			if (calls === 1) {
				response.writeHead(200, {
					'content-type': 'application/json',
					'content-length': String(body.length),
				});
				response.write(body.slice(0, 20));
				setTimeout(() => response.socket?.destroy(), 100);
				return;
			}
			const done = JSON.stringify({ SynthesisTask: { TaskId: 't1', TaskStatus: 'completed' } });
			response.writeHead(200, {
				'content-type': 'application/json',
				'content-length': String(done.length),
			});
			response.end(done);
		});
		try {
			const credentials = {
				awsSigV4Api: { ...emulatorCredentialsFor(server.url), s3Endpoint: '' },
			};
			const wait = await runBounded(
				{
					nodeTypes,
					credentialTypes,
					credentials,
					nodes: [
						node(
							TYPES.waitUntilComplete,
							{
								service: 'polly',
								taskId: 't1',
								downloadAudio: false,
								options: { strategy: 'fixed', interval: 0.1, timeout: 10 },
							},
							{ name: 'Wait' },
						),
					],
				},
				15_000,
			);
			expect(wait.result.error).toBeUndefined();
			expect(wait.result.outputs.Wait[0][0].json.waitOutcome).toMatchObject({
				outcome: 'completed',
				checks: 2,
			});

			calls = 0;
			const get = await runBounded(
				{
					nodeTypes,
					credentialTypes,
					credentials,
					nodes: [node(TYPES.getPollySynthesisTask, { taskId: 't1' }, { name: 'Get' })],
				},
				15_000,
			);
			expect(get.result.error).toBeDefined();
		} finally {
			await server.close();
		}
	});
});

function emulatorCredentialsFor(base: string) {
	return {
		region: 'us-east-1',
		accessKeyId: 'AKIDSPEECHTASKSTEST',
		secretAccessKey: 'wJalrXUtnFEMI-SECRET-KEY-never-shown-0123456789',
		temporaryCredentials: false,
		customEndpoints: true,
		pollyEndpoint: base,
	};
}

describe("the node's own words for network failures", () => {
	// BUG B13 (nodes/common/errors/node-errors.ts apiError): commit 1c196e9 moved the network code from `code` to
	// `errorCode` so that n8n would keep our message, but `errorCode` is one of n8n's POSSIBLE_ERROR_STATUS_KEYS:
	// NodeApiError reads "ECONNRESET" as the httpCode and setDescriptiveErrorMessage() swaps the message for its
	// generic "The connection to the server was closed unexpectedly…". Fix: keep the code under a key n8n does not
	// read (for example `serviceCode`), or pass `messageMapping: { [code]: explanation.message }`.
	it('Wait Until Complete says which endpoint it could not reach (B13)', async () => {
		const run = await runCell(TARGETS.waitPolly, {
			items: 1,
			rule: { route: 'polly.get', fault: 'reset' },
			continueOnFail: true,
			parameters: { options: { strategy: 'fixed', interval: 0.1, timeout: 1 } },
			limitMs: 20_000,
		});
		expect(run.accounting.errors[0].message).toBe(
			'Could not reach the Polly synthesis task endpoint (connection reset)',
		);
	});
});
