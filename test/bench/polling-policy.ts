/**
 * Benchmark 1 — polling policy on a virtual clock.
 *
 * Now: external workloads (test/bench/workloads/*.csv, or BENCH_WORKLOAD=<file.csv>) replayed by
 * replay.ts against the shipped adaptive code with learning, fixed 5 s and the AWS SDK waiter; see
 * `runPollingPolicyBench` at the end of this file. Below, the earlier analysis, kept behind
 * BENCH_POLICY_VARIANTS=1:
 *
 * ≥1,000 simulated Polly tasks (workload.ts, timings from the emulator's duration model) are waited for by
 *  (a) our adaptive policy, driven through the real `pollUntilDone` with injected `now` / `sleep`;
 *  (b) fixed 5 s polling — the "Wait → HTTP Request → IF" loop — through the same `pollUntilDone`;
 *  (c) the AWS SDK's own waiter, @smithy/util-waiter `createWaiter`, the real code, its setTimeout / Date.now /
 *      Math.random run on a virtual clock (virtual-time.ts). Settings: minDelay 5 s, maxDelay 120 s — what the
 *      generated AWS SDK v3 waiters ship (e.g. every waiter of @aws-sdk/client-s3); also 2/120 s, the
 *      `waiterServiceDefaults` of @smithy/util-waiter.
 * Plus variants of the shipped policy (policy-variants.ts) and wrong estimates, to show what they cost.
 * Measured: status requests per task, and the delay between the task completing and the check that sees it.
 */
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import type { IDataObject } from 'n8n-workflow';

import { pollyAdapter } from '../../nodes/common/adapters/polly';
import { adaptivePolicy, fixedPolicy } from '../../nodes/common/polling/policy';
import type { PollingPolicy } from '../../nodes/common/polling/policy';
import { pollUntilDone } from '../../nodes/common/polling/poll-until-done';
import type { CheckOutcome } from '../../nodes/common/polling/poll-until-done';
import { windowPolicy } from './policy-variants';
import {
	fixed,
	max,
	mean,
	median,
	percentile,
	ratio,
	seededRandom,
	table,
	Verdicts,
} from './stats';
import { VirtualTime } from './virtual-time';
import { replay } from './replay';
import type { StrategyName, Waited as ReplayWaited } from './replay';
import { readWorkload } from './workload-csv';

import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MIN_CHARS, pollyWorkload, taskJson } from './workload';
import type { SimTask } from './workload';

const TASKS = Number(process.env.BENCH_POLICY_TASKS ?? 2000);
/** The node's Timeout for these runs: long enough that no policy times out, so only the policy is measured. */
const DEADLINE_MS = 3_600_000;

type Estimate = (task: IDataObject) => number | undefined;

interface Waited {
	checks: number;
	delayMs: number;
}

export interface CaseResult {
	name: string;
	kind: 'ours' | 'baseline' | 'candidate';
	waited: Waited[];
}

function isDone(json: IDataObject): boolean {
	const phase = pollyAdapter.task.state(json).phase;
	return phase === 'succeeded' || phase === 'failed';
}

/** One task through the real pollUntilDone; the check reads the simulated task through the real Polly adapter. */
async function throughPollUntilDone(
	task: SimTask,
	policy: PollingPolicy,
	estimate: Estimate | undefined,
	random: () => number,
	verdicts: Verdicts,
	name: string,
): Promise<Waited> {
	let now = task.createdAt + task.startOffsetMs;
	let calls = 0;
	let detectedAt = NaN;
	const check = async (): Promise<CheckOutcome<IDataObject>> => {
		calls++;
		const json = taskJson(task, now);
		if (isDone(json)) {
			detectedAt = now;
			return { kind: 'done', value: json };
		}
		return {
			kind: 'waiting',
			value: json,
			createdAt: pollyAdapter.task.createdAt?.(json),
			expectedDurationMs: estimate?.(json),
		};
	};
	const result = await pollUntilDone(check, {
		deadline: now + DEADLINE_MS,
		policy,
		now: () => now,
		sleep: async (ms) => {
			if (!(ms >= 0)) throw new Error(`negative sleep ${ms}`);
			now += ms;
		},
		random,
		limit: async (work) => await work(),
	});
	verdicts.check(
		result.outcome === 'done',
		`${name}: task ${task.index} not detected (${result.outcome})`,
	);
	verdicts.check(
		result.checks === calls,
		`${name}: task ${task.index}: pollUntilDone counted ${result.checks} checks, the service saw ${calls}`,
	);
	const delayMs = detectedAt - (task.createdAt + task.totalMs);
	verdicts.check(
		delayMs >= 0,
		`${name}: task ${task.index} reported done ${-delayMs} ms before it completed`,
	);
	return { checks: calls, delayMs };
}

