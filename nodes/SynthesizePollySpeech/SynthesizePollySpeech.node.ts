import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { eachItem } from '../common/items';
import { readBinaryPropertyName } from '../common/parameters';
import { synthesisProperties } from '../common/polly/properties';
import { synthesize } from '../common/polly/speech';
import { readSynthesis } from '../common/polly/synthesis';
import { getLanguages, getVoices } from '../common/polly/voices';

export class SynthesizePollySpeech implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Synthesize Polly Speech',
		name: 'synthesizePollySpeech',
		icon: { light: 'file:polly.svg', dark: 'file:polly.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["voiceId"] + " · " + $parameter["outputFormat"]}}',
		description:
			'Turn a short text (up to 3,000 characters) into speech with Amazon Polly, straight to a binary file',
		defaults: { name: 'Synthesize Polly Speech' },
		// A tool too: the agent learns what was spoken; the audio goes on as the item's binary data.
		usableAsTool: true,
		credentials: [{ name: 'awsSigV4Api', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			...synthesisProperties('speech'),
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				required: true,
				hint: 'The name of the output binary field to put the audio in',
			},
		],
	};

	methods = { loadOptions: { getVoices, getLanguages } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await eachItem(this, async (itemIndex) => {
			const request = readSynthesis(this, itemIndex, 'speech');
			const binaryPropertyName = readBinaryPropertyName(this, itemIndex);
			return await synthesize(this, itemIndex, request, binaryPropertyName);
		});
	}
}
