import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { listSynthesisTasks, pollyAdapter } from '../common/adapters/polly';
import type { ListInput } from '../common/adapters/polly';
import { apiError } from '../common/errors/node-errors';
import { eachItem } from '../common/items';
import { readBoolean, readChoice, readNumber } from '../common/parameters';
import { POLLY_SIMPLIFY_HINT, simplifyOutput, simplifyProperty } from '../common/simplify';
import { callOver, openConnection } from '../common/transport/connection';
import { REQUEST_TIMEOUT_MS } from '../common/transport/request';

const STATUSES = ['any', 'scheduled', 'inProgress', 'completed', 'failed'] as const;
/** Polly's largest page. */
const PAGE_SIZE = 100;
/** A listing that never ends (a token that repeats) stops here rather than running forever. */
const MAX_PAGES = 1000;

async function listFor(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = ctx.getNode();
	const returnAll = readBoolean(ctx, 'returnAll', 'Return All', itemIndex, false);
	const limit = returnAll
		? Infinity
		: readNumber(
				node,
				ctx.getNodeParameter('limit', itemIndex, 50),
				'limit',
				'Limit',
				[1, 100_000],
				itemIndex,
			);
	const status = readChoice(
		node,
		ctx.getNodeParameter('filters.status', itemIndex, 'any'),
		STATUSES,
		'status',
		'Status',
		itemIndex,
	);
	const connection = await openConnection(ctx, pollyAdapter, false);
	const tasks: IDataObject[] = [];
	const seen = new Set<string>();
	let nextToken: string | undefined;
	for (let page = 0; page < MAX_PAGES && tasks.length < limit; page++) {
		const input: ListInput = {
			maxResults: Math.min(PAGE_SIZE, limit - tasks.length),
			nextToken,
			...(status === 'any' ? {} : { status }),
		};
		const outcome = await callOver(ctx, connection, listSynthesisTasks, input, {
			timeoutMs: REQUEST_TIMEOUT_MS,
			peer: { label: 'Polly synthesis task list' },
		});
		if (!outcome.ok) throw apiError(node, outcome.failure, itemIndex);
		for (const task of outcome.value.SynthesisTasks as IDataObject[]) {
			// A task that moves while the list is paged may show twice: one item per task.
			if (seen.has(String(task.TaskId)) || tasks.length >= limit) continue;
			seen.add(String(task.TaskId));
			tasks.push(task);
		}
		const next = outcome.value.NextToken as string | undefined;
		if (!next || next === nextToken) break;
		nextToken = next;
	}
	return tasks;
}

export class ListPollySynthesisTasks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'List Polly Synthesis Tasks',
		name: 'listPollySynthesisTasks',
		icon: { light: 'file:polly.svg', dark: 'file:polly.dark.svg' },
		group: ['input'],
		// Version 2: Simplify, on by default; version 1 outputs whole tasks.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["returnAll"] ? "All tasks" : "Recent tasks"}}',
		description:
			"List the Amazon Polly speech synthesis tasks of the credential's account and region",
		defaults: { name: 'List Polly Synthesis Tasks' },
		usableAsTool: true,
		credentials: [{ name: 'awsSigV4Api', required: true }],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				description: 'Whether to return all results or only up to a given limit',
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'Max number of results to return',
				displayOptions: { show: { returnAll: [false] } },
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Status',
						name: 'status',
						type: 'options',
						options: [
							{ name: 'Any', value: 'any' },
							{ name: 'Completed', value: 'completed' },
							{ name: 'Failed', value: 'failed' },
							{ name: 'Queued', value: 'scheduled' },
							{ name: 'Running', value: 'inProgress' },
						],
						default: 'any',
						description: 'Only tasks in this status',
					},
				],
			},
			simplifyProperty(POLLY_SIMPLIFY_HINT),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output = await eachItem(this, async (itemIndex) =>
			(await listFor(this, itemIndex)).map((json) => ({ json, pairedItem: { item: itemIndex } })),
		);
		return simplifyOutput(this, pollyAdapter.task, output);
	}
}
