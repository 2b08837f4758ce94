import type { IHttpRequestOptions } from 'n8n-workflow';

import type { Operation } from '../adapters/types';

/** How long any one request may take when the caller says nothing shorter. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface RequestSettings {
	timeoutMs: number;
	/**
	 * Let a 401 throw instead of coming back as a response: for credentials whose token n8n renews
	 * (preAuthentication) only after a 401 that throws, and then repeats the request once.
	 */
	throwOn401?: boolean;
}

/**
 * The request options for one operation. Every request of the package is built here: answers of any
 * HTTP status come back as responses (read by the operation's error reader), redirects are never
 * followed (a credential must not travel to a `Location` nobody checked), and there is always a timeout.
 */
export function buildRequest<Input>(
	baseUrl: string,
	operation: Operation<Input>,
	input: Input,
	settings: RequestSettings,
): IHttpRequestOptions {
	const body = operation.body?.(input);
	const stream = operation.answer === 'stream';
	const query = operation.query?.(input);
	const headers: Record<string, string> = {
		...(stream ? {} : { accept: 'application/json' }),
		...(operation.headers?.(input) ?? {}),
	};
	if (
		body !== undefined &&
		typeof body !== 'string' &&
		!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
	) {
		headers['content-type'] = 'application/json';
	}
	return {
		method: operation.method,
		url: `${baseUrl}${operation.path(input)}`,
		...(query && Object.keys(query).length > 0 ? { qs: query } : {}),
		headers,
		...(body !== undefined ? { body } : {}),
		...(stream ? { encoding: 'stream' as const } : { json: typeof body !== 'string' }),
		returnFullResponse: true,
		ignoreHttpStatusErrors: settings.throwOn401 ? { ignore: true, except: [401] } : true,
		disableFollowRedirect: true,
		timeout: settings.timeoutMs,
	};
}
