// Where each input item ended up: every input item must appear exactly once, in an output or as an error.
import type { INodeExecutionData } from 'n8n-workflow';

import type { RunOptions, RunResult } from '../../harness/run-workflow';
import { startWorkflow } from '../../harness/run-workflow';

export type Place = 'ok' | 'completed' | 'failed' | 'timedOut' | 'error';

export interface Placed {
	index: number;
	place: Place;
	/** Output index the item came out of. */
	output: number;
	item: INodeExecutionData;
	/** For error items: the message and description the user sees. */
	message?: string;
	description?: string;
}

export interface Accounting {
	placed: Placed[];
	byIndex: Map<number, Placed[]>;
	count(place: Place): number;
	errors: Placed[];
}

function indexOf(item: INodeExecutionData): number | undefined {
	const paired = item.pairedItem;
	if (typeof paired === 'number') return paired;
	if (paired && !Array.isArray(paired)) return paired.item;
	if (Array.isArray(paired) && paired.length === 1)
		return typeof paired[0] === 'number' ? paired[0] : paired[0].item;
	// n8n moves RoutingNode error items to the error output without pairedItem; the error keeps the index.
	const context = (item.error as { context?: { itemIndex?: unknown } } | undefined)?.context;
	return typeof context?.itemIndex === 'number' ? context.itemIndex : undefined;
}

/**
 * Sorts the node's output items by input index. `outputNames` names the node's regular outputs in order (for
 * Wait Until Complete: completed, failed, timedOut); an extra output (n8n's error output) counts as errors.
 */
export function account(result: RunResult, nodeName: string, outputNames: Place[]): Accounting {
	const placed: Placed[] = [];
	(result.outputs[nodeName] ?? []).forEach((items, output) => {
		for (const item of items) {
			const index = indexOf(item);
			if (index === undefined)
				throw new Error(
					`An output item of ${nodeName} has no pairedItem: ${JSON.stringify(item.json).slice(0, 200)}`,
				);
			const isError =
				item.error !== undefined ||
				(typeof item.json.error === 'string' && item.json.error !== '') ||
				output >= outputNames.length;
			const error = item.error as { message?: string; description?: string } | undefined;
			placed.push({
				index,
				output,
				item,
				place: isError ? 'error' : outputNames[output],
				message: isError ? String(error?.message ?? item.json.error ?? '') : undefined,
				description: isError ? String(error?.description ?? item.json.details ?? '') : undefined,
			});
		}
	});
	const byIndex = new Map<number, Placed[]>();
	for (const p of placed) byIndex.set(p.index, [...(byIndex.get(p.index) ?? []), p]);
	return {
		placed,
		byIndex,
		count: (place) => placed.filter((p) => p.place === place).length,
		errors: placed.filter((p) => p.place === 'error'),
	};
}

/** Fails unless input items 0…n-1 each appear exactly once. */
export function expectEachItemOnce(accounting: Accounting, inputCount: number): void {
	const problems: string[] = [];
	for (let index = 0; index < inputCount; index++) {
		const found = accounting.byIndex.get(index) ?? [];
		if (found.length !== 1) problems.push(`item ${index} appears ${found.length} times`);
	}
	for (const index of accounting.byIndex.keys())
		if (index < 0 || index >= inputCount) problems.push(`unknown item index ${index}`);
	if (problems.length)
		throw new Error(`Items not accounted for exactly once: ${problems.join('; ')}`);
}

export interface BoundedRun {
	result: RunResult;
	elapsedMs: number;
}

/** Runs a workflow; fails (and cancels it) if it has not ended after `limitMs`. */
export async function runBounded(options: RunOptions, limitMs: number): Promise<BoundedRun> {
	const started = Date.now();
	const running = startWorkflow(options);
	let timer: NodeJS.Timeout | undefined;
	const hang = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			running.cancel();
			reject(new Error(`The run did not end within ${limitMs} ms (hang)`));
		}, limitMs);
	});
	try {
		const result = await Promise.race([running.result, hang]);
		return { result, elapsedMs: Date.now() - started };
	} finally {
		clearTimeout(timer);
	}
}
