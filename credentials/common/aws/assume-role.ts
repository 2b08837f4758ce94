/**
 * Assume Role for the AWS credential: STS AssumeRole signed with the credential's own keys, the temporary
 * credentials kept in a hidden expirable field, and the rule for when they must be renewed.
 *
 * How renewal rides on n8n's engine (n8n-core `httpRequestWithAuthentication`, cli `CredentialsHelper`):
 * n8n calls a credential's `preAuthentication` when its expirable field is empty, for a credential test,
 * and when a request failed with an error carrying status 401; it stores what the hook returns and then
 * authenticates and sends the request once more. AWS never answers 401 for an expired session (403
 * ExpiredTokenException, S3 400 ExpiredToken), so `authenticate` itself throws such an error before
 * anything is sent when the stored session is missing, was assumed with other settings, expires within
 * five minutes, or was named by the transport as rejected by AWS. n8n then renews and stores it exactly
 * as it renews a bearer token, across executions and workers, without a request of ours going out twice.
 */
import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { Operation } from '../../../nodes/common/adapters/types';
import { parseAwsError } from '../../../nodes/common/errors/aws-error';
import {
	classifyStatus,
	NETWORK_FAILURES,
	tokenFailure,
} from '../../../nodes/common/errors/failure';
import type { FailureKind } from '../../../nodes/common/errors/failure';
import { redactText } from '../../../nodes/common/errors/redact';
import { call } from '../../../nodes/common/transport/call';
import type { RawResponse } from '../../../nodes/common/transport/http';
import { serviceBaseUrl, shortLabel, STS_ENDPOINT } from './endpoints';

/** The hidden expirable field that holds the assumed role's session (JSON, see `RoleSession`). */
export const ROLE_SESSION_FIELD = 'roleSessionToken';

/**
 * Query key of a request the transport sends again after AWS called its session expired: the access key
 * ID of that session. Never sent; the signer strips it.
 */
export const RENEW_SESSION_KEY = '_renewRoleSession';

export const DEFAULT_ROLE_SESSION_NAME = 'n8n-speech-tasks';
export const DEFAULT_SESSION_SECONDS = 3600;
export const SESSION_SECONDS_RANGE: [number, number] = [900, 43200];

/** Sessions are renewed this long before they expire, as the AWS SDKs do. */
export const RENEW_BEFORE_MS = 5 * 60_000;
/** A session this young is never renewed for its age: n8n's clock may simply be ahead of AWS's. */
const FRESH_MS = 60_000;

/** What STS AssumeRole answers may take. */
export const STS_TIMEOUT_MS = 10_000;

export interface RoleSession {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken: string;
	/** As STS wrote it (ISO 8601). */
	expiration: string;
	/** When this n8n received it (ms since epoch). */
	obtainedAt: number;
	/** Fingerprint of the settings it was assumed with (see `settingsFingerprint`). */
	settings: string;
	/** The assumed role user, e.g. arn:aws:sts::123456789012:assumed-role/Role/n8n-speech-tasks. */
	assumedRoleArn?: string;
}

export interface RoleSettings {
	roleArn: string;
	externalId?: string;
	roleSessionName: string;
	durationSeconds: number;
}

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export function assumesRole(credentials: ICredentialDataDecryptedObject | undefined): boolean {
	return credentials?.assumeRole === true;
}

/** A configuration problem: named field, accepted form, nothing sent. Never worth retrying. */
function settingProblem(message: string, description: string): Error {
	return tokenFailure(message, 0, { kind: 'fatal', description, code: 'InvalidRoleSetting' });
}

