/**
 * SigV4 verification: parses `Authorization`, rebuilds the request from exactly the signed headers and the raw
 * path/query as received, re-signs it with the official `@smithy/signature-v4` at the request's `x-amz-date`
 * and credential scope, and compares signatures. (The package's own signer is deliberately not used here.)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Query } from './types';

export interface AwsCredentialSet {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken?: string;
	/** Temporary credentials (STS AssumeRole): emulator-clock time (ms) from which they are expired. */
	expiresAt?: number;
}

export type SigV4Failure =
	| 'missing'
	| 'malformed'
	| 'missingDate'
	| 'unknownKey'
	| 'badToken'
	| 'expired'
	| 'wrongService'
	| 'wrongRegion'
	| 'scopeDate'
	| 'missingContentSha256'
	| 'contentSha256Mismatch'
	| 'mismatch';

export type SigV4Result =
	| {
			ok: true;
			accessKeyId: string;
			region: string;
			service: string;
			signedHeaders: string[];
			sessionToken?: string;
	  }
	| {
			ok: false;
			failure: SigV4Failure;
			message: string;
			accessKeyId?: string;
			region?: string;
			service?: string;
			signatureProvided?: string;
			/** x-amz-date of the request and the server time, for skew errors. */
			requestTime?: string;
			serverTime?: string;
	  };

