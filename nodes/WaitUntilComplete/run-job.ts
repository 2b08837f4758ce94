import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { audioContext } from '../common/audio-context';
import { apiError, asNodeError } from '../common/errors/node-errors';
import type { Limiter } from '../common/polling/limiter';
import { pollUntilDone } from '../common/polling/poll-until-done';
import type { CheckOutcome, PollOptions } from '../common/polling/poll-until-done';
import { checkStatus } from '../common/task-client';
import type { Job } from './plan';

export const OUTPUT = { completed: 0, failed: 1, timedOut: 2 } as const;

export interface JobResult {
	output: (typeof OUTPUT)[keyof typeof OUTPUT];
	item: INodeExecutionData;
}

export interface RunContext extends PollOptions {
	limit: Limiter;
	startedAt: number;
}

const MAX_REQUEST_MS = 30000;

const requestTimeout = (deadline: number, now: number) =>
	Math.max(5000, Math.min(MAX_REQUEST_MS, deadline - now + 5000));

/** One status check, classified for the poller; API errors that retrying cannot fix are thrown. */
function checker(ctx: IExecuteFunctions, job: Job, run: RunContext) {
	const { adapter, ids, connection, trial, itemIndex } = job;
	return async (): Promise<CheckOutcome<IDataObject>> => {
		const read = await checkStatus(ctx, adapter, ids, connection, trial, requestTimeout(run.deadline, run.now()));
		if (read.kind === 'task') {
			const phase = adapter.state(read.task).phase;
			if (phase === 'succeeded' || phase === 'failed') return { kind: 'done', value: read.task };
			return {
				kind: 'waiting',
				value: read.task,
				createdAt: adapter.createdAt?.(read.task),
				expectedDurationMs: adapter.expectedDurationMs?.(read.task),
			};
		}
		const problem = read.kind === 'error' ? read.error : read;
		const error = apiError(ctx.getNode(), problem, problem, itemIndex);
		if (read.kind === 'unreadable' || read.error.kind !== 'fatal') {
			return { kind: 'retry', error, retryAfterMs: read.kind === 'error' ? read.error.retryAfterMs : undefined };
		}
		throw error;
	};
}

/** Downloads the audio, retrying throttling and transient failures while time remains. */
async function attachAudio(ctx: IExecuteFunctions, job: Job, task: IDataObject, run: RunContext, item: INodeExecutionData) {
	const context = audioContext(ctx, job.connection, job.itemIndex, job.binaryPropertyName!, run.deadline);
	let delay = 1000;
	for (;;) {
		try {
			const audio = await run.limit(async () => await job.adapter.audio!(task, job.ids, context));
			if (audio) {
				item.binary = { [job.binaryPropertyName!]: audio.binary };
				Object.assign(item.json, audio.json ?? {});
			}
			return;
		} catch (error) {
			const retry = error as { retryable?: boolean; retryAfterMs?: number };
			const remaining = run.deadline - run.now();
			if (!retry.retryable || remaining <= 0) throw asNodeError(ctx.getNode(), error, job.itemIndex);
			delay = Math.max(retry.retryAfterMs ?? 0, Math.min(delay * 2, 30000));
			await run.sleep(Math.min(delay, remaining));
		}
	}
}

/** Waits for one item's task and sorts it into Completed, Failed or Timed Out. */
export async function runJob(ctx: IExecuteFunctions, job: Job, run: RunContext): Promise<JobResult> {
	const { adapter, itemIndex } = job;
	const result = await pollUntilDone(checker(ctx, job, run), run);
	const task = result.value ?? {};
	const json: IDataObject = { ...(adapter.outputJson ? adapter.outputJson(task) : task) };
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	const waitedSeconds = Math.round((run.now() - run.startedAt) / 100) / 10;

	if (result.outcome === 'timedOut') {
		const state = adapter.state(task);
		json.waitOutcome = {
			outcome: 'timedOut',
			status: state.status,
			checks: result.checks,
			waitedSeconds,
			hint: 'The task was still running at the timeout. Loop this item through a Wait node back into Wait Until Complete to keep waiting without holding a worker.',
		};
		return { output: OUTPUT.timedOut, item };
	}

	const state = adapter.state(task);
	if (state.phase === 'failed') {
		json.waitOutcome = { outcome: 'failed', status: state.status, reason: state.reason ?? '', checks: result.checks, waitedSeconds };
		return { output: OUTPUT.failed, item };
	}
	if (job.binaryPropertyName && adapter.audio) await attachAudio(ctx, job, task, run, item);
	json.waitOutcome = { outcome: 'completed', status: state.status, checks: result.checks, waitedSeconds };
	return { output: OUTPUT.completed, item };
}
