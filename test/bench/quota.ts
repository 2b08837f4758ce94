/**
 * Benchmark — waiting within Polly's quota: 500 Polly tasks of 2–10 s (uniform, real time), Wait Until Complete
 * in n8n-core's WorkflowExecute (default options, Download Audio on, 32 KiB mp3 each) against the emulator with
 * the documented quotas on (GetSpeechSynthesisTask + ListSpeechSynthesisTasks: 10 requests per second per account
 * and Region, ThrottlingException 400 beyond).
 *
 * The floor: with one status read per task, N tasks need N ÷ 10 s of quota (50 s for 500), however short the
 * tasks. Variants:
 * - per-task Get only: ListSpeechSynthesisTasks refused (an injected auth fault on `polly.list`, as for an IAM
 *   policy without polly:ListSpeechSynthesisTasks), so every read is a Get — the case the floor is about;
 * - with batching: reads answered by ListSpeechSynthesisTasks pages where the node does so (up to 100 tasks a
 *   request), which can beat the per-task floor.
 * Each is run with the shared rate control and, as the baseline, without it (`rateRegistry.enabled = false`: the
 * node as it was, where throttled answers come back at once and the items retry on their own backoff).
 * Goal: Get only ≤ 1.15 × the floor with ≤ 5 % of status requests throttled. Ends with one JSON line.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { rateRegistry } from '../../nodes/common/rate/registry';
import type { Emulator } from '../emulator';
import type { FilesystemBinaryData } from '../harness/binary-data';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { credentialFor, emulator, oneNode, shortPollyTasks } from './emulator-setup';
import { fixed, max, ratio, seededRandom, table, Verdicts } from './stats';

const ITEMS = Number(process.env.BENCH_QUOTA_ITEMS ?? 500);
const QUOTA_PER_SECOND = 10;
const OBJECT_BYTES = 32 * 1024;
const GOAL = { floorRatio: 1.15, throttledShare: 0.05 };

type Reads = 'getOnly' | 'batching';

interface Variant {
	reads: Reads;
	rateControl: boolean;
}

interface Row extends Variant {
	label: string;
	wallS: number;
	longestS: number;
	gets: number;
	lists: number;
	throttled: number;
	downloads: number;
	/** Run start → first status request, and last status request → run end (s). */
	startS: number;
	tailS: number;
	/** Status requests per second between the first and the last. */
	sentPerSecond: number;
}

const statusRequests = (r: Row) => r.gets + r.lists;
const throttledShare = (r: Row) => r.throttled / Math.max(1, statusRequests(r));

async function runVariant(
	v: Variant,
	binary: FilesystemBinaryData,
	verdicts: Verdicts,
): Promise<Row> {
	const label = `${v.reads === 'getOnly' ? 'per-task Get only' : 'with batching'}, ${v.rateControl ? 'rate control' : 'no rate control (baseline)'}`;
	// A fresh emulator per variant: its own port, so its own client-side buckets and its own quota.
	const emu: Emulator = await emulator({ quotas: true });
	try {
		if (v.reads === 'getOnly')
			emu.setFaults([{ route: 'polly.list', fault: 'expiredToken', message: 'Listing refused' }]);
		const random = seededRandom(2024);
		const tasks = shortPollyTasks(emu, ITEMS, random, OBJECT_BYTES);
		const durations = tasks.map((t) => t.durationMs);
		const created = tasks.map((t) => Number(t.task.CreationTime) * 1000);
		const input: INodeExecutionData[] = tasks.map((t) => ({
			json: t.task as INodeExecutionData['json'],
		}));
		rateRegistry.enabled = v.rateControl;
		const started = Date.now();
		const { outputs, error } = await runWorkflow(
			oneNode(
				credentialFor(emu),
				TYPES.waitUntilComplete,
				{
					service: 'auto',
					downloadAudio: true,
					binaryPropertyName: 'data',
					options: { timeout: 600 },
				},
				input,
				'Wait Until Complete',
			),
		);
		const wallMs = Date.now() - started;
		const lastCompletion = max(created.map((at, i) => at + durations[i]));

		const log = [...emu.requests];
		const gets = log.filter((e) => e.route === 'polly.get');
		const lists = log.filter((e) => e.route === 'polly.list');
		const throttled = [...gets, ...lists].filter((e) => e.errorCode === 'ThrottlingException');
		const downloads = log.filter((e) => e.route === 's3.get' && e.status === 200);
		const statusTimes = [...gets, ...lists].map((e) => e.time).sort((a, b) => a - b);
		const firstStatus = statusTimes[0] ?? started;
		const lastStatus = statusTimes[statusTimes.length - 1] ?? started;

		const where = `quota ${label}`;
		verdicts.check(error === undefined, `${where}: the run failed: ${error?.message}`);
		const [completed = [], failed = [], timedOut = []] = outputs['Wait Until Complete'] ?? [];
		verdicts.check(
			completed.length === ITEMS && failed.length === 0 && timedOut.length === 0,
			`${where}: ${completed.length} completed, ${failed.length} failed, ${timedOut.length} timed out of ${ITEMS}`,
		);
		let audioOk = 0;
		for (const item of completed) {
			const data = item.binary?.data;
			if (data && (await binary.bufferOf(data)).length === OBJECT_BYTES) audioOk++;
		}
		verdicts.check(audioOk === ITEMS, `${where}: ${ITEMS - audioOk} items without their audio`);
		verdicts.check(
			throttled.length === (emu.quotaCounts()['polly:GetList'] ?? 0),
			`${where}: the log and the quota disagree on throttled requests`,
		);
		return {
			...v,
			label,
			wallS: wallMs / 1000,
			longestS: (lastCompletion - started) / 1000,
			gets: gets.length,
			lists: lists.length,
			throttled: throttled.length,
			downloads: downloads.length,
			startS: (firstStatus - started) / 1000,
			tailS: (started + wallMs - lastStatus) / 1000,
			sentPerSecond:
				statusTimes.length > 1 ? (statusTimes.length - 1) / ((lastStatus - firstStatus) / 1000) : 0,
		};
	} finally {
		rateRegistry.enabled = true;
		await emu.close();
	}
}

