import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { StatusInput, TaskAdapter } from './adapters/types';
import { apiError } from './errors/node-errors';
import { callOver } from './transport/connection';
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
