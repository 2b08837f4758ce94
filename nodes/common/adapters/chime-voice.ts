import type { IDataObject } from 'n8n-workflow';

import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import { awsErrorReader } from '../errors/readers';
import { tokenRule } from '../ids';
import { taskAt, timestampOf } from './answer';
import { statusField } from './status';
import type { TaskAdapter } from './types';

export const CHIME_VOICE_ENDPOINT: AwsEndpoint = {
	label: 'Amazon Chime SDK Voice',
	prefix: 'voice-chime',
	signingName: 'chime',
	field: 'chimeVoiceEndpoint',
	pathHint: /^\/voice-connectors\//,
};

const VOICE_CONNECTOR =
	/^(?:[a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const NOT_FOUND_HINT =
	"Check the voice connector ID and the speaker search task ID, and that the credential's region is the voice connector's region.";

// The status is a free string in the model; these are the documented values.
const state = statusField(
	'SpeakerSearchTaskStatus',
	{
		IN_QUEUE: 'pending',
		IN_PROGRESS: 'running',
		SUCCEEDED: 'succeeded',
		PARTIAL_SUCCESS: 'succeeded',
		FAILED: 'failed',
		STOPPED: 'failed',
	},
	(task, status) => String(task.StatusMessage ?? `The speaker search ended ${status}`),
);

function voiceConnectorProblem(value: string): string | undefined {
	const base = tokenRule(36, /^[A-Za-z0-9-]+$/, 'voice connector ID')(value);
	if (base) return base;
	return VOICE_CONNECTOR.test(value) ? undefined : 'is not a voice connector ID';
}

export const chimeVoiceAdapter: TaskAdapter = {
	service: 'chimeVoice',
	text: {
		name: 'Amazon Chime SDK Voice',
		description: 'A speaker search task of a Voice Connector call',
		label: 'speaker search task',
		taskNode: 'Get Speaker Search Task',
		notFoundHint: NOT_FOUND_HINT,
	},
	credential: { type: 'awsSigV4Api', endpoint: CHIME_VOICE_ENDPOINT },
	ids: [
		{
			name: 'voiceConnectorId',
			displayName: 'Voice Connector ID',
			problem: voiceConnectorProblem,
			accepted:
				'a voice connector ID: 21 or 22 lowercase letters and digits (such as abcdef1ghij2klmno3pqr4) or a GUID',
			fromPreviousNode: '={{ $json.CallDetails?.VoiceConnectorId }}',
		},
		{
			name: 'speakerSearchTaskId',
			displayName: 'Speaker Search Task ID',
			problem: tokenRule(256, /^[A-Za-z0-9._-]+$/, 'speaker search task ID'),
			accepted: 'the ID of the speaker search task (1 to 256 letters, digits, ".", "-" or "_")',
			fromPreviousNode: '={{ $json.SpeakerSearchTaskId }}',
		},
	],
	// GetSpeakerSearchTask (Chime SDK Voice)
	status: {
		method: 'GET',
		path: ({ ids }) =>
			`/voice-connectors/${encodeURIComponent(ids.voiceConnectorId)}/speaker-search-tasks/${encodeURIComponent(ids.speakerSearchTaskId)}`,
		read: (body) => taskAt(body, 'SpeakerSearchTask', 'SpeakerSearchTaskStatus'),
		error: awsErrorReader({
			label: 'speaker search task',
			notFoundHint: NOT_FOUND_HINT,
			action: 'chime:GetSpeakerSearchTask (Voice)',
		}),
	},
	task: {
		detect: (json) => {
			const connector = (json.CallDetails as IDataObject | undefined)?.VoiceConnectorId;
			return typeof connector === 'string' && typeof json.SpeakerSearchTaskId === 'string'
				? { voiceConnectorId: connector, speakerSearchTaskId: json.SpeakerSearchTaskId }
				: undefined;
		},
		state,
		createdAt: (task) => timestampOf(task.CreatedTimestamp),
	},
};
