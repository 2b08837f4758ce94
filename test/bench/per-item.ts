/**
 * Benchmark 5 — per-item overhead: 1,000 items through Get Polly Synthesis Task (declarative node, Task ID from
 * the expression `{{ $json.TaskId }}`) in n8n-core's WorkflowExecute against the emulator. Baselines on the
 * same tasks and emulator: the AWS SDK v3 PollyClient, one GetSpeechSynthesisTask after another — what a Code
 * node would do — and the same with 10 in flight. The node's request-rate control is off here (as shipped it
 * holds Gets to Polly's documented 10/s, which would measure the quota, not the node): this is its own cost.
 */
import { GetSpeechSynthesisTaskCommand, PollyClient } from '@aws-sdk/client-polly';
import type { INodeExecutionData } from 'n8n-workflow';

import { rateRegistry } from '../../nodes/common/rate/registry';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { BUCKET, credentialFor, emulator, oneNode } from './emulator-setup';
import { fixed, ratio, table, Verdicts } from './stats';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);

export async function runPerItemBench(verdicts: Verdicts): Promise<string> {
	const emu = await emulator();
	try {
		const ids: string[] = [];
		for (let i = 0; i < ITEMS; i++) {
			const task = emu.createPollyTask(
				{
					OutputS3BucketName: BUCKET,
					VoiceId: 'Joanna',
					OutputFormat: 'mp3',
					Text: `Item ${i}. Hello from the benchmark.`,
				},
				{ durationMs: i % 2 === 0 ? 0 : { queuedMs: 0, runningMs: 3_600_000 } },
			);
			ids.push(String(task.TaskId));
		}
		const credential = credentialFor(emu);
		const run = async (count: number) => {
			const input: INodeExecutionData[] = ids
				.slice(0, count)
				.map((TaskId, i) => ({ json: { TaskId, index: i } }));
			return await runWorkflow(
				oneNode(
					credential,
					TYPES.getPollySynthesisTask,
					{ taskId: '={{ $json.TaskId }}' },
					input,
					'Get Polly Synthesis Task',
				),
			);
		};

		rateRegistry.enabled = false;
		let nodeMs: number;
		let result: Awaited<ReturnType<typeof run>>;
		try {
			await run(50); // warm-up (JIT, connection pool), not counted
			emu.requests.length = 0;
			const started = process.hrtime.bigint();
			result = await run(ITEMS);
			nodeMs = Number(process.hrtime.bigint() - started) / 1e6;
		} finally {
			rateRegistry.enabled = true;
		}
		const { output, error } = result;
		const log = [...emu.requests];

		verdicts.check(error === undefined, `per-item: the run failed: ${error?.message}`);
		verdicts.check(
			output.length === ITEMS,
			`per-item: ${output.length} output items for ${ITEMS} inputs`,
		);
		const wrongItems = output.filter(
			(item, i) =>
				item.json.TaskId !== ids[i] ||
				(item.pairedItem as { item?: number } | undefined)?.item !== i ||
				item.json.TaskStatus !== (i % 2 === 0 ? 'completed' : 'inProgress'),
		);
		verdicts.check(
			wrongItems.length === 0,
			`per-item: ${wrongItems.length} output items with the wrong task, status or pairedItem`,
		);
		const gets = log.filter((e) => e.route === 'polly.get');
		verdicts.check(
			log.length === ITEMS && gets.length === ITEMS,
			`per-item: ${log.length} requests (${gets.length} GetSpeechSynthesisTask) for ${ITEMS} items — must be exactly 1 per item`,
		);
		const perTask = new Map<string, number>();
		for (const e of gets)
			perTask.set(
				e.path.split('/').pop() ?? '',
				(perTask.get(e.path.split('/').pop() ?? '') ?? 0) + 1,
			);
		verdicts.check(
			ids.every((id) => perTask.get(id) === 1),
			'per-item: some task was requested more or less than once',
		);
		verdicts.check(
			log.every((e) => e.status === 200 && e.signatureOk === true),
			'per-item: not every request was answered 200 with a valid signature',
		);

		const client = new PollyClient({
			region: emu.region,
			endpoint: emu.endpoints.polly,
			credentials: emu.awsCredentials,
			maxAttempts: 1,
		});
		for (const id of ids.slice(0, 50))
			await client.send(new GetSpeechSynthesisTaskCommand({ TaskId: id })); // warm-up
		emu.requests.length = 0;
		const sdkStart = process.hrtime.bigint();
		let sdkOk = 0;
		for (const id of ids)
			if (
				(await client.send(new GetSpeechSynthesisTaskCommand({ TaskId: id }))).SynthesisTask
					?.TaskId === id
			)
				sdkOk++;
		const sdkMs = Number(process.hrtime.bigint() - sdkStart) / 1e6;
		const parallelStart = process.hrtime.bigint();
		let next = 0;
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				while (next < ids.length) {
					const id = ids[next++];
					if (
						(await client.send(new GetSpeechSynthesisTaskCommand({ TaskId: id }))).SynthesisTask
							?.TaskId === id
					)
						sdkOk++;
				}
			}),
		);
		const parallelMs = Number(process.hrtime.bigint() - parallelStart) / 1e6;
		client.destroy();
		verdicts.check(
			sdkOk === 2 * ITEMS && emu.requests.length === 2 * ITEMS,
			`per-item: the SDK baseline got ${sdkOk} tasks with ${emu.requests.length} requests`,
		);

		const perSecond = (ms: number) => (ITEMS / ms) * 1000;
		const base = perSecond(sdkMs);
		return [
			`${ITEMS} items, Task ID by expression, half the tasks completed and half in progress, emulator on loopback (same process). Warm-up of 50 items first.`,
			'',
			table(
				['case', 'items/s', '× SDK sequential', 'ms/item', 'requests/item'],
				[
					[
						'AWS SDK PollyClient, sequential (baseline)',
						fixed(base, 0),
						'1.00×',
						fixed(sdkMs / ITEMS, 2),
						'1',
					],
					[
						'AWS SDK PollyClient, 10 in flight',
						fixed(perSecond(parallelMs), 0),
						ratio(perSecond(parallelMs), base),
						fixed(parallelMs / ITEMS, 2),
						'1',
					],
					[
						'Get Polly Synthesis Task node (n8n engine, rate control off)',
						fixed(perSecond(nodeMs), 0),
						ratio(perSecond(nodeMs), base),
						fixed(nodeMs / ITEMS, 2),
						fixed(log.length / ITEMS, 3),
					],
				],
			),
		].join('\n');
	} finally {
		await emu.close();
	}
}
