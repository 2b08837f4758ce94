import type { IHttpRequestOptions } from 'n8n-workflow';

import type { Operation } from '../adapters/types';

/** How long any one request may take when the caller says nothing shorter. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface RequestSettings {
	/** The whole request, answer included, must be over within this time. */
	timeoutMs: number;
	/** Aborts the request when its total time is up (see `timeLimit`). */
	signal?: AbortSignal;
	/** How long the connection may stay silent (default: `timeoutMs`). */
	idleTimeoutMs?: number;
	/**
	 * Let a 401 throw instead of coming back as a response: for credentials whose token n8n renews
	 * (preAuthentication) only after a 401 that throws, and then repeats the request once.
	 */
	throwOn401?: boolean;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/**
 * The request options for one operation. Every request of the package is built here:
 * - answers of any HTTP status come back as responses (read by the operation's error reader);
 * - redirects are never followed (a credential must not travel to a `Location` nobody checked);
 * - the answer comes as a stream, so the transport reads it within a size limit;
 * - there is an idle timeout, and the caller's total one (`signal`), so a trickling server cannot hold
 *   a node;
 * - files are asked for uncompressed, so their length is the length announced.
 */
export function buildRequest<Input>(
	baseUrl: string,
	operation: Operation<Input>,
	input: Input,
	settings: RequestSettings,
): IHttpRequestOptions {
	const body = operation.body?.(input);
	const file = operation.answer === 'stream';
	const query = operation.query?.(input);
	const headers: Record<string, string> = {
		...(file
			? { 'accept-encoding': 'identity' }
			: { accept: operation.answer === 'text' ? 'text/plain' : 'application/json' }),
		...(operation.headers?.(input) ?? {}),
	};
	if (body !== undefined && typeof body !== 'string' && !hasHeader(headers, 'content-type')) {
		headers['content-type'] = 'application/json';
	}
	return {
		method: operation.method,
		url: `${baseUrl}${operation.path(input)}`,
		...(query && Object.keys(query).length > 0 ? { qs: query } : {}),
		headers,
		...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: settings.throwOn401 ? { ignore: true, except: [401] } : true,
		disableFollowRedirect: true,
		timeout: Math.min(settings.idleTimeoutMs ?? settings.timeoutMs, settings.timeoutMs),
		...(settings.signal ? { abortSignal: settings.signal } : {}),
	};
}
