/**
 * AWS STS (query protocol): GetCallerIdentity and AssumeRole. `POST /` with a form body, or `GET /?Action=…`
 * (parameters may be in the query or the body). Answers XML; GetCallerIdentity also JSON when the client sends
 * `Accept: application/json`.
 *
 * AssumeRole checks its parameters as STS does (ValidationError), the caller's Region (RegionDisabledException),
 * the role and its trust (roles of the `roles` option; unknown role or wrong external ID → AccessDenied), the
 * session duration against the role's maximum (and 1 hour for role chaining), and a session policy if one is
 * sent (MalformedPolicyDocument, PackedPolicyTooLarge). The temporary credentials it issues are accepted by
 * every AWS service of the emulator until they expire on the emulator clock; then requests signed with them
 * get ExpiredToken(Exception) (see aws-auth.ts).
 */
import { randomBytes } from 'node:crypto';

import { type AwsServiceProfile, awsFaultReply, verifyAwsRequest } from '../aws-auth';
import { stsError } from '../errors';
import type { RoleOption } from '../options';
import { awsRequestId } from '../random';
import type { Env, HandlerContext, RouteMatch, ServiceHandler } from '../service';
import type { AwsCredentialSet } from '../sigv4';
import type { FaultName, FaultRule, Reply } from '../types';
import { xmlElements } from '../xml';

function formParams(ctx: HandlerContext): Record<string, string> {
	const params: Record<string, string> = {};
	for (const [k, v] of Object.entries(ctx.query)) params[k] = Array.isArray(v) ? v[0] : v;
	const type = String(ctx.headers['content-type'] ?? '');
	if (ctx.body.length && (type === '' || type.startsWith('application/x-www-form-urlencoded'))) {
		for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) params[k] = v;
	}
	return params;
}

