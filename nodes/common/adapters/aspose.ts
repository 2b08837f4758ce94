import type { IDataObject } from 'n8n-workflow';

import { asposeBaseUrl } from '../../../credentials/common/aspose/token';
import { asposeAudio, stripAudioPayload } from '../audio/aspose-audio';
import { asposeErrorReader } from '../errors/service-error';
import { tokenRule } from '../ids';
import type { TaskAdapter, TaskState } from './types';

function state(task: IDataObject): TaskState {
	const status = String(task.taskStatus ?? '');
	const messages = ((task.error as IDataObject | null | undefined)?.messages ?? []) as string[];
	switch (status) {
		case 'Pending':
			return { phase: 'pending', status };
		case 'Processing':
			return { phase: 'running', status };
		case 'Completed':
			return { phase: 'succeeded', status };
		case 'Error':
			return {
				phase: 'failed',
				status,
				reason: messages.length ? messages.join('; ') : 'Aspose reported an error without a message',
			};
		case 'NotExist':
			return {
				phase: 'failed',
				status,
				reason: 'Aspose has no such task: the ID is unknown, or its results are older than 24 hours and were deleted',
			};
		default:
			return { phase: 'running', status };
	}
}

export const asposeAdapter: TaskAdapter = {
	service: 'aspose',
	label: 'Aspose text-to-speech task',
	serviceName: 'Aspose.OCR Cloud',
	serviceDescription: 'A text-to-speech task (ConvertTextToSpeech)',
	credentialType: 'asposeCloudApi',
	ids: [
		{
			name: 'taskId',
			displayName: 'Task ID',
			problem: tokenRule(128, /^[A-Za-z0-9_-]+$/, 'Aspose task ID'),
			accepted:
				'the task ID that ConvertTextToSpeech returned: letters, digits, "-" or "_", such as TTS01232-9d40-4f2d-8eda-f1fc0b12bce6',
			fromPreviousNode: '={{ $json.id }}',
		},
	],
	detect: (json) =>
		typeof json.id === 'string' && typeof json.taskStatus === 'string' ? { taskId: json.id } : undefined,
	baseUrl: (credentials) => asposeBaseUrl(credentials ?? {}),
	statusPath: (ids, trial) =>
		`/v5.0/ocr/${trial ? 'ConvertTextToSpeechTrial' : 'ConvertTextToSpeech'}?id=${encodeURIComponent(ids.taskId)}`,
	unwrap: (body) => (body ?? {}) as IDataObject,
	outputJson: stripAudioPayload,
	state,
	audio: asposeAudio,
	notFoundHint: 'Aspose keeps results for 24 hours after the text was submitted. Check the Task ID.',
	readError: asposeErrorReader,
};
