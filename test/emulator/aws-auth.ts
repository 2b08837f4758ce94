/**
 * SigV4 checking for the AWS services and the protocol-specific answers to authentication failures and to the
 * auth-flavoured faults (expiredToken, signatureRejected, clockSkew).
 */
import { type ErrorTypeStyle, restJsonError, s3Error, stsError } from './errors';
import type { Env, HandlerContext } from './service';
import { type SigV4Result, formatAmzDate, verifySigV4 } from './sigv4';
import type { Reply } from './types';

export type AwsProtocol = 'restJson' | 's3' | 'sts';

type Failure = Extract<SigV4Result, { ok: false }>;

export interface AwsServiceProfile {
	protocol: AwsProtocol;
	signingName: string;
	/** restJson only. */
	errorStyle?: ErrorTypeStyle;
}

export async function verifyAwsRequest(
	env: Env,
	ctx: HandlerContext,
	profile: AwsServiceProfile,
): Promise<Reply | undefined> {
	const result = await verifySigV4(
		{
			method: ctx.method,
			rawPath: ctx.rawPath,
			query: ctx.query,
			headers: ctx.headers,
			body: ctx.body,
		},
		{
			credentials: env.credentials,
			service: profile.signingName,
			// S3 accepts any scope region here; a region other than the bucket's gets a 301 from the S3 handler.
			regions: profile.protocol === 's3' ? '*' : env.options.acceptedRegions,
			uriEscapePath: profile.protocol !== 's3',
			nowMs: env.signatureNow(),
			maxSkewMs: env.options.maxClockSkewMs,
			requireContentSha256: profile.protocol === 's3',
		},
	);
	ctx.log.accessKeyId = result.ok ? result.accessKeyId : result.accessKeyId;
	ctx.log.region = result.ok ? result.region : result.region;
	ctx.log.signatureOk = result.ok;
	if (result.ok) {
		// Temporary credentials from AssumeRole stop working when they expire on the emulator clock.
		const used = env.credentials.find((c) => c.accessKeyId === result.accessKeyId);
		if (used?.expiresAt !== undefined && env.clock.now() >= used.expiresAt) {
			ctx.log.signatureFailure = 'expiredToken';
			return expiredTokenReply(profile, ctx);
		}
		ctx.aws = {
			accessKeyId: result.accessKeyId,
			region: result.region,
			sessionToken: result.sessionToken,
		};
		return undefined;
	}
	ctx.log.signatureFailure = result.failure;
	return authFailureReply(profile, result, ctx);
}

