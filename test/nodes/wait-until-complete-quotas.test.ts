/**
 * Wait Until Complete under Polly's documented quota (GetSpeechSynthesisTask + ListSpeechSynthesisTasks: 10 per
 * second per account and Region), in n8n's real engine against the emulator with its quotas on: the items share
 * one request rate, so the service throttles almost nothing.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BUCKET, credentialFor, oneNode, textOf } from '../bench/emulator-setup';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ quotas: true });
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

function pollyTasks(count: number, durationMs: (i: number) => number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({
		json: emulator.createPollyTask(
			{ OutputS3BucketName: BUCKET, VoiceId: 'Joanna', OutputFormat: 'mp3', Text: textOf(400) },
			{ durationMs: durationMs(i), outputSizeBytes: 2048 },
		) as INodeExecutionData['json'],
	}));
}

const waitNode = (input: INodeExecutionData[], options: INodeParameters, audio = true) =>
	oneNode(
		credentialFor(emulator),
		TYPES.waitUntilComplete,
		{ service: 'auto', downloadAudio: audio, binaryPropertyName: 'data', options },
		input,
		'Wait Until Complete',
	);

/** The most requests of these routes that arrived within any one second. */
function peakPerSecond(emu: Emulator, ...routes: string[]): number {
	const times = emu.requests.filter((e) => routes.includes(String(e.route))).map((e) => e.time);
	let peak = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= 1000) j++;
		peak = Math.max(peak, i - j + 1);
	}
	return peak;
}

describe('Wait Until Complete within the Polly quota', () => {
	it('waits for 100 tasks with few throttled status requests, and every item gets its audio', async () => {
		const input = pollyTasks(100, (i) => 1000 + (i % 10) * 300);
		const { outputs, error } = await runWorkflow(waitNode(input, { timeout: 120 }));

		expect(error).toBeUndefined();
		const [completed, failed, timedOut] = outputs['Wait Until Complete'];
		expect(failed).toEqual([]);
		expect(timedOut).toEqual([]);
		expect(completed).toHaveLength(100);
		expect(completed.every((item) => item.binary?.data?.fileSize !== undefined)).toBe(true);

		// Status reads: one Get per task, or ListSpeechSynthesisTasks pages, which share the quota.
		const status = emulator.requests.filter(
			(e) => e.route === 'polly.get' || e.route === 'polly.list',
		);
		const throttled = status.filter((e) => e.errorCode === 'ThrottlingException');
		// At most 5 % throttled (without rate control most of them are).
		expect(throttled.length).toBeLessThanOrEqual(Math.max(2, Math.ceil(status.length * 0.05)));
		expect(emulator.quotaCounts()['polly:GetList'] ?? 0).toBe(throttled.length);
		expect(status.length).toBeLessThan(200);
		expect(peakPerSecond(emulator, 'polly.get', 'polly.list')).toBeLessThanOrEqual(12);
	}, 60_000);

	it('paces one Get per check at the quota when listing is refused', async () => {
		// As for an IAM policy without polly:ListSpeechSynthesisTasks: every read is a Get.
		emulator.setFaults([{ route: 'polly.list', fault: 'expiredToken' }]);
		const input = pollyTasks(100, (i) => 1000 + (i % 10) * 300);
		const { outputs, error } = await runWorkflow(waitNode(input, { timeout: 120 }, false));

		expect(error).toBeUndefined();
		expect(outputs['Wait Until Complete'][0]).toHaveLength(100);
		const gets = emulator.requests.filter((e) => e.route === 'polly.get');
		const throttled = gets.filter((e) => e.errorCode === 'ThrottlingException');
		expect(gets.length).toBeGreaterThanOrEqual(100);
		expect(throttled.length).toBeLessThanOrEqual(Math.ceil(gets.length * 0.05));
		// Without rate control, 100 items checking at once send far more than 10 in a second.
		expect(peakPerSecond(emulator, 'polly.get', 'polly.list')).toBeLessThanOrEqual(20);
	}, 60_000);

	it('sends faster when Requests per Second says the account has a higher quota', async () => {
		// Chime SDK publishes no rate: Requests per Second sets one, which the node keeps to.
		const raised = await startEmulator({ quotas: { chimePerSecond: 25 } });
		try {
			const input = Array.from({ length: 60 }, () => ({
				json: raised.createVoiceSpeakerSearchTask({
					durationMs: 1500,
				}) as INodeExecutionData['json'],
			}));
			const { outputs, error } = await runWorkflow(
				oneNode(
					credentialFor(raised),
					TYPES.waitUntilComplete,
					{
						service: 'auto',
						options: { timeout: 60, requestsPerSecond: 20, maxConcurrentRequests: 20 },
					},
					input,
					'Wait Until Complete',
				),
			);
			expect(error).toBeUndefined();
			expect(outputs['Wait Until Complete'][0]).toHaveLength(60);
			const status = raised.requests.filter((e) => e.route === 'chimeVoice.get');
			expect(status.filter((e) => e.status !== 200)).toEqual([]);
			// In the second second (after a new bucket's start allowance), near the 20 set and not above.
			const times = status.map((e) => e.time).sort((a, b) => a - b);
			const second = times.filter((t) => t >= times[0] + 1000 && t < times[0] + 2000).length;
			expect(second).toBeGreaterThan(12);
			expect(second).toBeLessThanOrEqual(22);
		} finally {
			await raised.close();
		}
	}, 60_000);

	it('refuses a negative Requests per Second before any request, naming the option', async () => {
		const input = pollyTasks(1, () => 0);
		const { error } = await runWorkflow(waitNode(input, { requestsPerSecond: -1 }, false));
		expect(error?.message).toContain('Requests per Second');
		expect(error?.description).toContain('requestsPerSecond');
		expect(emulator.requests).toEqual([]);
	});
});
