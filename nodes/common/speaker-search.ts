/** What the two speaker search nodes share: the Source switch and the IDs of where the call runs. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { chimeMediaPipelineAdapter, PIPELINE_START_SPECS } from './adapters/chime-media-pipeline';
import { chimeVoiceAdapter, VOICE_START_SPECS } from './adapters/chime-voice';
import { idProperty, listSearchMethods } from './id-search';
import type { ListedSpec } from './id-search';
import { readChoice } from './parameters';

const SOURCES = ['mediaInsightsPipeline', 'voiceConnector'] as const;

export function sourceProperty(pipeline: string, voiceConnector: string): INodeProperties {
	return {
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Media Insights Pipeline', value: 'mediaInsightsPipeline', description: pipeline },
			{ name: 'Voice Connector', value: 'voiceConnector', description: voiceConnector },
		],
		default: 'mediaInsightsPipeline',
	};
}

const [pipeline, pipelineTaskId] = chimeMediaPipelineAdapter.ids;
const [voiceConnector] = chimeVoiceAdapter.ids;

export const pipelineProperty: INodeProperties = idProperty(pipeline, {
	displayName: 'Media Insights Pipeline',
	name: pipeline.name,
	required: true,
	placeholder: `e.g. ${pipeline.example}`,
	description: 'The media insights pipeline that analyses the call, by ID or ARN',
	hint: 'The list shows every media pipeline of the region; speaker searches run on media insights pipelines',
	displayOptions: { show: { source: ['mediaInsightsPipeline'] } },
});

export const voiceConnectorProperty: INodeProperties = idProperty(voiceConnector, {
	displayName: 'Voice Connector',
	name: voiceConnector.name,
	required: true,
	placeholder: `e.g. ${voiceConnector.example}`,
	description: 'The Amazon Chime SDK Voice Connector that carries the call',
	displayOptions: { show: { source: ['voiceConnector'] } },
});

/** The speaker search task ID (the same parameter for both sources). */
export const taskIdProperty: INodeProperties = {
	displayName: 'Speaker Search Task ID',
	name: pipelineTaskId.name,
	type: 'string',
	required: true,
	default: '',
	placeholder: `e.g. ${pipelineTaskId.example}`,
	description: 'The ID of the speaker search, as Start Speaker Search Task outputs it',
};

/** The voice profile domain pickers: domains belong to Chime SDK Voice, whichever source searches. */
const DOMAIN_SPECS: ListedSpec[] = [
	{ adapter: chimeVoiceAdapter, spec: PIPELINE_START_SPECS.voiceProfileDomainArn },
	{ adapter: chimeVoiceAdapter, spec: VOICE_START_SPECS.voiceProfileDomainId },
];

/** The "From List" searches of both speaker search nodes. */
export const speakerSearchLists = listSearchMethods(
	[chimeMediaPipelineAdapter, chimeVoiceAdapter],
	DOMAIN_SPECS,
);

/** The item's Source. */
export function sourceOf(ctx: IExecuteFunctions, itemIndex: number) {
	const value = ctx.getNodeParameter('source', itemIndex);
	return readChoice(ctx.getNode(), value, SOURCES, 'source', 'Source', itemIndex);
}

/** The adapter of the item's Source. */
export function speakerSearchAdapter(ctx: IExecuteFunctions, itemIndex: number) {
	return sourceOf(ctx, itemIndex) === 'voiceConnector'
		? chimeVoiceAdapter
		: chimeMediaPipelineAdapter;
}
