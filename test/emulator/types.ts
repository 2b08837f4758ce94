/** Types shared by the emulator's modules. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ContentSource } from './audio/source';

export type ServiceName = 'sts' | 'polly' | 'chimeMediaPipeline' | 'chimeVoice' | 's3' | 'aspose';

export const SERVICE_PREFIXES: Record<ServiceName, string> = {
	sts: '/sts',
	polly: '/polly',
	chimeMediaPipeline: '/chimeMediaPipeline',
	chimeVoice: '/chimeVoice',
	s3: '/s3',
	aspose: '/aspose',
};

export type RouteName =
	| 'sts.getCallerIdentity'
	| 'polly.start'
	| 'polly.get'
	| 'polly.list'
	| 'polly.voices'
	| 'polly.synthesize'
	| 'chimeMediaPipeline.start'
	| 'chimeMediaPipeline.get'
	| 'chimeMediaPipeline.stop'
	| 'chimeMediaPipeline.list'
	| 'chimeVoice.start'
	| 'chimeVoice.get'
	| 'chimeVoice.stop'
	| 'chimeVoice.listConnectors'
	| 'chimeVoice.listDomains'
	| 's3.get'
	| 's3.head'
	| 'aspose.token'
	| 'aspose.submit'
	| 'aspose.fetch'
	| 'aspose.delete'
	| 'aspose.status'
	| 'aspose.trial.submit'
	| 'aspose.trial.fetch'
	| 'aspose.trial.delete'
	| `${ServiceName}.unknown`;

/** A route name, `*`, or a prefix wildcard such as `polly.*` or `aspose.trial.*`. */
export type RoutePattern = RouteName | '*' | `${string}.*`;

export type Query = Record<string, string | string[]>;

export interface RequestContext {
	/** Sequence number, same as the request log entry id. */
	id: number;
	method: string;
	/** Raw request target as received (path + query, percent-encoding untouched). */
	rawUrl: string;
	rawPath: string;
	rawQuery: string;
	/** Raw path after the service prefix (`/` at least). */
	subPath: string;
	/** Decoded query parameters (`+` is kept literally, as AWS does). */
	query: Query;
	headers: IncomingHttpHeaders;
	body: Buffer;
	service: ServiceName;
	route: RouteName;
	remoteAddress: string;
	/** Filled by SigV4 verification. */
	aws?: { accessKeyId: string; region: string; sessionToken?: string };
}

export interface Reply {
	status: number;
	headers: Record<string, string | number>;
	/** A buffer, or a content source streamed in chunks (large S3 objects). */
	body?: Buffer | ContentSource;
	/** Error code for the request log. */
	errorCode?: string;
	/** HEAD: send headers (including Content-Length) but no body. */
	headOnly?: boolean;
}

export type FaultName =
	| 'throttle'
	| 'error500'
	| 'error503'
	| 'reset'
	| 'slow'
	| 'truncated'
	| 'malformedJson'
	| 'expiredToken'
	| 's3Redirect'
	| 'signatureRejected'
	| 'clockSkew';

export const FAULT_NAMES: FaultName[] = [
	'throttle',
	'error500',
	'error503',
	'reset',
	'slow',
	'truncated',
	'malformedJson',
	'expiredToken',
	's3Redirect',
	'signatureRejected',
	'clockSkew',
];

export interface FaultRule {
	/** Which routes the rule applies to: a route name, `*`, `polly.*`, or a list of those. */
	route: RoutePattern | RoutePattern[];
	fault: FaultName;
	/** Probability (0–1) that a matching request gets the fault (seeded randomness). */
	rate?: number;
	/** Only the first N matching requests (after `after`) get the fault. */
	count?: number;
	/** Every Nth matching request gets the fault (N, 2N, …). */
	every?: number;
	/** Skip the first N matching requests. */
	after?: number;
	/** Seed of this rule's randomness (default: the emulator's seed). */
	seed?: number;
	/** `throttle`: add `Retry-After: <seconds>`. */
	retryAfterSeconds?: number;
	/** `slow`: delay in ms before the normal response (default 2000). */
	delayMs?: number;
	/** `s3Redirect`: the region the bucket moves to (default `eu-west-1`). */
	region?: string;
	/** Replace the error message. */
	message?: string;
}

export interface RequestLogEntry {
	id: number;
	/** Wall-clock ms when the request arrived. */
	time: number;
	method: string;
	/** `1.1` or `2.0` (the Polly SDK speaks cleartext HTTP/2). */
	httpVersion?: string;
	/** Raw request target (path + query). */
	url: string;
	/** Raw path without the query. */
	path: string;
	service: ServiceName | 'unknown';
	route?: RouteName;
	status?: number;
	/** AWS services: whether the SigV4 signature verified (undefined when not checked, e.g. a fault answered first). */
	signatureOk?: boolean;
	/** Why SigV4 verification failed (missing, malformed, unknownKey, badToken, expired, wrongRegion, wrongService, mismatch…). */
	signatureFailure?: string;
	accessKeyId?: string;
	/** Region of the SigV4 credential scope. */
	region?: string;
	/** Aspose bearer routes: whether the token was accepted. */
	tokenOk?: boolean;
	/** The fault injected into this request, if any. */
	fault?: FaultName;
	/** Error code of an error response (AWS error name, S3 code, Aspose title). */
	errorCode?: string;
	/** Response body bytes written (0 for reset). */
	bytesSent?: number;
	durationMs?: number;
	/** Whether the connection ended before the full response was sent (reset, truncated, client abort). */
	aborted?: boolean;
}
