/** Sending an operation and turning whatever comes back into one typed outcome. */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Operation } from '../adapters/types';
import { classifyStatus, isNetworkErrorCode, tokenFailureIn } from '../errors/failure';
import type { Failure } from '../errors/failure';
import { networkFailure, notJson, requestFailed, tokenProblem } from '../errors/wording';
import { jsonObjectOf } from './body';
import { errorCode, responseOf } from './http';
import type { RawResponse } from './http';
import { buildRequest } from './request';
import type { RequestSettings } from './request';

/** Sends request options: with a credential, anonymously, or through a credential's own helper. */
export type Send = (options: IHttpRequestOptions) => Promise<RawResponse>;

/** What one request brought back: the payload, or a failure that says what went wrong. */
export type Outcome = { ok: true; value: IDataObject } | { ok: false; failure: Failure };

/** What the failure messages call the other side: "the Polly synthesis task endpoint". */
export interface Peer {
	label: string;
}

function unreadable(peer: Peer): Outcome {
	return {
		ok: false,
		failure: { ...notJson(peer.label), code: 'MalformedResponse', kind: 'transient' },
	};
}

/** Reads a response: 2xx and the payload the operation expects, or the operation's error reading. */
export function readResponse<Input>(
	operation: Operation<Input>,
	input: Input,
	response: RawResponse,
	peer: Peer,
): Outcome {
	const { statusCode, headers, body } = response;
	if (statusCode < 200 || statusCode >= 300) {
		return { ok: false, failure: operation.error(statusCode, headers, body) };
	}
	const json = jsonObjectOf(body);
	const value = json === undefined ? undefined : operation.read(json, input);
	return value === undefined ? unreadable(peer) : { ok: true, value };
}

/**
 * Reads a thrown request error: a failed token request of the credential, an HTTP answer that still
 * threw (a 401 after a token renewal), a network failure, or anything else (a cancellation), which
 * retrying cannot fix.
 */
export function readThrown<Input>(
	operation: Operation<Input>,
	error: unknown,
	peer: Peer,
): Outcome {
	const token = tokenFailureIn(error);
	if (token) {
		// Throttling and outages of the token endpoint are worth retrying; refused secrets are not.
		const kind = token.tokenStatus === 0 ? 'transient' : classifyStatus(token.tokenStatus);
		return {
			ok: false,
			failure: {
				...tokenProblem(token.message, kind),
				code: 'TokenRequestFailed',
				status: token.tokenStatus,
				kind,
			},
		};
	}
	const response = responseOf(error);
	if (response && response.statusCode >= 200 && response.statusCode < 300) {
		// A success status that still threw: the body broke off (truncated, reset mid-body).
		return unreadable(peer);
	}
	if (response)
		return {
			ok: false,
			failure: operation.error(response.statusCode, response.headers, response.body),
		};
	const code = errorCode(error);
	if (isNetworkErrorCode(code)) {
		return {
			ok: false,
			failure: { ...networkFailure(code, `the ${peer.label} endpoint`), code, kind: 'transient' },
		};
	}
	return {
		ok: false,
		failure: { ...requestFailed(error), code: code ?? 'RequestFailed', kind: 'fatal' },
	};
}

/** Builds, sends and reads one operation. Never throws: every failure comes back as an outcome. */
export async function call<Input>(
	send: Send,
	baseUrl: string,
	operation: Operation<Input>,
	input: Input,
	settings: RequestSettings & { peer: Peer },
): Promise<Outcome> {
	try {
		const response = await send(buildRequest(baseUrl, operation, input, settings));
		return readResponse(operation, input, response, settings.peer);
	} catch (error) {
		return readThrown(operation, error, settings.peer);
	}
}
