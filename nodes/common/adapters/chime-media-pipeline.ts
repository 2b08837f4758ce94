import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import { awsErrorReader } from '../errors/readers';
import { commonProblem, guidRule } from '../ids';
import { taskAt, timestampOf } from './answer';
import { chimeRate } from '../rate/quotas';
import { voiceProfileDomainArnListing } from './chime-voice';
import { pageEntries, pageQuery, readPage } from './listing';
import { statusField } from './status';
import type { IdListing, IdSpec, Operation, TaskAdapter } from './types';

export const CHIME_MEDIA_PIPELINE_ENDPOINT: AwsEndpoint = {
	label: 'Amazon Chime SDK Media Pipelines',
	prefix: 'media-pipelines-chime',
	signingName: 'chime',
	// Stored in saved credentials under this spelling.
	field: 'chimeMediaPipelinesEndpoint',
	pathHint: /^\/(media-insights-pipelines\/|sdk-media-pipelines(\/|$))/,
};

/** The output field that tells Wait Until Complete which pipeline a task belongs to. */
export const PIPELINE_FIELD = 'MediaInsightsPipelineIdentifier';

const PIPELINE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const PIPELINE_ARN =
	/^arn:aws(-cn|-us-gov)?:chime:[a-z0-9-]+:\d{12}:media-insights-pipeline\/[A-Za-z0-9_-]+$/;

const NOT_FOUND_HINT =
	"Check the media insights pipeline ID or ARN and the speaker search task ID, and that the credential's region is the pipeline's region.";

function pipelineProblem(value: string): string | undefined {
	const common = commonProblem(value, 1024);
	if (common) return common;
	if (value.startsWith('arn:')) {
		return PIPELINE_ARN.test(value) ? undefined : 'is not a media insights pipeline ARN';
	}
	return PIPELINE_ID.test(value) ? undefined : 'contains characters that are not allowed';
}

// The API has no success value: a search that ran to its end reports Stopped.
const state = statusField(
	'SpeakerSearchTaskStatus',
	{
		NotStarted: 'pending',
		Initializing: 'pending',
		InProgress: 'running',
		Stopping: 'running',
		Stopped: 'succeeded',
		Failed: 'failed',
	},
	() => 'The media insights pipeline reported that the speaker search failed',
	{
		// Chime SDK Media Pipelines, GetSpeakerSearchTask: the task has no result fields.
		Stopped:
			'The speaker search ended: it ran to its end or was stopped. This API reports every ended search as Stopped and returns no matches; the pipeline sends the speakers it matched to the notification targets of its configuration (such as a Kinesis data stream or Amazon EventBridge).',
		Stopping: 'The speaker search is being stopped.',
	},
);

/** The kind of media pipeline an ARN names, in words ("media insights pipeline"), if it names one. */
function kindOf(arn: unknown): string | undefined {
	const resource = /^arn:[^:]+:chime:[^:]*:\d*:([a-z-]+)\//.exec(String(arn ?? ''))?.[1];
	return resource?.replace(/-/g, ' ');
}

/**
 * ListMediaPipelines lists every media pipeline of the account and region (capture, concatenation, live
 * connector, stream and media insights), each with only its ID and ARN: the picker shows them all, with
 * the kind the ARN names. The value is the ID, which Get and Start accept like the ARN.
 */
const pipelineListing: IdListing = {
	method: 'searchMediaPipelines',
	page: {
		method: 'GET',
		path: () => '/sdk-media-pipelines',
		// The model allows 100 a page, the API reference 99: ask for what both accept.
		query: ({ nextToken }) => pageQuery(99, nextToken),
		read: readPage('MediaPipelines', 'MediaPipelineId'),
		error: awsErrorReader({
			label: 'media pipelines',
			notFoundHint: "Check that the credential's region is the media pipelines' region.",
			action: 'chime:ListMediaPipelines',
		}),
		rate: () => chimeRate('MediaPipelines:ListMediaPipelines'),
	},
	entries: (page) =>
		pageEntries(page, 'MediaPipelines', (pipeline) => {
			const kind = kindOf(pipeline.MediaPipelineArn);
			return {
				name: kind
					? `${String(pipeline.MediaPipelineId)} (${kind})`
					: String(pipeline.MediaPipelineId),
				value: String(pipeline.MediaPipelineId),
				...(typeof pipeline.MediaPipelineArn === 'string'
					? { description: pipeline.MediaPipelineArn }
					: {}),
			};
		}),
};