/** A role session issued by AssumeRole: the credentials (with their expiry) and who they act as. */
export interface IssuedRoleSession extends AwsCredentialSet {
	sessionToken: string;
	expiresAt: number;
	roleArn: string;
	assumedRoleArn: string;
	assumedRoleId: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function upperId(length: number): string {
	return [...randomBytes(length)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/** STS writes expirations as ISO 8601 without milliseconds. */
function stsTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

function validation(message: string): Reply {
	return stsError({ status: 400, code: 'ValidationError', message });
}

export class StsService implements ServiceHandler {
	readonly name = 'sts' as const;
	private readonly profile: AwsServiceProfile = { protocol: 'sts', signingName: 'sts' };
	/** Every role session issued since start / reset, by access key ID. */
	private readonly sessions = new Map<string, IssuedRoleSession>();

	constructor(private readonly env: Env) {}

	/** The role sessions issued so far (oldest first). */
	issuedSessions(): IssuedRoleSession[] {
		return [...this.sessions.values()];
	}

	match(method: string, subPath: string): RouteMatch | undefined {
		if ((method !== 'POST' && method !== 'GET') || (subPath !== '/' && subPath !== ''))
			return undefined;
		// The action is in the form body, which routing does not read: both actions share this route.
		return { route: 'sts.getCallerIdentity', params: {}, handle: (ctx) => this.handle(ctx) };
	}

	authenticate(ctx: HandlerContext): Promise<Reply | undefined> {
		return verifyAwsRequest(this.env, ctx, this.profile);
	}

	appliesFault(fault: FaultName): boolean {
		return fault !== 's3Redirect';
	}

	faultReply(rule: FaultRule, ctx: HandlerContext): Reply {
		const retry =
			rule.retryAfterSeconds !== undefined ? { 'Retry-After': rule.retryAfterSeconds } : undefined;
		return (
			awsFaultReply(this.env, this.profile, rule, ctx, {
				throttle: () =>
					stsError({
						status: 400,
						code: 'Throttling',
						message: rule.message ?? 'Rate exceeded',
						headers: retry,
					}),
				error500: () =>
					stsError({
						status: 500,
						code: 'InternalFailure',
						message: rule.message ?? 'An internal error occurred.',
					}),
				error503: () =>
					stsError({
						status: 503,
						code: 'ServiceUnavailable',
						message: rule.message ?? 'Service Unavailable',
					}),
			}) ?? stsError({ status: 500, code: 'InternalFailure', message: 'fault' })
		);
	}

	unknownRoute(ctx: HandlerContext): Reply {
		return stsError({
			status: 404,
			code: 'UnknownOperation',
			message: `No operation at ${ctx.method} ${ctx.subPath}`,
		});
	}

	reset(): void {
		// Issued sessions stop being accepted keys.
		const issued = new Set(this.sessions.keys());
		const kept = this.env.credentials.filter((c) => !issued.has(c.accessKeyId));
		this.env.credentials.splice(0, this.env.credentials.length, ...kept);
		this.sessions.clear();
	}

	private handle(ctx: HandlerContext): Reply {
		const params = formParams(ctx);
		const action = params.Action;
		if (!action) return stsError({ status: 400, code: 'MissingAction', message: 'Missing Action' });
		const unknown = () =>
			stsError({
				status: 400,
				code: 'InvalidAction',
				message: `Could not find operation ${action} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
			});
		if (params.Version !== '2011-06-15') return unknown();
		if (action === 'GetCallerIdentity') return this.getCallerIdentity(ctx);
		if (action === 'AssumeRole') return this.assumeRole(ctx, params);
		return unknown();
	}

	/** Who signed: the IAM user of a long-term key, or the assumed role of a session. */
	private caller(ctx: HandlerContext): { arn: string; userId: string } {
		const opts = this.env.options;
		const accessKeyId = ctx.aws?.accessKeyId ?? opts.credentials.accessKeyId;
		const session = this.sessions.get(accessKeyId);
		if (session) return { arn: session.assumedRoleArn, userId: session.assumedRoleId };
		if (ctx.aws?.sessionToken) {
			return {
				arn: `arn:aws:sts::${opts.accountId}:assumed-role/${opts.userName}/emulator-session`,
				userId: 'AROAEMULATOR0000ROLE:emulator-session',
			};
		}
		return {
			arn: `arn:aws:iam::${opts.accountId}:user/${opts.userName}`,
			userId: `AIDAEMULATOR${accessKeyId.slice(-8).toUpperCase()}`,
		};
	}

	private getCallerIdentity(ctx: HandlerContext): Reply {
		const opts = this.env.options;
		const { arn, userId } = this.caller(ctx);
		const requestId = awsRequestId();
		if (String(ctx.headers.accept ?? '').includes('application/json')) {
			return {
				status: 200,
				headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId },
				body: Buffer.from(
					JSON.stringify({
						GetCallerIdentityResponse: {
							GetCallerIdentityResult: { Account: opts.accountId, Arn: arn, UserId: userId },
							ResponseMetadata: { RequestId: requestId },
						},
					}),
				),
			};
		}
		const xml =
			'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n    ' +
			xmlElements([
				['Arn', arn],
				['UserId', userId],
				['Account', opts.accountId],
			]) +
			'\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    ' +
			xmlElements([['RequestId', requestId]]) +
			'\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n';
		return {
			status: 200,
			headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
			body: Buffer.from(xml),
		};
	}

	/** STS's own parameter checks, in its wording ("1 validation error detected: …"). */
	private validate(params: Record<string, string>): Reply | undefined {
		const errors: string[] = [];
		const { RoleArn: roleArn, RoleSessionName: name, ExternalId: externalId } = params;
		if (roleArn === undefined)
			errors.push("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
		else if (roleArn.length < 20 || roleArn.length > 2048)
			errors.push(
				`Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length ${roleArn.length < 20 ? 'greater than or equal to 20' : 'less than or equal to 2048'}`,
			);
		if (name === undefined)
			errors.push(
				"Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
			);
		else if (!SESSION_NAME.test(name))
			errors.push(
				`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
			);
		else if (name.length < 2 || name.length > 64)
			errors.push(
				`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length ${name.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64'}`,
			);
		if (params.DurationSeconds !== undefined) {
			const duration = Number(params.DurationSeconds);
			if (!Number.isInteger(duration))
				return stsError({
					status: 400,
					code: 'MalformedInput',
					message: `Invalid value for DurationSeconds: ${params.DurationSeconds}`,
				});
			if (duration < 900 || duration > 43200)
				errors.push(
					`Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${duration < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200'}`,
				);
		}
		if (externalId !== undefined) {
			if (!EXTERNAL_ID.test(externalId))
				errors.push(
					`Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`,
				);
			else if (externalId.length < 2 || externalId.length > 1224)
				errors.push(
					`Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must have length ${externalId.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 1224'}`,
				);
		}
		if (errors.length === 0) return undefined;
		return validation(
			`${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
		);
	}

	private assumeRole(ctx: HandlerContext, params: Record<string, string>): Reply {
		const opts = this.env.options;
		const invalid = this.validate(params);
		if (invalid) return invalid;
		const region = ctx.aws?.region ?? opts.region;
		if (opts.stsDisabledRegions.includes(region)) {
			return stsError({
				status: 403,
				code: 'RegionDisabledException',
				message: `STS is not activated in this region for account:${opts.accountId}. Your account administrator can activate STS in this region using the IAM Console.`,
			});
		}
		if (params.Policy !== undefined) {
			try {
				JSON.parse(params.Policy);
			} catch {
				return stsError({
					status: 400,
					code: 'MalformedPolicyDocument',
					message: 'The policy is not in the valid JSON format.',
				});
			}
			if (params.Policy.length > 2048)
				return stsError({
					status: 400,
					code: 'PackedPolicyTooLarge',
					message: `Packed size of session policies and session tags exceeds the limit (${Math.round((params.Policy.length / 2048) * 100)}% of allowed).`,
				});
		}
		const caller = this.caller(ctx);
		const roleArn = params.RoleArn;
		const role = opts.roles.find((r) => r.arn === roleArn);
		const denied = () =>
			stsError({
				status: 403,
				code: 'AccessDenied',
				message: `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
			});
		// Like STS: an unknown role and a trust policy that refuses the caller look the same.
		if (!role || !this.trusts(role, ctx, params.ExternalId)) return denied();
		if (role.error) return this.roleError(role.error);
		const duration = params.DurationSeconds !== undefined ? Number(params.DurationSeconds) : 3600;
		const chained = this.sessions.has(ctx.aws?.accessKeyId ?? '') || Boolean(ctx.aws?.sessionToken);
		if (chained && duration > 3600)
			return validation(
				'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
			);
		if (duration > (role.maxSessionSeconds ?? 3600))
			return validation(
				'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
			);
		return this.issue(roleArn, params.RoleSessionName, duration);
	}

	private trusts(role: RoleOption, ctx: HandlerContext, externalId: string | undefined): boolean {
		if (role.externalId !== undefined && role.externalId !== externalId) return false;
		const caller = ctx.aws?.accessKeyId ?? '';
		return role.trustedAccessKeyIds === undefined || role.trustedAccessKeyIds.includes(caller);
	}

	private roleError(code: NonNullable<RoleOption['error']>): Reply {
		if (code === 'MalformedPolicyDocument')
			return stsError({
				status: 400,
				code,
				message: 'The policy of the role session is not in the valid JSON format.',
			});
		return stsError({
			status: 400,
			code,
			message:
				'Packed size of session policies and session tags exceeds the limit (104% of allowed).',
		});
	}

	private issue(roleArn: string, sessionName: string, durationSeconds: number): Reply {
		const opts = this.env.options;
		const roleName = ROLE_ARN.exec(roleArn)?.[2] ?? roleArn.split('/').pop() ?? 'role';
		const roleId = `AROA${upperId(17)}`;
		const session: IssuedRoleSession = {
			accessKeyId: `ASIA${upperId(16)}`,
			secretAccessKey: randomBytes(30).toString('base64'),
			sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(180).toString('base64')}`,
			expiresAt: this.env.clock.now() + durationSeconds * 1000,
			roleArn,
			assumedRoleArn: `arn:aws:sts::${opts.accountId}:assumed-role/${roleName}/${sessionName}`,
			assumedRoleId: `${roleId}:${sessionName}`,
		};
		this.sessions.set(session.accessKeyId, session);
		this.env.credentials.push({
			accessKeyId: session.accessKeyId,
			secretAccessKey: session.secretAccessKey,
			sessionToken: session.sessionToken,
			expiresAt: session.expiresAt,
		});
		const requestId = awsRequestId();
		const xml =
			'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <AssumeRoleResult>\n    <AssumedRoleUser>' +
			xmlElements([
				['AssumedRoleId', session.assumedRoleId],
				['Arn', session.assumedRoleArn],
			]) +
			'</AssumedRoleUser>\n    <Credentials>' +
			xmlElements([
				['AccessKeyId', session.accessKeyId],
				['SecretAccessKey', session.secretAccessKey],
				['SessionToken', session.sessionToken],
				['Expiration', stsTime(session.expiresAt)],
			]) +
			'</Credentials>\n  </AssumeRoleResult>\n  <ResponseMetadata>\n    ' +
			xmlElements([['RequestId', requestId]]) +
			'\n  </ResponseMetadata>\n</AssumeRoleResponse>\n';
		return {
			status: 200,
			headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
			body: Buffer.from(xml),
		};
	}
}
