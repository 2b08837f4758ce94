// Fault matrix, Wait Until Complete rows: every service's status requests and the Polly audio download
// from S3, × every fault. Shared by the transient and persistent test files.
import type { RequestLogEntry } from '../../emulator';
import { expectEachItemOnce } from './accounting';
import {
	FAULT_CASES,
	persistentOutcome,
	REQUEST_TIMEOUT_CAP_MS,
	SLOW_MS,
	transientOutcome,
} from './fault-matrix';
import type { FaultCase, Outcome } from './fault-matrix';
import { runCell, strayRequests } from './run-target';
import type { CellRun } from './run-target';
import { TARGETS, WAIT_OPTIONS } from './targets';
import type { Target } from './targets';

export const WAIT_TARGETS: Target[] = [
	TARGETS.waitPolly,
	TARGETS.waitPollyDownload,
	TARGETS.waitPipeline,
	TARGETS.waitVoice,
	TARGETS.waitAspose,
];

const withAudio = (target: Target) =>
	target.service === 'polly' || target.service === 's3' || target.service === 'aspose';

function expectErrorMessage(
	message: string | undefined,
	outcome: Extract<Outcome, { kind: 'error' }>,
): void {
	if (!outcome.message.test(message ?? ''))
		throw new Error(`Unexpected error message "${message}"; expected ${String(outcome.message)}`);
}

/** Time between a faulted request and the next request for the same URL. */
function retryGapMs(requests: RequestLogEntry[]): number | undefined {
	const faulted = requests.find((r) => r.fault !== undefined);
	if (!faulted) return undefined;
	const next = requests.find((r) => r.id > faulted.id && r.url === faulted.url);
	return next ? next.time - faulted.time : undefined;
}

function expectCompleted(run: CellRun, target: Target, count: number): void {
	const completed = run.accounting.placed.filter((p) => p.place === 'completed');
	expect(completed).toHaveLength(count);
	for (const p of completed) {
		expect(p.item.json.waitOutcome).toMatchObject({ outcome: 'completed' });
		if (withAudio(target)) expect(p.item.binary?.data).toBeDefined();
	}
}

export async function transientCell(target: Target, fault: FaultCase): Promise<void> {
	const items = 3;
	const limitMs = WAIT_OPTIONS.timeout * 1000 + SLOW_MS + 10_000;
	const outcome = transientOutcome(target, fault);
	const run = await runCell(target, {
		items,
		rule: { ...fault.rule(target.routes), count: 1 },
		continueOnFail: true,
		limitMs,
	});

	expect(run.result.error).toBeUndefined();
	expectEachItemOnce(run.accounting, items);
	expect(strayRequests(run, target)).toEqual([]);
	expect(run.accounting.count('failed')).toBe(0);
	expect(run.accounting.count('timedOut')).toBe(0);

	if (outcome.kind === 'notApplicable') {
		expect(run.injected).toBe(0);
		expectCompleted(run, target, items);
		return;
	}
	expect(run.injected).toBe(1);
	if (outcome.kind === 'recovered') {
		expectCompleted(run, target, items);
		const gap = retryGapMs(run.requests);
		// Retry-After is honoured; otherwise at least one second passes before the same request goes out again.
		if (outcome.backoff === 'retryAfter') expect(gap).toBeGreaterThanOrEqual(2000 - 50);
		if (outcome.backoff === 'backoff') expect(gap).toBeGreaterThanOrEqual(1000 - 50);
		return;
	}
	const errors = run.accounting.errors;
	expect(errors).toHaveLength(outcome.all ? items : 1);
	for (const error of errors) {
		expectErrorMessage(error.message, outcome);
		expect(error.description).toMatch(/\w{3,}/);
	}
	expectCompleted(run, target, items - errors.length);
}

export const PERSISTENT_TIMEOUT_S = 2;

export async function persistentCell(target: Target, fault: FaultCase): Promise<void> {
	const items = 2;
	const limitMs = PERSISTENT_TIMEOUT_S * 1000 + 2 * (SLOW_MS + REQUEST_TIMEOUT_CAP_MS) + 10_000;
	const outcome = persistentOutcome(target, fault);
	const run = await runCell(target, {
		items,
		rule: fault.rule(target.routes),
		continueOnFail: true,
		parameters: { options: { ...WAIT_OPTIONS, timeout: PERSISTENT_TIMEOUT_S } },
		limitMs,
	});

	expect(run.result.error).toBeUndefined();
	expectEachItemOnce(run.accounting, items);
	expect(strayRequests(run, target)).toEqual([]);
	expect(run.elapsedMs).toBeLessThan(limitMs);

	if (outcome.kind === 'notApplicable' || outcome.kind === 'recovered') {
		if (outcome.kind === 'notApplicable') expect(run.injected).toBe(0);
		expectCompleted(run, target, items);
		return;
	}
	expect(run.injected).toBeGreaterThan(0);
	const errors = run.accounting.errors;
	expect(errors).toHaveLength(items);
	for (const error of errors) {
		expectErrorMessage(error.message, outcome);
		expect(error.description).toMatch(/\w{3,}/);
	}
	// Retryable faults are retried until the timeout, never given up on earlier.
	if (outcome.retriedUntilTimeout)
		expect(run.elapsedMs).toBeGreaterThanOrEqual(PERSISTENT_TIMEOUT_S * 1000 - 100);
}

export { FAULT_CASES };