/** The role settings of the credential, checked before anything is sent. */
export function roleSettings(credentials: ICredentialDataDecryptedObject): RoleSettings {
	const roleArn = String(credentials.roleArn ?? '').trim();
	if (roleArn === '') {
		throw settingProblem(
			'The AWS credential has Assume Role on but no Role ARN',
			'Enter the ARN of the IAM role to assume in "Role ARN" (roleArn), such as arn:aws:iam::123456789012:role/n8n-speech-tasks, or turn Assume Role off.',
		);
	}
	if (!ROLE_ARN.test(roleArn)) {
		throw settingProblem(
			'The Role ARN in the AWS credential is not the ARN of an IAM role',
			'"Role ARN" (roleArn) must look like arn:aws:iam::123456789012:role/RoleName (the role\'s ARN from the IAM console, not a user, policy or assumed-role ARN).',
		);
	}
	const roleSessionName =
		String(credentials.roleSessionName ?? '').trim() || DEFAULT_ROLE_SESSION_NAME;
	if (!SESSION_NAME.test(roleSessionName)) {
		throw settingProblem(
			'The Role Session Name in the AWS credential is not usable',
			'"Role Session Name" (roleSessionName) must be 2 to 64 letters, digits or any of _ + = , . @ -, such as n8n-speech-tasks.',
		);
	}
	const rawDuration = credentials.roleSessionDuration;
	const durationSeconds =
		rawDuration === undefined || rawDuration === '' || rawDuration === null
			? DEFAULT_SESSION_SECONDS
			: Number(rawDuration);
	const [min, max] = SESSION_SECONDS_RANGE;
	if (!Number.isInteger(durationSeconds) || durationSeconds < min || durationSeconds > max) {
		throw settingProblem(
			'The Session Duration in the AWS credential is out of range',
			`"Session Duration" (roleSessionDuration) must be a whole number of seconds from ${min} to ${max}, and at most the role's maximum session duration (1 hour unless raised on the role; 1 hour at most when the keys are themselves temporary role credentials).`,
		);
	}
	const externalId = String(credentials.externalId ?? '').trim() || undefined;
	if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
		throw settingProblem(
			'The External ID in the AWS credential is not usable',
			'"External ID" (externalId) must be 2 to 1224 letters, digits or any of _ + = , . @ : / -, exactly as the role\'s trust policy expects it; leave it empty if the trust policy asks for none.',
		);
	}
	return { roleArn, externalId, roleSessionName, durationSeconds };
}

/**
 * Which keys and settings a session was assumed with: one edited since (another role, external ID,
 * duration, session name or key pair) makes the stored session stale. Only a hash is stored.
 */
export function settingsFingerprint(
	credentials: ICredentialDataDecryptedObject,
	settings: RoleSettings,
): string {
	const material = JSON.stringify([
		String(credentials.accessKeyId ?? '').trim(),
		settings.roleArn,
		settings.externalId ?? '',
		settings.roleSessionName,
		settings.durationSeconds,
	]);
	return createHash('sha256').update(material).digest('hex');
}

/** The stored session, or undefined when the field is empty or not a session. */
export function storedSession(
	credentials: ICredentialDataDecryptedObject | undefined,
): RoleSession | undefined {
	const raw = credentials?.[ROLE_SESSION_FIELD];
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		return undefined;
	}
	const session = parsed as Partial<RoleSession> | null;
	if (
		!session ||
		typeof session !== 'object' ||
		typeof session.accessKeyId !== 'string' ||
		typeof session.secretAccessKey !== 'string' ||
		typeof session.sessionToken !== 'string' ||
		typeof session.expiration !== 'string' ||
		typeof session.obtainedAt !== 'number' ||
		typeof session.settings !== 'string'
	) {
		return undefined;
	}
	return session as RoleSession;
}

/** Why the stored session can't sign this request (n8n must renew it first), or undefined if it can. */
export function renewalReason(
	credentials: ICredentialDataDecryptedObject,
	session: RoleSession | undefined,
	now: number,
	rejectedKeyId?: string,
): string | undefined {
	if (session === undefined) return 'none stored yet';
	let settings: RoleSettings;
	try {
		settings = roleSettings(credentials);
	} catch {
		// preAuthentication reports the setting; a stale session must not be used meanwhile.
		return 'role settings unusable';
	}
	if (session.settings !== settingsFingerprint(credentials, settings)) return 'settings changed';
	if (rejectedKeyId !== undefined && rejectedKeyId === session.accessKeyId)
		return 'AWS called it expired';
	const expiresAt = Date.parse(session.expiration);
	if (Number.isNaN(expiresAt)) return 'no expiry';
	if (expiresAt - now < RENEW_BEFORE_MS && now - session.obtainedAt >= FRESH_MS) {
		return 'expires within five minutes';
	}
	return undefined;
}

