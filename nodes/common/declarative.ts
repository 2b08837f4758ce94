import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import type { TaskAdapter } from './adapters/types';
import { apiError } from './errors/node-errors';
import { readIds } from './ids';
import { ignoreStatusErrors, readStatus } from './task-client';

type AdapterOf = (ctx: IExecuteSingleFunctions) => TaskAdapter;

const REQUEST_TIMEOUT_MS = 30000;

/** Validates the item's IDs (before any request) and points the request at the service. */
export function prepareStatusRequest(adapterOf: AdapterOf): PreSendAction {
	return async function (this: IExecuteSingleFunctions, request: IHttpRequestOptions) {
		const adapter = adapterOf(this);
		const ids = readIds(this, adapter.ids, this.getItemIndex());
		const credentials = await this.getCredentials(adapter.credentialType);
		return {
			...request,
			method: 'GET',
			baseURL: undefined,
			url: `${adapter.baseUrl(credentials)}${adapter.statusPath(ids)}`,
			headers: { ...(request.headers ?? {}), accept: 'application/json' },
			json: true,
			ignoreHttpStatusErrors: ignoreStatusErrors(adapter),
			// n8n's routing sets 300 s before preSend runs: a status read never needs that long.
			timeout: Math.min(request.timeout ?? REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS),
		};
	};
}

/** Raises the service's error in plain words, or outputs the task object. */
export function readStatusResponse(adapterOf: AdapterOf): PostReceiveAction {
	return async function (
		this: IExecuteSingleFunctions,
		_items: INodeExecutionData[],
		response: IN8nHttpFullResponse,
	): Promise<INodeExecutionData[]> {
		const adapter = adapterOf(this);
		const ids = readIds(this, adapter.ids, this.getItemIndex());
		const read = readStatus(adapter, ids, {
			statusCode: response.statusCode,
			headers: response.headers as IDataObject,
			body: response.body,
		});
		const itemIndex = this.getItemIndex();
		if (read.kind !== 'task') {
			const problem = read.kind === 'error' ? read.error : read;
			throw apiError(this.getNode(), problem, problem, itemIndex);
		}
		return [{ json: read.task, pairedItem: { item: itemIndex } }];
	};
}