/** One task through the AWS SDK's waiter, on a virtual clock. */
async function throughSdkWaiter(
	task: SimTask,
	minDelay: number,
	maxDelay: number,
	random: () => number,
	verdicts: Verdicts,
	name: string,
): Promise<Waited> {
	const clock = new VirtualTime(task.createdAt + task.startOffsetMs);
	let calls = 0;
	let detectedAt = NaN;
	const result = await clock.run(
		async () =>
			await createWaiter(
				{ client: {}, maxWaitTime: DEADLINE_MS / 1000, minDelay, maxDelay },
				{ TaskId: `sim-${task.index}` },
				async () => {
					calls++;
					const json = taskJson(task, Date.now());
					if (!isDone(json)) return { state: WaiterState.RETRY };
					detectedAt = Date.now();
					return { state: WaiterState.SUCCESS, reason: json };
				},
			),
		random,
	);
	verdicts.check(
		result.state === WaiterState.SUCCESS,
		`${name}: task ${task.index} ended ${result.state}`,
	);
	const delayMs = detectedAt - (task.createdAt + task.totalMs);
	verdicts.check(delayMs >= 0, `${name}: task ${task.index} reported done before it completed`);
	return { checks: calls, delayMs };
}

const scaled =
	(estimate: Estimate, factor: number): Estimate =>
	(task) => {
		const value = estimate(task);
		return value === undefined ? undefined : value * factor;
	};

interface CaseSpec {
	name: string;
	kind: CaseResult['kind'];
	run: (task: SimTask, random: () => number, verdicts: Verdicts, name: string) => Promise<Waited>;
}

const shippedEstimate: Estimate = (task) => pollyAdapter.task.expectedDurationMs?.(task);

const FIXED = 'fixed 5 s (baseline b)';
const WAITER = 'AWS SDK waiter 5/120 s (baseline c)';

export const CASES: CaseSpec[] = [
	{
		name: FIXED,
		kind: 'baseline',
		run: (t, r, v, n) => throughPollUntilDone(t, fixedPolicy(5000), undefined, r, v, n),
	},
	{ name: WAITER, kind: 'baseline', run: (t, r, v, n) => throughSdkWaiter(t, 5, 120, r, v, n) },
	{
		name: 'AWS SDK waiter 2/120 s (smithy defaults)',
		kind: 'baseline',
		run: (t, r, v, n) => throughSdkWaiter(t, 2, 120, r, v, n),
	},
	{
		name: 'adaptive, as shipped (a)',
		kind: 'ours',
		run: (t, r, v, n) => throughPollUntilDone(t, adaptivePolicy(), shippedEstimate, r, v, n),
	},
	{
		name: 'adaptive, no estimate (backoff path)',
		kind: 'ours',
		run: (t, r, v, n) => throughPollUntilDone(t, adaptivePolicy(), undefined, r, v, n),
	},
	{
		name: 'adaptive without probes (window only)',
		kind: 'candidate',
		run: (t, r, v, n) => throughPollUntilDone(t, windowPolicy(), shippedEstimate, r, v, n),
	},
	// What a wrong estimate costs: Polly publishes no speeds, so the shipped one is a guess.
	...[0.5, 0.8, 1.25, 2].map(
		(factor): CaseSpec => ({
			name: `adaptive, estimate ×${factor}`,
			kind: 'candidate',
			run: (t, r, v, n) =>
				throughPollUntilDone(t, adaptivePolicy(), scaled(shippedEstimate, factor), r, v, n),
		}),
	),
	...[1.25, 2].map(
		(factor): CaseSpec => ({
			name: `without probes, estimate ×${factor}`,
			kind: 'candidate',
			run: (t, r, v, n) =>
				throughPollUntilDone(t, windowPolicy(), scaled(shippedEstimate, factor), r, v, n),
		}),
	),
];

