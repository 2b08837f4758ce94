import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem } from './errors/node-errors';

/**
 * Runs `handle` for each input item in turn; it gives one output item, or several (a list). A failing
 * item stops the node, or under Continue On Fail becomes `{ error, details }` paired with its input item,
 * and the others still run.
 */
export async function eachItem(
	ctx: IExecuteFunctions,
	handle: (itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>,
): Promise<INodeExecutionData[][]> {
	const results: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			results.push(...[await handle(itemIndex)].flat());
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx.getNode(), error, itemIndex);
			results.push(errorItem(ctx.getNode(), error, itemIndex));
		}
	}
	return [results];
}
