import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { asposeAdapter } from '../common/adapters/aspose';
import { readTrial, trialOptionsProperty, useTrialProperty } from '../common/aspose-trial';
import { asposeAudio, stripAudioPayload } from '../common/audio/aspose-audio';
import { apiError } from '../common/errors/node-errors';
import { asposeTaskEnded } from '../common/errors/wording';
import { readIds } from '../common/ids';
import { eachItem } from '../common/items';
import { readBinaryPropertyName } from '../common/parameters';
import { readTask } from '../common/read-task';
import { audioContext, openConnection } from '../common/transport/connection';

/** The README promises an answer or an error within 60 s: the status answer carries the audio. */
const TIME_LIMIT_MS = 60_000;

export class FetchAsposeAudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fetch Aspose Audio',
		name: 'fetchAsposeAudio',
		icon: { light: 'file:aspose.svg', dark: 'file:aspose.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{($parameter["useTrial"] ? "Trial: " : "") + $parameter["taskId"]}}',
		description:
			'Get the status of an Aspose.OCR Cloud text-to-speech task by its task ID (Pending, Processing, Completed or Error) and, once it is completed, its WAV audio as binary data',
		defaults: { name: 'Fetch Aspose Audio' },
		// An AI agent reads the task's status (n8n leaves the audio out of what a tool returns).
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'asposeCloudApi', required: true, displayOptions: { show: { useTrial: [false] } } },
		],
		properties: [
			useTrialProperty,
			{
				displayName: 'Task ID',
				name: 'taskId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. TTS01232-9d40-4f2d-8eda-f1fc0b12bce6',
				description:
					'The task ID, as Submit Aspose Text to Speech outputs it. Aspose keeps results for 24 hours.',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				required: true,
				hint: 'The name of the output binary field to put the WAV audio in',
			},
			trialOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await eachItem(this, async (itemIndex) => {
			const { trial, trialBaseUrl } = readTrial(this, itemIndex);
			const ids = readIds(this, asposeAdapter.ids, itemIndex);
			const binaryPropertyName = readBinaryPropertyName(this, itemIndex);
			// One time limit for the whole item: the status answer (which carries the audio) and storing it.
			const deadline = Date.now() + TIME_LIMIT_MS;
			const connection = await openConnection(this, asposeAdapter, trial, trialBaseUrl);
			const input = { ids, trial };
			const task = await readTask(this, asposeAdapter, connection, input, TIME_LIMIT_MS, itemIndex);
			const state = asposeAdapter.task.state(task);
			if (state.phase === 'failed') {
				const ended = { ...asposeTaskEnded(state.status, state.reason), code: state.status };
				throw apiError(this.getNode(), ended, itemIndex);
			}
			const item: INodeExecutionData = {
				json: stripAudioPayload(task),
				pairedItem: { item: itemIndex },
			};
			if (state.phase === 'succeeded') {
				const context = audioContext(this, connection, itemIndex, binaryPropertyName, deadline);
				item.binary = { [binaryPropertyName]: (await asposeAudio(task, ids, context)).binary };
			}
			return item;
		});
	}
}
