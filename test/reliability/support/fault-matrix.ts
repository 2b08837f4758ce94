// The fault matrix: every fault the emulator injects, aimed at every node, with the outcome the README
// promises for it. `fault-matrix.*.test.ts` prove each cell; `renderOutcomeTable()` writes the table.
import type { FaultName, FaultRule, RoutePattern } from '../../emulator';
import type { Target } from './targets';

/** Requests are given at most this long by the time-compressed credentials (see emulator-env.ts). */
export const REQUEST_TIMEOUT_CAP_MS = 3000;
/** The `slow` fault answers after this long: past the (compressed) request timeout. */
export const SLOW_MS = 5000;

export interface FaultCase {
	key: string;
	label: string;
	fault: FaultName;
	rule(routes: RoutePattern[]): FaultRule;
}

const plain = (
	key: string,
	label: string,
	fault: FaultName,
	extra: Partial<FaultRule> = {},
): FaultCase => ({
	key,
	label,
	fault,
	rule: (routes) => ({ route: routes, fault, ...extra }),
});

export const FAULT_CASES: FaultCase[] = [
	plain('throttleRetryAfter', 'Throttled, Retry-After: 2', 'throttle', { retryAfterSeconds: 2 }),
	plain('throttle', 'Throttled, no Retry-After', 'throttle'),
	plain('error500', 'HTTP 500', 'error500'),
	plain('error503', 'HTTP 503', 'error503'),
	plain('reset', 'Connection reset', 'reset'),
	plain('slow', 'Slower than the request timeout', 'slow', { delayMs: SLOW_MS }),
	plain('truncated', 'Truncated body', 'truncated'),
	plain('malformedJson', 'Malformed JSON', 'malformedJson'),
	plain('expiredToken', 'Expired token', 'expiredToken'),
	plain('s3Redirect', 'S3 wrong-region redirect', 's3Redirect'),
	plain('signatureRejected', 'Signature rejected', 'signatureRejected'),
	plain('clockSkew', 'Clock skew (RequestTimeTooSkewed)', 'clockSkew'),
];

export type Outcome =
	/** Every item ends as if there had been no fault. */
	| { kind: 'recovered'; how: string; backoff: 'retryAfter' | 'backoff' | 'none' }
	/** The faulted items (or, with `all`, every item) end as errors with this message; the others succeed. */
	| { kind: 'error'; message: RegExp; text: string; all?: boolean; retriedUntilTimeout?: boolean }
	/** The emulator injects nothing here: the fault does not exist for this service. */
	| { kind: 'notApplicable'; why: string };

interface Message {
	re: RegExp;
	text: string;
}

const m = (re: RegExp, text: string): Message => ({ re, text });

const AWS: Record<string, Message> = {
	throttle: m(/^AWS is throttling requests$/, 'AWS is throttling requests'),
	error500: m(
		/^AWS could not handle the request because of a problem on its side$/,
		'AWS could not handle the request because of a problem on its side',
	),
	error503: m(/^AWS is unavailable at the moment$/, 'AWS is unavailable at the moment'),
	// n8n's wording for ECONNRESET / ECONNABORTED, or ours ("Could not reach … (connection reset)").
	reset: m(
		/(connection to the server was closed unexpectedly|^Could not reach .*\(connection reset\))/,
		'The connection to the server was closed unexpectedly',
	),
	slow: m(
		/(connection was aborted|^Could not reach .*\(timed out\))/,
		'The connection was aborted',
	),
	malformedJson: m(
		/^The service answered with something that is not JSON$/,
		'The service answered with something that is not JSON',
	),
	expiredToken: m(/^The AWS session token has expired$/, 'The AWS session token has expired'),
	signatureRejected: m(
		/^AWS rejected the request signature$/,
		'AWS rejected the request signature',
	),
	clockSkew: m(
		/^AWS rejected the request time: this machine's clock is off$/,
		"AWS rejected the request time: this machine's clock is off",
	),
};

/** A body that breaks off reads as a non-JSON answer or as a dropped connection, depending on where it broke. */
const TRUNCATED = m(
	/^(The service answered with something that is not JSON|The connection to the server was closed unexpectedly.*|Could not reach .*)$/,
	'The service answered with something that is not JSON',
);

const ASPOSE: Record<string, Message> = {
	throttle: m(/^Aspose is limiting requests$/, 'Aspose is limiting requests'),
	error500: m(
		/^Aspose could not handle the request because of a problem on its side$/,
		'Aspose could not handle the request because of a problem on its side',
	),
	error503: m(/^Aspose is unavailable at the moment$/, 'Aspose is unavailable at the moment'),
	reset: AWS.reset,
	slow: AWS.slow,
	malformedJson: AWS.malformedJson,
	truncated: TRUNCATED,
	tokenRefused: m(/^Aspose rejected the access token$/, 'Aspose rejected the access token'),
};

const S3: Record<string, Message> = {
	throttle: m(
		/^S3 is asking for fewer downloads at once$/,
		'S3 is asking for fewer downloads at once',
	),
	error500: AWS.error500,
	error503: AWS.error503,
	reset: AWS.reset,
	slow: AWS.slow,
	truncated: m(
		/^(The connection to the server was closed unexpectedly.*|Downloading the Polly output failed.*|Could not reach .*)$/,
		'The connection to the server was closed unexpectedly',
	),
	s3Redirect: m(
		/^The Polly output bucket is in region eu-west-1, not us-east-1$/,
		'The Polly output bucket is in region eu-west-1, not us-east-1',
	),
};

