import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { pollyAdapter } from '../common/adapters/polly';
import { readTasks } from '../common/read-task';

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
		return await readTasks(this, () => pollyAdapter);
	}
}
