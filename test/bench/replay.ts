/**
 * Replays an external workload (workload-csv.ts) against these strategies on virtual clocks:
 * - adaptive: the shipped code — `adaptivePolicy`, the learning (`Learner`, `trackItem` through
 *   `classifyTask`, as run-job.ts uses them), the request-rate control (`sendRated` and a `RateRegistry` of
 *   nodes/common/rate, Polly's Get + List bucket at its documented 10/s) and `pollUntilDone` — every
 *   execution on one clock, the items of one concurrently, sharing one learner; Polly reads go through a
 *   simulated service quota of 10/s (burst 10) that answers ThrottlingException; between executions the
 *   learned data goes through JSON, as n8n's workflow static data does;
 * - adaptiveNoRateControl / adaptiveNoQuota: the same without the client's rate control / without any quota;
 * - fixed5s: the same poller with `fixedPolicy(5000)`, no quota;
 * - sdkWaiter: the AWS SDK's @smithy/util-waiter `createWaiter` (5 s / 120 s), real code on VirtualTime;
 * - oracleEnd: knows when each task ends (1 request if done at the first check, else 2): the floor of one
 *   Get per check (the batch reader's pages go below it);
 * - oracleSpeed: knows each task's expected duration in hindsight (not its own spread) and uses the shipped
 *   policy's step rule on it: what learning could reach at best.
 * In the adaptive rows, an execution awaiting at least BATCH_FROM_ITEMS Polly tasks checks them together on
 * the grid of `gridPolicy` (GRID_MS) and reads them through one `BatchReader` (batch-reader.ts), wired as
 * run-job.ts's `statusReaders` does: a Get is one rated, quota'd
 * GetSpeechSynthesisTask; a page is one rated, quota'd ListSpeechSynthesisTasks page (100 tasks, newest
 * first) of the account's tasks, which are all Polly tasks of the workload created by then, whatever their
 * execution. A page is one request however many asks it answers: such an execution's requests (Gets and
 * pages, throttled ones included) are shared among its tasks in proportion to their asks. Fewer Polly items
 * per execution, other services, and the fixed5s, sdkWaiter and oracle rows: every read is one Get.
 */
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import type { IDataObject } from 'n8n-workflow';

import {
	BATCH_FROM_ITEMS,
	GRID_MS,
	pollyListed,
	whileListing,
} from '../../nodes/WaitUntilComplete/run-job';
import { adapterOf } from '../../nodes/common/adapters/lookup';
import { listSynthesisTasks, pollyAdapter } from '../../nodes/common/adapters/polly';
import type { TaskAdapter } from '../../nodes/common/adapters/types';
import { BatchReader } from '../../nodes/common/polling/batch-reader';
import type { ListPage, ReadOutcome } from '../../nodes/common/polling/batch-reader';
import { classifyTask } from '../../nodes/common/polling/classify';
import { Learner, learningKey, trackItem } from '../../nodes/common/polling/learning';
import type { Guess, LearnedData, PollWindow } from '../../nodes/common/polling/learning';
import { adaptivePolicy, fixedPolicy, gridPolicy } from '../../nodes/common/polling/policy';
import type { PollingPolicy } from '../../nodes/common/polling/policy';
import { pollUntilDone } from '../../nodes/common/polling/poll-until-done';
import type { CheckOutcome } from '../../nodes/common/polling/poll-until-done';
import { DEFAULT_RATE, POLLY_GET_LIST } from '../../nodes/common/rate/quotas';
import { sendRated } from '../../nodes/common/rate/gate';
import { RateRegistry } from '../../nodes/common/rate/registry';
import { SimClock } from './sim-clock';
import { seededRandom, Verdicts } from './stats';
import { VirtualTime } from './virtual-time';
import type { WorkloadTask } from './workload-csv';

/** The node's Timeout in these runs: long enough that no strategy times out, so only polling is measured. */
const DEADLINE_MS = 6 * 3_600_000;

export interface Waited {
	checks: number;
	delayMs: number;
}

