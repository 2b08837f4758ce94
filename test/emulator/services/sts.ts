/**
 * AWS STS GetCallerIdentity (query protocol): `POST /` with a form body, or `GET /?Action=…` (parameters may be
 * in the query or the body). Answers XML, or JSON when the client sends `Accept: application/json`.
 */
import { type AwsServiceProfile, awsFaultReply, verifyAwsRequest } from '../aws-auth';
import { stsError } from '../errors';
import { awsRequestId } from '../random';
import type { Env, HandlerContext, RouteMatch, ServiceHandler } from '../service';
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

export class StsService implements ServiceHandler {
	readonly name = 'sts' as const;
	private readonly profile: AwsServiceProfile = { protocol: 'sts', signingName: 'sts' };

	constructor(private readonly env: Env) {}

	match(method: string, subPath: string): RouteMatch | undefined {
		if ((method !== 'POST' && method !== 'GET') || (subPath !== '/' && subPath !== ''))
			return undefined;
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

	reset(): void {}

	private handle(ctx: HandlerContext): Reply {
		const params = formParams(ctx);
		const action = params.Action;
		if (!action) return stsError({ status: 400, code: 'MissingAction', message: 'Missing Action' });
		if (action !== 'GetCallerIdentity')
			return stsError({
				status: 400,
				code: 'InvalidAction',
				message: `Could not find operation ${action} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
			});
		if (params.Version !== '2011-06-15')
			return stsError({
				status: 400,
				code: 'InvalidAction',
				message: `Could not find operation ${action} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
			});
		const opts = this.env.options;
		const accessKeyId = ctx.aws?.accessKeyId ?? opts.credentials.accessKeyId;
		const temporary = Boolean(ctx.aws?.sessionToken);
		const arn = temporary
			? `arn:aws:sts::${opts.accountId}:assumed-role/${opts.userName}/emulator-session`
			: `arn:aws:iam::${opts.accountId}:user/${opts.userName}`;
		const userId = temporary
			? `AROAEMULATOR0000ROLE:emulator-session`
			: `AIDAEMULATOR${accessKeyId.slice(-8).toUpperCase()}`;
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
}
