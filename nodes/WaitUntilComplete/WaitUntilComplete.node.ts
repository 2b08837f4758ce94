import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { asNodeError, errorItem } from '../common/errors/node-errors';
import type { Connection } from '../common/transport/connection';
import { createLimiter } from '../common/polling/limiter';
import { sleeperFor } from '../common/polling/sleeper';
import { credentials, listSearch, properties, taskNodes } from './description';
import { planJob } from './plan';
import type { Job } from './plan';
import { keepLearning, openLearning, OUTPUT, runJob, statusReaders } from './run-job';
import type { RunContext } from './run-job';
import { readWaitSettings } from './settings';

/** An agent's turn waits on the tool: unless the Timeout is set, a tool waits 2 minutes, not 10. */
const TOOL_TIMEOUT_SECONDS = 120;

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
		// As an AI agent's tool it takes the task a start or get tool returned, and answers with the task
		// and its waitOutcome in one list (an agent reads only the first output); unset, its Timeout is shorter.
		usableAsTool: {
			replacements: {
				description: `Wait until a speech task finishes, then return it with waitOutcome (completed, failed or timedOut). Pass the task exactly as ${taskNodes} returned it. Takes up to ${TOOL_TIMEOUT_SECONDS} seconds unless Options → Timeout says otherwise.`,
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Completed', 'Failed', 'Timed Out'],
		credentials,
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outputs: INodeExecutionData[][] = [[], [], []];
		const settings = readWaitSettings(this);
		const asTool = this.getNode().type.endsWith('Tool');
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		if (asTool && options.timeout === undefined) {
			settings.timeoutMs = TOOL_TIMEOUT_SECONDS * 1000;
		}

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

		// Every item's requests wait for their quota's tokens, at the rate set, until the node stops.
		for (const job of jobs) {
			job.connection.rate = { perSecond: settings.requestsPerSecond, signal: stop.signal };
		}

		const startedAt = Date.now();
		const run: RunContext = {
			startedAt,
			deadline: startedAt + settings.timeoutMs,
			policy: settings.policy,
			gridMs: settings.gridMs,
			now: () => Date.now(),
			sleep: sleeperFor(stop.signal),
			random: Math.random,
			limit: createLimiter(settings.maxConcurrentRequests, stop.signal),
			learner: openLearning(this),
		};
		run.readers = statusReaders(this, jobs, run);

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
			keepLearning(this, run.learner);
		}

		// Error items were added first; keep every output in input order.
		for (const output of outputs) {
			output.sort((a, b) => itemIndexOf(a) - itemIndexOf(b));
		}
		if (asTool) return [outputs.flat().sort((a, b) => itemIndexOf(a) - itemIndexOf(b))];
		return outputs;
	}
}

function itemIndexOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && !Array.isArray(paired) ? paired.item : 0;
}
