import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { apiError, asNodeError } from '../common/errors/node-errors';
import type { Limiter } from '../common/polling/limiter';
import { backoffAfterFailure } from '../common/polling/policy';
import { pollUntilDone } from '../common/polling/poll-until-done';
import { isRetryableDownloadError } from '../common/s3/get-object';
import type { CheckOutcome, PollOptions } from '../common/polling/poll-until-done';
import { audioContext, callOver } from '../common/transport/connection';
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
}

/** A status read may take 30 s, but never runs past the deadline by more than a second. */
const requestTimeout = (deadline: number, now: number) =>
	Math.max(1000, Math.min(REQUEST_TIMEOUT_MS, deadline - now));

/** One status check, classified for the poller; API errors that retrying cannot fix are thrown. */
function checker(ctx: IExecuteFunctions, job: Job, run: RunContext) {
	const { adapter, ids, connection, trial, itemIndex } = job;
	return async (): Promise<CheckOutcome<IDataObject>> => {
		const outcome = await callOver(
			ctx,
			connection,
			adapter.status,
			{ ids, trial },
			{
				timeoutMs: requestTimeout(run.deadline, run.now()),
				peer: adapter.text,
			},
		);
		if (outcome.ok) {
			const task = outcome.value;
			const phase = adapter.task.state(task).phase;
			if (phase === 'succeeded' || phase === 'failed') return { kind: 'done', value: task };
			return {
				kind: 'waiting',
				value: task,
				createdAt: adapter.task.createdAt?.(task),
				expectedDurationMs: adapter.task.expectedDurationMs?.(task),
			};
		}
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
	const result = await pollUntilDone(checker(ctx, job, run), run);
	const task = result.value ?? {};
	const json: IDataObject = { ...(adapter.task.outputJson ? adapter.task.outputJson(task) : task) };
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	const waitedSeconds = Math.round((run.now() - run.startedAt) / 100) / 10;
	const state = adapter.task.state(task);

	if (result.outcome === 'timedOut') {
		json.waitOutcome = {
			outcome: 'timedOut',
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
			status: state.status,
			reason: state.reason ?? '',
			checks: result.checks,
			waitedSeconds,
		};
		return { output: OUTPUT.failed, item };
	}
	if (job.binaryPropertyName && adapter.audio) await attachAudio(ctx, job, task, run, item);
	json.waitOutcome = {
		outcome: 'completed',
		status: state.status,
		checks: result.checks,
		waitedSeconds,
	};
	return { output: OUTPUT.completed, item };
}