/**
 * Thrown by `authenticate` before anything is sent: the 401 status makes n8n call `preAuthentication`
 * (credentials expired), store the new session, authenticate again and send the request once.
 */
export function renewalNeeded(reason: string): Error {
	return Object.assign(
		new Error(`The assumed-role session of the AWS credential must be renewed (${reason})`),
		{ response: { status: 401 } },
	);
}

// ── STS AssumeRole ──────────────────────────────────────────────────────────────────────────────────

type AssumeRoleInput = RoleSettings;

function xmlText(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
	if (!match) return undefined;
	return match[1]
		.trim()
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
		.replace(/&amp;/g, '&');
}

/** The credentials of an AssumeRole answer (XML), or undefined when they are not all there. */
export function readAssumeRoleAnswer(
	xml: string,
): Omit<RoleSession, 'obtainedAt' | 'settings'> | undefined {
	const result = /<AssumeRoleResult>([\s\S]*)<\/AssumeRoleResult>/.exec(xml)?.[1];
	const block = result && /<Credentials>([\s\S]*)<\/Credentials>/.exec(result)?.[1];
	if (!block) return undefined;
	const accessKeyId = xmlText(block, 'AccessKeyId');
	const secretAccessKey = xmlText(block, 'SecretAccessKey');
	const sessionToken = xmlText(block, 'SessionToken');
	const expiration = xmlText(block, 'Expiration');
	if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) return undefined;
	if (Number.isNaN(Date.parse(expiration))) return undefined;
	const user = /<AssumedRoleUser>([\s\S]*)<\/AssumedRoleUser>/.exec(result)?.[1];
	const assumedRoleArn = user ? xmlText(user, 'Arn') : undefined;
	return { accessKeyId, secretAccessKey, sessionToken, expiration, assumedRoleArn };
}

const CHECK_TRUST =
	"The role's trust policy must allow the IAM user or role of the Access Key ID as principal (with an sts:ExternalId condition only if you set the same External ID), and that identity needs permission for sts:AssumeRole on the role.";

