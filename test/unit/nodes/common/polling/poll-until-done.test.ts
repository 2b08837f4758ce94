import { createLimiter } from '../../../../../nodes/common/polling/limiter';
import { fixedPolicy } from '../../../../../nodes/common/polling/policy';
import { pollUntilDone } from '../../../../../nodes/common/polling/poll-until-done';
import type { CheckOutcome } from '../../../../../nodes/common/polling/poll-until-done';

/** A virtual clock: sleeping moves time, nothing waits. */
function clock() {
	let now = 0;
	const sleeps: number[] = [];
	return {
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		sleeps,
		advance: (ms: number) => (now += ms),
	};
}

const run = <T>(check: () => Promise<CheckOutcome<T>>, deadline: number, c = clock()) =>
	pollUntilDone(check, {
		deadline,
		policy: fixedPolicy(3000),
		now: c.now,
		sleep: c.sleep,
		random: () => 0.5,
		limit: createLimiter(1),
	});

describe('pollUntilDone', () => {
	it('checks at once, then after each delay, until done', async () => {
		const c = clock();
		let calls = 0;
		const result = await run(
			async () => (++calls === 3 ? { kind: 'done', value: 'ok' } : { kind: 'waiting', value: 'x' }),
			60_000,
			c,
		);
		expect(result).toEqual({ outcome: 'done', value: 'ok', checks: 3 });
		expect(c.sleeps).toEqual([3000, 3000]);
	});

	it('never sleeps past the deadline and checks once more at it', async () => {
		const c = clock();
		const times: number[] = [];
		const result = await run(
			async () => {
				times.push(c.now());
				return { kind: 'waiting', value: 'running' };
			},
			7000,
			c,
		);
		expect(result).toEqual({ outcome: 'timedOut', value: 'running', checks: 4 });
		expect(times).toEqual([0, 3000, 6000, 7000]);
	});

	it('retries failures with backoff and throws the last error if no check ever succeeded', async () => {
		const error = new Error('service down');
		await expect(run(async () => ({ kind: 'retry', error }), 20_000)).rejects.toBe(error);
	});

	it('after a successful check, a failure at the deadline ends as timed out with the last status', async () => {
		let calls = 0;
		const result = await run(
			async () =>
				++calls === 1
					? { kind: 'waiting', value: 'inProgress' }
					: { kind: 'retry', error: new Error('503') },
			5000,
		);
		expect(result).toMatchObject({ outcome: 'timedOut', value: 'inProgress' });
	});

	it('lets a thrown (fatal) error through at once', async () => {
		await expect(run(async () => Promise.reject(new Error('denied')), 60_000)).rejects.toThrow(
			'denied',
		);
	});
});

describe('createLimiter', () => {
	it('keeps at most N tasks in flight and runs them all', async () => {
		const limit = createLimiter(3);
		let active = 0;
		let peak = 0;
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				limit(async () => {
					peak = Math.max(peak, ++active);
					await new Promise((resolve) => setImmediate(resolve));
					active--;
					return i;
				}),
			),
		);
		expect(peak).toBe(3);
		expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
	});
});
