import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { apiError, asNodeError } from '../common/errors/node-errors';
import { waitSummary } from '../common/errors/wording';
import type { Limiter } from '../common/polling/limiter';
import { backoffAfterFailure, gridPolicy } from '../common/polling/policy';
import type { PollingPolicy } from '../common/polling/policy';
import { pollUntilDone } from '../common/polling/poll-until-done';
import { isRetryableDownloadError } from '../common/s3/get-object';
import type { CheckOutcome, PollOptions } from '../common/polling/poll-until-done';
import { audioContext, callOver } from '../common/transport/connection';
import type { Connection } from '../common/transport/connection';
import { listSynthesisTasks, pollyAdapter } from '../common/adapters/polly';
import type { Failure } from '../common/errors/failure';
import { BatchReader } from '../common/polling/batch-reader';
import type { BatchReaderStats } from '../common/polling/batch-reader';
import { classifyTask } from '../common/polling/classify';
import { Learner, trackItem } from '../common/polling/learning';
import { REQUEST_TIMEOUT_MS } from '../common/transport/request';
import type { Job } from './plan';

export const OUTPUT = { completed: 0, failed: 1, timedOut: 2 } as const;

export interface JobResult {
	output: (typeof OUTPUT)[keyof typeof OUTPUT];
	item: INodeExecutionData;
}

export interface RunContext extends PollOptions {
	limit: Limiter;
	startedAt: number;
	/** What the node learns about task durations, shared by all items (see `openLearning`). */
	learner?: Learner;
	/** Polly status reads shared by the items of one connection (see `statusReaders`). */
	readers?: Map<Connection, StatusReader>;
	/** The spacing at which items read by one listing are checked together (default GRID_MS). */
	gridMs?: number;
}

type StatusReader = BatchReader<IDataObject, Failure>;

/** Where the node keeps what it learned, in the workflow's static data of this node. */
const LEARNED_KEY = 'waitUntilCompleteLearned';

/**
 * The learning stored by earlier executions. n8n saves a node's static data after executions that are
 * not manual (trigger, webhook, schedule, sub-workflow…) of saved workflows, once the execution ends
 * and only if it changed; manual runs from the editor start from what is stored and do not save.
 */
export function openLearning(ctx: IExecuteFunctions): Learner {
	try {
		return new Learner(ctx.getWorkflowStaticData('node')[LEARNED_KEY]);
	} catch {
		return new Learner();
	}
}

/** Stores what was learned, only when something was (a write marks the static data changed). */
export function keepLearning(ctx: IExecuteFunctions, learner: Learner | undefined): void {
	if (!learner?.changed) return;
	try {
		ctx.getWorkflowStaticData('node')[LEARNED_KEY] = learner.toJSON() as unknown as IDataObject;
	} catch {
		// Learning is an optimisation: failing to keep it must not fail the run.
	}
}

/**
 * From how many Polly items on one connection reads may be batched. A listing page (100 tasks) every grid
 * step costs 10 items at most one request per item every 45 s, less than their own checks while they wait;
 * below it, a Get per item keeps each item's failures its own and costs about as little.
 */
export const BATCH_FROM_ITEMS = 10;

/**
 * One batch reader per connection on which many (BATCH_FROM_ITEMS) Polly tasks are awaited: their reads may then be
 * answered by ListSpeechSynthesisTasks pages instead of one Get each (see batch-reader.ts).
 */
