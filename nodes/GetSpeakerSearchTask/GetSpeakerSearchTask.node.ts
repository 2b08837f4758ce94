import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { readTasks } from '../common/read-task';
import {
	pipelineProperty,
	sourceProperty,
	speakerSearchAdapter,
	speakerSearchLists,
	taskIdProperty,
	voiceConnectorProperty,
} from '../common/speaker-search';

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
			sourceProperty(
				'A speaker search started on an Amazon Chime SDK media insights pipeline',
				'A speaker search started on an Amazon Chime SDK Voice Connector call',
			),
			pipelineProperty,
			voiceConnectorProperty,
			taskIdProperty,
		],
	};

	methods = { listSearch: speakerSearchLists };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await readTasks(this, (itemIndex) => speakerSearchAdapter(this, itemIndex));
	}
}