const BANDS: Array<[string, number, number]> = [
	['< 10 s', 0, 10_000],
	['10–60 s', 10_000, 60_000],
	['1–5 min', 60_000, 300_000],
	['≥ 5 min', 300_000, Infinity],
];

export interface ModelVariantsResult {
	results: CaseResult[];
	tasks: SimTask[];
	text: string;
	goalMet: boolean;
}

/** The earlier analysis on the emulator model's own workload: variants and wrong estimates (BENCH_POLICY_VARIANTS=1). */
export async function runModelVariants(verdicts: Verdicts): Promise<ModelVariantsResult> {
	const tasks = pollyWorkload(TASKS);
	const results: CaseResult[] = [];
	for (const spec of CASES) {
		const random = seededRandom(7);
		const waited: Waited[] = [];
		for (const task of tasks) waited.push(await spec.run(task, random, verdicts, spec.name));
		results.push({ name: spec.name, kind: spec.kind, waited });
	}

	const stat = (r: CaseResult) => {
		const delays = r.waited.map((w) => w.delayMs / 1000);
		return {
			requests: mean(r.waited.map((w) => w.checks)),
			median: median(delays),
			p95: percentile(delays, 95),
			max: max(delays),
		};
	};
	const fixedStat = stat(results.find((r) => r.name === FIXED)!);
	const waiterStat = stat(results.find((r) => r.name === WAITER)!);
	const meetsGoal = (s: ReturnType<typeof stat>) =>
		s.requests < fixedStat.requests &&
		s.requests < waiterStat.requests &&
		s.p95 <= Math.min(fixedStat.p95, waiterStat.p95);

	const rows = results.map((r) => {
		const s = stat(r);
		return [
			r.name,
			fixed(s.requests, 2),
			ratio(s.requests, fixedStat.requests),
			ratio(s.requests, waiterStat.requests),
			fixed(s.median, 2),
			fixed(s.p95, 2),
			fixed(s.max, 1),
			ratio(s.p95, fixedStat.p95),
			ratio(s.p95, waiterStat.p95),
			r.kind === 'baseline' ? '' : meetsGoal(s) ? 'yes' : 'no',
		];
	});

	const durations = tasks.map((t) => t.totalMs / 1000);
	const lines: string[] = [];
	lines.push(
		`Workload: ${tasks.length} Polly tasks, ${MIN_CHARS}–100,000 characters (log-uniform), engines standard/neural 35 % each, generative/long-form 15 % each, 10 % speech marks; ` +
			`durations from the emulator's model: min ${fixed(Math.min(...durations))} s, median ${fixed(median(durations))} s, p95 ${fixed(percentile(durations, 95))} s, max ${fixed(max(durations))} s. ` +
			`First check 0.2–2 s after creation. Virtual clock.`,
	);
	lines.push(
		'Cases: "adaptive" = nodes/common/polling/policy.ts adaptivePolicy() with the Polly adapter\'s expectedDurationMs (as shipped) or none; ' +
			'"without probes" = the shipped policy with no check before the expected finish (test/bench/policy-variants.ts); "estimate ×k" = the shipped estimate wrong by a factor k.',
	);
	lines.push('');
	lines.push(
		table(
			[
				'case',
				'req/task',
				'× fixed',
				'× waiter',
				'delay median s',
				'delay p95 s',
				'delay max s',
				'p95 × fixed',
				'p95 × waiter',
				'goal',
			],
			rows,
		),
	);
	lines.push('');
	lines.push(
		'Per task-duration band (requests per task · delay p95 in s; task count in the header):',
	);
	const bandRows = results.map((r) => [
		r.name,
		...BANDS.map(([, low, high]) => {
			const picked = r.waited.filter((_, i) => tasks[i].totalMs >= low && tasks[i].totalMs < high);
			if (picked.length === 0) return '–';
			return `${fixed(mean(picked.map((w) => w.checks)), 1)} · ${fixed(
				percentile(
					picked.map((w) => w.delayMs / 1000),
					95,
				),
				1,
			)}`;
		}),
	]);
	const bandCounts = BANDS.map(
		([label, low, high]) =>
			`${label} (${tasks.filter((t) => t.totalMs >= low && t.totalMs < high).length})`,
	);
	lines.push(table(['case', ...bandCounts], bandRows));

	const ours = stat(results.find((r) => r.kind === 'ours')!);
	const goalMet = meetsGoal(ours);
	lines.push('');
	lines.push(
		`Goal (fewer requests than fixed 5 s and the SDK waiter, p95 delay ≤ both): ${goalMet ? 'MET' : 'NOT MET'} by the shipped adaptive policy ` +
			`(${fixed(ours.requests, 2)} req/task vs ${fixed(fixedStat.requests, 2)} / ${fixed(waiterStat.requests, 2)}; p95 ${fixed(ours.p95, 2)} s vs ${fixed(fixedStat.p95, 2)} / ${fixed(waiterStat.p95, 2)} s).`,
	);
	const passing = results
		.filter((r) => r.kind === 'candidate' && meetsGoal(stat(r)))
		.map((r) => r.name);
	lines.push(`Variants that meet it too: ${passing.length ? passing.join('; ') : 'none'}.`);
	return { results, tasks, text: lines.join('\n'), goalMet };
}

