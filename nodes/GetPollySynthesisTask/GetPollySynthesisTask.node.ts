import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { pollyAdapter } from '../common/adapters/polly';
import { readIds } from '../common/ids';
import { eachItem } from '../common/items';
import { readTask } from '../common/read-task';
import { openConnection } from '../common/transport/connection';
import { REQUEST_TIMEOUT_MS } from '../common/transport/request';

export class GetPollySynthesisTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Get Polly Synthesis Task',
		name: 'getPollySynthesisTask',
		icon: { light: 'file:polly.svg', dark: 'file:polly.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{"Task " + $parameter["taskId"]}}',
		description: 'Get the status and output location of an Amazon Polly speech synthesis task',
		defaults: { name: 'Get Polly Synthesis Task' },
		usableAsTool: true,
		credentials: [{ name: 'awsSigV4Api', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Task ID',
				name: 'taskId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 70b61c0f-57ce-4715-a247-cae8729dcce9',
				description:
					'The TaskId returned by StartSpeechSynthesisTask. Polly keeps tasks for 72 hours.',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await eachItem(this, async (itemIndex) => {
			const ids = readIds(this, pollyAdapter.ids, itemIndex);
			const connection = await openConnection(this, pollyAdapter, false);
			const input = { ids, trial: false };
			const task = await readTask(
				this,
				pollyAdapter,
				connection,
				input,
				REQUEST_TIMEOUT_MS,
				itemIndex,
			);
			return { json: task, pairedItem: { item: itemIndex } };
		});
	}
}
