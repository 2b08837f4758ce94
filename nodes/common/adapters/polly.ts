import type { IDataObject } from 'n8n-workflow';

import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import { pollyAudio } from '../audio/polly-audio';
import { taskAt } from './answer';
import { awsErrorReader } from '../errors/readers';
import { tokenRule } from '../ids';
import { statusField } from './status';
import type { TaskAdapter } from './types';

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

function expectedDurationMs(task: IDataObject): number | undefined {
	const characters = Number(task.RequestCharacters);
	if (!Number.isFinite(characters) || characters <= 0) return undefined;
	const { queueMs, perCharacterMs } = TIMING[String(task.Engine ?? 'standard')] ?? TIMING.neural;
	const factor = task.OutputFormat === 'json' ? SPEECH_MARKS_FACTOR : 1;
	return Math.round(queueMs + Math.max(1000, characters * perCharacterMs * factor));
}

const state = statusField(
	'TaskStatus',
	{ scheduled: 'pending', inProgress: 'running', completed: 'succeeded', failed: 'failed' },
	(task) => String(task.TaskStatusReason ?? 'Polly gave no reason'),
);

const NOT_FOUND_HINT =
	"Polly keeps a synthesis task for 72 hours after it starts. Check the Task ID, and that the credential's region is the region the task was started in.";

export const pollyAdapter: TaskAdapter = {
	service: 'polly',
	text: {
		name: 'Amazon Polly',
		description: 'A speech synthesis task (StartSpeechSynthesisTask)',
		label: 'Polly synthesis task',
		taskNodes: ['Get Polly Synthesis Task'],
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
			fromPreviousNode: '={{ $json.TaskId }}',
		},
	],
	// GetSpeechSynthesisTask
	status: {
		method: 'GET',
		path: ({ ids }) => `/v1/synthesisTasks/${encodeURIComponent(ids.taskId)}`,
		read: (body) => taskAt(body, 'SynthesisTask', 'TaskStatus'),
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
	},
	audio: pollyAudio,
};
