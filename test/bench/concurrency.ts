/**
 * Benchmark 2 — concurrency: real runs of Wait Until Complete (default options: adaptive policy, 10 requests in
 * flight, Download Audio on) in n8n-core's WorkflowExecute against the emulator, with 1, 10, 100 and 500 items
 * whose Polly tasks take 2–10 s of real time. Each task's text length is what the emulator's duration model
 * maps to its duration (standard engine: 2 s queue + 0.6 ms per character), so the node's estimate sees a
 * realistic RequestCharacters; the emulator is told the exact duration. Output objects are 32 KiB.
 * Baseline: the longest task (the time from the run's start until the last task completes). Also shown: the
 * sum of all task durations (waiting one after another) and the same run with fixed 5 s polling.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import type { FilesystemBinaryData } from '../harness/binary-data';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import {
	BUCKET,
	credentialFor,
	emulator,
	oneNode,
	sha256,
	shortPollyTasks,
} from './emulator-setup';
import { keyOf, objectDigest, referenceS3 } from './s3-reference';
import { BATCH_FROM_ITEMS } from '../../nodes/WaitUntilComplete/run-job';
import { fixed, max, ratio, seededRandom, sum, table, Verdicts } from './stats';

const SIZES = (process.env.BENCH_CONCURRENCY_SIZES ?? '1,10,100,500').split(',').map(Number);
const OBJECT_BYTES = 32 * 1024;

interface Case {
	items: number;
	strategy: 'adaptive' | 'fixed';
}

interface Row {
	label: string;
	items: number;
	longestS: number;
	sumS: number;
	wallS: number;
	/** Gets and list pages together. */
	statusRequests: number;
	lists: number;
	downloads: number;
}

async function runCase(
	emu: Emulator,
	c: Case,
	binary: FilesystemBinaryData,
	verdicts: Verdicts,
): Promise<Row> {
	emu.reset();
	const suffix = { adaptive: '', fixed: ', fixed 5 s' }[c.strategy];
	const label = `${c.items} item${c.items === 1 ? '' : 's'}${suffix}`;
	const random = seededRandom(1000 + c.items);
	const created = shortPollyTasks(emu, c.items, random, OBJECT_BYTES);
	const tasks = created.map((made) => made.task);
	const durations = created.map((made) => made.durationMs);
	const input: INodeExecutionData[] = tasks.map((json) => ({
		json: json as INodeExecutionData['json'],
	}));
	const options =
		c.strategy === 'fixed' ? { timeout: 120, strategy: 'fixed', interval: 5 } : { timeout: 120 };
	const started = Date.now();
	const run = async () =>
		await runWorkflow(
			oneNode(
				credentialFor(emu),
				TYPES.waitUntilComplete,
				{ service: 'auto', downloadAudio: true, binaryPropertyName: 'data', options },
				input,
				'Wait Until Complete',
			),
		);
	const { outputs, error } = await run();
	const wallMs = Date.now() - started;
	const lastCompletion = max(tasks.map((t, i) => Number(t.CreationTime) * 1000 + durations[i]));

	// Request accounting, before the reference reads below add their own.
	const log = [...emu.requests];
	const gets = log.filter((e) => e.route === 'polly.get');
	const lists = log.filter((e) => e.route === 'polly.list');
	const status = [...gets, ...lists];
	const downloads = log.filter((e) => e.route === 's3.get');

	const where = `concurrency ${label}`;
	verdicts.check(error === undefined, `${where}: the run failed: ${error?.message}`);
	const [completed = [], failed = [], timedOut = []] = outputs['Wait Until Complete'] ?? [];
	verdicts.check(
		completed.length === c.items && failed.length === 0 && timedOut.length === 0,
		`${where}: ${completed.length} completed, ${failed.length} failed, ${timedOut.length} timed out of ${c.items}`,
	);
	verdicts.check(
		log.every((e) => e.status === 200 && e.signatureOk === true),
		`${where}: not every request was answered 200 with a valid signature`,
	);
	verdicts.check(
		log.length === status.length + downloads.length,
		`${where}: ${log.length - status.length - downloads.length} unexpected requests`,
	);
	verdicts.check(
		downloads.length === c.items,
		`${where}: ${downloads.length} S3 downloads for ${c.items} items`,
	);
	const reportedChecks = sum(
		completed.map((item) =>
			Number((item.json.waitOutcome as { checks?: number } | undefined)?.checks ?? NaN),
		),
	);
	// Below BATCH_FROM_ITEMS every check is one Get; above it a list page answers many items' checks.
	const batched = c.items >= BATCH_FROM_ITEMS;
	verdicts.check(
		batched
			? reportedChecks >= status.length
			: reportedChecks === gets.length && lists.length === 0,
		`${where}: items report ${reportedChecks} status checks, the emulator saw ${gets.length} Gets and ${lists.length} list pages`,
	);

	const s3 = referenceS3(emu);
	const byTask = new Map(tasks.map((t) => [String(t.TaskId), t]));
	let audioOk = 0;
	for (const [index, item] of completed.entries()) {
		const task = byTask.get(String(item.json.TaskId));
		const data = item.binary?.data;
		if (!task || !data || (item.pairedItem as { item: number } | undefined)?.item !== index)
			continue;
		const stored = await binary.bufferOf(data);
		const reference = await objectDigest(s3, BUCKET, keyOf(task.OutputUri, BUCKET));
		if (
			stored.length === reference.size &&
			reference.size === OBJECT_BYTES &&
			sha256(stored) === reference.sha256
		)
			audioOk++;
	}
	s3.destroy();
	verdicts.check(
		audioOk === c.items,
		`${where}: ${c.items - audioOk} items without the right audio bytes (or out of order)`,
	);

	return {
		label,
		items: c.items,
		longestS: (lastCompletion - started) / 1000,
		sumS: sum(durations) / 1000,
		wallS: wallMs / 1000,
		statusRequests: status.length,
		lists: lists.length,
		downloads: downloads.length,
	};
}

export async function runConcurrencyBench(
	verdicts: Verdicts,
	binary: FilesystemBinaryData,
): Promise<string> {
	const emu = await emulator();
	const rows: Row[] = [];
	try {
		const largest = max(SIZES);
		const cases: Case[] = [
			...SIZES.map((items) => ({ items, strategy: 'adaptive' as const })),
			{ items: largest, strategy: 'fixed' },
		];
		for (const c of cases) rows.push(await runCase(emu, c, binary, verdicts));
	} finally {
		await emu.close();
	}
	return [
		'Wait Until Complete, default options (adaptive, Max Concurrent Requests 10, Download Audio on, filesystem binary data), Polly tasks of 2–10 s (uniform), 32 KiB mp3 each, emulator on loopback.',
		'',
		table(
			[
				'case',
				'longest task s',
				'wall s',
				'wall ÷ longest',
				'sum of tasks s',
				'wall ÷ sum',
				'status requests',
				'of them list pages',
				'per item',
				'S3 GETs',
				'total requests',
			],
			rows.map((r) => [
				r.label,
				fixed(r.longestS, 2),
				fixed(r.wallS, 2),
				ratio(r.wallS, r.longestS),
				fixed(r.sumS, 1),
				ratio(r.wallS, r.sumS, 3),
				String(r.statusRequests),
				String(r.lists),
				fixed(r.statusRequests / r.items, 2),
				String(r.downloads),
				String(r.statusRequests + r.downloads),
			]),
		),
	].join('\n');
}
