import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { ADAPTERS, detectTask } from '../common/adapters';
import type { Connection, ServiceName, TaskAdapter, TaskIds } from '../common/adapters/types';
import { readBinaryPropertyName } from '../common/binary-property';
import { checkIds, readIds } from '../common/ids';
import { readBoolean, readChoice } from '../common/parameters';
import { openConnection } from '../common/task-client';

/** One input item's task, validated and ready to poll. */
export interface Job {
	itemIndex: number;
	adapter: TaskAdapter;
	ids: TaskIds;
	trial: boolean;
	connection: Connection;
	/** Output binary field, or undefined when no audio is wanted. */
	binaryPropertyName?: string;
}

function pickTask(ctx: IExecuteFunctions, itemIndex: number): { adapter: TaskAdapter; ids: TaskIds } {
	const service = readChoice(
		ctx.getNode(),
		ctx.getNodeParameter('service', itemIndex),
		['auto', ...(Object.keys(ADAPTERS) as ServiceName[])],
		'service',
		'Service',
		itemIndex,
	);
	if (service !== 'auto') {
		const adapter = ADAPTERS[service];
		return { adapter, ids: readIds(ctx, adapter.ids, itemIndex) };
	}
	const found = detectTask(ctx.getInputData()[itemIndex]?.json ?? {});
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), 'This item does not look like a task the node knows', {
			itemIndex,
			description:
				'With Service set to Auto-Detect, each input item must be the output of Get Polly Synthesis Task, Get Speaker Search Task or Fetch Aspose Audio. Otherwise choose the Service and fill in its IDs.',
		});
	}
	return { adapter: found.adapter, ids: checkIds(found.ids, found.adapter.ids, ctx.getNode(), itemIndex) };
}

async function connect(
	ctx: IExecuteFunctions,
	adapter: TaskAdapter,
	trial: boolean,
	trialBaseUrl: string | undefined,
	itemIndex: number,
): Promise<Connection> {
	try {
		return await openConnection(ctx, adapter, trial, trialBaseUrl);
	} catch (error) {
		const credential = adapter.credentialType === 'awsSigV4Api' ? 'AWS (SigV4) API' : 'Aspose Cloud API';
		throw new NodeOperationError(ctx.getNode(), `This item is a ${adapter.label}, which needs a ${credential} credential`, {
			itemIndex,
			description: `Select a ${credential} credential in the node${adapter.service === 'aspose' ? ', or turn on Use Aspose Trial' : ''}. (${(error as Error).message})`,
		});
	}
}

/** Reads and checks everything an item needs before the first request. */
export async function planJob(
	ctx: IExecuteFunctions,
	itemIndex: number,
	trialBaseUrl: string | undefined,
	connections: Map<string, Promise<Connection>>,
): Promise<Job> {
	const { adapter, ids } = pickTask(ctx, itemIndex);
	const trial = adapter.service === 'aspose' && readBoolean(ctx, 'useTrial', 'Use Aspose Trial (No Account)', itemIndex, false);
	const wantsAudio = adapter.audio !== undefined && readBoolean(ctx, 'downloadAudio', 'Download Audio', itemIndex, true);
	const binaryPropertyName = wantsAudio ? readBinaryPropertyName(ctx, itemIndex) : undefined;

	const key = `${adapter.service}|${trial}`;
	let connection = connections.get(key);
	if (!connection) {
		connection = connect(ctx, adapter, trial, trialBaseUrl, itemIndex);
		connections.set(key, connection);
		connection.catch(() => connections.delete(key));
	}
	return { itemIndex, adapter, ids, trial, connection: await connection, binaryPropertyName };
}
