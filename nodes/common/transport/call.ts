/** Sending an operation and turning whatever comes back into one typed outcome. */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Operation } from '../adapters/types';
import { classifyStatus, isNetworkErrorCode, tokenFailureIn } from '../errors/failure';
import type { Failure } from '../errors/failure';
import {
	answerTimedOut,
	answerTooLarge,
	networkFailure,
	notATask,
	notJson,
	redirected,
	requestFailed,
	tokenProblem,
} from '../errors/wording';
import {
	BodyProblem,
	collectBody,
	discard,
	ERROR_BODY_LIMIT,
	isAsyncIterable,
	jsonObjectOf,
	readErrorBody,
} from './body';
import { errorCode, responseOf } from './http';
import type { RawResponse } from './http';
import { buildRequest } from './request';
import type { RequestSettings } from './request';
import { timeLimit } from './time-limit';

/** Sends request options: with a credential, anonymously, or through a credential's own helper. */
export type Send = (options: IHttpRequestOptions) => Promise<RawResponse>;

/** What one request brought back: the payload, or a failure that says what went wrong. */
export type Outcome = { ok: true; value: IDataObject } | { ok: false; failure: Failure };

/** What the failure messages call the other side: "the Polly synthesis task endpoint". */
export interface Peer {
	label: string;
}

/** The largest JSON answer taken by default: far above any real status answer (a few KB). */
export const ANSWER_LIMIT = 4 * 1024 * 1024;

const fail = (failure: Failure): Outcome => ({ ok: false, failure });

function unreadable(peer: Peer, problem: unknown): Outcome {
	if (problem instanceof BodyProblem && problem.code === 'TooLarge') {
		return fail({ ...answerTooLarge(peer.label), code: 'AnswerTooLarge', kind: 'fatal' });
	}
	if (problem instanceof BodyProblem && problem.code === 'AnswerTimedOut') {
		return fail({ ...answerTimedOut(peer.label), code: 'AnswerTimedOut', kind: 'transient' });
	}
	// The answer broke off (reset mid-body, closed early) or is not JSON: truncated or malformed.
	return fail({ ...notJson(peer.label), code: 'MalformedResponse', kind: 'transient' });
}

function isParsed(body: unknown): boolean {
	return (
		typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && !isAsyncIterable(body)
	);
}

/** A non-2xx answer: a redirect (never followed), or what the operation's error reader makes of it. */
async function readFailure<Input>(
	operation: Operation<Input>,
	response: RawResponse,
	peer: Peer,
): Promise<Outcome> {
	const { statusCode, headers, body } = response;
	if (statusCode >= 300 && statusCode < 400) {
		discard(body);
		return fail({
			...redirected(peer.label, statusCode),
			code: 'Redirect',
			status: statusCode,
			kind: 'fatal',
		});
	}
	let text: string;
	try {
		text = await readErrorBody(body, ERROR_BODY_LIMIT);
	} catch {
		text = '';
	}
	return fail(operation.error(statusCode, headers, text));
}

/**
 * Reads a response: a redirect (never followed) or another non-2xx answer through the operation's
 * error reader, or the 2xx body — within the size limit and the request's time limit — as the payload
 * the operation expects.
 */
export async function readResponse<Input>(
	operation: Operation<Input>,
	input: Input,
	response: RawResponse,
	peer: Peer,
	signal?: AbortSignal,
): Promise<Outcome> {
	const { statusCode, body } = response;
	if (statusCode < 200 || statusCode >= 300) return await readFailure(operation, response, peer);
	// Already parsed (a caller that did not stream): taken as it is; otherwise read within the limits.
	let json = isParsed(body) ? jsonObjectOf(body) : undefined;
	if (json === undefined) {
		let bytes: Buffer;
		try {
			bytes = await collectBody(body, operation.maxAnswerBytes ?? ANSWER_LIMIT, signal);
		} catch (problem) {
			return unreadable(peer, problem);
		}
		json = operation.answer === 'text' ? { text: bytes.toString('utf8') } : jsonObjectOf(bytes);
	}
	if (json === undefined) return unreadable(peer, undefined);
	const value = operation.read(json, input);
	return value === undefined
		? fail({ ...notATask(peer.label), code: 'UnexpectedAnswer', kind: 'transient' })
		: { ok: true, value };
}

