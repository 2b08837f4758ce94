import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { pollyAdapter } from '../common/adapters/polly';
import { idProperty, listSearchMethods } from '../common/id-search';
import { readTasks } from '../common/read-task';
import { POLLY_SIMPLIFY_HINT, simplifyOutput, simplifyProperty } from '../common/simplify';

const [taskId] = pollyAdapter.ids;

export class GetPollySynthesisTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Get Polly Synthesis Task',
		name: 'getPollySynthesisTask',
		icon: { light: 'file:polly.svg', dark: 'file:polly.dark.svg' },
		group: ['input'],
		// Version 2: Simplify, on by default. Version 1 (saved workflows) outputs the whole task.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{"Task " + (typeof $parameter["taskId"] === "object" ? $parameter["taskId"].value : $parameter["taskId"])}}',
		description:
			'Get the status, failure reason and output file location of an Amazon Polly speech synthesis task, by its task ID',
		defaults: { name: 'Get Polly Synthesis Task' },
		usableAsTool: true,
		credentials: [{ name: 'awsSigV4Api', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			idProperty(taskId, {
				displayName: 'Task ID',
				name: taskId.name,
				required: true,
				placeholder: 'e.g. 70b61c0f-57ce-4715-a247-cae8729dcce9',
				description:
					'The synthesis task, as Start Polly Synthesis Task outputs it. Polly keeps tasks for 72 hours.',
			}),
			simplifyProperty(POLLY_SIMPLIFY_HINT),
		],
	};

	methods = { listSearch: listSearchMethods([pollyAdapter]) };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return simplifyOutput(this, pollyAdapter.task, await readTasks(this, () => pollyAdapter));
	}
}
