/** How a failed request should be treated (API-FACTS.md §1.4). */
export type FailureKind = 'throttling' | 'transient' | 'fatal';

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

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ERR_BAD_RESPONSE',
]);

export function classifyStatus(status: number, code?: string): FailureKind {
	if (status === 429 || (code !== undefined && THROTTLING_CODES.has(code))) return 'throttling';
	if ([500, 502, 503, 504].includes(status) || (code !== undefined && TRANSIENT_CODES.has(code))) {
		return 'transient';
	}
	return 'fatal';
}

export function isNetworkErrorCode(code: unknown): boolean {
	return typeof code === 'string' && NETWORK_CODES.has(code);
}
