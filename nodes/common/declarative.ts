/**
 * The status nodes are declarative (n8n's routing sends the request), yet their request is the one the
 * transport builds and their answer is read by the transport, as in the programmatic nodes.
 */
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
import { readResponse } from './transport/call';
import { baseUrlOf, fetchesToken } from './transport/connection';
import { buildRequest, REQUEST_TIMEOUT_MS } from './transport/request';

type AdapterOf = (ctx: IExecuteSingleFunctions) => TaskAdapter;

/** Validates the item's IDs (before any request) and points the request at the service. */
export function prepareStatusRequest(adapterOf: AdapterOf): PreSendAction {
	return async function (this: IExecuteSingleFunctions, request: IHttpRequestOptions) {
		const adapter = adapterOf(this);
		const ids = readIds(this, adapter.ids, this.getItemIndex());
		const credentials = await this.getCredentials(adapter.credential.type);
		const built = buildRequest(
			baseUrlOf(adapter.credential, credentials),
			adapter.status,
			{ ids, trial: false },
			{
				// n8n's routing sets 300 s before preSend runs: a status read never needs that long.
				timeoutMs: Math.min(request.timeout ?? REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS),
				throwOn401: fetchesToken(adapter.credential.type),
			},
		);
		return {
			...request,
			...built,
			baseURL: undefined,
			headers: { ...(request.headers ?? {}), ...built.headers },
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
		const itemIndex = this.getItemIndex();
		const ids = readIds(this, adapter.ids, itemIndex);
		const outcome = readResponse(
			adapter.status,
			{ ids, trial: false },
			{
				statusCode: response.statusCode,
				headers: response.headers as IDataObject,
				body: response.body,
			},
			adapter.text,
		);
		if (!outcome.ok) throw apiError(this.getNode(), outcome.failure, itemIndex);
		return [{ json: outcome.value, pairedItem: { item: itemIndex } }];
	};
}
