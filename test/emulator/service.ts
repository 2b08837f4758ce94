/** What each emulated service provides to the server core. */
import type { Clock } from './clock';
import type { FaultInjector } from './faults';
import type { ObjectStore } from './object-store';
import type { ResolvedOptions } from './options';
import type { RequestLog } from './request-log';
import type { AwsCredentialSet } from './sigv4';
import type { Denials } from './speaker-search';
import type { BearerTokens } from './tokens';
import type {
	FaultName,
	FaultRule,
	Reply,
	RequestContext,
	RequestLogEntry,
	RouteName,
	ServiceName,
} from './types';

export interface Env {
	options: ResolvedOptions;
	clock: Clock;
	/** Machine time + clockOffsetMs: what SigV4 checks and the `Date` header use. */
	signatureNow(): number;
	credentials: AwsCredentialSet[];
	store: ObjectStore;
	tokens: BearerTokens;
	faults: FaultInjector;
	log: RequestLog;
	/** Lets completed Polly tasks write their objects before S3 looks (lazy lifecycle). */
	settleOutputs(): void;
	/** Base URL of the emulator (for the `emulator` OutputUri style). */
	baseUrl(): string;
	/** IAM-like denials (Chime routes). */
	denials: Denials;
	/** Speaker search tasks active now in a Region, both Chime APIs together (for the per-Region quota). */
	activeSpeakerSearchTasks(region: string): number;
}

export interface HandlerContext extends RequestContext {
	log: RequestLogEntry;
}

export interface RouteMatch {
	route: RouteName;
	params: Record<string, string>;
	handle(ctx: HandlerContext, params: Record<string, string>): Reply | Promise<Reply>;
}

export interface ServiceHandler {
	readonly name: ServiceName;
	match(method: string, subPath: string, query: RequestContext['query']): RouteMatch | undefined;
	/** Verifies credentials (SigV4 / bearer). Returns an error reply, or undefined when the request may proceed. */
	authenticate(ctx: HandlerContext, route: RouteName): Promise<Reply | undefined>;
	/** Whether a fault makes sense for this route (e.g. s3Redirect only on S3). */
	appliesFault(fault: FaultName, route: RouteName): boolean;
	/** The error reply for protocol faults (throttle, error500, error503, expiredToken, signatureRejected, clockSkew, s3Redirect). */
	faultReply(rule: FaultRule, ctx: HandlerContext): Reply;
	/** Reply for a path/method the service does not know. */
	unknownRoute(ctx: HandlerContext): Reply;
	reset(): void;
}

/** Faults that every service handles the same way, in the server core. */
export const TRANSPORT_FAULTS: FaultName[] = ['reset', 'slow', 'truncated', 'malformedJson'];

/** Splits a raw path into percent-decoded segments (empty segments dropped); undefined if decoding fails. */
export function decodeSegments(rawPath: string): string[] | undefined {
	try {
		return rawPath
			.split('/')
			.filter((s) => s.length > 0)
			.map((s) => decodeURIComponent(s));
	} catch {
		return undefined;
	}
}

export function queryValue(query: RequestContext['query'], name: string): string | undefined {
	const value = query[name];
	return Array.isArray(value) ? value[0] : value;
}

/** ISO-8601 with milliseconds, as the Chime APIs return. */
export function iso(ms: number): string {
	return new Date(ms).toISOString();
}
