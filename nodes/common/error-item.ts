import type { INode, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from './errors/node-errors';

/**
 * The item Continue On Fail puts out in place of a failed one: `error` (the message) and `details`
 * (what to do). n8n sends an item whose JSON holds only error/message/details to the error output
 * under "Continue (using error output)", and keeps it as it is under "Continue".
 */
export function errorItem(node: INode, error: unknown, itemIndex: number): INodeExecutionData {
	const nodeError = asNodeError(node, error, itemIndex);
	return {
		json: {
			error: nodeError.message,
			...(nodeError.description ? { details: nodeError.description } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