/** Plain words and the field to fix, for each documented AssumeRole error. */
function describeStsError(
	status: number,
	code: string,
	awsMessage: string,
	settings: RoleSettings,
): { message: string; description: string } {
	const says = awsMessage ? ` AWS says: ${awsMessage}` : '';
	switch (code) {
		case 'AccessDenied':
		case 'AccessDeniedException':
			return {
				message: `AWS STS refused to let the credential's keys assume the role ${settings.roleArn}`,
				description: `Check "Role ARN" (roleArn) and "External ID" (externalId) in the AWS credential. ${CHECK_TRUST}${says}`,
			};
		case 'InvalidClientTokenId':
		case 'UnrecognizedClientException':
			return {
				message: 'AWS STS does not recognise the Access Key ID of the AWS credential',
				description:
					'Check "Access Key ID" (accessKeyId): the key may have been deleted or deactivated. With Temporary Credentials on, check the Session Token too. These keys sign the AssumeRole request.',
			};
		case 'SignatureDoesNotMatch':
		case 'IncompleteSignature':
			return {
				message: 'AWS STS rejected the signature of the AssumeRole request',
				description:
					'Check "Secret Access Key" (secretAccessKey) in the AWS credential, and that a custom STS endpoint, if set, is really STS for the credential\'s region.',
			};
		case 'ExpiredToken':
		case 'ExpiredTokenException':
			return {
				message: "The session token of the AWS credential's keys has expired",
				description:
					'The keys that assume the role are themselves temporary: put a fresh Access Key ID, Secret Access Key and Session Token into the credential, or use long-term keys of an IAM user.',
			};
		case 'RequestExpired':
		case 'RequestTimeTooSkewed':
			return {
				message: "AWS STS rejected the request time: this machine's clock is off",
				description:
					'Signatures are valid for 15 minutes. Synchronise the clock of the machine that runs n8n (NTP).',
			};
		case 'RegionDisabledException':
			return {
				message: "AWS STS is not activated in the AWS credential's region",
				description: `An administrator of the account can activate STS for the region in IAM → Account settings; or point "STS Endpoint" (stsEndpoint, under Custom Endpoints) at a region where it is active, such as https://sts.us-east-1.amazonaws.com.${says}`,
			};
		case 'MalformedPolicyDocument':
			return {
				message: 'AWS STS rejected a policy of the role session',
				description: `The credential sends no session policy, so the policy comes from the keys' own session (session tags or policies of a role chain). Use keys without them, or fix the policy.${says}`,
			};
		case 'PackedPolicyTooLarge':
			return {
				message: 'The session policies and tags of the role session are too large for AWS STS',
				description: `The credential adds none; they come from the keys' own session (transitive session tags of a role chain). Use keys with fewer session tags, or long-term keys of an IAM user.${says}`,
			};
		case 'ValidationError':
			return validationProblem(awsMessage);
	}
	const kind = classifyStatus(status, code);
	if (kind === 'throttling') {
		return {
			message: 'AWS STS is throttling AssumeRole requests',
			description:
				'Too many role sessions in a short time. Try again shortly; Wait Until Complete waits and tries again by itself.',
		};
	}
	if (kind === 'transient') {
		return {
			message: `AWS STS failed to assume the role (HTTP ${status})`,
			description:
				'This is a fault on the AWS side. Try again in a few minutes; Wait Until Complete tries again by itself while time remains.',
		};
	}
	return {
		message: `AWS STS answered ${code} (HTTP ${status}) to AssumeRole`,
		description: `Check the Assume Role settings of the AWS credential: "Role ARN" (roleArn), "External ID" (externalId), "Role Session Name" (roleSessionName) and "Session Duration" (roleSessionDuration).${says}`,
	};
}

/** A ValidationError names the parameter AWS refused: point at the credential field behind it. */
function validationProblem(awsMessage: string): { message: string; description: string } {
	const says = awsMessage ? ` AWS says: ${awsMessage}` : '';
	if (/duration/i.test(awsMessage)) {
		return {
			message: 'AWS STS refused the Session Duration of the AWS credential',
			description: `Lower "Session Duration" (roleSessionDuration) to at most the role's maximum session duration (1 hour unless raised on the role in IAM; at most 1 hour when the keys are themselves temporary role credentials).${says}`,
		};
	}
	if (/externalId|external id/i.test(awsMessage)) {
		return {
			message: 'AWS STS refused the External ID of the AWS credential',
			description: `Check "External ID" (externalId): 2 to 1224 characters, as the role's trust policy expects it.${says}`,
		};
	}
	if (/sessionName|session name/i.test(awsMessage)) {
		return {
			message: 'AWS STS refused the Role Session Name of the AWS credential',
			description: `Check "Role Session Name" (roleSessionName): 2 to 64 letters, digits or _ + = , . @ -.${says}`,
		};
	}
	if (/arn/i.test(awsMessage)) {
		return {
			message: 'AWS STS refused the Role ARN of the AWS credential',
			description: `Check "Role ARN" (roleArn): the ARN of an IAM role, such as arn:aws:iam::123456789012:role/RoleName.${says}`,
		};
	}
	return {
		message: 'AWS STS refused the AssumeRole request of the AWS credential',
		description: `Check the Assume Role settings: "Role ARN" (roleArn), "External ID" (externalId), "Role Session Name" (roleSessionName) and "Session Duration" (roleSessionDuration).${says}`,
	};
}

