import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { AwsError } from './aws-error';
import type { Explanation } from './describe-aws';

/**
 * A NodeApiError built only from what is safe to show: the error never carries the request
 * (whose headers hold a signature or a bearer token) nor the raw response.
 */
export function apiError(
	node: INode,
	explanation: Explanation,
	details: { status?: number; code?: string; requestId?: string },
	itemIndex: number,
): NodeApiError {
	const reference = details.requestId ? ` (request ID ${details.requestId})` : '';
	return new NodeApiError(
		node,
		// `serviceCode`: n8n reads `code` and `errorCode` and would swap our message for a generic one.
		{
			message: explanation.message,
			serviceCode: details.code ?? '',
			httpCode: details.status ? String(details.status) : '',
		} as JsonObject,
		{
			message: explanation.message,
			description: `${explanation.description}${reference}`,
			httpCode: details.status ? String(details.status) : undefined,
			itemIndex,
		},
	);
}

export function awsApiError(
	node: INode,
	error: AwsError,
	explanation: Explanation,
	itemIndex: number,
): NodeApiError {
	return apiError(
		node,
		{
			message: explanation.message,
			description: error.code ? `${explanation.description} [${error.code}]` : explanation.description,
		},
		error,
		itemIndex,
	);
}

// In words: n8n swaps any message that names a code such as ECONNRESET for a generic one.
const NETWORK_FAILURES: Record<string, string> = {
	ECONNRESET: 'connection reset',
	ECONNREFUSED: 'connection refused',
	ECONNABORTED: 'timed out',
	ETIMEDOUT: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	EPIPE: 'connection broken',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	ERR_BAD_RESPONSE: 'bad response',
};

/** What to say when a request got no HTTP answer (connection reset, timeout, DNS). */
export function networkFailure(code: string, what: string): Explanation {
	return {
		message: `Could not reach ${what} (${NETWORK_FAILURES[code] ?? 'network error'})`,
		description: `The connection failed before an answer arrived [${code}]. Check the endpoint and the network of the machine running n8n, then try again.`,
	};
}

export function networkError(node: INode, code: string, what: string, itemIndex: number): NodeApiError {
	return apiError(node, networkFailure(code, what), { code }, itemIndex);
}

/** Errors leave a node as n8n errors; ours already are, anything else (a cancellation) is wrapped. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}
