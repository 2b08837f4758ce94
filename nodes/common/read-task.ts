import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { StatusInput, TaskAdapter } from './adapters/types';
import { apiError } from './errors/node-errors';
import { readIds } from './ids';
import { eachItem } from './items';
import { callOver, openConnection } from './transport/connection';
import { REQUEST_TIMEOUT_MS } from './transport/request';
import type { Connection } from './transport/connection';

/** One status read for a task node: the task, or its failure as an n8n error for that item. */
export async function readTask(
	ctx: IExecuteFunctions,
	adapter: TaskAdapter,
	connection: Connection,
	input: StatusInput,
	timeoutMs: number,
	itemIndex: number,
): Promise<IDataObject> {
	const outcome = await callOver(ctx, connection, adapter.status, input, {
		timeoutMs,
		peer: adapter.text,
	});
	if (!outcome.ok) throw apiError(ctx.getNode(), outcome.failure, itemIndex);
	return outcome.value;
}

/** A Get node: each item's task, read once, or an error for that item. */
export async function readTasks(
	ctx: IExecuteFunctions,
	adapterOf: (itemIndex: number) => TaskAdapter,
): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, async (itemIndex) => {
		const adapter = adapterOf(itemIndex);
		const ids = readIds(ctx, adapter.ids, itemIndex);
		const connection = await openConnection(ctx, adapter, false);
		const input = { ids, trial: false };
		const task = await readTask(ctx, adapter, connection, input, REQUEST_TIMEOUT_MS, itemIndex);
		return { json: task, pairedItem: { item: itemIndex } };
	});
}