function assumeRoleOperation(settings: RoleSettings): Operation<AssumeRoleInput> {
	return {
		method: 'POST',
		path: () => '/',
		headers: () => ({
			'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
			accept: 'text/xml',
		}),
		body: (input) => {
			const form = new URLSearchParams({
				Action: 'AssumeRole',
				Version: '2011-06-15',
				RoleArn: input.roleArn,
				RoleSessionName: input.roleSessionName,
				DurationSeconds: String(input.durationSeconds),
			});
			if (input.externalId !== undefined) form.set('ExternalId', input.externalId);
			return form.toString();
		},
		answer: 'text',
		maxAnswerBytes: 256 * 1024,
		read: (body) => {
			const answer = readAssumeRoleAnswer(String(body.text ?? ''));
			return answer ? (answer as unknown as IDataObject) : undefined;
		},
		error: (status, headers, body) => {
			const parsed = parseAwsError(status, headers, body);
			const code = parsed.code;
			return {
				...describeStsError(status, code, parsed.message, settings),
				code,
				status,
				kind: stsFailureKind(status, code),
				requestId: parsed.requestId,
				retryAfterMs: parsed.retryAfterMs,
			};
		},
	};
}

function stsFailureKind(status: number, code: string): FailureKind {
	// STS answers throttling with 400 Throttling; classifyStatus knows the name.
	return classifyStatus(status, code);
}

/** Where AssumeRole goes: the credential's STS endpoint (custom, or the regional one). */
export function stsBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	try {
		return serviceBaseUrl(credentials, STS_ENDPOINT);
	} catch (error) {
		throw settingProblem(
			(error as Error).message,
			`Fix the region, or "${shortLabel(STS_ENDPOINT)} Endpoint" (stsEndpoint) under Custom Endpoints, of the AWS credential.`,
		);
	}
}

/**
 * STS AssumeRole with the credential's keys. Failures are fresh Errors carrying words, a status and a
 * kind (a token failure, see `tokenFailure`): neither the signed request nor a secret travels with them.
 */
export async function assumeRole(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	sign: (options: IHttpRequestOptions) => IHttpRequestOptions,
	now: () => number = Date.now,
): Promise<RoleSession> {
	const settings = roleSettings(credentials);
	const baseUrl = stsBaseUrl(credentials);
	const secrets = [credentials.secretAccessKey, credentials.sessionToken, credentials.externalId]
		.map((value) => String(value ?? '').trim())
		.filter((value) => value.length >= 8);
	const send = async (options: IHttpRequestOptions) =>
		(await helper.helpers.httpRequest(sign(options))) as RawResponse;
	const outcome = await call(send, baseUrl, assumeRoleOperation(settings), settings, {
		timeoutMs: STS_TIMEOUT_MS,
		peer: { label: 'AWS STS' },
	});
	if (outcome.ok) {
		const answer = outcome.value as unknown as Omit<RoleSession, 'obtainedAt' | 'settings'>;
		return {
			...answer,
			obtainedAt: now(),
			settings: settingsFingerprint(credentials, settings),
		};
	}
	const { failure } = outcome;
	const clean = (text: string) => redactText(text, secrets);
	if (failure.status !== undefined) {
		throw tokenFailure(clean(failure.message), failure.status, {
			kind: failure.kind,
			description: clean(failure.description),
			code: failure.code,
		});
	}
	if (failure.code === 'MalformedResponse' || failure.code === 'UnexpectedAnswer') {
		throw tokenFailure('AWS STS answered AssumeRole without credentials', 0, {
			kind: 'transient',
			description: `Check "STS Endpoint" (stsEndpoint) under Custom Endpoints of the AWS credential: ${baseUrl} did not answer like AWS STS.`,
			code: failure.code,
		});
	}
	const words = NETWORK_FAILURES[failure.code]?.words ?? 'network error';
	// Like a status request that got no answer: Wait Until Complete tries again while time remains.
	throw tokenFailure(`Could not reach AWS STS to assume the role (${words})`, 0, {
		kind: 'transient',
		description: `Check the network, and "STS Endpoint" (stsEndpoint) under Custom Endpoints of the AWS credential if set (${baseUrl}).`,
		code: failure.code,
	});
}

/** The secret members of a stored session, for redaction. */
export function sessionSecrets(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	const session = storedSession(credentials);
	return session ? [session.secretAccessKey, session.sessionToken] : [];
}