/** The status JSON of a task at `now`, in the service's own shape. */
export function statusJson(task: WorkloadTask, now: number): IDataObject {
	const elapsed = now - task.createdAtMs;
	const stage = elapsed < task.queuedMs ? 0 : elapsed < task.totalMs ? 1 : 2;
	const id = `t${task.index}`;
	const created = new Date(task.createdAtMs).toISOString();
	switch (task.service) {
		case 'polly':
			return {
				TaskId: id,
				TaskStatus: ['scheduled', 'inProgress', 'completed'][stage],
				...(task.engine ? { Engine: task.engine } : {}),
				...(task.outputFormat ? { OutputFormat: task.outputFormat } : {}),
				...(task.characters !== undefined ? { RequestCharacters: task.characters } : {}),
				CreationTime: task.createdAtMs / 1000,
			};
		case 'aspose':
			return { id, taskStatus: ['Pending', 'Processing', 'Completed'][stage] };
		case 'chimeVoice':
			return {
				SpeakerSearchTaskId: id,
				SpeakerSearchTaskStatus: ['IN_QUEUE', 'IN_PROGRESS', 'SUCCEEDED'][stage],
				CreatedTimestamp: created,
			};
		case 'chimeMediaPipeline':
			return {
				SpeakerSearchTaskId: id,
				SpeakerSearchTaskStatus: ['NotStarted', 'InProgress', 'Stopped'][stage],
				CreatedTimestamp: created,
			};
	}
}

const adapterFor = (task: WorkloadTask): TaskAdapter => adapterOf(task.service)!;
const firstCheckAt = (task: WorkloadTask) => task.createdAtMs + task.startOffsetMs;
const endAt = (task: WorkloadTask) => task.createdAtMs + task.totalMs;

function isDone(task: WorkloadTask, json: IDataObject) {
	const { phase } = adapterFor(task).task.state(json);
	return phase === 'succeeded' || phase === 'failed';
}

function record(
	verdicts: Verdicts,
	name: string,
	task: WorkloadTask,
	outcome: string,
	calls: number,
	detectedAt: number,
): Waited {
	verdicts.check(outcome === 'done', `${name}: task ${task.index} ended ${outcome}, not done`);
	const delayMs = detectedAt - endAt(task);
	verdicts.check(delayMs >= 0, `${name}: task ${task.index} reported done before it ended`);
	return { checks: calls, delayMs };
}

/**
 * One task through pollUntilDone with its own clock (strategies that learn nothing); with `window`, the
 * window every waiting check reports, as if it had been learned (the oracle rows).
 */
async function alone(
	task: WorkloadTask,
	policy: PollingPolicy,
	random: () => number,
	verdicts: Verdicts,
	name: string,
	window?: PollWindow,
): Promise<Waited> {
	let now = firstCheckAt(task);
	let calls = 0;
	let detectedAt = NaN;
	const check = async (): Promise<CheckOutcome<IDataObject>> => {
		calls++;
		const outcome = classifyTask(adapterFor(task), statusJson(task, now), now);
		if (outcome.kind === 'done') detectedAt = now;
		return outcome.kind === 'waiting' && window ? { ...outcome, window } : outcome;
	};
	const result = await pollUntilDone(check, {
		deadline: now + DEADLINE_MS,
		policy,
		now: () => now,
		sleep: async (ms) => {
			now += ms;
		},
		random,
		limit: async (work) => await work(),
	});
	return record(verdicts, name, task, result.outcome, calls, detectedAt);
}

async function sdkWaiter(
	task: WorkloadTask,
	random: () => number,
	verdicts: Verdicts,
	name: string,
): Promise<Waited> {
	const clock = new VirtualTime(firstCheckAt(task));
	let calls = 0;
	let detectedAt = NaN;
	const result = await clock.run(
		async () =>
			await createWaiter(
				{ client: {}, maxWaitTime: DEADLINE_MS / 1000, minDelay: 5, maxDelay: 120 },
				{},
				async () => {
					calls++;
					if (!isDone(task, statusJson(task, Date.now()))) return { state: WaiterState.RETRY };
					detectedAt = Date.now();
					return { state: WaiterState.SUCCESS };
				},
			),
		random,
	);
	return record(
		verdicts,
		name,
		task,
		result.state === WaiterState.SUCCESS ? 'done' : result.state,
		calls,
		detectedAt,
	);
}

