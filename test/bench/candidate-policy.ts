/**
 * A prototype polling policy and Polly duration estimate, measured next to the shipped ones by the polling
 * benchmark. Nothing here ships: it exists so the recommended change to nodes/common/polling/policy.ts and
 * nodes/common/adapters/polly.ts comes with numbers. Same interface as the shipped policy, so it runs through
 * the real `pollUntilDone`.
 */
import { pollyAdapter } from '../../nodes/common/adapters/polly';
import * as policyModule from '../../nodes/common/polling/policy';
import type { PollingPolicy } from '../../nodes/common/polling/policy';

/** Engine → [queue ms, ms per billed character]: the same figures as test/emulator/duration-model.ts. */
const POLLY_TIMING: Record<string, [number, number]> = {
	standard: [2000, 0.6],
	neural: [3000, 1.5],
	generative: [4000, 3],
	'long-form': [5000, 4],
};

/** Candidate estimate: queue time per engine + characters × per-character time (speech marks ×0.3). */
export function candidatePollyEstimate(task: Record<string, unknown>): number | undefined {
	const characters = Number(task.RequestCharacters);
	if (!Number.isFinite(characters) || characters <= 0) return undefined;
	const [queueMs, perCharacterMs] = POLLY_TIMING[String(task.Engine ?? 'standard')] ?? POLLY_TIMING.neural;
	const factor = task.OutputFormat === 'json' ? 0.3 : 1;
	return Math.round(queueMs + Math.max(1000, characters * perCharacterMs * factor));
}

export interface WindowOptions {
	/** The finish is expected within expected × (1 ± spread). */
	spread?: number;
	/** Spacing of the checks inside that window: the worst detection delay while the estimate holds. */
	stepMs?: number;
	/** Shortest wait. */
	minMs?: number;
	/** Longest wait once overdue or without an estimate. */
	maxMs?: number;
	/** Longest wait before the window (a probe in case the estimate is far too long); default: none. */
	probeMs?: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * "Window" policy: no checks before the earliest plausible finish; the first check one step after it; then
 * one check per step (jittered only downwards, so the step stays the worst delay) up to the latest plausible
 * finish, the last check landing exactly there; once overdue the step grows with how late the task is.
 * Without an estimate: exponential backoff from minMs, ×1.5 per check, up to maxMs.
 */
export function windowPolicy(options: WindowOptions = {}): PollingPolicy {
	const spread = options.spread ?? 0.2;
	const stepMs = options.stepMs ?? 4500;
	const minMs = options.minMs ?? 1000;
	const maxMs = options.maxMs ?? 30000;
	const probeMs = options.probeMs ?? Infinity;
	const down = (ms: number, random: () => number) => ms * (1 - 0.1 * random());
	return {
		nextDelayMs(state, random) {
			const { createdAt, expectedDurationMs: expected } = state;
			if (createdAt !== undefined && expected !== undefined && expected > 0) {
				const elapsed = state.now - createdAt;
				const earliest = expected * (1 - spread);
				const latest = expected * (1 + spread);
				if (elapsed < earliest) return Math.max(minMs, Math.min(Math.min(earliest + stepMs, latest) - elapsed, probeMs));
				if (elapsed < latest) return Math.max(minMs, Math.min(down(stepMs, random), latest - elapsed));
				return clamp(down(stepMs + (elapsed - latest) * 0.25, random), minMs, maxMs);
			}
			return clamp(down(minMs * Math.pow(1.5, Math.max(0, state.checks - 1)), random), minMs, maxMs);
		},
	};
}

/** The variant recommended in the benchmark report: the window policy with 60 s probes before the window. */
export const recommendedPolicy = () => windowPolicy({ probeMs: 60_000 });

/**
 * Runs `work` with the real Wait Until Complete node using the candidate policy and estimate instead of the
 * shipped ones — a prototype swap of the two module exports inside this process (the node reads them at call
 * time), restored afterwards. For measuring only.
 */
export async function withCandidatePolicy<T>(work: () => Promise<T>): Promise<T> {
	const exportsOf = policyModule as unknown as { adaptivePolicy: typeof policyModule.adaptivePolicy };
	const shippedPolicy = exportsOf.adaptivePolicy;
	const shippedEstimate = pollyAdapter.expectedDurationMs;
	exportsOf.adaptivePolicy = () => recommendedPolicy();
	pollyAdapter.expectedDurationMs = candidatePollyEstimate;
	try {
		return await work();
	} finally {
		exportsOf.adaptivePolicy = shippedPolicy;
		pollyAdapter.expectedDurationMs = shippedEstimate;
	}
}
