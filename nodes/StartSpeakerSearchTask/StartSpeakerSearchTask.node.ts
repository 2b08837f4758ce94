import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import {
	chimeMediaPipelineAdapter,
	PIPELINE_START_SPECS,
	startPipelineSpeakerSearch,
} from '../common/adapters/chime-media-pipeline';
import {
	chimeVoiceAdapter,
	startVoiceSpeakerSearch,
	VOICE_START_SPECS,
} from '../common/adapters/chime-voice';
import { clientRequestToken } from '../common/client-token';
import { apiError } from '../common/errors/node-errors';
import { idProperty } from '../common/id-search';
import { readId } from '../common/ids';
import {
	pipelineProperty,
	sourceOf,
	sourceProperty,
	speakerSearchLists,
	voiceConnectorProperty,
} from '../common/speaker-search';
import { eachItem } from '../common/items';
import { readChoice, readNumber } from '../common/parameters';
import { callOver, openConnection } from '../common/transport/connection';
import type { Outcome } from '../common/transport/call';
import { REQUEST_TIMEOUT_MS } from '../common/transport/request';

const [pipelineId] = chimeMediaPipelineAdapter.ids;
const [voiceConnectorId] = chimeVoiceAdapter.ids;

/** Reads one parameter with its rule; `path` is where it sits (inside a collection or not). */
function read(
	ctx: IExecuteFunctions,
	spec: typeof pipelineId,
	itemIndex: number,
	path = spec.name,
) {
	return readId(ctx.getNodeParameter(path, itemIndex, undefined), spec, ctx.getNode(), itemIndex);
}

async function startOnPipeline(ctx: IExecuteFunctions, itemIndex: number): Promise<Outcome> {
	const identifier = read(ctx, pipelineId, itemIndex);
	const voiceProfileDomainArn = read(ctx, PIPELINE_START_SPECS.voiceProfileDomainArn, itemIndex);
	const source = ctx.getNodeParameter(
		'kinesisVideoStreamSourceTaskConfiguration',
		itemIndex,
		{},
	) as IDataObject;
	const stream =
		Object.keys(source).length === 0
			? undefined
			: {
					streamArn: readId(
						source.streamArn,
						PIPELINE_START_SPECS.streamArn,
						ctx.getNode(),
						itemIndex,
					),
					channelId: readNumber(
						ctx.getNode(),
						source.channelId ?? 0,
						'channelId',
						'Channel ID',
						[0, 1],
						itemIndex,
					),
					fragmentNumber:
						source.fragmentNumber === undefined || source.fragmentNumber === ''
							? undefined
							: readId(
									source.fragmentNumber,
									PIPELINE_START_SPECS.fragmentNumber,
									ctx.getNode(),
									itemIndex,
								),
				};
	const connection = await openConnection(ctx, chimeMediaPipelineAdapter, false);
	const input = {
		identifier,
		voiceProfileDomainArn,
		clientRequestToken: clientRequestToken(ctx, itemIndex),
		stream,
	};
	return await callOver(ctx, connection, startPipelineSpeakerSearch, input, {
		timeoutMs: REQUEST_TIMEOUT_MS,
		peer: chimeMediaPipelineAdapter.text,
	});
}

async function startOnVoiceConnector(ctx: IExecuteFunctions, itemIndex: number): Promise<Outcome> {
	const input = {
		voiceConnectorId: read(ctx, voiceConnectorId, itemIndex),
		transactionId: read(ctx, VOICE_START_SPECS.transactionId, itemIndex),
		voiceProfileDomainId: read(ctx, VOICE_START_SPECS.voiceProfileDomainId, itemIndex),
		clientRequestToken: clientRequestToken(ctx, itemIndex),
		callLeg: readChoice(
			ctx.getNode(),
			ctx.getNodeParameter('options.callLeg', itemIndex, 'any'),
			['any', 'Caller', 'Callee'] as const,
			'callLeg',
			'Call Leg',
			itemIndex,
		),
	};
	const connection = await openConnection(ctx, chimeVoiceAdapter, false);
	const { callLeg, ...rest } = input;
	return await callOver(
		ctx,
		connection,
		startVoiceSpeakerSearch,
		callLeg === 'any' ? rest : { ...rest, callLeg },
		{ timeoutMs: REQUEST_TIMEOUT_MS, peer: chimeVoiceAdapter.text },
	);
}

