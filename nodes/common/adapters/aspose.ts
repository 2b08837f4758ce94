import type { IDataObject } from 'n8n-workflow';

import { ASPOSE_BASE_URL, asposeBaseUrl } from '../../../credentials/common/aspose/token';
import { asposeAudio, stripAudioPayload } from '../audio/aspose-audio';
import { asposeErrorReader, asposeErrorReaderFor } from '../errors/readers';
import { tokenRule } from '../ids';
import { taskAt } from './answer';
import { statusField } from './status';
import type { Operation, TaskAdapter } from './types';

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
	{ NotExist: 'Aspose does not know this task, or has deleted it after 24 hours.' },
);

export const asposeAdapter: TaskAdapter = {
	service: 'aspose',
	text: {
		name: 'Aspose.OCR Cloud',
		description: 'A text-to-speech task',
		label: 'Aspose text-to-speech task',
		taskNodes: ['Submit Aspose Text to Speech', 'Fetch Aspose Audio'],
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
				'the task ID that Submit Aspose Text to Speech outputs: letters, digits, "-" or "_", such as TTS01232-9d40-4f2d-8eda-f1fc0b12bce6',
			example: 'TTS01232-9d40-4f2d-8eda-f1fc0b12bce6',
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

// ── Submitting text ─────────────────────────────────────────────────────────────────────────────────

/** The trial endpoint takes at most this much text. */
export const TRIAL_TEXT_LIMIT = 500;

const TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The task ID in a submit answer: plain text, perhaps quoted or padded; undefined when it is none. */
function taskIdIn(text: string): string | undefined {
	const id = text
		.trim()
		.replace(/^"(.*)"$/s, '$1')
		.trim();
	return TASK_ID.test(id) ? id : undefined;
}

/** POST ConvertTextToSpeech[Trial]: the answer is the new task's ID as text. */
export const submitText: Operation<{ text: string; trial: boolean }> = {
	method: 'POST',
	path: ({ trial }) => `/v5.0/ocr/${trial ? 'ConvertTextToSpeechTrial' : 'ConvertTextToSpeech'}`,
	body: ({ text }) => ({ text, settings: { language: 'English', resultType: 'Wav' } }),
	answer: 'text',
	read: (body) => {
		const id = taskIdIn(String(body.text ?? ''));
		return id === undefined ? undefined : { id };
	},
	error: asposeErrorReaderFor(
		'Check the text (Aspose reads English only; the trial takes 500 characters at most) and the Base URL.',
	),
};
