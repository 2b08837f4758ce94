import { pollyAdapter } from '../../../../../nodes/common/adapters/polly';
import {
	adaptivePolicy,
	backoffAfterFailure,
	fixedPolicy,
	gridPolicy,
} from '../../../../../nodes/common/polling/policy';
import type { BatchReaderStats } from '../../../../../nodes/common/polling/batch-reader';
import { whileListing } from '../../../../../nodes/WaitUntilComplete/run-job';
import { pollyTaskPhasesMs } from '../../../../emulator/duration-model';

const mid = () => 0.5;
const high = () => 0.999;

describe('adaptive polling policy', () => {
	const policy = adaptivePolicy();
	const at = (elapsed: number, expected = 100_000) =>
		policy.nextDelayMs(
			{ checks: 1, now: 1_000_000 + elapsed, createdAt: 1_000_000, expectedDurationMs: expected },
			mid,
		);

	it('sleeps to one step past the earliest plausible finish, but probes at least every minute', () => {
		// expected 100 s: earliest 80 s, so the next check is at 84.5 s.
		expect(at(70_000)).toBe(14_500);
		expect(at(0)).toBe(60_000);
	});

	it('checks once per step (at most 4.5 s) while the finish is plausible, landing on the latest', () => {
		for (const elapsed of [80_000, 90_000, 110_000]) {
			const delay = at(elapsed);
			expect(delay).toBeGreaterThanOrEqual(4_050);
			expect(delay).toBeLessThanOrEqual(4_500);
		}
		expect(at(118_000)).toBe(2_000);
	});

	it('grows the step once the task is overdue, up to the cap', () => {
		expect(at(160_000)).toBeGreaterThan(at(125_000));
		expect(at(10_000_000)).toBeLessThanOrEqual(30_000);
	});

	it('backs off ×1.5 between 1 s and 30 s without an estimate', () => {
		const delays = [1, 2, 3, 4, 8, 30].map((checks) =>
			policy.nextDelayMs({ checks, now: 0 }, () => 0),
		);
		expect(delays).toEqual([1000, 1500, 2250, 3375, 1000 * 1.5 ** 7, 30_000]);
		expect(policy.nextDelayMs({ checks: 1, now: 0 }, high)).toBeGreaterThanOrEqual(1000);
	});

	it('fixed interval is the same every time', () => {
		expect(fixedPolicy(5000).nextDelayMs({ checks: 7, now: 1 }, mid)).toBe(5000);
	});

	it('after a failure: honours Retry-After and at least doubles, capped', () => {
		expect(backoffAfterFailure(1000, 7000, mid)).toBe(7000);
		expect(backoffAfterFailure(4000, undefined, mid)).toBe(8000);
		expect(backoffAfterFailure(50_000, undefined, high)).toBe(60_000);
	});
});

describe('Polly duration estimate', () => {
	// The estimate is a guess about the real service; the emulator's model uses the same figures,
	// so benchmarks measure the policy, and these two tables cannot drift apart unnoticed.
	it.each([
		[50, 'standard', 'mp3'],
		[1311, 'neural', 'mp3'],
		[20_000, 'generative', 'ogg_vorbis'],
		[100_000, 'long-form', 'pcm'],
		[5000, 'neural', 'json'],
	])('%i characters, %s, %s: as the emulator models it', (characters, engine, format) => {
		const estimate = pollyAdapter.task.expectedDurationMs!({
			RequestCharacters: characters,
			Engine: engine,
			OutputFormat: format,
		});
		expect(estimate).toBe(pollyTaskPhasesMs({ characters, engine, outputFormat: format }).totalMs);
	});

	it('gives no estimate without billed characters', () => {
		expect(pollyAdapter.task.expectedDurationMs!({ TaskStatus: 'scheduled' })).toBeUndefined();
	});
});

describe('grid policy (items read together by one listing)', () => {
	const policy = gridPolicy(10_000, 4500);
	const next = (now: number) => now + policy.nextDelayMs({ checks: 1, now }, mid);

	it('brings every item to the same grid points, whenever it last checked', () => {
		expect(next(10_000)).toBe(14_500);
		expect(next(12_345)).toBe(14_500);
		expect(next(14_500)).toBe(19_000);
		// A check that ended just before a grid point waits for the next one rather than less than minMs.
		expect(next(14_000)).toBe(19_000);
	});

	it('never waits longer than one grid step plus the shortest wait', () => {
		for (let now = 10_000; now < 40_000; now += 137) {
			const delay = next(now) - now;
			expect(delay).toBeGreaterThanOrEqual(policy.minDelayMs);
			expect(delay).toBeLessThanOrEqual(4500 + policy.minDelayMs);
		}
	});
});

describe('batched items: the grid while listing, their own policy once listing is given up', () => {
	it('switches to the own policy when the reader stops listing', () => {
		const reader: { stats: BatchReaderStats } = { stats: { gets: 0, pages: 0, sweeps: 0 } };
		const policy = whileListing(reader, gridPolicy(0, 4500), fixedPolicy(700));
		const state = { checks: 1, now: 1000 };
		expect(policy.nextDelayMs(state, mid)).toBe(3500);
		reader.stats.disabled = 'order';
		expect(policy.nextDelayMs(state, mid)).toBe(700);
		expect(policy.minDelayMs).toBe(700);
	});
});