export function authFailureReply(
	profile: AwsServiceProfile,
	failure: Failure,
	ctx: HandlerContext,
): Reply {
	const head = ctx.method === 'HEAD';
	if (profile.protocol === 'restJson') {
		const error = (status: number, name: string) =>
			restJsonError({
				status,
				name,
				message: failure.message,
				style: profile.errorStyle ?? 'coral',
				namespace: 'com.amazon.coral.service',
				body: 'message',
			});
		switch (failure.failure) {
			case 'missing':
				return error(403, 'MissingAuthenticationTokenException');
			case 'malformed':
			case 'missingDate':
				return error(403, 'IncompleteSignatureException');
			case 'unknownKey':
			case 'badToken':
				return error(403, 'UnrecognizedClientException');
			default:
				return error(403, 'InvalidSignatureException');
		}
	}
	if (profile.protocol === 's3') {
		switch (failure.failure) {
			case 'missing':
				return s3Error({ status: 403, code: 'AccessDenied', message: 'Access Denied', head });
			case 'malformed':
				return s3Error({
					status: 400,
					code: 'AuthorizationHeaderMalformed',
					message: 'The authorization header is malformed; the Credential is mal-formed.',
					head,
				});
			case 'missingDate':
				return s3Error({
					status: 403,
					code: 'AccessDenied',
					message: 'AWS authentication requires a valid Date or x-amz-date header',
					head,
				});
			case 'unknownKey':
				return s3Error({
					status: 403,
					code: 'InvalidAccessKeyId',
					message: 'The AWS Access Key Id you provided does not exist in our records.',
					extra: [['AWSAccessKeyId', failure.accessKeyId]],
					head,
				});
			case 'badToken':
				return s3Error({
					status: 400,
					code: 'InvalidToken',
					message: 'The provided token is malformed or otherwise invalid.',
					head,
				});
			case 'expired':
				return s3Error({
					status: 403,
					code: 'RequestTimeTooSkewed',
					message: 'The difference between the request time and the current time is too large.',
					extra: [
						['RequestTime', failure.requestTime],
						['ServerTime', failure.serverTime],
						['MaxAllowedSkewMilliseconds', 900000],
					],
					head,
				});
			case 'wrongService':
				return s3Error({
					status: 400,
					code: 'AuthorizationHeaderMalformed',
					message: `The authorization header is malformed; incorrect service "${failure.service}". This endpoint belongs to "s3".`,
					head,
				});
			case 'scopeDate':
				return s3Error({
					status: 400,
					code: 'AuthorizationHeaderMalformed',
					message:
						'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.',
					head,
				});
			case 'missingContentSha256':
				return s3Error({ status: 400, code: 'InvalidRequest', message: failure.message, head });
			case 'contentSha256Mismatch':
				return s3Error({
					status: 400,
					code: failure.message.startsWith('x-amz')
						? 'InvalidArgument'
						: 'XAmzContentSHA256Mismatch',
					message: failure.message,
					head,
				});
			default:
				return s3Error({
					status: 403,
					code: 'SignatureDoesNotMatch',
					message:
						'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
					extra: [
						['AWSAccessKeyId', failure.accessKeyId],
						['SignatureProvided', failure.signatureProvided],
					],
					head,
				});
		}
	}
	switch (failure.failure) {
		case 'missing':
			return stsError({
				status: 403,
				code: 'MissingAuthenticationToken',
				message: 'Request is missing Authentication Token',
			});
		case 'malformed':
		case 'missingDate':
			return stsError({ status: 400, code: 'IncompleteSignature', message: failure.message });
		case 'unknownKey':
		case 'badToken':
			return stsError({
				status: 403,
				code: 'InvalidClientTokenId',
				message: 'The security token included in the request is invalid.',
			});
		default:
			return stsError({ status: 403, code: 'SignatureDoesNotMatch', message: failure.message });
	}
}

/** The skew message as if the request had been signed 20 minutes ago (for the clockSkew fault). */
export function skewFailure(env: Env): Failure {
	const now = env.signatureNow();
	// The fault pretends the request was signed 20 minutes ago (a client clock running late).
	const shown = formatAmzDate(now - 20 * 60_000);
	return {
		ok: false,
		failure: 'expired',
		message: `Signature expired: ${shown} is now earlier than ${formatAmzDate(now - env.options.maxClockSkewMs)} (${formatAmzDate(now)} - 15 min.)`,
		requestTime: shown,
		serverTime: formatAmzDate(now),
	};
}

export function mismatchFailure(): Failure {
	return {
		ok: false,
		failure: 'mismatch',
		message:
			'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
	};
}

/** ExpiredToken in each AWS protocol. */
export function expiredTokenReply(
	profile: AwsServiceProfile,
	ctx: HandlerContext,
	message?: string,
): Reply {
	if (profile.protocol === 'restJson')
		return restJsonError({
			status: 403,
			name: 'ExpiredTokenException',
			message: message ?? 'The security token included in the request is expired',
			style: profile.errorStyle ?? 'coral',
			namespace: 'com.amazon.coral.service',
			body: 'message',
		});
	if (profile.protocol === 's3')
		return s3Error({
			status: 400,
			code: 'ExpiredToken',
			message: message ?? 'The provided token has expired.',
			head: ctx.method === 'HEAD',
		});
	return stsError({
		status: 403,
		code: 'ExpiredToken',
		message: message ?? 'The security token included in the request is expired',
	});
}

/** Common fault answers of AWS services; the service supplies throttle / 500 / 503 in its own words. */
export function awsFaultReply(
	env: Env,
	profile: AwsServiceProfile,
	rule: { fault: string; message?: string; region?: string },
	ctx: HandlerContext,
	own: { throttle(): Reply; error500(): Reply; error503(): Reply },
): Reply | undefined {
	switch (rule.fault) {
		case 'throttle':
			return own.throttle();
		case 'error500':
			return own.error500();
		case 'error503':
			return own.error503();
		case 'expiredToken':
			return expiredTokenReply(profile, ctx, rule.message);
		case 'signatureRejected': {
			const failure = mismatchFailure();
			if (rule.message) failure.message = rule.message;
			return authFailureReply(profile, failure, ctx);
		}
		case 'clockSkew':
			return authFailureReply(profile, skewFailure(env), ctx);
		default:
			return undefined;
	}
}