type ErrorOutcome = Extract<Outcome, { kind: 'error' }>;

const errorOf = (message: Message, more: Partial<ErrorOutcome> = {}): ErrorOutcome => ({
	kind: 'error',
	message: message.re,
	text: `error "${message.text}"`,
	...more,
});

const keyOf = (fault: FaultCase) => (fault.key === 'throttleRetryAfter' ? 'throttle' : fault.key);
const isAuth = (key: string) =>
	key === 'expiredToken' || key === 'signatureRejected' || key === 'clockSkew';

/** The outcome when one request of the target gets the fault (the "transient" column). */
export function transientOutcome(target: Target, fault: FaultCase): Outcome {
	const key = keyOf(fault);
	const aspose = target.service === 'aspose';
	const s3 = target.service === 's3';
	if (key === 's3Redirect' && !s3) return { kind: 'notApplicable', why: 'no S3 request' };
	if (key === 'clockSkew' && aspose)
		return { kind: 'notApplicable', why: 'bearer token, no signature' };
	if (aspose && isAuth(key))
		return {
			kind: 'recovered',
			how: 'n8n fetches a new token and repeats the request once',
			backoff: 'none',
		};

	if (!target.wait) {
		// Get Polly Synthesis Task, Get Speaker Search Task, Fetch Aspose Audio: one request per item.
		if (aspose) return errorOf(ASPOSE[key]);
		if (key === 'truncated') {
			// n8n's RoutingNode raises transport errors of declarative nodes itself (postReceive never runs).
			const n8n = m(
				/^(stream has been aborted|The service answered with something that is not JSON|The connection to the server was closed unexpectedly.*)$/,
				'stream has been aborted',
			);
			return {
				...errorOf(n8n),
				text: 'error "stream has been aborted" (n8n\'s words, no description)',
			};
		}
		return errorOf(AWS[key]);
	}

	// Wait Until Complete
	if (isAuth(key)) return errorOf(AWS[key]);
	if (s3 && key === 'malformedJson')
		return {
			kind: 'recovered',
			how: 'no JSON involved: the audio is passed on as S3 sent it',
			backoff: 'none',
		};
	if (s3 && key === 's3Redirect')
		return {
			kind: 'recovered',
			how: "signed again for the bucket's region and retried once",
			backoff: 'none',
		};
	const how =
		key === 'throttle' && fault.key === 'throttleRetryAfter'
			? 'waits the Retry-After time, retries'
			: key === 'slow'
				? 'request times out, backs off, retries'
				: 'backs off (at least 1 s, doubling, with jitter), retries';
	return {
		kind: 'recovered',
		how,
		backoff: fault.key === 'throttleRetryAfter' ? 'retryAfter' : 'backoff',
	};
}

/** The outcome when every request of the target gets the fault (the "persistent" column). */
export function persistentOutcome(target: Target, fault: FaultCase): Outcome {
	const transient = transientOutcome(target, fault);
	if (transient.kind === 'notApplicable') return transient;
	const key = keyOf(fault);
	const aspose = target.service === 'aspose';
	const s3 = target.service === 's3';
	if (aspose && isAuth(key))
		return {
			...errorOf(ASPOSE.tokenRefused, { all: true }),
			text: 'error "Aspose rejected the access token" (after one new token)',
		};
	if (transient.kind === 'error') return { ...transient, all: true };
	if (s3 && key === 'malformedJson') return transient;
	if (s3 && key === 's3Redirect')
		return {
			...errorOf(S3.s3Redirect, { all: true }),
			text: 'error "The Polly output bucket is in region eu-west-1, not us-east-1" (after one retry)',
		};
	// Wait Until Complete, retryable: once the timeout passes without a single successful status check (or
	// download), the item fails with the last failure.
	const message = s3 ? S3[key] : aspose ? ASPOSE[key] : key === 'truncated' ? TRUNCATED : AWS[key];
	return {
		...errorOf(message, { all: true, retriedUntilTimeout: true }),
		text: `retries until the timeout, then error "${message.text}"`,
	};
}

export function describeOutcome(outcome: Outcome): string {
	switch (outcome.kind) {
		case 'recovered':
			return `recovered: ${outcome.how}`;
		case 'notApplicable':
			return `n/a (${outcome.why})`;
		default:
			return outcome.text;
	}
}

/** Markdown table: one row per target; one column per fault; "once" = one request hit, "always" = every request. */
export function renderOutcomeTable(targets: Target[]): string {
	const header =
		'| node | fault | fault hits one request (3 items, Continue On Fail) | fault hits every request |';
	const rule = '| --- | --- | --- | --- |';
	const rows: string[] = [];
	for (const target of targets) {
		for (const fault of FAULT_CASES) {
			const once = transientOutcome(target, fault);
			const always = persistentOutcome(target, fault);
			const a = describeOutcome(once);
			const b = once.kind === 'notApplicable' ? '' : describeOutcome(always);
			rows.push(`| ${target.label} | ${fault.label} | ${a} | ${b} |`);
		}
	}
	return [header, rule, ...rows].join('\n');
}