export class StartSpeakerSearchTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start Speaker Search Task',
		name: 'startSpeakerSearchTask',
		icon: { light: 'file:speakerSearch.svg', dark: 'file:speakerSearch.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["source"] === "voiceConnector" ? "Voice" : "Media Pipelines"}}',
		description:
			'Start an Amazon Chime SDK speaker search on a media insights pipeline or a Voice Connector call',
		defaults: { name: 'Start Speaker Search Task' },
		usableAsTool: true,
		credentials: [{ name: 'awsSigV4Api', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			sourceProperty(
				'Search the speakers of a call a media insights pipeline analyses',
				'Search the speakers of a call on an Amazon Chime SDK Voice Connector',
			),
			pipelineProperty,
			idProperty(PIPELINE_START_SPECS.voiceProfileDomainArn, {
				displayName: 'Voice Profile Domain',
				name: PIPELINE_START_SPECS.voiceProfileDomainArn.name,
				required: true,
				placeholder: `e.g. ${PIPELINE_START_SPECS.voiceProfileDomainArn.example}`,
				description:
					'The voice profile domain whose voice profiles the speakers are compared with, by ARN',
				displayOptions: { show: { source: ['mediaInsightsPipeline'] } },
			}),
			{
				displayName: 'Kinesis Video Stream Source',
				name: 'kinesisVideoStreamSourceTaskConfiguration',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				description: 'Which stream and channel of the call to search, when not the default one',
				displayOptions: { show: { source: ['mediaInsightsPipeline'] } },
				options: [
					{
						displayName: 'Channel ID',
						name: 'channelId',
						type: 'options',
						options: [
							{ name: '0', value: 0 },
							{ name: '1', value: 1 },
						],
						default: 0,
						description: 'The channel of the stream to search',
					},
					{
						displayName: 'Fragment Number',
						name: PIPELINE_START_SPECS.fragmentNumber.name,
						type: 'string',
						default: '',
						placeholder: 'e.g. 91343852333181432392682062607743920146264440287',
						description: 'The fragment of the stream to start with',
					},
					{
						displayName: 'Stream ARN',
						name: PIPELINE_START_SPECS.streamArn.name,
						type: 'string',
						default: '',
						placeholder: 'e.g. arn:aws:kinesisvideo:us-east-1:111122223333:stream/<name>/<number>',
						description: 'The Kinesis video stream of the call',
					},
				],
			},
			voiceConnectorProperty,
			{
				displayName: 'Transaction ID',
				name: VOICE_START_SPECS.transactionId.name,
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 0a1b2c3d-4e5f-6789-abcd-ef0123456789',
				description: 'The transaction ID of the call, while it is going on',
				displayOptions: { show: { source: ['voiceConnector'] } },
			},
			idProperty(VOICE_START_SPECS.voiceProfileDomainId, {
				displayName: 'Voice Profile Domain',
				name: VOICE_START_SPECS.voiceProfileDomainId.name,
				required: true,
				placeholder: `e.g. ${VOICE_START_SPECS.voiceProfileDomainId.example}`,
				description:
					'The voice profile domain whose voice profiles the speakers are compared with, by ID',
				displayOptions: { show: { source: ['voiceConnector'] } },
			}),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { source: ['voiceConnector'] } },
				options: [
					{
						displayName: 'Call Leg',
						name: 'callLeg',
						type: 'options',
						options: [
							{ name: 'Any', value: 'any', description: 'Let AWS choose' },
							{ name: 'Callee', value: 'Callee', description: 'The side that was called' },
							{ name: 'Caller', value: 'Caller', description: 'The side that called' },
						],
						default: 'any',
						description: 'Which side of the call to search',
					},
				],
			},
		],
	};

	methods = { listSearch: speakerSearchLists };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await eachItem(this, async (itemIndex) => {
			const source = sourceOf(this, itemIndex);
			const outcome =
				source === 'voiceConnector'
					? await startOnVoiceConnector(this, itemIndex)
					: await startOnPipeline(this, itemIndex);
			if (!outcome.ok) throw apiError(this.getNode(), outcome.failure, itemIndex);
			return { json: outcome.value, pairedItem: { item: itemIndex } };
		});
	}
}
