/**
 * What the two Chime SDK speaker search services share: the error type their handlers throw, Coral-style input
 * validation messages, IAM-like denials, and the published quota on active speaker search tasks.
 *
 * Quotas (Amazon Chime SDK Developer Guide, "Call analytics service quotas", docs.aws.amazon.com/chime-sdk/latest/dg/ca-regions.html):
 * "Active speaker search tasks per region: 25 (adjustable)" and "Active speaker search tasks per Voice Connector
 * call per transaction ID: 1 (not adjustable)"; "If you exceed the quota for any Region, you receive a Resource
 * Limit Exceeded exception."
 */
import { routeMatches } from './faults';
import type { RoutePattern, RouteName } from './types';

/** Default of `activeSpeakerSearchTaskLimit`: the published per-Region quota. */
export const DEFAULT_ACTIVE_SPEAKER_SEARCH_TASK_LIMIT = 25;

/** An error a Chime handler answers with (restJson1: status, `x-amzn-ErrorType`, body `Code` / `Message`). */
export class ChimeApiError extends Error {
	constructor(
		readonly status: number,
		readonly errorName: string,
		readonly code: string,
		message: string,
	) {
		super(message);
		this.name = errorName;
	}
}

export function badRequest(message: string): ChimeApiError {
	return new ChimeApiError(400, 'BadRequestException', 'BadRequest', message);
}

export function notFound(message: string): ChimeApiError {
	return new ChimeApiError(404, 'NotFoundException', 'NotFound', message);
}

export function conflict(message: string): ChimeApiError {
	return new ChimeApiError(409, 'ConflictException', 'Conflict', message);
}

export function resourceLimitExceeded(message: string): ChimeApiError {
	return new ChimeApiError(400, 'ResourceLimitExceededException', 'ResourceLimitExceeded', message);
}

/** Constraints of one input member, as the service models write them. */
export interface MemberRule {
	type: 'string' | 'integer' | 'object';
	required?: boolean;
	min?: number;
	max?: number;
	/** Checked against the whole value. */
	pattern?: RegExp;
	/** The pattern as the model writes it (shown in the message). */
	patternText?: string;
	enum?: string[];
	/** Sensitive members (`"sensitive": true` in the model): the value is left out of the message. */
	sensitive?: boolean;
}

/**
 * Collects input violations and words them as AWS's Coral validation does:
 * `2 validation errors detected: Value 'x' at 'voiceProfileDomainArn' failed to satisfy constraint: Member must …; …`.
 */
export class Violations {
	private readonly list: string[] = [];

