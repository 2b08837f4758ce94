import {
	backoffAfterFailure,
	plausibleCreatedAt,
	plausibleDuration,
	plausibleWindow,
	usableDelay,
} from './policy';
import type { PollingPolicy, PollState } from './policy';
import type { PollWindow } from './learning';

/** The result of one status check. */
export type CheckOutcome<T> =
	| { kind: 'done'; value: T }
	| {
			kind: 'waiting';
			value: T;
			createdAt?: number;
			expectedDurationMs?: number;
			/** Where the task is expected to finish, as learned; the policy prefers it. */
			window?: PollWindow;
	  }
	/** Throttled or a transient failure: try again later, never fail while time remains. */
	| { kind: 'retry'; error: Error; retryAfterMs?: number };

export type PollResult<T> =
	| { outcome: 'done'; value: T; checks: number }
	| { outcome: 'timedOut'; value: T; checks: number };

export interface PollOptions {
	/** Epoch ms after which no further check starts. */
	deadline: number;
	policy: PollingPolicy;
	now: () => number;
	/** Resolves after `ms`; rejects when the execution is cancelled. */
	sleep: (ms: number) => Promise<void>;
	random: () => number;
	/** Bounds the requests in flight across all tasks of a run. */
	limit: <R>(task: () => Promise<R>) => Promise<R>;
}

/**
 * Checks a task at once, then after the policy's delays, until it is done or the deadline
 * passes. Sleeps never run past the deadline; one last check happens at the deadline.
 * Throws the last error when the deadline passes without a single successful check.
 */
export async function pollUntilDone<T>(
	check: () => Promise<CheckOutcome<T>>,
	options: PollOptions,
): Promise<PollResult<T>> {
	const { deadline, policy, now, sleep, random, limit } = options;
	const state: PollState = { checks: 0, now: now() };
	let last: T | undefined;
	let seen = false;
	let lastError: Error | undefined;
	let delay = 0;

	for (;;) {
		const outcome = await limit(check);
		state.checks++;
		state.now = now();
		if (outcome.kind === 'done')
			return { outcome: 'done', value: outcome.value, checks: state.checks };
		if (outcome.kind === 'waiting') {
			last = outcome.value;
			seen = true;
			lastError = undefined;
			// A task's own numbers are only hints: absurd ones count as unknown.
			state.createdAt = plausibleCreatedAt(outcome.createdAt, state.now) ?? state.createdAt;
			state.expectedDurationMs =
				plausibleDuration(outcome.expectedDurationMs) ?? state.expectedDurationMs;
			state.window = plausibleWindow(outcome.window, state.now) ?? state.window;
			delay = usableDelay(policy.nextDelayMs(state, random), policy.minDelayMs);
		} else {
			lastError = outcome.error;
			delay = usableDelay(
				backoffAfterFailure(delay, outcome.retryAfterMs, random),
				policy.minDelayMs,
			);
		}

		const remaining = deadline - now();
		if (remaining <= 0) {
			if (!seen && lastError) throw lastError;
			return { outcome: 'timedOut', value: last as T, checks: state.checks };
		}
		await sleep(Math.min(delay, remaining));
	}
}