export function statusReaders(
	ctx: IExecuteFunctions,
	jobs: readonly Job[],
	run: RunContext,
): Map<Connection, StatusReader> {
	const polly = new Map<Connection, Job[]>();
	for (const job of jobs) {
		if (job.adapter.service !== pollyAdapter.service || job.trial) continue;
		const batch = polly.get(job.connection) ?? [];
		batch.push(job);
		polly.set(job.connection, batch);
	}
	const readers = new Map<Connection, StatusReader>();
	for (const [connection, batch] of polly) {
		if (batch.length < BATCH_FROM_ITEMS) continue;
		const timeoutMs = () => requestTimeout(run.deadline, run.now());
		const peer = pollyAdapter.text;
		const reader = new BatchReader<IDataObject, Failure>({
			get: async (taskId) =>
				await run.limit(
					async () =>
						await callOver(
							ctx,
							connection,
							pollyAdapter.status,
							{ ids: { taskId }, trial: false },
							{ timeoutMs: timeoutMs(), peer },
						),
				),
			list: async (nextToken) => {
				const outcome = await run.limit(
					async () =>
						await callOver(
							ctx,
							connection,
							listSynthesisTasks,
							{ maxResults: 100, nextToken },
							{ timeoutMs: timeoutMs(), peer },
						),
				);
				if (!outcome.ok) return outcome;
				const { SynthesisTasks: tasks, NextToken: next } = outcome.value;
				return {
					ok: true,
					value: {
						tasks: tasks as IDataObject[],
						nextToken: typeof next === 'string' ? next : undefined,
					},
				};
			},
			...pollyListed,
			isFatal: (failure) => failure.kind === 'fatal',
			now: run.now,
			sleep: run.sleep,
		});
		// Every task is awaited from the start, so that the reader knows when all of them are asking.
		for (const job of batch) reader.await(job.ids.taskId, createdAtOf(ctx, job));
		readers.set(connection, reader);
	}
	return readers;
}

/** How the batch reader tells a Polly task in a listing: its id and its creation time. */
export const pollyListed = {
	idOf: (task: IDataObject) => (typeof task.TaskId === 'string' ? task.TaskId : undefined),
	createdAtOf: (task: IDataObject) => pollyAdapter.task.createdAt?.(task),
};

/** The creation time the item itself carries (e.g. Start Polly Synthesis Task's answer), if any. */
const createdAtOf = (ctx: IExecuteFunctions, job: Job) =>
	job.adapter.task.createdAt?.(ctx.getInputData()[job.itemIndex]?.json ?? {});

/**
 * Batched items are all checked together at this spacing: one listing answers them all, and no task
 * waits longer than fixed 5 s polling would to be seen done.
 */
export const GRID_MS = 4500;

/** The grid while the reader lists; its own policy for each item once listing is given up (Get per task). */
export function whileListing(
	reader: { readonly stats: BatchReaderStats },
	grid: PollingPolicy,
	own: PollingPolicy,
): PollingPolicy {
	return {
		minDelayMs: Math.min(grid.minDelayMs, own.minDelayMs),
		nextDelayMs: (state, random) => (reader.stats.disabled ? own : grid).nextDelayMs(state, random),
	};
}

/** A status read may take 30 s, but never runs past the deadline by more than a second. */
const requestTimeout = (deadline: number, now: number) =>
	Math.max(1000, Math.min(REQUEST_TIMEOUT_MS, deadline - now));

/** One status check, classified for the poller; API errors that retrying cannot fix are thrown. */
function checker(
	ctx: IExecuteFunctions,
	job: Job,
	run: RunContext,
	reader: StatusReader | undefined,
) {
	const { adapter, ids, connection, trial, itemIndex } = job;
	const track = run.learner ? trackItem(run.learner) : undefined;
	return async (): Promise<CheckOutcome<IDataObject>> => {
		const outcome = reader
			? await reader.read(ids.taskId)
			: await callOver(
					ctx,
					connection,
					adapter.status,
					{ ids, trial },
					{
						timeoutMs: requestTimeout(run.deadline, run.now()),
						peer: adapter.text,
					},
				);
		if (outcome.ok) return classifyTask(adapter, outcome.value, run.now(), track);
		const { failure } = outcome;
		const error = apiError(ctx.getNode(), failure, itemIndex);
		if (failure.kind === 'fatal') throw error;
		return { kind: 'retry', error, retryAfterMs: failure.retryAfterMs };
	};
}

