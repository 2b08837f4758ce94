import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { chimeMediaPipelineAdapter } from '../common/adapters/chime-media-pipeline';
import { chimeVoiceAdapter } from '../common/adapters/chime-voice';
import { readIds } from '../common/ids';
import { eachItem } from '../common/items';
import { readChoice } from '../common/parameters';
import { readTask } from '../common/read-task';
import { openConnection } from '../common/transport/connection';
import { REQUEST_TIMEOUT_MS } from '../common/transport/request';

const SOURCES = ['mediaInsightsPipeline', 'voiceConnector'] as const;

function adapterOf(ctx: IExecuteFunctions, itemIndex: number) {
	const source = ctx.getNodeParameter('source', itemIndex);
	return readChoice(ctx.getNode(), source, SOURCES, 'source', 'Source', itemIndex) ===
		'voiceConnector'
		? chimeVoiceAdapter
		: chimeMediaPipelineAdapter;
}

const [pipelineId, pipelineTaskId] = chimeMediaPipelineAdapter.ids;
const [voiceConnectorId] = chimeVoiceAdapter.ids;

export class GetSpeakerSearchTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Get Speaker Search Task',
		name: 'getSpeakerSearchTask',
		icon: { light: 'file:speakerSearch.svg', dark: 'file:speakerSearch.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle:
			'={{($parameter["source"] === "voiceConnector" ? "Voice" : "Media Pipelines") + ": " + $parameter["speakerSearchTaskId"]}}',
		description:
			'Get the status and results of an Amazon Chime SDK speaker search task (Media Pipelines or Voice)',
		defaults: { name: 'Get Speaker Search Task' },
		usableAsTool: true,
		credentials: [{ name: 'awsSigV4Api', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Media Insights Pipeline',
						value: 'mediaInsightsPipeline',
						description: 'A speaker search started on an Amazon Chime SDK media insights pipeline',
					},
					{
						name: 'Voice Connector',
						value: 'voiceConnector',
						description: 'A speaker search started on an Amazon Chime SDK Voice Connector call',
					},
				],
				default: 'mediaInsightsPipeline',
			},
			{
				displayName: 'Media Insights Pipeline',
				name: pipelineId.name,
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. arn:aws:chime:us-east-1:111122223333:media-insights-pipeline/<ID>',
				description: 'The ID or ARN of the media insights pipeline that runs the speaker search',
				displayOptions: { show: { source: ['mediaInsightsPipeline'] } },
			},
			{
				displayName: 'Voice Connector ID',
				name: voiceConnectorId.name,
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. abcdef1ghij2klmno3pqr4',
				description: 'The ID of the Amazon Chime SDK Voice Connector that carried the call',
				displayOptions: { show: { source: ['voiceConnector'] } },
			},
			{
				displayName: 'Speaker Search Task ID',
				name: pipelineTaskId.name,
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 0a1b2c3d-4e5f-6789-abcd-ef0123456789',
				description: 'The SpeakerSearchTaskId returned when the speaker search was started',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await eachItem(this, async (itemIndex) => {
			const adapter = adapterOf(this, itemIndex);
			const ids = readIds(this, adapter.ids, itemIndex);
			const connection = await openConnection(this, adapter, false);
			const input = { ids, trial: false };
			const task = await readTask(this, adapter, connection, input, REQUEST_TIMEOUT_MS, itemIndex);
			return { json: task, pairedItem: { item: itemIndex } };
		});
	}
}