// ── External workloads ────────────────────────────────────────────────────────────────────────────

export interface StrategyStats {
	requestsPerTask: number;
	p50DelayS: number;
	p95DelayS: number;
	maxDelayS: number;
	/** Share of the status requests the simulated quota refused (adaptive runs under the quota). */
	throttledPct?: number;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

function strategyStats(waited: ReplayWaited[]): StrategyStats {
	const delays = waited.map((w) => w.delayMs / 1000);
	return {
		requestsPerTask: round(mean(waited.map((w) => w.checks)), 3),
		p50DelayS: round(median(delays), 2),
		p95DelayS: round(percentile(delays, 95), 2),
		maxDelayS: round(max(delays), 1),
	};
}

export interface WorkloadResult {
	workload: string;
	tasks: number;
	strategies: Record<StrategyName, StrategyStats>;
}

/**
 * Polly workloads: ≤ 0.55× fixed's requests; others: ≤ 0.95×; both at a p95 delay no worse than fixed's.
 * A goal not met is out of reach when even `oracleEnd` needs more requests: it knows each task's end and
 * sends one request per check, the fewest any policy can send without a listing (so a many-item file,
 * which the listing answers, can meet a goal its oracle end misses).
 */
export function goalOf(workload: WorkloadResult, polly: boolean) {
	const { adaptive, fixed5s, oracleEnd } = workload.strategies;
	const limit = polly ? 0.55 : 0.95;
	const requestRatio = adaptive.requestsPerTask / fixed5s.requestsPerTask;
	const floorRatio = oracleEnd.requestsPerTask / fixed5s.requestsPerTask;
	const met = requestRatio <= limit && adaptive.p95DelayS <= fixed5s.p95DelayS;
	return { limit, requestRatio, floorRatio, met, outOfReach: !met && floorRatio > limit };
}

function goalText(goal: ReturnType<typeof goalOf>): string {
	if (goal.met) return `met (≤ ${goal.limit}×)`;
	const why = goal.outOfReach
		? `; out of reach: oracle end needs ${fixed(goal.floorRatio, 2)}×`
		: '';
	return `NOT met (≤ ${goal.limit}×${why})`;
}

export async function runWorkload(
	path: string,
	verdicts: Verdicts,
): Promise<{ result: WorkloadResult; polly: boolean }> {
	const tasks = readWorkload(path);
	const name = basename(path, '.csv');
	const { waited, throttled } = await replay(tasks, verdicts, name);
	const strategies = Object.fromEntries(
		Object.entries(waited).map(([strategy, list]) => [strategy, strategyStats(list)]),
	) as Record<StrategyName, StrategyStats>;
	strategies.adaptive.throttledPct = round(throttled.adaptive * 100, 1);
	strategies.adaptiveNoRateControl.throttledPct = round(throttled.adaptiveNoRateControl * 100, 1);
	return {
		result: { workload: name, tasks: tasks.length, strategies },
		polly: tasks.every((t) => t.service === 'polly' && t.characters !== undefined),
	};
}

export const WORKLOADS_DIR = join(__dirname, '..', '..', '..', 'test', 'bench', 'workloads');

export interface PolicyBenchResult {
	text: string;
	/** Printed after everything else: the last line of the run is the summary (or the one workload's line). */
	jsonLines: string[];
}

export async function runPollingPolicyBench(verdicts: Verdicts): Promise<PolicyBenchResult> {
	const one = process.env.BENCH_WORKLOAD;
	const paths = one
		? [one]
		: readdirSync(WORKLOADS_DIR)
				.filter((file) => file.endsWith('.csv'))
				.sort()
				.map((file) => join(WORKLOADS_DIR, file));
	const results: Array<{ result: WorkloadResult; polly: boolean }> = [];
	for (const path of paths) results.push(await runWorkload(path, verdicts));

	const lines: string[] = [];
	lines.push(
		`Workloads: ${one ? one : `${paths.length} files in test/bench/workloads (see its README)`}. Each replayed on a virtual clock: ` +
			'adaptive = the shipped policy with learning (items of an execution concurrently, learned data kept between executions as workflow static data); ' +
			'fixed 5 s; AWS SDK waiter 5/120 s. Delay = task end → the check that sees it done.',
	);
	lines.push('');
	const rows = results.map(({ result, polly }) => {
		const { adaptive, fixed5s, sdkWaiter, oracleEnd, oracleSpeed } = result.strategies;
		const { adaptiveNoRateControl: unrated, adaptiveNoQuota: free } = result.strategies;
		const goal = goalOf(result, polly);
		const vsFixed = (s: StrategyStats) =>
			`${ratio(s.requestsPerTask, fixed5s.requestsPerTask)} · ${fixed(s.p95DelayS, 2)}`;
		return [
			result.workload,
			String(result.tasks),
			fixed(fixed5s.requestsPerTask, 2),
			fixed(fixed5s.p95DelayS, 2),
			vsFixed(adaptive),
			`${fixed(adaptive.p50DelayS, 2)} / ${fixed(adaptive.maxDelayS, 1)}`,
			`${fixed(adaptive.throttledPct ?? 0, 1)} %`,
			`${vsFixed(unrated)} · ${fixed(unrated.throttledPct ?? 0, 1)} %`,
			vsFixed(free),
			vsFixed(oracleSpeed),
			vsFixed(oracleEnd),
			vsFixed(sdkWaiter),
			goalText(goal),
		];
	});
	lines.push(
		'Columns "× · p95": requests per task ÷ fixed 5 s\'s, and p95 delay in s. adaptive = as shipped (learning, rate control, under the simulated 10/s Polly quota); ' +
			"no rate control = the same without the client's bucket (throttled share of its requests); no quota = without either; " +
			"oracle speed = knows each task's expected duration (not its spread), same step rule; oracle end = knows each end (the floor).",
	);
	lines.push('');
	lines.push(
		table(
			[
				'workload',
				'tasks',
				'fixed req/task',
				'fixed p95 s',
				'adaptive',
				'adaptive p50 / max s',
				'throttled',
				'no rate control',
				'no quota',
				'oracle speed',
				'oracle end',
				'SDK waiter',
				'goal',
			],
			rows,
		),
	);
	if (process.env.BENCH_POLICY_VARIANTS === '1') {
		lines.push('');
		lines.push((await runModelVariants(verdicts)).text);
	}

	const jsonLines = results.map(({ result }) =>
		JSON.stringify({
			bench: 'polling',
			workload: result.workload,
			tasks: result.tasks,
			strategies: result.strategies,
		}),
	);
	if (!one) {
		const met = results
			.filter(({ result, polly }) => goalOf(result, polly).met)
			.map((r) => r.result.workload);
		jsonLines.push(
			JSON.stringify({
				bench: 'polling',
				summary: true,
				workloads: results.length,
				tasks: results.reduce((n, r) => n + r.result.tasks, 0),
				goalsMet: met.length,
				goalsNotMet: results
					.filter((r) => !met.includes(r.result.workload))
					.map((r) => r.result.workload),
				// Not met, and no policy could meet them: even knowing every task's end costs more requests.
				goalsOutOfReach: results
					.filter(({ result, polly }) => goalOf(result, polly).outOfReach)
					.map((r) => r.result.workload),
			}),
		);
	}
	return { text: lines.join('\n'), jsonLines };
}
