import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { asposeAdapter, submitText, TRIAL_TEXT_LIMIT } from '../common/adapters/aspose';
import { readTrial, trialOptionsProperty, useTrialProperty } from '../common/aspose-trial';
import { apiError } from '../common/errors/node-errors';
import { eachItem } from '../common/items';
import { readText } from '../common/parameters';
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
			{ name: 'asposeCloudApi', required: true, displayOptions: { show: { useTrial: [false] } } },
		],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			useTrialProperty,
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
			trialOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await eachItem(this, async (itemIndex) => {
			const { trial, trialBaseUrl } = readTrial(this, itemIndex);
			const text = readText(this, 'text', 'Text', itemIndex, trial ? TRIAL_TEXT_LIMIT : undefined);
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