/** Whether the node batches reads at all (another change builds it): true when a run sent a List. */
const batchingPresent = (rows: Row[]) => rows.some((r) => r.reads === 'batching' && r.lists > 0);

export async function runQuotaBench(
	verdicts: Verdicts,
	binary: FilesystemBinaryData,
): Promise<{ text: string; jsonLine: string }> {
	const floorS = ITEMS / QUOTA_PER_SECOND;
	// BENCH_QUOTA_VARIANTS=getOnly runs only the Get-only pair.
	const only = process.env.BENCH_QUOTA_VARIANTS?.split(',');
	const variants: Variant[] = (
		[
			{ reads: 'getOnly', rateControl: true },
			{ reads: 'getOnly', rateControl: false },
			{ reads: 'batching', rateControl: true },
			{ reads: 'batching', rateControl: false },
		] as Variant[]
	).filter((v) => !only || only.includes(v.reads));
	const rows: Row[] = [];
	for (const v of variants) rows.push(await runVariant(v, binary, verdicts));
	const baselineOf = (r: Row) =>
		rows.find((b) => b.reads === r.reads && !b.rateControl && r.rateControl);

	const getOnly = rows.find((r) => r.reads === 'getOnly' && r.rateControl);
	const goalMet =
		getOnly !== undefined &&
		getOnly.wallS / floorS <= GOAL.floorRatio &&
		throttledShare(getOnly) <= GOAL.throttledShare;
	const lines = [
		`${ITEMS} Polly tasks of 2–10 s (uniform), Wait Until Complete with default options (adaptive, Max Concurrent Requests 10, Download Audio on, 32 KiB mp3), emulator with Polly's quota (Get + List ${QUOTA_PER_SECOND}/s, ThrottlingException 400). Quota floor for one read per task: ${ITEMS} ÷ ${QUOTA_PER_SECOND}/s = ${fixed(floorS, 0)} s.`,
		'',
		table(
			[
				'case',
				'wall s',
				'÷ quota floor',
				'longest task s',
				'÷ longest',
				'Gets',
				'Lists',
				'requests per task',
				'throttled',
				'throttled %',
				'status req/s',
				'first request s',
				'after last request s',
				'wall ÷ baseline',
				'throttled ÷ baseline',
			],
			rows.map((r) => {
				const base = baselineOf(r);
				return [
					r.label,
					fixed(r.wallS, 1),
					ratio(r.wallS, floorS),
					fixed(r.longestS, 1),
					ratio(r.wallS, r.longestS),
					String(r.gets),
					String(r.lists),
					fixed(statusRequests(r) / ITEMS, 2),
					String(r.throttled),
					fixed(throttledShare(r) * 100, 1),
					fixed(r.sentPerSecond, 2),
					fixed(r.startS, 2),
					fixed(r.tailS, 2),
					base ? ratio(r.wallS, base.wallS) : '—',
					base ? ratio(r.throttled, Math.max(1, base.throttled)) : '—',
				];
			}),
		),
		'',
		getOnly
			? `Goal (per-task Get only, rate control): ≤ ${GOAL.floorRatio} × the quota floor with ≤ ${GOAL.throttledShare * 100} % throttled: ${goalMet ? 'met' : 'NOT met'} (${ratio(getOnly.wallS, floorS)}, ${fixed(throttledShare(getOnly) * 100, 1)} %).`
			: '',
		batchingPresent(rows)
			? 'With batching: ListSpeechSynthesisTasks pages answer many tasks per request, so the per-task floor no longer binds.'
			: 'With batching: the node sent no ListSpeechSynthesisTasks request, so these rows repeat the Get-only case.',
	];
	const json = {
		bench: 'quota',
		items: ITEMS,
		quotaPerSecond: QUOTA_PER_SECOND,
		floorS,
		goalMet,
		cases: Object.fromEntries(
			rows.map((r) => [
				`${r.reads}${r.rateControl ? '' : 'NoRateControl'}`,
				{
					wallS: Number(r.wallS.toFixed(2)),
					perFloor: Number((r.wallS / floorS).toFixed(3)),
					perLongest: Number((r.wallS / r.longestS).toFixed(3)),
					requestsPerTask: Number((statusRequests(r) / ITEMS).toFixed(3)),
					gets: r.gets,
					lists: r.lists,
					throttled: r.throttled,
					throttledPct: Number((throttledShare(r) * 100).toFixed(2)),
					downloads: r.downloads,
					statusPerSecond: Number(r.sentPerSecond.toFixed(2)),
					firstRequestS: Number(r.startS.toFixed(2)),
					afterLastRequestS: Number(r.tailS.toFixed(2)),
				},
			]),
		),
	};
	return { text: lines.join('\n'), jsonLine: JSON.stringify(json) };
}
