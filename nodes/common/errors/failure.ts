import type { IDataObject } from 'n8n-workflow';

/** How a failed request should be treated: slow down, try again, or give up. */
export type FailureKind = 'throttling' | 'transient' | 'fatal';

/** What went wrong, in plain words, and what the user can do about it. */
export interface Explanation {
	message: string;
	description: string;
}

/** A request that brought no usable answer, explained and classified. */
export interface Failure extends Explanation {
	kind: FailureKind;
	/** The service's error code, a network error code, or one of ours ("MalformedResponse"). */
	code: string;
	status?: number;
	requestId?: string;
	retryAfterMs?: number;
}

/** Explains and classifies a non-2xx answer of one operation. */
export type ErrorReader = (
	status: number,
	headers: IDataObject | undefined,
	body: unknown,
) => Failure;

// The codes the AWS SDKs retry as throttling and as transient errors (@smithy/service-error-classification).
const THROTTLING_CODES = new Set([
	'BandwidthLimitExceeded',
	'EC2ThrottledException',
	'LimitExceededException',
	'PriorRequestNotComplete',
	'ProvisionedThroughputExceededException',
	'RequestLimitExceeded',
	'RequestThrottled',
	'RequestThrottledException',
	'SlowDown',
	'ThrottledException',
	'ThrottledClientException',
	'Throttled',
	'Throttling',
	'ThrottlingException',
	'TooManyRequestsException',
	'TransactionInProgressException',
]);

const TRANSIENT_CODES = new Set([
	'TimeoutError',
	'RequestTimeout',
	'RequestTimeoutException',
	'InternalError',
	'InternalFailure',
	'ServiceUnavailable',
	'ServiceUnavailableException',
	'ServiceFailureException',
	'ServiceFailure',
]);

export function classifyStatus(status: number, code?: string): FailureKind {
	if (status === 429 || (code !== undefined && THROTTLING_CODES.has(code))) return 'throttling';
	if ([500, 502, 503, 504].includes(status) || (code !== undefined && TRANSIENT_CODES.has(code))) {
		return 'transient';
	}
	return 'fatal';
}

/**
 * Request failures without an HTTP answer, in words (n8n swaps any message that names a code such as
 * ECONNRESET for a generic one). `dropped`: the connection broke or timed out, so the same request may
 * well succeed again; the others (refused, unknown host) point to a wrong endpoint.
 */
export const NETWORK_FAILURES: Readonly<Record<string, { words: string; dropped: boolean }>> = {
	ECONNRESET: { words: 'connection reset', dropped: true },
	ECONNREFUSED: { words: 'connection refused', dropped: false },
	ECONNABORTED: { words: 'timed out', dropped: true },
	ETIMEDOUT: { words: 'timed out', dropped: true },
	ESOCKETTIMEDOUT: { words: 'timed out', dropped: true },
	EPIPE: { words: 'connection broken', dropped: true },
	EHOSTUNREACH: { words: 'host unreachable', dropped: false },
	ENETUNREACH: { words: 'network unreachable', dropped: false },
	ENOTFOUND: { words: 'host name not found', dropped: false },
	EAI_AGAIN: { words: 'host name lookup failed', dropped: false },
	ERR_BAD_RESPONSE: { words: 'bad response', dropped: false },
	ERR_STREAM_PREMATURE_CLOSE: { words: 'connection closed early', dropped: true },
	// axios's code when the request's time limit (its abort signal) ends it.
	ERR_CANCELED: { words: 'no answer within the time limit', dropped: true },
};

export function isNetworkErrorCode(code: unknown): code is string {
	return typeof code === 'string' && Object.prototype.hasOwnProperty.call(NETWORK_FAILURES, code);
}

/** A failed token request; `tokenStatus` (0: no answer) lets a poller tell throttling from bad secrets. */
export interface TokenFailure extends Error {
	tokenStatus: number;
	/** Set when the status alone can't tell (STS throttles with 400; a bad setting sends nothing). */
	tokenKind?: FailureKind;
	/** What to do, when the credential knows better than the generic token advice. */
	tokenDescription?: string;
	/** The service's error code. */
	tokenCode?: string;
}

export function tokenFailure(
	message: string,
	status: number,
	extra: { kind?: FailureKind; description?: string; code?: string } = {},
): TokenFailure {
	return Object.assign(new Error(message), {
		tokenStatus: status,
		...(extra.kind !== undefined ? { tokenKind: extra.kind } : {}),
		...(extra.description !== undefined ? { tokenDescription: extra.description } : {}),
		...(extra.code !== undefined ? { tokenCode: extra.code } : {}),
	});
}

/** The token failure behind an error n8n may have wrapped (as `cause`). */
export function tokenFailureIn(error: unknown): TokenFailure | undefined {
	for (
		let e = error as { tokenStatus?: unknown; cause?: unknown } | undefined, depth = 0;
		e && depth < 3;
		depth++
	) {
		if (typeof e.tokenStatus === 'number') return e as TokenFailure;
		e = e.cause as typeof e;
	}
	return undefined;
}