/** Polly's documented quota for GetSpeechSynthesisTask + ListSpeechSynthesisTasks, as the service enforces it. */
const SERVICE_QUOTA_PER_SECOND = POLLY_GET_LIST.perSecond!;
/** The service's burst allowance is not documented: one second's worth (as the emulator's quotas assume). */
const SERVICE_BURST = SERVICE_QUOTA_PER_SECOND;

/** The service side of a quota: a token bucket that answers ThrottlingException when empty. */
class ServiceQuota {
	private tokens: number;
	private at: number;
	throttled = 0;

	constructor(
		private readonly perSecond: number,
		private readonly burst: number,
		now: number,
	) {
		this.tokens = burst;
		this.at = now;
	}

	take(now: number): boolean {
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
		this.at = Math.max(this.at, now);
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		this.throttled++;
		return false;
	}
}

export interface AdaptiveSettings {
	/** The shared request-rate control of nodes/common/rate in front of every status read. */
	rateControl: boolean;
	/** Polly's 10/s Get + List quota enforced by the simulated service. */
	quota: boolean;
}

/** Who calls: one account and Region for the whole workload (quotas are per account and Region). */
const PLACE = {
	credentialType: 'awsSigV4Api',
	credentials: { accessKeyId: 'AKIDBENCH', region: 'us-east-1' },
	baseUrl: 'https://bench.invalid',
};

/** A request the simulated service refused (ThrottlingException): retried, never fatal. */
interface SimFailure {
	kind: 'retry' | 'fatal';
	error: Error;
}

/** ListSpeechSynthesisTasks's page size as run-job.ts asks for it. */
const LIST_PAGE_SIZE = 100;

/**
 * All executions of a workload with the shipped adaptive code on one virtual clock: each execution's items
 * concurrently, sharing one learner; executions overlapping in time share the account's rate buckets and
 * quota; an execution starts from what the last execution to end before its start stored (through JSON, as
 * n8n's workflow static data), and stores what it learned when it ends, replacing what was there. An
 * execution with at least BATCH_FROM_ITEMS Polly items reads their statuses through one batch reader.
 */
