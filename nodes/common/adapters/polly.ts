import type { IDataObject } from 'n8n-workflow';

import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import { pollyAudio } from '../audio/polly-audio';
import { taskAt } from './answer';
import { awsErrorReader } from '../errors/readers';
import { tokenRule } from '../ids';
import { pick } from '../simplify';
import { POLLY_GET_LIST } from '../rate/quotas';
import { statusField } from './status';
import type { IdListing, Operation, TaskAdapter } from './types';

export const POLLY_ENDPOINT: AwsEndpoint = {
	label: 'Amazon Polly',
	prefix: 'polly',
	signingName: 'polly',
	field: 'pollyEndpoint',
	pathHint: /^\/v1\/(synthesisTasks|speech|voices|lexicons)\b/,
};

// Engine → time in the queue and per billed character. Polly publishes no figures: these are our
// working guess (the emulator's duration model uses the same). A wrong guess costs a few requests or
// a later notice, never a result; `npm run bench` measures both for estimates off by ×0.5 to ×2.
const TIMING: Record<string, { queueMs: number; perCharacterMs: number }> = {
	standard: { queueMs: 2000, perCharacterMs: 0.6 },
	neural: { queueMs: 3000, perCharacterMs: 1.5 },
	generative: { queueMs: 4000, perCharacterMs: 3 },
	'long-form': { queueMs: 5000, perCharacterMs: 4 },
};
/** Speech marks take less work than audio. */
const SPEECH_MARKS_FACTOR = 0.3;

/** The guess as time in the queue plus time for the text, so that the learning can correct each. */
function expectedDurationPartsMs(
	task: IDataObject,
): { fixedMs: number; sizeMs: number } | undefined {
	const characters = Number(task.RequestCharacters);
	if (!Number.isFinite(characters) || characters <= 0) return undefined;
	const { queueMs, perCharacterMs } = TIMING[String(task.Engine ?? 'standard')] ?? TIMING.neural;
	const factor = task.OutputFormat === 'json' ? SPEECH_MARKS_FACTOR : 1;
	return { fixedMs: queueMs, sizeMs: Math.max(1000, characters * perCharacterMs * factor) };
}

function expectedDurationMs(task: IDataObject): number | undefined {
	const parts = expectedDurationPartsMs(task);
	return parts && Math.round(parts.fixedMs + parts.sizeMs);
}

const state = statusField(
	'TaskStatus',
	{ scheduled: 'pending', inProgress: 'running', completed: 'succeeded', failed: 'failed' },
	(task) => String(task.TaskStatusReason ?? 'Polly gave no reason'),
);

export const NOT_FOUND_HINT =
	"Polly keeps a synthesis task for 72 hours after it starts. Check the Task ID, and that the credential's region is the region the task was started in.";

/** ListSpeechSynthesisTasks: one page of the account's tasks in the region, newest or oldest first. */
export interface ListInput {
	/** Only tasks in this status. */
	status?: 'scheduled' | 'inProgress' | 'completed' | 'failed';
	/** 1 to 100. */
	maxResults: number;
	nextToken?: string;
}

const isTask = (value: unknown): value is IDataObject =>
	value !== null &&
	typeof value === 'object' &&
	!Array.isArray(value) &&
	typeof (value as IDataObject).TaskId === 'string' &&
	typeof (value as IDataObject).TaskStatus === 'string';

export const listSynthesisTasks: Operation<ListInput> = {
	method: 'GET',
	path: () => '/v1/synthesisTasks',
	query: ({ status, maxResults, nextToken }) => ({
		MaxResults: String(maxResults),
		...(status ? { Status: status } : {}),
		...(nextToken ? { NextToken: nextToken } : {}),
	}),
	rate: () => POLLY_GET_LIST,
	// A page is usable only whole: a task without an ID or status, or an odd token, means it is not Polly.
	read: (body) => {
		const tasks = body.SynthesisTasks ?? [];
		const next = body.NextToken;
		if (!Array.isArray(tasks) || !tasks.every(isTask)) return undefined;
		if (next !== undefined && next !== null && typeof next !== 'string') return undefined;
		return {
			SynthesisTasks: tasks,
			...(typeof next === 'string' && next ? { NextToken: next } : {}),
		};
	},
	error: awsErrorReader({
		label: 'Polly synthesis tasks',
		notFoundHint: NOT_FOUND_HINT,
		action: 'polly:ListSpeechSynthesisTasks',
	}),
};

