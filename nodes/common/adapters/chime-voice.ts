import type { IDataObject } from 'n8n-workflow';

import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import { awsErrorReader } from '../errors/readers';
import { tokenRule } from '../ids';
import { taskAt, timestampOf } from './answer';
import { chimeRate } from '../rate/quotas';
import { joined, pageEntries, pageQuery, readPage } from './listing';
import { statusField } from './status';
import type { IdListing, IdSpec, Operation, TaskAdapter } from './types';

export const CHIME_VOICE_ENDPOINT: AwsEndpoint = {
	label: 'Amazon Chime SDK Voice',
	prefix: 'voice-chime',
	signingName: 'chime',
	field: 'chimeVoiceEndpoint',
	pathHint: /^\/(voice-connectors|voice-profile-domains)(\/|$)/,
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
	(task, status) =>
		String(
			task.StatusMessage ??
				(status === 'STOPPED'
					? 'The speaker search was stopped before it finished'
					: 'The speaker search failed, and Chime SDK Voice gave no reason'),
		),
	{
		PARTIAL_SUCCESS:
			'The speaker search finished, but matched only part of the call (Chime SDK Voice: partial success).',
		STOPPED: 'The speaker search was stopped before it finished.',
	},
);

/** The most entries a page of a Chime SDK Voice list holds (ResultMax). */
const PAGE_SIZE = 100;

/** ListVoiceConnectors: the account's voice connectors in the credential's region, for the picker. */
const connectorListing: IdListing = {
	method: 'searchVoiceConnectors',
	page: {
		method: 'GET',
		path: () => '/voice-connectors',
		query: ({ nextToken }) => pageQuery(PAGE_SIZE, nextToken),
		read: readPage('VoiceConnectors', 'VoiceConnectorId'),
		error: awsErrorReader({
			label: 'voice connectors',
			notFoundHint: "Check that the credential's region is the voice connectors' region.",
			action: 'chime:ListVoiceConnectors',
		}),
		rate: () => chimeRate('Voice:ListVoiceConnectors'),
	},
	entries: (page) =>
		pageEntries(page, 'VoiceConnectors', (connector) => ({
			name: String(connector.Name || connector.VoiceConnectorId),
			value: String(connector.VoiceConnectorId),
			description: joined(connector.VoiceConnectorId, connector.AwsRegion),
		})),
};

/** ListVoiceProfileDomains: the account's voice profile domains, as IDs (Voice) or ARNs (Media Pipelines). */
function domainListing(method: string, value: 'VoiceProfileDomainId' | 'VoiceProfileDomainArn') {
	const listing: IdListing = {
		method,
		page: {
			method: 'GET',
			path: () => '/voice-profile-domains',
			query: ({ nextToken }) => pageQuery(PAGE_SIZE, nextToken),
			read: readPage('VoiceProfileDomains', value),
			error: awsErrorReader({
				label: 'voice profile domains',
				notFoundHint: "Check that the credential's region is the voice profile domains' region.",
				action: 'chime:ListVoiceProfileDomains',
			}),
			rate: () => chimeRate('Voice:ListVoiceProfileDomains'),
		},
		entries: (page) =>
			pageEntries(page, 'VoiceProfileDomains', (domain) => ({
				name: String(domain.Name || domain.VoiceProfileDomainId || domain[value]),
				value: String(domain[value]),
				description: joined(domain.Description, domain.VoiceProfileDomainId),
			})),
	};
	return listing;
}

/** The voice profile domains as ARNs, for a speaker search on a media insights pipeline. */
export const voiceProfileDomainArnListing = domainListing(
	'searchVoiceProfileDomainArns',
	'VoiceProfileDomainArn',
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
		taskNodes: ['Start Speaker Search Task', 'Get Speaker Search Task'],
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
			example: 'abcdef1ghij2klmno3pqr4',
			fromPreviousNode: '={{ $json.CallDetails?.VoiceConnectorId }}',
			listing: connectorListing,
		},
		{
			name: 'speakerSearchTaskId',
			displayName: 'Speaker Search Task ID',
			problem: tokenRule(256, /^[A-Za-z0-9._-]+$/, 'speaker search task ID'),
			accepted: 'the ID of the speaker search task (1 to 256 letters, digits, ".", "-" or "_")',
			example: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
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
		rate: () => chimeRate('Voice:GetSpeakerSearchTask'),
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

// ── Starting a speaker search ───────────────────────────────────────────────────────────────────────

/** The other parameters of a start, with their rules; their names are the node's parameter names. */
export const VOICE_START_SPECS = {
	transactionId: {
		name: 'transactionId',
		displayName: 'Transaction ID',
		problem: tokenRule(256, /^[A-Za-z0-9._:-]+$/, 'transaction ID'),
		accepted:
			'the transaction ID of the call (1 to 256 letters, digits, ".", ":", "-" or "_"), such as 0a1b2c3d-4e5f-6789-abcd-ef0123456789',
		example: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
		fromPreviousNode: '',
	},
	voiceProfileDomainId: {
		name: 'voiceProfileDomainId',
		displayName: 'Voice Profile Domain ID',
		problem: tokenRule(256, /^[A-Za-z0-9_-]+$/, 'voice profile domain ID'),
		accepted: 'the ID (not the ARN) of a voice profile domain: letters, digits, "-" or "_"',
		example: '4a5b6c7d-1234-5678-9abc-def012345678',
		fromPreviousNode: '',
		listing: domainListing('searchVoiceProfileDomainIds', 'VoiceProfileDomainId'),
	},
} satisfies Record<string, IdSpec>;

export interface VoiceStart {
	voiceConnectorId: string;
	transactionId: string;
	voiceProfileDomainId: string;
	clientRequestToken: string;
	callLeg?: 'Caller' | 'Callee';
}

const START_NOT_FOUND_HINT =
	"Check the voice connector ID, the transaction ID of a call that is still going on and the voice profile domain ID, and that the credential's region is the voice connector's region.";

/** StartSpeakerSearchTask (Chime SDK Voice): 201 with the new task. */
export const startVoiceSpeakerSearch: Operation<VoiceStart> = {
	method: 'POST',
	path: ({ voiceConnectorId }) =>
		`/voice-connectors/${encodeURIComponent(voiceConnectorId)}/speaker-search-tasks`,
	body: ({ transactionId, voiceProfileDomainId, clientRequestToken, callLeg }) => ({
		TransactionId: transactionId,
		VoiceProfileDomainId: voiceProfileDomainId,
		ClientRequestToken: clientRequestToken,
		...(callLeg ? { CallLeg: callLeg } : {}),
	}),
	read: (body, { voiceConnectorId, transactionId }) => {
		const task = taskAt(body, 'SpeakerSearchTask', 'SpeakerSearchTaskStatus');
		if (!task) return undefined;
		// Wait Until Complete and Get Speaker Search Task find a task again through its voice connector.
		const details = (task.CallDetails ?? {}) as IDataObject;
		return {
			...task,
			CallDetails: { VoiceConnectorId: voiceConnectorId, TransactionId: transactionId, ...details },
		};
	},
	error: awsErrorReader({
		label: 'speaker search task',
		notFoundHint: START_NOT_FOUND_HINT,
		action: 'chime:StartSpeakerSearchTask (Voice)',
	}),
	rate: () => chimeRate('Voice:StartSpeakerSearchTask'),
};
