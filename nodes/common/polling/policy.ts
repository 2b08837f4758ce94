/** What the poller knows when it decides how long to wait before the next status check. */
export interface PollState {
	/** Status checks made so far (1 after the first check). */
	checks: number;
	now: number;
	/** When the task was created (epoch ms), if the task says. */
	createdAt?: number;
	/** How long the task is expected to run from creation, if the task tells enough to guess. */
	expectedDurationMs?: number;
}

export interface PollingPolicy {
	/** Milliseconds to wait before the next check. */
	nextDelayMs(state: PollState, random: () => number): number;
}

export interface AdaptiveOptions {
	/** Shortest wait between checks. */
	minMs?: number;
	/** Longest wait between checks once the task is overdue or its duration is unknown. */
	maxMs?: number;
}

const jitter = (ms: number, random: () => number, spread = 0.2) =>
	ms * (1 - spread + 2 * spread * random());

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * Polls near the expected finish when the task tells enough to estimate it (no checks while it
 * surely still runs, close checks around the estimate, backing off when overdue); otherwise
 * backs off exponentially with jitter between `minMs` and `maxMs`.
 */
export function adaptivePolicy(options: AdaptiveOptions = {}): PollingPolicy {
	const minMs = options.minMs ?? 1000;
	const maxMs = options.maxMs ?? 30000;
	return {
		nextDelayMs(state, random) {
			const { createdAt, expectedDurationMs: expected } = state;
			if (createdAt !== undefined && expected !== undefined && expected > 0) {
				const elapsed = state.now - createdAt;
				const step = clamp(expected * 0.05, minMs, 5000);
				const windowStart = expected * 0.75;
				if (elapsed < windowStart) return Math.max(minMs, jitter(windowStart - elapsed, random, 0.05));
				const overdue = elapsed - expected * 1.25;
				if (overdue <= 0) return jitter(step, random, 0.1);
				// Overdue: the estimate was wrong, so grow the step with how late the task already is.
				return clamp(jitter(step + overdue * 0.25, random), minMs, maxMs);
			}
			const backoff = minMs * Math.pow(1.6, Math.max(0, state.checks - 1));
			return clamp(jitter(backoff, random), minMs, maxMs);
		},
	};
}

/** The "Wait → HTTP Request → IF" loop: the same interval every time. */
export function fixedPolicy(intervalMs: number): PollingPolicy {
	return { nextDelayMs: () => intervalMs };
}

/** After throttling or a transient failure: honour Retry-After, otherwise at least double. */
export function backoffAfterFailure(
	previousDelayMs: number,
	retryAfterMs: number | undefined,
	random: () => number,
	maxMs = 60000,
): number {
	const doubled = clamp(jitter(Math.max(1000, previousDelayMs * 2), random), 1000, maxMs);
	return retryAfterMs !== undefined ? Math.max(retryAfterMs, Math.min(doubled, maxMs)) : doubled;
}