/** When a task was created, for people: "2026-11-29 14:02 UTC". */
function createdWhen(task: IDataObject): string {
	const seconds = task.CreationTime;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return 'creation time unknown';
	return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const STATUS_WORDS: Record<string, string> = {
	scheduled: 'queued',
	inProgress: 'running',
	completed: 'completed',
	failed: 'failed',
};

/** The account's recent tasks in the credential's region, for the Task picker. */
const taskListing: IdListing = {
	method: 'searchPollyTasks',
	page: {
		...listSynthesisTasks,
		query: ({ nextToken }) => listSynthesisTasks.query!({ maxResults: 100, nextToken }),
		read: (body) => listSynthesisTasks.read(body, { maxResults: 100 }),
	},
	entries: (page) => ({
		entries: (page.SynthesisTasks as IDataObject[]).map((task) => ({
			name: `${String(task.TaskId)} (${STATUS_WORDS[String(task.TaskStatus)] ?? String(task.TaskStatus)}, ${createdWhen(task)})`,
			value: String(task.TaskId),
			description: [task.VoiceId, task.Engine, task.OutputFormat].filter(Boolean).join(', '),
		})),
		nextToken: typeof page.NextToken === 'string' ? page.NextToken : undefined,
	}),
};

export const pollyAdapter: TaskAdapter = {
	service: 'polly',
	text: {
		name: 'Amazon Polly',
		description: 'A speech synthesis task',
		label: 'Polly synthesis task',
		taskNodes: [
			'Start Polly Synthesis Task',
			'Get Polly Synthesis Task',
			'List Polly Synthesis Tasks',
		],
		notFoundHint: NOT_FOUND_HINT,
	},
	credential: { type: 'awsSigV4Api', endpoint: POLLY_ENDPOINT },
	ids: [
		{
			name: 'taskId',
			displayName: 'Task ID',
			problem: tokenRule(128, /^[A-Za-z0-9_-]+$/, 'Polly task ID'),
			accepted:
				'a Polly task ID: 1 to 128 letters, digits, "-" or "_", such as 70b61c0f-57ce-4715-a247-cae8729dcce9',
			example: '70b61c0f-57ce-4715-a247-cae8729dcce9',
			fromPreviousNode: '={{ $json.TaskId }}',
			listing: taskListing,
		},
	],
	// GetSpeechSynthesisTask
	status: {
		method: 'GET',
		path: ({ ids }) => `/v1/synthesisTasks/${encodeURIComponent(ids.taskId)}`,
		read: (body) => taskAt(body, 'SynthesisTask', 'TaskStatus'),
		rate: () => POLLY_GET_LIST,
		error: awsErrorReader({
			label: 'Polly synthesis task',
			notFoundHint: NOT_FOUND_HINT,
			action: 'polly:GetSpeechSynthesisTask',
		}),
	},
	task: {
		detect: (json) =>
			typeof json.TaskId === 'string' && typeof json.TaskStatus === 'string'
				? { taskId: json.TaskId }
				: undefined,
		state,
		createdAt: (task) =>
			typeof task.CreationTime === 'number' ? Math.round(task.CreationTime * 1000) : undefined,
		expectedDurationMs,
		expectedDurationPartsMs,
		// ID and status (what auto-detect reads), the reason of a failure, the output file and the start time.
		simplify: (task) =>
			pick(task, ['TaskId', 'TaskStatus', 'TaskStatusReason', 'OutputUri', 'CreationTime']),
		speedClass: (task) =>
			`${String(task.Engine ?? 'standard').slice(0, 20)}|${String(task.OutputFormat ?? '').slice(0, 20)}`,
	},
	audio: pollyAudio,
};