async function adaptiveAll(
	executions: Array<{ items: WorkloadTask[]; start: number }>,
	settings: AdaptiveSettings,
	verdicts: Verdicts,
	name: string,
): Promise<{ waited: Map<number, Waited>; throttled: number }> {
	const clock = new SimClock(executions[0]?.start ?? 0);
	const registry = new RateRegistry({ now: () => clock.now, sleep: clock.sleep });
	registry.enabled = settings.rateControl;
	const quota = new ServiceQuota(SERVICE_QUOTA_PER_SECOND, SERVICE_BURST, clock.now);
	const random = seededRandom(Number(process.env.BENCH_SEED ?? 7));
	const policy = adaptivePolicy();
	const waited = new Map<number, Waited>();
	let stored: LearnedData | undefined;

	// The account's Polly tasks, newest first: what ListSpeechSynthesisTasks pages through.
	const pollyTasks = executions
		.flatMap(({ items }) => items)
		.filter((task) => task.service === 'polly')
		.sort((a, b) => b.createdAtMs - a.createdAtMs || b.index - a.index);
	const pollyById = new Map(pollyTasks.map((task) => [`t${task.index}`, task]));
	const getSpec = pollyAdapter.status.rate?.({ ids: { taskId: '' }, trial: false }) ?? DEFAULT_RATE;
	const throttle = (): ReadOutcome<never, SimFailure> => ({
		ok: false,
		failure: { kind: 'retry', error: new Error('ThrottlingException') },
	});
	/** One request to the simulated Polly: refused when the quota is enforced and spent. */
	const admitted = () => !settings.quota || quota.take(clock.now);

	/** The reader of one execution, as run-job.ts's statusReaders wires it, and the requests it sent. */
	const readerFor = () => {
		const sent = { gets: 0, pages: 0 };
		const reader = new BatchReader<IDataObject, SimFailure>({
			get: async (id) =>
				await sendRated(
					PLACE,
					getSpec,
					undefined,
					async (): Promise<ReadOutcome<IDataObject, SimFailure>> => {
						sent.gets++;
						if (!admitted()) return throttle();
						return { ok: true, value: statusJson(pollyById.get(id)!, clock.now) };
					},
					(outcome) => !outcome.ok,
					registry,
				),
			list: async (nextToken) =>
				await sendRated(
					PLACE,
					listSynthesisTasks.rate?.({ maxResults: LIST_PAGE_SIZE, nextToken }) ?? DEFAULT_RATE,
					undefined,
					async (): Promise<ReadOutcome<ListPage<IDataObject>, SimFailure>> => {
						sent.pages++;
						if (!admitted()) return throttle();
						// Tasks created by now, newest first; the token is the offset into that listing.
						let from = 0;
						let to = pollyTasks.length;
						while (from < to) {
							const middle = (from + to) >> 1;
							if (pollyTasks[middle].createdAtMs > clock.now) from = middle + 1;
							else to = middle;
						}
						const offset = nextToken === undefined ? 0 : Number(nextToken);
						const start = from + offset;
						const end = start + LIST_PAGE_SIZE;
						return {
							ok: true,
							value: {
								tasks: pollyTasks.slice(start, end).map((task) => statusJson(task, clock.now)),
								nextToken: end < pollyTasks.length ? String(offset + LIST_PAGE_SIZE) : undefined,
							},
						};
					},
					(outcome) => !outcome.ok,
					registry,
				),
			...pollyListed,
			isFatal: (failure) => failure.kind === 'fatal',
			now: () => clock.now,
			sleep: clock.sleep,
		});
		return { reader, sent };
	};

	await clock.run(async () => {
		await Promise.all(
			executions.map(async ({ items, start }) => {
				await clock.sleep(start - clock.now);
				// As the node does: the stored data read back (validated), shared by all items of the execution.
				const learner = new Learner(
					stored === undefined ? undefined : JSON.parse(JSON.stringify(stored)),
				);
				const pollyItems = items.filter((task) => task.service === 'polly').length;
				const batch = pollyItems >= BATCH_FROM_ITEMS ? readerFor() : undefined;
				// As statusReaders: every Polly task of the execution is awaited from its start.
				if (batch)
					for (const task of items.filter((t) => t.service === 'polly'))
						batch.reader.await(
							`t${task.index}`,
							adapterFor(task).task.createdAt?.(statusJson(task, task.createdAtMs)),
						);
				const asked: Array<{ waited: Waited; asks: number }> = [];
				await Promise.all(
					items.map(async (task) => {
						await clock.sleep(firstCheckAt(task) - clock.now);
						const track = trackItem(learner);
						const adapter = adapterFor(task);
						const reader = task.service === 'polly' ? batch?.reader : undefined;
						const taskId = `t${task.index}`;
						const spec =
							adapter.status.rate?.({ ids: { taskId: '' }, trial: false }) ?? DEFAULT_RATE;
						let calls = 0;
						let detectedAt = NaN;
						const classify = (json: IDataObject) => {
							const outcome = classifyTask(adapter, json, clock.now, track);
							if (outcome.kind === 'done') detectedAt = clock.now;
							return outcome;
						};
						const read = async (): Promise<CheckOutcome<IDataObject>> => {
							calls++;
							if (task.service === 'polly' && !admitted())
								return { kind: 'retry', error: new Error('ThrottlingException') };
							return classify(statusJson(task, clock.now));
						};
						// As run-job.ts's checker: through the reader (which rates each request it sends), else one rated Get.
						const check = reader
							? async (): Promise<CheckOutcome<IDataObject>> => {
									calls++;
									const outcome = await reader.read(taskId);
									if (!outcome.ok) return { kind: 'retry', error: outcome.failure.error };
									return classify(outcome.value);
								}
							: async () =>
									await sendRated(
										PLACE,
										spec,
										undefined,
										read,
										(o) => o.kind === 'retry',
										registry,
									);
						const poll = async () =>
							await pollUntilDone(check, {
								deadline: start + DEADLINE_MS,
								// As runJob: batched items check on the grid shared from the execution's start.
								policy: reader ? whileListing(reader, gridPolicy(start, GRID_MS), policy) : policy,
								now: () => clock.now,
								sleep: clock.sleep,
								random,
								limit: async (work) => await work(),
							});
						// As runJob: a batched task is awaited from the execution's start (above) until it ends.
						const result = await poll().finally(() => reader?.release(taskId));
						verdicts.check(!waited.has(task.index), `${name}: task ${task.index} reported twice`);
						const one = record(verdicts, name, task, result.outcome, calls, detectedAt);
						waited.set(task.index, one);
						if (reader) asked.push({ waited: one, asks: calls });
					}),
				);
				if (batch) {
					// A page is one request whatever it answers: the execution's requests, shared by asks.
					const requests = batch.sent.gets + batch.sent.pages;
					const asks = asked.reduce((n, a) => n + a.asks, 0);
					for (const a of asked) a.waited.checks = asks > 0 ? (a.asks * requests) / asks : 0;
				}
				if (learner.changed) stored = learner.toJSON();
			}),
		);
	});
	return { waited, throttled: quota.throttled };
}

