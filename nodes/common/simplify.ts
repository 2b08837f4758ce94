/** The Simplify option of the nodes that output tasks: only what a workflow needs, from the adapter. */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { TaskRules } from './adapters/types';
import { asNodeError, errorItem } from './errors/node-errors';
import { readBoolean } from './parameters';

export const POLLY_SIMPLIFY_HINT =
	'On: only the task ID, status, reason for a failure, output file location and creation time';

/**
 * Shown from node version 2 on, where it is on by default; version 1 (saved workflows) has no such
 * option and keeps its full output.
 */
export function simplifyProperty(hint: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		hint,
		displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
	};
}

/** The fields of `task` that are set, in the order given. */
export function pick(task: IDataObject, fields: readonly string[]): IDataObject {
	const picked: IDataObject = {};
	for (const field of fields) if (task[field] !== undefined) picked[field] = task[field];
	return picked;
}

function itemIndexOf(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && !Array.isArray(paired) ? paired.item : 0;
}

/**
 * The node's output with each task item simplified where its input item's Simplify is on. Items that
 * are not tasks (Continue On Fail's error items) pass as they are.
 */
export function simplifyOutput(
	ctx: IExecuteFunctions,
	rules: TaskRules,
	output: INodeExecutionData[][],
): INodeExecutionData[][] {
	const simplify = rules.simplify;
	if (!simplify) return output;
	return output.map((items) =>
		items.map((item) => {
			if (!rules.detect(item.json)) return item;
			const itemIndex = itemIndexOf(item);
			try {
				const on = readBoolean(ctx, 'simplify', 'Simplify', itemIndex, false);
				return on ? { ...item, json: simplify(item.json) } : item;
			} catch (error) {
				if (!ctx.continueOnFail()) throw asNodeError(ctx.getNode(), error, itemIndex);
				return errorItem(ctx.getNode(), error, itemIndex);
			}
		}),
	);
}
