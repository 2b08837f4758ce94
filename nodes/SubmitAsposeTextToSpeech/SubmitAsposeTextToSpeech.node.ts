import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { ASPOSE_BASE_URL } from '../../credentials/common/aspose/token';
import { asposeAdapter, submitText, TRIAL_TEXT_LIMIT } from '../common/adapters/aspose';
import { apiError } from '../common/errors/node-errors';
import { eachItem } from '../common/items';
import { readBaseUrl, readBoolean, readText } from '../common/parameters';
import { callOver, openConnection } from '../common/transport/connection';

const TIME_LIMIT_MS = 60_000;

export class SubmitAsposeTextToSpeech implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Submit Aspose Text to Speech',
		name: 'submitAsposeTextToSpeech',
		icon: { light: 'file:aspose.svg', dark: 'file:aspose.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["useTrial"] ? "Trial" : "Text to speech"}}',
		description:
			'Start an Aspose.OCR Cloud text-to-speech task; Wait Until Complete or Fetch Aspose Audio then gets the WAV',
		defaults: { name: 'Submit Aspose Text to Speech' },
		usableAsTool: true,
		credentials: [
			{
				name: 'asposeCloudApi',
				required: true,
				displayOptions: { show: { useTrial: [false] } },
			},
		],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Use Trial (No Account)',
				name: 'useTrial',
				type: 'boolean',
				default: false,
				description:
					'Whether to use the free trial endpoint, which needs no credential: 10 calls a day per IP address, texts up to 500 characters, and a notice spoken into the audio',
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 4 },
				required: true,
				default: '',
				placeholder: 'e.g. Your order has shipped and will arrive on Tuesday.',
				description: 'The English text to read aloud (with the trial, at most 500 characters)',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { useTrial: [true] } },
				options: [
					{
						displayName: 'Trial Base URL',
						name: 'trialBaseUrl',
						type: 'string',
						default: 'https://api.aspose.cloud',
						description: 'Change only for a proxy or a local emulator',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await eachItem(this, async (itemIndex) => {
			const trial = readBoolean(this, 'useTrial', 'Use Trial (No Account)', itemIndex, false);
			const text = readText(this, 'text', 'Text', itemIndex, trial ? TRIAL_TEXT_LIMIT : undefined);
			const trialBaseUrl = trial
				? readBaseUrl(
						this.getNodeParameter('options.trialBaseUrl', itemIndex, ASPOSE_BASE_URL),
						'trialBaseUrl',
						'Trial Base URL',
						this.getNode(),
						itemIndex,
					)
				: undefined;
			const connection = await openConnection(this, asposeAdapter, trial, trialBaseUrl);
			const outcome = await callOver(
				this,
				connection,
				submitText,
				{ text, trial },
				{
					timeoutMs: TIME_LIMIT_MS,
					peer: asposeAdapter.text,
				},
			);
			if (!outcome.ok) throw apiError(this.getNode(), outcome.failure, itemIndex);
			// `id` and `taskStatus`: what Fetch Aspose Audio and Wait Until Complete read from the item.
			return {
				json: { id: outcome.value.id, taskStatus: 'Pending', textLength: text.length, trial },
				pairedItem: { item: itemIndex },
			};
		});
	}
}
