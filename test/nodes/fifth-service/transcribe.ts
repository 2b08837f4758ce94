/**
 * A fifth service, written the way the README's "Adding a service" recipe says: one adapter file. Its
 * status call is shaped like Amazon Transcribe's GetTranscriptionJob, an AWS JSON 1.1 API: a POST to
 * `/` with `x-amz-target` and a JSON body, unlike the four shipped services' REST GETs.
 */
import type { IDataObject } from 'n8n-workflow';

import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import type { TaskAdapter, TaskState } from '../../../nodes/common/adapters/types';
import { taskAt } from '../../../nodes/common/adapters/answer';
import { awsErrorReader } from '../../../nodes/common/errors/readers';
import { tokenRule } from '../../../nodes/common/ids';

export const TRANSCRIBE_ENDPOINT: AwsEndpoint = {
	label: 'Amazon Transcribe',
	prefix: 'transcribe',
	signingName: 'transcribe',
	field: 'transcribeEndpoint',
	pathHint: /^\/$/,
};

function state(job: IDataObject): TaskState {
	const status = String(job.TranscriptionJobStatus ?? '');
	if (status === 'QUEUED') return { phase: 'pending', status };
	if (status === 'COMPLETED') return { phase: 'succeeded', status };
	if (status === 'FAILED')
		return { phase: 'failed', status, reason: String(job.FailureReason ?? 'no reason given') };
	return { phase: 'running', status };
}

const NOT_FOUND_HINT = 'Check the job name and the region of the credential.';

export const transcribeAdapter: TaskAdapter = {
	service: 'transcribe',
	text: {
		name: 'Amazon Transcribe',
		description: 'A transcription job',
		label: 'transcription job',
		taskNodes: ['Get Transcription Job'],
		notFoundHint: NOT_FOUND_HINT,
	},
	credential: { type: 'awsSigV4Api', endpoint: TRANSCRIBE_ENDPOINT },
	ids: [
		{
			name: 'transcriptionJobName',
			displayName: 'Transcription Job Name',
			problem: tokenRule(200, /^[0-9a-zA-Z._-]+$/, 'transcription job name'),
			accepted: 'a job name: 1 to 200 letters, digits, ".", "-" or "_"',
			fromPreviousNode: '={{ $json.TranscriptionJobName }}',
		},
	],
	status: {
		method: 'POST',
		path: () => '/',
		headers: () => ({
			'content-type': 'application/x-amz-json-1.1',
			'x-amz-target': 'Transcribe.GetTranscriptionJob',
		}),
		body: ({ ids }) => ({ TranscriptionJobName: ids.transcriptionJobName }),
		read: (body) => taskAt(body, 'TranscriptionJob', 'TranscriptionJobStatus'),
		error: awsErrorReader({
			label: 'transcription job',
			notFoundHint: NOT_FOUND_HINT,
			action: 'transcribe:GetTranscriptionJob',
		}),
	},
	task: {
		detect: (json) =>
			typeof json.TranscriptionJobName === 'string' &&
			typeof json.TranscriptionJobStatus === 'string'
				? { transcriptionJobName: json.TranscriptionJobName }
				: undefined,
		state,
		createdAt: (job) =>
			typeof job.CreationTime === 'number' ? job.CreationTime * 1000 : undefined,
	},
};
