import type { IDataObject } from 'n8n-workflow';

import { ASPOSE_BASE_URL, asposeBaseUrl } from '../../../credentials/common/aspose/token';
import { asposeAudio, stripAudioPayload } from '../audio/aspose-audio';
import { asposeErrorReader } from '../errors/readers';
import { tokenRule } from '../ids';
import { taskAt } from './answer';
import { statusField } from './status';
import type { TaskAdapter } from './types';

function messagesOf(task: IDataObject): string[] {
	const messages = (task.error as IDataObject | null | undefined)?.messages;
	return Array.isArray(messages) ? messages.map(String) : [];
}

const state = statusField(
	'taskStatus',
	{
		Pending: 'pending',
		Processing: 'running',
		Completed: 'succeeded',
		Error: 'failed',
		NotExist: 'failed',
	},
	(task, status) => {
		if (status === 'NotExist') {
			return 'Aspose has no such task: the ID is unknown, or its results are older than 24 hours and were deleted';
		}
		const messages = messagesOf(task);
		return messages.length ? messages.join('; ') : 'Aspose reported an error without a message';
	},
);

export const asposeAdapter: TaskAdapter = {
	service: 'aspose',
	text: {
		name: 'Aspose.OCR Cloud',
		description: 'A text-to-speech task (ConvertTextToSpeech)',
		label: 'Aspose text-to-speech task',
		taskNode: 'Fetch Aspose Audio',
		notFoundHint:
			'Aspose keeps results for 24 hours after the text was submitted. Check the Task ID.',
	},
	credential: { type: 'asposeCloudApi', baseUrl: asposeBaseUrl, trialBaseUrl: ASPOSE_BASE_URL },
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
	// GET ConvertTextToSpeech?id= (the trial endpoint takes no credential)
	status: {
		method: 'GET',
		path: ({ trial }) => `/v5.0/ocr/${trial ? 'ConvertTextToSpeechTrial' : 'ConvertTextToSpeech'}`,
		query: ({ ids }) => ({ id: ids.taskId }),
		read: (body) => taskAt(body, undefined, 'taskStatus'),
		// The answer carries the finished WAV as base64: far larger than other status answers.
		maxAnswerBytes: 48 * 1024 * 1024,
		error: asposeErrorReader,
	},
	task: {
		detect: (json) =>
			typeof json.id === 'string' && typeof json.taskStatus === 'string'
				? { taskId: json.id }
				: undefined,
		state,
		outputJson: stripAudioPayload,
	},
	audio: asposeAudio,
};