// ── Reference rows: what knowing more would reach ─────────────────────────────────────────────────

/** Knows each task's end: one check if it is done at the first, else one more exactly at its end. */
function oracleEnd(task: WorkloadTask): Waited {
	const first = firstCheckAt(task);
	const end = endAt(task);
	return end <= first ? { checks: 1, delayMs: first - end } : { checks: 2, delayMs: 0 };
}

/** Where the window of a task counts from, as the learning does: its creation if it says, else the first check. */
function originOf(task: WorkloadTask): { origin: number; guess?: Guess; key: string } {
	const adapter = adapterFor(task);
	const json = statusJson(task, firstCheckAt(task));
	const createdAt = adapter.task.createdAt?.(json);
	const guess = adapter.task.expectedDurationPartsMs?.(json);
	return {
		origin: createdAt ?? firstCheckAt(task),
		guess: createdAt === undefined ? undefined : guess,
		key: learningKey(adapter.service, adapter.task.speedClass?.(json)),
	};
}

function quantileOf(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const position = q * (sorted.length - 1);
	const low = Math.floor(position);
	const high = Math.min(sorted.length - 1, low + 1);
	return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/**
 * In hindsight, from the whole workload: each task's expected duration (per key, a least-squares fit of
 * actual ÷ guess on the fixed part's share — exact for durations that follow a speed per part) and the
 * spread around it (quantiles of actual ÷ expected, per service); without a guess, the quantiles of the
 * key's durations. The window of each task: what a policy knowing its speed, not its own spread, would use.
 */
export function hindsightWindows(
	tasks: readonly WorkloadTask[],
	lowQuantile: number,
	highQuantile: number,
): Map<number, PollWindow> {
	const byKey = new Map<string, Array<{ task: WorkloadTask; origin: number; guess?: Guess }>>();
	for (const task of tasks) {
		const o = originOf(task);
		const list = byKey.get(o.key) ?? [];
		list.push({ task, ...o });
		byKey.set(o.key, list);
	}
	const windows = new Map<number, PollWindow>();
	const residuals = new Map<string, number[]>();
	const expected = new Map<number, number>();
	for (const [key, list] of byKey) {
		const guessed = list.filter((x) => x.guess);
		if (guessed.length === list.length && list.length > 0) {
			// Least squares of y = c0 + c1·w, y = actual ÷ guess, w = fixed share.
			let s = 0,
				sw = 0,
				sww = 0,
				sy = 0,
				swy = 0;
			for (const { task, origin, guess } of guessed) {
				const total = guess!.fixedMs + guess!.sizeMs;
				const w = guess!.fixedMs / total;
				const y = (endAt(task) - origin) / total;
				s += 1;
				sw += w;
				sww += w * w;
				sy += y;
				swy += w * y;
			}
			const det = s * sww - sw * sw;
			const c1 = det > 1e-9 ? (s * swy - sw * sy) / det : 0;
			const c0 = (sy - c1 * sw) / s;
			const service = key.split('|')[0];
			const sample = residuals.get(service) ?? [];
			for (const { task, origin, guess } of guessed) {
				const total = guess!.fixedMs + guess!.sizeMs;
				const e = total * Math.max(0.02, c0 + (c1 * guess!.fixedMs) / total);
				expected.set(task.index, e);
				sample.push((endAt(task) - origin) / e);
			}
			residuals.set(service, sample);
		} else {
			const durations = list.map(({ task, origin }) => endAt(task) - origin);
			const earliestMs = quantileOf(durations, lowQuantile);
			const latestMs = quantileOf(durations, highQuantile);
			for (const { task, origin } of list)
				windows.set(task.index, { startAt: origin, earliestMs, latestMs });
		}
	}
	for (const task of tasks) {
		const e = expected.get(task.index);
		if (e === undefined) continue;
		const { origin } = originOf(task);
		const sample = residuals.get(task.service)!;
		windows.set(task.index, {
			startAt: origin,
			earliestMs: e * quantileOf(sample, lowQuantile),
			latestMs: e * quantileOf(sample, highQuantile),
		});
	}
	return windows;
}

export type StrategyName =
	| 'adaptive'
	| 'fixed5s'
	| 'sdkWaiter'
	| 'adaptiveNoRateControl'
	| 'adaptiveNoQuota'
	| 'oracleEnd'
	| 'oracleSpeed';

export interface ReplayResult {
	waited: Record<StrategyName, Waited[]>;
	/** Share of adaptive's status requests the simulated Polly quota refused. */
	throttled: { adaptive: number; adaptiveNoRateControl: number };
}

/** The oracle's window quantiles: the shipped learner's, on a sample that is the whole workload. */
export const ORACLE_QUANTILES: [number, number] = [0.04, 0.995];

export async function replay(
	tasks: WorkloadTask[],
	verdicts: Verdicts,
	label: string,
): Promise<ReplayResult> {
	const byExecution = new Map<string, WorkloadTask[]>();
	for (const task of tasks) {
		const list = byExecution.get(task.execution) ?? [];
		list.push(task);
		byExecution.set(task.execution, list);
	}
	const executions = [...byExecution.values()]
		.map((items) => ({ items, start: Math.min(...items.map(firstCheckAt)) }))
		.sort((a, b) => a.start - b.start);

	const runs = {
		adaptive: { rateControl: true, quota: true },
		adaptiveNoRateControl: { rateControl: false, quota: true },
		adaptiveNoQuota: { rateControl: false, quota: false },
	};
	const adaptive: Partial<Record<keyof typeof runs, Waited[]>> = {};
	const throttled = { adaptive: 0, adaptiveNoRateControl: 0 };
	for (const [name, settings] of Object.entries(runs) as Array<
		[keyof typeof runs, AdaptiveSettings]
	>) {
		const result = await adaptiveAll(executions, settings, verdicts, `${label} ${name}`);
		verdicts.check(
			result.waited.size === tasks.length,
			`${label} ${name}: ${result.waited.size} of ${tasks.length} tasks ended`,
		);
		const list = tasks.map((t) => result.waited.get(t.index) ?? { checks: NaN, delayMs: NaN });
		adaptive[name] = list;
		if (name !== 'adaptiveNoQuota')
			throttled[name] = result.throttled / list.reduce((n, w) => n + w.checks, 0);
	}

	const fixed: Waited[] = [];
	const fixedRandom = seededRandom(7);
	for (const task of tasks)
		fixed.push(await alone(task, fixedPolicy(5000), fixedRandom, verdicts, `${label} fixed5s`));
	const waiter: Waited[] = [];
	const waiterRandom = seededRandom(7);
	for (const task of tasks)
		waiter.push(await sdkWaiter(task, waiterRandom, verdicts, `${label} sdkWaiter`));
	const windows = hindsightWindows(tasks, ...ORACLE_QUANTILES);
	const speed: Waited[] = [];
	const speedRandom = seededRandom(7);
	for (const task of tasks)
		speed.push(
			await alone(
				task,
				adaptivePolicy(),
				speedRandom,
				verdicts,
				`${label} oracleSpeed`,
				windows.get(task.index)!,
			),
		);

	return {
		waited: {
			adaptive: adaptive.adaptive!,
			fixed5s: fixed,
			sdkWaiter: waiter,
			adaptiveNoRateControl: adaptive.adaptiveNoRateControl!,
			adaptiveNoQuota: adaptive.adaptiveNoQuota!,
			oracleEnd: tasks.map(oracleEnd),
			oracleSpeed: speed,
		},
		throttled,
	};
}
