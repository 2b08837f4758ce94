/**
 * The editor's "From List" pickers for IDs: each adapter ID with a listing becomes a resource locator, and
 * its listing a `listSearch` method. Searching filters the listed entries by what the person typed.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import type { IdSpec, TaskAdapter } from './adapters/types';
import { apiError } from './errors/node-errors';
import { callOver, openConnection } from './transport/connection';
import { REQUEST_TIMEOUT_MS } from './transport/request';

type ListSearch = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

/** One page of the listing, filtered by the search text. */
function searchFor(adapter: TaskAdapter, spec: IdSpec): ListSearch {
	const listing = spec.listing!;
	return async function (this: ILoadOptionsFunctions, filter, paginationToken) {
		const connection = await openConnection(this, adapter, false);
		const outcome = await callOver(
			this,
			connection,
			listing.page,
			{ nextToken: paginationToken },
			{ timeoutMs: REQUEST_TIMEOUT_MS, peer: adapter.text },
		);
		if (!outcome.ok) throw apiError(this.getNode(), outcome.failure, 0);
		const { entries, nextToken } = listing.entries(outcome.value);
		const wanted = filter?.trim().toLowerCase();
		const results = wanted
			? entries.filter((entry) =>
					`${entry.name} ${entry.description ?? ''}`.toLowerCase().includes(wanted),
				)
			: entries;
		return { results, paginationToken: nextToken };
	};
}

/** An ID that is not a task's (a voice profile domain), with the service whose list offers it. */
export interface ListedSpec {
	adapter: TaskAdapter;
	spec: IdSpec;
}

/**
 * The listSearch methods of the given adapters' IDs and of the `extra` IDs, by method name. An extra
 * ID's list is requested with its `adapter`'s credential and endpoint.
 */
export function listSearchMethods(
	adapters: readonly TaskAdapter[],
	extra: readonly ListedSpec[] = [],
): Record<string, ListSearch> {
	const methods: Record<string, ListSearch> = {};
	const listed = [
		...adapters.flatMap((adapter) => adapter.ids.map((spec) => ({ adapter, spec }))),
		...extra,
	];
	for (const { adapter, spec } of listed) {
		if (spec.listing) methods[spec.listing.method] = searchFor(adapter, spec);
	}
	return methods;
}

/**
 * An ID parameter: a resource locator with "From List" where the service lists the IDs, else plain
 * text. `base` gives everything but the type, default and modes.
 */
export function idProperty(
	spec: IdSpec,
	base: Omit<INodeProperties, 'type' | 'default'>,
	defaultValue = '',
): INodeProperties {
	if (!spec.listing) return { ...base, type: 'string', default: defaultValue };
	const { placeholder, ...rest } = base;
	return {
		...rest,
		type: 'resourceLocator',
		default: { mode: defaultValue === '' ? 'list' : 'id', value: defaultValue },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select…',
				typeOptions: { searchListMethod: spec.listing.method, searchable: true },
			},
			// Typed or set by an expression; checked with the ID's own rule when the node runs.
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: placeholder ?? '' },
		],
	};
}