	/** Checks `value` at `path` (lower camel case, dotted for nested members); true when it may be used. */
	check(path: string, value: unknown, rule: MemberRule): boolean {
		const shown = (v: unknown) =>
			rule.sensitive ? 'Value' : `Value '${typeof v === 'string' ? v : JSON.stringify(v)}'`;
		const fail = (constraint: string, v: unknown = value) => {
			this.list.push(`${shown(v)} at '${path}' failed to satisfy constraint: Member ${constraint}`);
			return false;
		};
		if (value === undefined || value === null) {
			if (rule.required) {
				this.list.push(
					`Value null at '${path}' failed to satisfy constraint: Member must not be null`,
				);
				return false;
			}
			return true;
		}
		if (rule.type === 'object') {
			if (typeof value !== 'object' || Array.isArray(value)) return fail('must be a structure');
			return true;
		}
		if (rule.type === 'integer') {
			if (typeof value !== 'number' || !Number.isInteger(value)) return fail('must be an integer');
			if (rule.min !== undefined && value < rule.min)
				return fail(`must have value greater than or equal to ${rule.min}`);
			if (rule.max !== undefined && value > rule.max)
				return fail(`must have value less than or equal to ${rule.max}`);
			return true;
		}
		if (typeof value !== 'string') return fail('must be a string');
		let ok = true;
		if (rule.min !== undefined && value.length < rule.min)
			ok = fail(`must have length greater than or equal to ${rule.min}`);
		if (rule.max !== undefined && value.length > rule.max)
			ok = fail(`must have length less than or equal to ${rule.max}`);
		if (rule.enum && !rule.enum.includes(value))
			ok = fail(`must satisfy enum value set: [${rule.enum.join(', ')}]`);
		if (rule.pattern && !rule.pattern.test(value))
			ok = fail(
				`must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
			);
		return ok;
	}

	get count(): number {
		return this.list.length;
	}

	/** Throws BadRequestException when anything was violated. */
	throwIfAny(): void {
		if (this.list.length === 0) return;
		const n = this.list.length;
		throw badRequest(
			`${n} validation error${n === 1 ? '' : 's'} detected: ${this.list.join('; ')}`,
		);
	}
}

/** Exception names a denial can answer with. */
export type DenialError =
	| 'ForbiddenException'
	| 'AccessDeniedException'
	| 'UnauthorizedClientException';

export const DENIAL_ERRORS: DenialError[] = [
	'ForbiddenException',
	'AccessDeniedException',
	'UnauthorizedClientException',
];

/**
 * An IAM-like denial: requests to matching routes (after a valid SigV4 signature) are refused.
 * Honoured by the Chime routes (`chimeMediaPipeline.*`, `chimeVoice.*`).
 */
export interface DenialRule {
	/** A route name, `*`, `chimeVoice.*`, or a list. */
	route: RoutePattern | RoutePattern[];
	/** Only requests signed with this access key (default: every key). */
	accessKeyId?: string;
	/**
	 * The answer: `ForbiddenException` 403 (default; what Chime answers when IAM denies an action, message
	 * "AWS authorization failed"), `AccessDeniedException` 403 (IAM wording "User: … is not authorized to perform:
	 * chime:<Action>"), or `UnauthorizedClientException` 401.
	 */
	error?: DenialError;
	/** Replace the message. */
	message?: string;
}

export function validateDenialRule(rule: DenialRule): void {
	if (!rule || typeof rule !== 'object') throw new Error('A denial rule must be an object');
	if (rule.route === undefined || (Array.isArray(rule.route) && rule.route.length === 0))
		throw new Error('A denial rule needs a route');
	if (rule.error !== undefined && !DENIAL_ERRORS.includes(rule.error))
		throw new Error(`Unknown denial error "${rule.error}"; known: ${DENIAL_ERRORS.join(', ')}`);
}

/** The denial rules in force; the first that matches a request wins. */
export class Denials {
	private list: DenialRule[] = [];

	set(rules: DenialRule[]): void {
		rules.forEach(validateDenialRule);
		this.list = [...rules];
	}

	add(rule: DenialRule): void {
		validateDenialRule(rule);
		this.list.push(rule);
	}

	clear(): void {
		this.list = [];
	}

	get rules(): DenialRule[] {
		return [...this.list];
	}

	find(route: RouteName, accessKeyId: string | undefined): DenialRule | undefined {
		return this.list.find(
			(rule) =>
				routeMatches(rule.route, route) &&
				(rule.accessKeyId === undefined || rule.accessKeyId === accessKeyId),
		);
	}
}

/** The IAM action of a Chime route, e.g. `chimeVoice.start` → `StartSpeakerSearchTask`. */
export function chimeAction(route: RouteName): string {
	if (route.endsWith('.start')) return 'StartSpeakerSearchTask';
	if (route.endsWith('.stop')) return 'StopSpeakerSearchTask';
	if (route.endsWith('.get')) return 'GetSpeakerSearchTask';
	if (route === 'chimeVoice.listConnectors') return 'ListVoiceConnectors';
	if (route === 'chimeVoice.listDomains') return 'ListVoiceProfileDomains';
	if (route === 'chimeMediaPipeline.list') return 'ListMediaPipelines';
	return 'Unknown';
}

/** The error a denial answers with. */
export function denialError(
	rule: DenialRule,
	route: RouteName,
	who: { accountId: string; userName: string },
): ChimeApiError {
	const error = rule.error ?? 'ForbiddenException';
	if (error === 'UnauthorizedClientException')
		return new ChimeApiError(
			401,
			error,
			'Unauthorized',
			rule.message ?? 'The client is not currently authorized to make the request.',
		);
	if (error === 'AccessDeniedException')
		return new ChimeApiError(
			403,
			error,
			'AccessDenied',
			rule.message ??
				`User: arn:aws:iam::${who.accountId}:user/${who.userName} is not authorized to perform: chime:${chimeAction(route)}`,
		);
	return new ChimeApiError(403, error, 'Forbidden', rule.message ?? 'AWS authorization failed');
}

/** Whether a voice profile domain exists: `no-such-domain` in the name never does; else the configured list (if any). */
export function voiceProfileDomainExists(id: string, configured: string[] | undefined): boolean {
	if (id.toLowerCase().includes('no-such-domain')) return false;
	return configured === undefined || configured.includes(id);
}
