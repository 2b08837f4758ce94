import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { pollyAdapter } from '../common/adapters/polly';
import { apiError } from '../common/errors/node-errors';
import { eachItem } from '../common/items';
import { POLLY_SIMPLIFY_HINT, simplifyOutput, simplifyProperty } from '../common/simplify';
import { startSynthesisTask } from '../common/polly/operations';
import { synthesisProperties } from '../common/polly/properties';
import { readSynthesis } from '../common/polly/synthesis';
import { getLanguages, getVoices } from '../common/polly/voices';
import { callOver, openConnection } from '../common/transport/connection';
import { REQUEST_TIMEOUT_MS } from '../common/transport/request';

export class StartPollySynthesisTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start Polly Synthesis Task',
		name: 'startPollySynthesisTask',
		icon: { light: 'file:polly.svg', dark: 'file:polly.dark.svg' },
		group: ['output'],
		// Version 2: Simplify, on by default; version 1 outputs the whole task.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["voiceId"] + " · " + $parameter["engine"]}}',
		description:
			'Start turning text into speech with Amazon Polly; the audio is written to S3, and Wait Until Complete hands it on',
		defaults: { name: 'Start Polly Synthesis Task' },
		usableAsTool: true,
		credentials: [{ name: 'awsSigV4Api', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [...synthesisProperties('task'), simplifyProperty(POLLY_SIMPLIFY_HINT)],
	};

	methods = { loadOptions: { getVoices, getLanguages } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output = await eachItem(this, async (itemIndex) => {
			const request = readSynthesis(this, itemIndex, 'task');
			const connection = await openConnection(this, pollyAdapter, false);
			const outcome = await callOver(this, connection, startSynthesisTask, request, {
				timeoutMs: REQUEST_TIMEOUT_MS,
				peer: pollyAdapter.text,
			});
			if (!outcome.ok) throw apiError(this.getNode(), outcome.failure, itemIndex);
			// The task as Get Polly Synthesis Task outputs it: Wait Until Complete recognises it as is.
			return { json: outcome.value, pairedItem: { item: itemIndex } };
		});
		return simplifyOutput(this, pollyAdapter.task, output);
	}
}
