import type { IDataObject } from 'n8n-workflow';

import { awsErrorReader } from '../errors/service-error';
import { serviceBaseUrl } from '../../../credentials/common/aws/endpoints';
import { tokenRule } from '../ids';
import type { TaskAdapter, TaskState } from './types';

const VOICE_CONNECTOR = /^(?:[a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

// The status is a free string in the model; these are the documented values.
function state(task: IDataObject): TaskState {
	const status = String(task.SpeakerSearchTaskStatus ?? '');
	switch (status) {
		case 'IN_QUEUE':
			return { phase: 'pending', status };
		case 'IN_PROGRESS':
			return { phase: 'running', status };
		case 'SUCCEEDED':
		case 'PARTIAL_SUCCESS':
			return { phase: 'succeeded', status };
		case 'FAILED':
		case 'STOPPED':
			return {
				phase: 'failed',
				status,
				reason: String(task.StatusMessage ?? `The speaker search ended ${status}`),
			};
		default:
			return { phase: 'running', status };
	}
}

function voiceConnectorProblem(value: string): string | undefined {
	const base = tokenRule(36, /^[A-Za-z0-9-]+$/, 'voice connector ID')(value);
	if (base) return base;
	return VOICE_CONNECTOR.test(value) ? undefined : 'is not a voice connector ID';
}

const NOT_FOUND_HINT =
	"Check the voice connector ID and the speaker search task ID, and that the credential's region is the voice connector's region.";

export const chimeVoiceAdapter: TaskAdapter = {
	service: 'chimeVoice',
	label: 'speaker search task',
	serviceName: 'Amazon Chime SDK Voice',
	serviceDescription: 'A speaker search task of a Voice Connector call',
	credentialType: 'awsSigV4Api',
	ids: [
		{
			name: 'voiceConnectorId',
			displayName: 'Voice Connector ID',
			problem: voiceConnectorProblem,
			accepted: 'a voice connector ID: 21 or 22 lowercase letters and digits (such as abcdef1ghij2klmno3pqr4) or a GUID',
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
	detect: (json) => {
		const connector = (json.CallDetails as IDataObject | undefined)?.VoiceConnectorId;
		return typeof connector === 'string' && typeof json.SpeakerSearchTaskId === 'string'
			? { voiceConnectorId: connector, speakerSearchTaskId: json.SpeakerSearchTaskId }
			: undefined;
	},
	baseUrl: (credentials) => serviceBaseUrl(credentials ?? {}, 'chimeVoice'),
	statusPath: (ids) =>
		`/voice-connectors/${encodeURIComponent(ids.voiceConnectorId)}/speaker-search-tasks/${encodeURIComponent(ids.speakerSearchTaskId)}`,
	unwrap: (body) => ((body as IDataObject | undefined)?.SpeakerSearchTask ?? {}) as IDataObject,
	state,
	createdAt: (task) => (task.CreatedTimestamp ? Date.parse(String(task.CreatedTimestamp)) || undefined : undefined),
	notFoundHint: NOT_FOUND_HINT,
	readError: awsErrorReader({
		label: 'speaker search task',
		notFoundHint: NOT_FOUND_HINT,
		action: 'chime:GetSpeakerSearchTask (Voice)',
	}),
};
