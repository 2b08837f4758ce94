// Cancellation: a run of Wait Until Complete with 500 items waiting on tasks that never finish is cancelled;
// the run must end within one second (asserted with margin: 0.75 s), send no request afterwards, and
// leave no timer behind. With every item asleep between polls, and with status requests in flight (the
// emulator holds each for 10 s); for Aspose tasks (one status request per item) and for Polly tasks, whose
// statuses the node reads many at once with ListSpeechSynthesisTasks.
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { node } from '../harness/fixtures';
import { startWorkflow } from '../harness/run-workflow';
import type { Emulator } from '../emulator';
import { emulatorCredentials, fastEmulator } from './support/emulator-env';

const ITEMS = 500;
/** The promise is one second; the assertion keeps a quarter of it as margin (measured: 0.1–0.35 s). */
const LIMIT_MS = 750;
/**
 * With 100 requests on the wire and 400 items queued for a request slot, today each queued item still goes
 * through signing and a (pre-aborted) request before it notices the cancellation (bug B11, limiter.ts): 0.35 s
 * alone, up to 0.7 s on a loaded machine. Asserted against the promise itself until B11 is fixed.
 */
const IN_FLIGHT_LIMIT_MS = 1000;

let emulator: Emulator;

beforeEach(async () => {
	emulator = await fastEmulator();
});
afterEach(async () => {
	await emulator.close();
});

type Service = 'aspose' | 'polly';

function hangingTasks(service: Service, count: number) {
	return Array.from({ length: count }, (_, i) => {
		if (service === 'aspose') {
			return { json: { id: emulator.createAsposeTask(`Item ${i} never finishes [[hang]].`) } };
		}
		const task = emulator.createPollyTask(
			{
				OutputFormat: 'mp3',
				OutputS3BucketName: 'speech-tasks-output',
				Text: `Item ${i} never finishes.`,
				VoiceId: 'Joanna',
			},
			{ outcome: 'hang' },
		);
		return { json: { TaskId: String(task.TaskId) } };
	});
}

const ID_PARAMETER = { aspose: '={{ $json.id }}', polly: '={{ $json.TaskId }}' };

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not reached');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function cancelAndMeasure(
	service: Service,
	options: Record<string, unknown>,
	ready: () => boolean,
) {
	const timersBefore = timers();
	const running = startWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes: [
			node(
				TYPES.waitUntilComplete,
				{
					service,
					taskId: ID_PARAMETER[service],
					downloadAudio: true,
					binaryPropertyName: 'data',
					options: { timeout: 600, ...options },
				},
				{ name: 'Wait Until Complete' },
			),
		],
		input: hangingTasks(service, ITEMS),
	});
	let settled = false;
	const outcome = running.result.then(
		(result) => ({ result, error: undefined as unknown }),
		(error: unknown) => ({ result: undefined, error }),
	);
	void outcome.then(() => (settled = true));

	await until(ready, 30_000);
	expect(settled).toBe(false);
	const requestsAtCancel = emulator.requests.length;
	const cancelledAt = process.hrtime.bigint();
	running.cancel();
	const ended = await outcome;
	const latencyMs = Number(process.hrtime.bigint() - cancelledAt) / 1e6;

	// Nothing goes out after the cancellation (requests already on the wire may still arrive: allow those).
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const after = emulator.requests
		.slice(requestsAtCancel)
		.filter((r) => r.time > Number(cancelledAt / 1_000_000n) + 50);
	return { latencyMs, ended, after, timersBefore, timersAfter: timers() };
}

/** Status reads that reached the emulator: Aspose's per task, Polly's listings. */
const statusReads = (service: Service) =>
	emulator.requests.filter(
		(r) => r.route === (service === 'aspose' ? 'aspose.fetch' : 'polly.list'),
	);

describe(`cancelling Wait Until Complete with ${ITEMS} waiting items`, () => {
	it('Aspose: ends the run within a second while every item sleeps between polls', async () => {
		const polled = () => new Set(statusReads('aspose').map((r) => r.url)).size >= ITEMS;
		const { latencyMs, after, timersBefore, timersAfter } = await cancelAndMeasure(
			'aspose',
			{ strategy: 'fixed', interval: 30, maxConcurrentRequests: 100 },
			polled,
		);
		console.log(`Cancellation latency, ${ITEMS} items asleep: ${latencyMs.toFixed(1)} ms`);
		expect(latencyMs).toBeLessThan(LIMIT_MS);
		expect(after).toEqual([]);
		expect(timersAfter).toBeLessThanOrEqual(timersBefore);
	});

	it('Aspose: ends the run within a second while status requests are in flight', async () => {
		emulator.setFaults([{ route: 'aspose.fetch', fault: 'slow', delayMs: 10_000 }]);
		const inFlight = () => statusReads('aspose').length >= 100;
		const { latencyMs, after, timersBefore, timersAfter } = await cancelAndMeasure(
			'aspose',
			{ strategy: 'fixed', interval: 30, maxConcurrentRequests: 100 },
			inFlight,
		);
		console.log(
			`Cancellation latency, ${ITEMS} items, 100 requests in flight: ${latencyMs.toFixed(1)} ms`,
		);
		expect(latencyMs).toBeLessThan(IN_FLIGHT_LIMIT_MS);
		expect(after).toEqual([]);
		expect(timersAfter).toBeLessThanOrEqual(timersBefore);
	});

	it('Polly, read by listing: ends the run within a second while every item sleeps between polls', async () => {
		// Asleep: a whole sweep answered (a page per 100 tasks), and nothing sent for a moment since.
		const listed = () => {
			const pages = statusReads('polly').filter((r) => r.status === 200);
			const last = emulator.requests[emulator.requests.length - 1];
			return pages.length >= ITEMS / 100 && Date.now() - last.time > 200;
		};
		const { latencyMs, after, timersBefore, timersAfter } = await cancelAndMeasure(
			'polly',
			{ strategy: 'fixed', interval: 30, maxConcurrentRequests: 100 },
			listed,
		);
		console.log(`Cancellation latency, ${ITEMS} Polly items asleep: ${latencyMs.toFixed(1)} ms`);
		expect(latencyMs).toBeLessThan(LIMIT_MS);
		expect(after).toEqual([]);
		expect(timersAfter).toBeLessThanOrEqual(timersBefore);
	});

	it('Polly, read by listing: ends the run within a second while a listing is in flight', async () => {
		emulator.setFaults([{ route: 'polly.list', fault: 'slow', delayMs: 10_000 }]);
		const inFlight = () => statusReads('polly').length >= 1;
		const { latencyMs, after, timersBefore, timersAfter } = await cancelAndMeasure(
			'polly',
			{ strategy: 'fixed', interval: 30, maxConcurrentRequests: 100 },
			inFlight,
		);
		expect(latencyMs).toBeLessThan(LIMIT_MS);
		expect(after).toEqual([]);
		expect(timersAfter).toBeLessThanOrEqual(timersBefore);
	});
});
