import type { IDataObject } from 'n8n-workflow';

import { awsErrorReader } from '../errors/service-error';
import { serviceBaseUrl } from '../../../credentials/common/aws/endpoints';
import { pollyAudio } from '../audio/polly-audio';
import { tokenRule } from '../ids';
import type { TaskAdapter, TaskState } from './types';

// Seconds Polly needs per 1,000 billed characters, by engine: rough figures that only steer when
// the poller looks; a wrong guess costs a few requests, never a result.
const SECONDS_PER_1000_CHARS: Record<string, number> = {
	standard: 2,
	neural: 4,
	'long-form': 8,
	generative: 8,
};

function state(task: IDataObject): TaskState {
	const status = String(task.TaskStatus ?? '');
	switch (status) {
		case 'scheduled':
			return { phase: 'pending', status };
		case 'inProgress':
			return { phase: 'running', status };
		case 'completed':
			return { phase: 'succeeded', status };
		case 'failed':
			return {
				phase: 'failed',
				status,
				reason: String(task.TaskStatusReason ?? 'Polly gave no reason'),
			};
		default:
			return { phase: 'running', status };
	}
}

const NOT_FOUND_HINT =
	"Polly keeps a synthesis task for 72 hours after it starts. Check the Task ID, and that the credential's region is the region the task was started in.";

export const pollyAdapter: TaskAdapter = {
	service: 'polly',
	label: 'Polly synthesis task',
	serviceName: 'Amazon Polly',
	serviceDescription: 'A speech synthesis task (StartSpeechSynthesisTask)',
	credentialType: 'awsSigV4Api',
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
	detect: (json) =>
		typeof json.TaskId === 'string' && typeof json.TaskStatus === 'string'
			? { taskId: json.TaskId }
			: undefined,
	baseUrl: (credentials) => serviceBaseUrl(credentials ?? {}, 'polly'),
	statusPath: (ids) => `/v1/synthesisTasks/${encodeURIComponent(ids.taskId)}`,
	unwrap: (body) => ((body as IDataObject | undefined)?.SynthesisTask ?? {}) as IDataObject,
	state,
	createdAt: (task) =>
		typeof task.CreationTime === 'number' ? Math.round(task.CreationTime * 1000) : undefined,
	expectedDurationMs: (task) => {
		const characters = Number(task.RequestCharacters);
		if (!Number.isFinite(characters) || characters <= 0) return undefined;
		const perThousand = SECONDS_PER_1000_CHARS[String(task.Engine ?? 'standard')] ?? 4;
		return Math.round(2000 + characters * perThousand);
	},
	audio: pollyAudio,
	notFoundHint: NOT_FOUND_HINT,
	readError: awsErrorReader({
		label: 'Polly synthesis task',
		notFoundHint: NOT_FOUND_HINT,
		action: 'polly:GetSpeechSynthesisTask',
	}),
};