export const chimeMediaPipelineAdapter: TaskAdapter = {
	service: 'chimeMediaPipeline',
	text: {
		name: 'Amazon Chime SDK Media Pipelines',
		description: 'A speaker search task of a media insights pipeline',
		label: 'speaker search task',
		taskNodes: ['Start Speaker Search Task', 'Get Speaker Search Task'],
		notFoundHint: NOT_FOUND_HINT,
	},
	credential: { type: 'awsSigV4Api', endpoint: CHIME_MEDIA_PIPELINE_ENDPOINT },
	ids: [
		{
			name: 'identifier',
			displayName: 'Media Insights Pipeline',
			problem: pipelineProblem,
			accepted:
				'the ID or ARN of a media insights pipeline, such as arn:aws:chime:us-east-1:111122223333:media-insights-pipeline/<id>',
			example: '5d1e5b3c-1111-2222-3333-444455556666',
			fromPreviousNode: `={{ $json.${PIPELINE_FIELD} }}`,
			listing: pipelineListing,
		},
		{
			name: 'speakerSearchTaskId',
			displayName: 'Speaker Search Task ID',
			problem: guidRule('speaker search task ID'),
			accepted: 'the GUID of the speaker search task, such as 0a1b2c3d-4e5f-6789-abcd-ef0123456789',
			example: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
			fromPreviousNode: '={{ $json.SpeakerSearchTaskId }}',
		},
	],
	// GetSpeakerSearchTask (Chime SDK Media Pipelines)
	status: {
		method: 'GET',
		path: ({ ids }) =>
			`/media-insights-pipelines/${encodeURIComponent(ids.identifier)}/speaker-search-tasks/${encodeURIComponent(ids.speakerSearchTaskId)}`,
		// The API returns only ID, status and timestamps: add the pipeline so the task can be found again.
		read: (body, { ids }) => {
			const task = taskAt(body, 'SpeakerSearchTask', 'SpeakerSearchTaskStatus');
			return task && { ...task, [PIPELINE_FIELD]: ids.identifier };
		},
		error: awsErrorReader({
			label: 'speaker search task',
			notFoundHint: NOT_FOUND_HINT,
			action: 'chime:GetSpeakerSearchTask (Media Pipelines)',
		}),
		rate: () => chimeRate('MediaPipelines:GetSpeakerSearchTask'),
	},
	task: {
		detect: (json) =>
			typeof json[PIPELINE_FIELD] === 'string' && typeof json.SpeakerSearchTaskId === 'string'
				? {
						identifier: json[PIPELINE_FIELD] as string,
						speakerSearchTaskId: json.SpeakerSearchTaskId,
					}
				: undefined,
		state,
		createdAt: (task) => timestampOf(task.CreatedTimestamp),
	},
};

// ── Starting a speaker search ───────────────────────────────────────────────────────────────────────

const VOICE_PROFILE_DOMAIN_ARN =
	/^arn:aws(-cn|-us-gov)?:chime:[a-z0-9-]+:\d{12}:voice-profile-domain\/[A-Za-z0-9_-]+$/;
const STREAM_ARN =
	/^arn:aws(-cn|-us-gov)?:kinesisvideo:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]+\/\d+$/;

function arnRule(pattern: RegExp, what: string) {
	return (value: string): string | undefined => {
		const common = commonProblem(value, 1024);
		if (common) return common;
		return pattern.test(value) ? undefined : `is not the ARN of a ${what}`;
	};
}

/** The other parameters of a start, with their rules; their names are the node's parameter names. */
export const PIPELINE_START_SPECS = {
	voiceProfileDomainArn: {
		name: 'voiceProfileDomainArn',
		displayName: 'Voice Profile Domain ARN',
		problem: arnRule(VOICE_PROFILE_DOMAIN_ARN, 'voice profile domain'),
		accepted:
			'the ARN of a voice profile domain, such as arn:aws:chime:us-east-1:111122223333:voice-profile-domain/<id>',
		example: 'arn:aws:chime:us-east-1:111122223333:voice-profile-domain/<ID>',
		fromPreviousNode: '',
		// Voice profile domains belong to Chime SDK Voice: the picker lists them there.
		listing: voiceProfileDomainArnListing,
	},
	streamArn: {
		name: 'streamArn',
		displayName: 'Stream ARN',
		problem: arnRule(STREAM_ARN, 'Kinesis video stream'),
		accepted:
			'the ARN of a Kinesis video stream, such as arn:aws:kinesisvideo:us-east-1:111122223333:stream/<name>/<number>',
		fromPreviousNode: '',
	},
	fragmentNumber: {
		name: 'fragmentNumber',
		displayName: 'Fragment Number',
		problem: (value: string) =>
			commonProblem(value, 128) ?? (/^\d+$/.test(value) ? undefined : 'is not a fragment number'),
		accepted: 'a fragment number: 1 to 128 digits',
		fromPreviousNode: '',
	},
} satisfies Record<string, IdSpec>;

export interface PipelineStart {
	identifier: string;
	voiceProfileDomainArn: string;
	clientRequestToken: string;
	stream?: { streamArn: string; channelId: number; fragmentNumber?: string };
}

const START_NOT_FOUND_HINT =
	"Check the media insights pipeline ID or ARN and the voice profile domain ARN, and that the credential's region is the pipeline's region.";

/** StartSpeakerSearchTask (Chime SDK Media Pipelines): 201 with the new task. */
export const startPipelineSpeakerSearch: Operation<PipelineStart> = {
	method: 'POST',
	path: ({ identifier }) =>
		`/media-insights-pipelines/${encodeURIComponent(identifier)}/speaker-search-tasks`,
	query: () => ({ operation: 'start' }),
	body: ({ voiceProfileDomainArn, clientRequestToken, stream }) => ({
		VoiceProfileDomainArn: voiceProfileDomainArn,
		ClientRequestToken: clientRequestToken,
		...(stream
			? {
					KinesisVideoStreamSourceTaskConfiguration: {
						StreamArn: stream.streamArn,
						ChannelId: stream.channelId,
						...(stream.fragmentNumber ? { FragmentNumber: stream.fragmentNumber } : {}),
					},
				}
			: {}),
	}),
	read: (body, { identifier }) => {
		const task = taskAt(body, 'SpeakerSearchTask', 'SpeakerSearchTaskStatus');
		return task && { ...task, [PIPELINE_FIELD]: identifier };
	},
	error: awsErrorReader({
		label: 'speaker search task',
		notFoundHint: START_NOT_FOUND_HINT,
		action: 'chime:StartSpeakerSearchTask (Media Pipelines)',
	}),
	rate: () => chimeRate('MediaPipelines:StartSpeakerSearchTask'),
};