/**
 * Reads a thrown request error: a failed token request of the credential, an HTTP answer that still
 * threw (a 401 after a token renewal), a network failure or the time limit, or anything else (a
 * cancellation), which retrying cannot fix.
 */
export async function readThrown<Input>(
	operation: Operation<Input>,
	error: unknown,
	peer: Peer,
): Promise<Outcome> {
	const token = tokenFailureIn(error);
	if (token) {
		// Throttling and outages of the token endpoint are worth retrying; refused secrets are not.
		const kind =
			token.tokenKind ??
			(token.tokenStatus === 0 ? 'transient' : classifyStatus(token.tokenStatus));
		return fail({
			...tokenProblem(token.message, kind, token.tokenDescription),
			code: 'TokenRequestFailed',
			status: token.tokenStatus,
			kind,
		});
	}
	const response = responseOf(error);
	if (response && response.statusCode >= 200 && response.statusCode < 300) {
		// A success status that still threw: the body broke off (truncated, reset mid-body).
		return unreadable(peer, undefined);
	}
	if (response) return await readFailure(operation, response, peer);
	const code = errorCode(error);
	if (isNetworkErrorCode(code)) {
		return fail({ ...networkFailure(code, `the ${peer.label} endpoint`), code, kind: 'transient' });
	}
	return fail({ ...requestFailed(error), code: code ?? 'RequestFailed', kind: 'fatal' });
}

/** Builds, sends and reads one operation. Never throws: every failure comes back as an outcome. */
export async function call<Input>(
	send: Send,
	baseUrl: string,
	operation: Operation<Input>,
	input: Input,
	settings: RequestSettings & { peer: Peer },
): Promise<Outcome> {
	const limit = timeLimit(settings.timeoutMs);
	try {
		const request = buildRequest(baseUrl, operation, input, { ...settings, signal: limit.signal });
		let response: RawResponse;
		try {
			response = await send(request);
		} catch (error) {
			return await readThrown(operation, error, settings.peer);
		}
		return await readResponse(operation, input, response, settings.peer, limit.signal);
	} finally {
		limit.release();
	}
}

/** An answer whose body is handed on unread (a file), or why there is none. */
export type StreamOutcome =
	| {
			ok: true;
			body: unknown;
			headers: RawResponse['headers'];
			/** Aborts when the time limit is up; the body is destroyed then. */
			signal: AbortSignal;
			/** The body has been read: stop the time limit's clock. */
			release(): void;
	  }
	| { ok: false; failure: Failure };

/**
 * Like `call`, for operations that answer with a file: on 2xx the body comes back open, still under
 * the time limit until `release`; every other answer is read as `call` reads it.
 */
export async function openStream<Input>(
	send: Send,
	baseUrl: string,
	operation: Operation<Input>,
	input: Input,
	settings: RequestSettings & { peer: Peer },
): Promise<StreamOutcome> {
	const limit = timeLimit(settings.timeoutMs);
	let open = false;
	try {
		const request = buildRequest(baseUrl, operation, input, { ...settings, signal: limit.signal });
		let response: RawResponse;
		try {
			response = await send(request);
		} catch (error) {
			return (await readThrown(operation, error, settings.peer)) as StreamOutcome;
		}
		const { statusCode, body, headers } = response;
		if (statusCode < 200 || statusCode >= 300) {
			return (await readFailure(operation, response, settings.peer)) as StreamOutcome;
		}
		open = true;
		const stop = () => discard(body);
		limit.signal.addEventListener('abort', stop, { once: true });
		const release = () => {
			limit.signal.removeEventListener('abort', stop);
			limit.release();
		};
		return { ok: true, body, headers, signal: limit.signal, release };
	} finally {
		if (!open) limit.release();
	}
}
