import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { asNodeError, errorItem } from '../common/errors/node-errors';
import type { Connection } from '../common/transport/connection';
import { createLimiter } from '../common/polling/limiter';
import { sleeperFor } from '../common/polling/sleeper';
import { credentials, properties } from './description';
import { planJob } from './plan';
import type { Job } from './plan';
import { OUTPUT, runJob } from './run-job';
import type { RunContext } from './run-job';
import { readWaitSettings } from './settings';

export class WaitUntilComplete implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wait Until Complete',
		name: 'waitUntilComplete',
		icon: { light: 'file:waitUntilComplete.svg', dark: 'file:waitUntilComplete.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["service"] === "auto" ? "Auto-detect" : $parameter["service"]}}',
		description:
			'Wait until Polly, Chime SDK speaker search or Aspose text-to-speech tasks finish, then pass on the result and the audio',
		defaults: { name: 'Wait Until Complete' },
		// Deliberately not a tool: it holds an execution for minutes and hands on binary audio, which AI agents cannot use.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Completed', 'Failed', 'Timed Out'],
		credentials,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], [], []];
		const settings = readWaitSettings(this);

		// Every item is checked before the first request goes out.
		const connections = new Map<string, Promise<Connection>>();
		const jobs: Job[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				jobs.push(await planJob(this, itemIndex, settings.trialBaseUrl, connections));
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
				outputs[OUTPUT.completed].push(errorItem(this.getNode(), error, itemIndex));
			}
		}

		// One signal stops every wait: the execution's cancellation, or a failure that ends the node.
		const stop = new AbortController();
		const cancelled = this.getExecutionCancelSignal();
		const onCancel = () => stop.abort(cancelled?.reason);
		if (cancelled?.aborted) onCancel();
		cancelled?.addEventListener('abort', onCancel, { once: true });

		const startedAt = Date.now();
		const run: RunContext = {
			startedAt,
			deadline: startedAt + settings.timeoutMs,
			policy: settings.policy,
			now: () => Date.now(),
			sleep: sleeperFor(stop.signal),
			random: Math.random,
			limit: createLimiter(settings.maxConcurrentRequests, stop.signal),
		};

		try {
			const results = await Promise.all(
				jobs.map(async (job) => {
					try {
						return await runJob(this, job, run);
					} catch (error) {
						if (stop.signal.aborted || !this.continueOnFail()) {
							stop.abort(error);
							throw asNodeError(this.getNode(), error, job.itemIndex);
						}
						return {
							output: OUTPUT.completed,
							item: errorItem(this.getNode(), error, job.itemIndex),
						};
					}
				}),
			);
			for (const { output, item } of results) outputs[output].push(item);
		} finally {
			cancelled?.removeEventListener('abort', onCancel);
		}

		// Error items were added first; keep every output in input order.
		for (const output of outputs) {
			output.sort((a, b) => itemIndexOf(a) - itemIndexOf(b));
		}
		return outputs;
	}
}

function itemIndexOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && !Array.isArray(paired) ? paired.item : 0;
}