/** Downloads the audio, retrying throttling and transient failures while time remains. */
async function attachAudio(
	ctx: IExecuteFunctions,
	job: Job,
	task: IDataObject,
	run: RunContext,
	item: INodeExecutionData,
) {
	const binaryPropertyName = job.binaryPropertyName!;
	const context = audioContext(
		ctx,
		job.connection,
		job.itemIndex,
		binaryPropertyName,
		run.deadline,
	);
	let delay = 0;
	for (;;) {
		try {
			const audio = await run.limit(async () => await job.adapter.audio!(task, job.ids, context));
			if (audio) {
				item.binary = { [binaryPropertyName]: audio.binary };
				Object.assign(item.json, audio.json ?? {});
			}
			return;
		} catch (error) {
			const remaining = run.deadline - run.now();
			if (!isRetryableDownloadError(error) || remaining <= 0)
				throw asNodeError(ctx.getNode(), error, job.itemIndex);
			delay = backoffAfterFailure(delay, error.retryAfterMs, run.random);
			await run.sleep(Math.min(delay, remaining));
		}
	}
}

/** Waits for one item's task and sorts it into Completed, Failed or Timed Out. */
export async function runJob(
	ctx: IExecuteFunctions,
	job: Job,
	run: RunContext,
): Promise<JobResult> {
	const { adapter, itemIndex } = job;
	const reader = run.readers?.get(job.connection);
	let result: Awaited<ReturnType<typeof pollUntilDone<IDataObject>>>;
	if (reader) {
		const taskId = job.ids.taskId;
		try {
			// The reader takes a slot of the limiter per request it sends, not per ask it waits on.
			result = await pollUntilDone(checker(ctx, job, run, reader), {
				...run,
				policy: whileListing(reader, gridPolicy(run.startedAt, run.gridMs ?? GRID_MS), run.policy),
				limit: async (work) => await work(),
			});
		} finally {
			reader.release(taskId);
		}
	} else {
		result = await pollUntilDone(checker(ctx, job, run, undefined), run);
	}
	const task = result.value ?? {};
	const json: IDataObject = { ...(adapter.task.outputJson ? adapter.task.outputJson(task) : task) };
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	const waitedSeconds = Math.round((run.now() - run.startedAt) / 100) / 10;
	const state = adapter.task.state(task);
	const facts = { label: adapter.text.label, waitedSeconds, checks: result.checks };

	if (result.outcome === 'timedOut') {
		json.waitOutcome = {
			outcome: 'timedOut',
			summary: waitSummary('timedOut', { ...facts, status: state.status }),
			status: state.status,
			checks: result.checks,
			waitedSeconds,
			hint: 'The task was still running at the timeout. Loop this item through a Wait node back into Wait Until Complete to keep waiting without holding a worker.',
		};
		return { output: OUTPUT.timedOut, item };
	}
	if (state.phase === 'failed') {
		json.waitOutcome = {
			outcome: 'failed',
			summary: waitSummary('failed', { ...facts, status: state.status, reason: state.reason }),
			status: state.status,
			reason: state.reason ?? '',
			...(state.meaning ? { meaning: state.meaning } : {}),
			checks: result.checks,
			waitedSeconds,
		};
		return { output: OUTPUT.failed, item };
	}
	if (job.binaryPropertyName && adapter.audio) await attachAudio(ctx, job, task, run, item);
	json.waitOutcome = {
		outcome: 'completed',
		summary: waitSummary('completed', {
			...facts,
			status: state.status,
			binaryPropertyName: item.binary ? job.binaryPropertyName : undefined,
		}),
		status: state.status,
		...(state.meaning ? { meaning: state.meaning } : {}),
		checks: result.checks,
		waitedSeconds,
	};
	return { output: OUTPUT.completed, item };
}
