/** What the two speaker search nodes share: the Source switch and the IDs of where the call runs. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { chimeMediaPipelineAdapter } from './adapters/chime-media-pipeline';
import { chimeVoiceAdapter } from './adapters/chime-voice';
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

export const pipelineProperty: INodeProperties = {
	displayName: 'Media Insights Pipeline',
	name: chimeMediaPipelineAdapter.ids[0].name,
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. arn:aws:chime:us-east-1:111122223333:media-insights-pipeline/<ID>',
	description: 'The ID or ARN of the media insights pipeline of the call',
	displayOptions: { show: { source: ['mediaInsightsPipeline'] } },
};

export const voiceConnectorProperty: INodeProperties = {
	displayName: 'Voice Connector ID',
	name: chimeVoiceAdapter.ids[0].name,
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. abcdef1ghij2klmno3pqr4',
	description: 'The ID of the Amazon Chime SDK Voice Connector that carries the call',
	displayOptions: { show: { source: ['voiceConnector'] } },
};

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
