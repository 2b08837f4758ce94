import type { PollWindow } from './learning';

/** What the poller knows when it decides how long to wait before the next status check. */
export interface PollState {
	/** Status checks made so far (1 after the first check). */
	checks: number;
	now: number;
	/** When the task was created (epoch ms), if the task says. */
	createdAt?: number;
	/** How long the task is expected to run from creation, if the task tells enough to guess. */
	expectedDurationMs?: number;
	/** Where the task is expected to finish, as learned (see learning.ts); preferred over the above. */
	window?: PollWindow;
}

export interface PollingPolicy {
	/** Milliseconds to wait before the next check. */
	nextDelayMs(state: PollState, random: () => number): number;
	/** The shortest wait the policy ever asks for: the poller never waits less, whatever it computed. */
	minDelayMs: number;
}

export interface AdaptiveOptions {
	/** Shortest wait between checks. */
	minMs?: number;
	/** Longest wait once the task is overdue or its duration is unknown. */
	maxMs?: number;
	/** The finish is expected within expected × (1 ± spread). */
	spread?: number;
	/** Spacing of the checks around the expected finish: the worst delay while the estimate holds. */
	stepMs?: number;
	/** Longest wait before the expected finish, in case the estimate is far too long. */
	probeMs?: number;
	/** Spacing of the checks inside a learned window (see `PollState.window`). */
	windowStepMs?: number;
	/** Downward jitter of that spacing (0.05 = up to 5 % shorter). */
	windowJitter?: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Jitter only downwards, so a step stays the worst delay it promises. */
const below = (ms: number, random: () => number) => ms * (1 - 0.1 * random());

/** Past a learned window, the step grows by this share of the overdue time. */
const OVERDUE_GROWTH = 0.1;

/**
 * Inside a window: before `earliest` one sleep to one step past it (a probe at least every `probeMs`),
 * one check per step up to `latest`, then a step growing with the overdue time, up to `maxMs`.
 */
function windowDelay(
	elapsed: number,
	earliest: number,
	latest: number,
	step: number,
	jitter: () => number,
	limits: { minMs: number; maxMs: number; probeMs: number },
): number {
	const { minMs, maxMs, probeMs } = limits;
	if (elapsed < earliest)
		return Math.max(minMs, Math.min(Math.min(earliest + step, latest) - elapsed, probeMs));
	if (elapsed < latest) return Math.max(minMs, Math.min(jitter(), latest - elapsed));
	return clamp(jitter() + (elapsed - latest) * OVERDUE_GROWTH, minMs, Math.max(maxMs, step));
}

/**
 * When the task tells enough to estimate its finish: no checks while it surely still runs (but a
 * probe at least every `probeMs`), one check per `stepMs` from the earliest to the latest plausible
 * finish, and a growing step once it is overdue. Otherwise: exponential backoff with jitter between
 * `minMs` and `maxMs`. Measured against fixed polling and the AWS SDK waiter by `npm run bench`.
 */
export function adaptivePolicy(options: AdaptiveOptions = {}): PollingPolicy {
	const minMs = options.minMs ?? 1000;
	const maxMs = options.maxMs ?? 30000;
	const spread = options.spread ?? 0.2;
	const stepMs = options.stepMs ?? 4500;
	const probeMs = options.probeMs ?? 60000;
	// A learned window is a sharper forecast than the fixed ±spread: the step there may sit just under
	// fixed 5 s polling's worst delay, since few tasks end outside it (measured by `npm run bench`).
	const windowStepMs = options.windowStepMs ?? 4800;
	const windowJitter = options.windowJitter ?? 0.01;
	return {
		minDelayMs: minMs,
		nextDelayMs(state, random) {
			const { window } = state;
			if (window) {
				return windowDelay(
					state.now - window.startAt,
					window.earliestMs,
					window.latestMs,
					windowStepMs,
					() => windowStepMs * (1 - windowJitter * random()),
					{ minMs, maxMs, probeMs },
				);
			}
			const { createdAt, expectedDurationMs: expected } = state;
			if (createdAt !== undefined && expected !== undefined && expected > 0) {
				const elapsed = state.now - createdAt;
				const earliest = expected * (1 - spread);
				const latest = expected * (1 + spread);
				if (elapsed < earliest) {
					return Math.max(minMs, Math.min(Math.min(earliest + stepMs, latest) - elapsed, probeMs));
				}
				if (elapsed < latest)
					return Math.max(minMs, Math.min(below(stepMs, random), latest - elapsed));
				return clamp(below(stepMs + (elapsed - latest) * 0.25, random), minMs, maxMs);
			}
			return clamp(
				below(minMs * Math.pow(1.5, Math.max(0, state.checks - 1)), random),
				minMs,
				maxMs,
			);
		},
	};
}

/**
 * Every item on one grid (`anchor` + k × `gridMs`): when one listing answers every awaited task (see
 * batch-reader.ts), checking one task costs as much as checking all of them, so all are checked together
 * at every grid point; no task waits longer than a grid step to be seen done.
 */
export function gridPolicy(
	anchor: number,
	gridMs: number,
	minMs = Math.min(1000, gridMs),
): PollingPolicy {
	return {
		minDelayMs: minMs,
		nextDelayMs(state) {
			const next = anchor + Math.floor((state.now + minMs - anchor) / gridMs + 1) * gridMs;
			return next - state.now;
		},
	};
}

/** The "Wait → HTTP Request → IF" loop: the same interval every time. */
export function fixedPolicy(intervalMs: number): PollingPolicy {
	return { nextDelayMs: () => intervalMs, minDelayMs: intervalMs };
}

/** After throttling or a transient failure: honour Retry-After, otherwise at least double. */
export function backoffAfterFailure(
	previousDelayMs: number,
	retryAfterMs: number | undefined,
	random: () => number,
	maxMs = 60000,
): number {
	const doubled = clamp(Math.max(1000, previousDelayMs * 2) * (0.8 + 0.4 * random()), 1000, maxMs);
	return retryAfterMs !== undefined ? Math.max(retryAfterMs, Math.min(doubled, maxMs)) : doubled;
}

/** A computed delay as the poller may use it: finite and at least `minMs` (NaN or ±∞ → `minMs`). */
export function usableDelay(ms: number, minMs: number): number {
	return Number.isFinite(ms) ? Math.max(minMs, ms) : minMs;
}

// What a task may say about its timing before it counts as unknown: an answer can hold any number.
const LONGEST_TASK_MS = 7 * 24 * 3600_000;
const OLDEST_TASK_MS = 30 * 24 * 3600_000;
const CLOCK_SKEW_MS = 24 * 3600_000;

/** A creation time (epoch ms) that could be real, else undefined. */
export function plausibleCreatedAt(createdAt: number | undefined, now: number): number | undefined {
	if (createdAt === undefined || !Number.isFinite(createdAt)) return undefined;
	return createdAt >= now - OLDEST_TASK_MS && createdAt <= now + CLOCK_SKEW_MS
		? createdAt
		: undefined;
}

/** An expected duration that could be real, else undefined. */
export function plausibleDuration(ms: number | undefined): number | undefined {
	return ms !== undefined && Number.isFinite(ms) && ms > 0 && ms <= LONGEST_TASK_MS
		? ms
		: undefined;
}

/** A learned window that could be real, else undefined. */
export function plausibleWindow(
	window: PollWindow | undefined,
	now: number,
): PollWindow | undefined {
	if (!window || plausibleCreatedAt(window.startAt, now) === undefined) return undefined;
	const { earliestMs, latestMs } = window;
	if (!Number.isFinite(earliestMs) || !Number.isFinite(latestMs)) return undefined;
	if (earliestMs < 0 || latestMs < earliestMs || latestMs > LONGEST_TASK_MS) return undefined;
	return window;
}