export interface SigV4Request {
	method: string;
	rawPath: string;
	query: Query;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

export interface SigV4Options {
	credentials: AwsCredentialSet[];
	/** Expected credential-scope service (signing name): sts, polly, chime, s3. */
	service: string;
	/** Accepted scope regions, or `*`. */
	regions: string[] | '*';
	/** false for S3 (single-encoded canonical URI). */
	uriEscapePath: boolean;
	/** Server time (ms) used for the skew check. */
	nowMs: number;
	maxSkewMs: number;
	/** S3 requires the x-amz-content-sha256 header. */
	requireContentSha256: boolean;
}

const AUTH_PATTERN = /^AWS4-HMAC-SHA256\s+(.*)$/;

export function parseAuthorization(value: string):
	| {
			accessKeyId: string;
			date: string;
			region: string;
			service: string;
			terminator: string;
			signedHeaders: string[];
			signature: string;
	  }
	| undefined {
	const match = AUTH_PATTERN.exec(value.trim());
	if (!match) return undefined;
	const parts: Record<string, string> = {};
	for (const piece of match[1].split(',')) {
		const eq = piece.indexOf('=');
		if (eq < 0) return undefined;
		parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
	}
	const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = parts;
	if (!credential || !signedHeaders || !signature) return undefined;
	const scope = credential.split('/');
	if (scope.length !== 5) return undefined;
	const [accessKeyId, date, region, service, terminator] = scope;
	return {
		accessKeyId,
		date,
		region,
		service,
		terminator,
		signedHeaders: signedHeaders.split(';'),
		signature,
	};
}

/** `YYYYMMDDTHHMMSSZ` → ms since epoch. */
export function parseAmzDate(value: string): number | undefined {
	const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	if (!m) return undefined;
	return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

export function formatAmzDate(ms: number): string {
	return new Date(ms)
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	// HTTP/2 carries the host as the :authority pseudo-header when no host header is sent.
	const value = headers[name] ?? (name === 'host' ? headers[':authority'] : undefined);
	if (value === undefined) return undefined;
	return Array.isArray(value) ? value.join(',') : value;
}

export async function verifySigV4(
	request: SigV4Request,
	options: SigV4Options,
): Promise<SigV4Result> {
	const authorization = headerValue(request.headers, 'authorization');
	if (!authorization)
		return { ok: false, failure: 'missing', message: 'Missing Authentication Token' };
	const parsed = parseAuthorization(authorization);
	if (!parsed)
		return {
			ok: false,
			failure: 'malformed',
			message: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${authorization.split(' ')[0]}`,
		};
	const base = {
		accessKeyId: parsed.accessKeyId,
		region: parsed.region,
		service: parsed.service,
		signatureProvided: parsed.signature,
	};
	const amzDate = headerValue(request.headers, 'x-amz-date');
	const signingTime = amzDate ? parseAmzDate(amzDate) : undefined;
	if (!amzDate || signingTime === undefined)
		return {
			ok: false,
			failure: 'missingDate',
			message:
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
			...base,
		};

	const credential = options.credentials.find((c) => c.accessKeyId === parsed.accessKeyId);
	if (!credential)
		return {
			ok: false,
			failure: 'unknownKey',
			message: 'The security token included in the request is invalid.',
			...base,
		};
	const token = headerValue(request.headers, 'x-amz-security-token');
	if ((credential.sessionToken ?? undefined) !== (token ?? undefined))
		return {
			ok: false,
			failure: 'badToken',
			message: 'The security token included in the request is invalid.',
			...base,
		};

	if (parsed.date !== amzDate.slice(0, 8) || parsed.terminator !== 'aws4_request')
		return {
			ok: false,
			failure: 'scopeDate',
			message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
			...base,
		};
	if (parsed.service !== options.service)
		return {
			ok: false,
			failure: 'wrongService',
			message: `Credential should be scoped to correct service: '${options.service}'. `,
			...base,
		};
	if (options.regions !== '*' && !options.regions.includes(parsed.region))
		return {
			ok: false,
			failure: 'wrongRegion',
			message: 'Credential should be scoped to a valid region. ',
			...base,
		};

	const skew = signingTime - options.nowMs;
	if (Math.abs(skew) > options.maxSkewMs) {
		const minutes = Math.round(options.maxSkewMs / 60_000);
		const now = formatAmzDate(options.nowMs);
		const message =
			skew < 0
				? `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(options.nowMs - options.maxSkewMs)} (${now} - ${minutes} min.)`
				: `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(options.nowMs + options.maxSkewMs)} (${now} + ${minutes} min.)`;
		return {
			ok: false,
			failure: 'expired',
			message,
			requestTime: amzDate,
			serverTime: now,
			...base,
		};
	}

	if (options.requireContentSha256) {
		const declared = headerValue(request.headers, 'x-amz-content-sha256');
		if (!declared)
			return {
				ok: false,
				failure: 'missingContentSha256',
				message: 'Missing required header for this request: x-amz-content-sha256',
				...base,
			};
		if (
			/^[0-9a-f]{64}$/i.test(declared) &&
			declared.toLowerCase() !== createHash('sha256').update(request.body).digest('hex')
		)
			return {
				ok: false,
				failure: 'contentSha256Mismatch',
				message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
				...base,
			};
		if (
			!/^[0-9a-f]{64}$/i.test(declared) &&
			declared !== 'UNSIGNED-PAYLOAD' &&
			!declared.startsWith('STREAMING-')
		)
			return {
				ok: false,
				failure: 'contentSha256Mismatch',
				message: `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-…, or a valid sha256 value.`,
				...base,
			};
	}

	const headers: Record<string, string> = {};
	for (const name of parsed.signedHeaders) {
		const value = headerValue(request.headers, name);
		if (value === undefined)
			return {
				ok: false,
				failure: 'mismatch',
				message: `The request signature we calculated does not match the signature you provided. Signed header '${name}' is missing.`,
				...base,
			};
		headers[name] = value;
	}
	const signer = new SignatureV4({
		credentials: {
			accessKeyId: credential.accessKeyId,
			secretAccessKey: credential.secretAccessKey,
		},
		region: parsed.region,
		service: parsed.service,
		sha256: Sha256,
		uriEscapePath: options.uriEscapePath,
		applyChecksum: false,
	});
	const signed = await signer.sign(
		{
			method: request.method,
			protocol: 'http:',
			hostname: headers.host ?? 'localhost',
			path: request.rawPath,
			query: request.query,
			headers,
			body: request.body.length ? request.body : undefined,
		},
		{
			signingDate: new Date(signingTime),
			signingRegion: parsed.region,
			signingService: parsed.service,
			signableHeaders: new Set(parsed.signedHeaders),
		},
	);
	const expected = parseAuthorization(
		String(signed.headers.authorization ?? signed.headers.Authorization),
	);
	const same =
		expected !== undefined &&
		expected.signedHeaders.join(';') === parsed.signedHeaders.join(';') &&
		expected.signature.length === parsed.signature.length &&
		timingSafeEqual(Buffer.from(expected.signature), Buffer.from(parsed.signature));
	if (!same)
		return {
			ok: false,
			failure: 'mismatch',
			message:
				'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
			...base,
		};
	return {
		ok: true,
		accessKeyId: parsed.accessKeyId,
		region: parsed.region,
		service: parsed.service,
		signedHeaders: parsed.signedHeaders,
		sessionToken: credential.sessionToken,
	};
}
