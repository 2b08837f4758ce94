/** Explanations become n8n errors here, and only here. */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, INodeExecutionData, JsonObject } from 'n8n-workflow';

import type { Explanation } from './failure';
import { redactText } from './redact';
import { networkFailure } from './wording';

/** What an API error may say besides its words; never the request, whose headers hold secrets. */
export interface ApiProblem extends Explanation {
	status?: number;
	code?: string;
	requestId?: string;
}

/** An explanation whose description ends with the service's error code, as support will ask for it. */
export function withCode(explanation: Explanation, code: string | undefined): Explanation {
	return code
		? { ...explanation, description: `${explanation.description} [${code}]` }
		: explanation;
}

/**
 * A NodeApiError built only from what is safe to show: no request, no raw response, and its words
 * without `secrets` or anything shaped like a token (a server may echo what it was sent).
 */
export function apiError(
	node: INode,
	problem: ApiProblem,
	itemIndex: number,
	secrets: readonly string[] = [],
): NodeApiError {
	const reference = problem.requestId ? ` (request ID ${problem.requestId})` : '';
	const httpCode = problem.status ? String(problem.status) : '';
	const message = redactText(problem.message, secrets);
	const code = redactText(problem.code ?? '', secrets);
	return new NodeApiError(
		node,
		// `serviceCode`: n8n reads `code` and `errorCode` and would swap our message for a generic one.
		{ message, serviceCode: code, httpCode } as JsonObject,
		{
			message,
			description: redactText(`${problem.description}${reference}`, secrets),
			httpCode: httpCode || undefined,
			itemIndex,
		},
	);
}

export function networkError(
	node: INode,
	code: string,
	what: string,
	itemIndex: number,
): NodeApiError {
	return apiError(node, { ...networkFailure(code, what), code }, itemIndex);
}

/** A parameter refused before any request. */
export function parameterError(
	node: INode,
	explanation: Explanation,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(node, explanation.message, {
		itemIndex,
		description: explanation.description,
	});
}

/** Errors leave a node as n8n errors; ours already are, anything else (a cancellation) is wrapped. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

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
