/**
 * AWS Signature Version 4 on node:crypto (header signing). Pure functions; the parts are exported so the
 * tests can compare each step with AWS's published canonical requests and strings to sign.
 */
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export type HeaderValue =
	| string
	| number
	| boolean
	| Array<string | number | boolean>
	| undefined
	| null;
export type HeaderMap = Record<string, HeaderValue>;

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

// RFC 3986 unreserved characters stay as they are; every other byte becomes %XX (uppercase).
const ENCODED_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
	const char = String.fromCharCode(byte);
	return /[A-Za-z0-9\-._~]/.test(char)
		? char
		: `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

/** URI-encode bytes the SigV4 way; `/` is kept when `keepSlash` (paths), encoded otherwise. */
export function uriEncodeBytes(bytes: Buffer, keepSlash = false): string {
	let out = '';
	for (const byte of bytes) out += keepSlash && byte === 0x2f ? '/' : ENCODED_BYTES[byte];
	return out;
}

export function uriEncode(text: string, keepSlash = false): string {
	return uriEncodeBytes(Buffer.from(text, 'utf8'), keepSlash);
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/** Percent-decode to bytes. Lenient: a `%` not followed by two hex digits is kept as a literal `%`. */
export function percentDecode(text: string): Buffer {
	if (!text.includes('%')) return Buffer.from(text, 'utf8');
	const parts: Buffer[] = [];
	let start = 0;
	for (let i = text.indexOf('%'); i !== -1; i = text.indexOf('%', i + 1)) {
		const pair = text.slice(i + 1, i + 3);
		if (!HEX_PAIR.test(pair)) continue;
		parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.from([parseInt(pair, 16)]));
		start = i + 3;
		i += 2;
	}
	parts.push(Buffer.from(text.slice(start), 'utf8'));
	return Buffer.concat(parts);
}

/** Remove `.` and empty segments, resolve `..`; keep the leading and a trailing slash. */
export function normalizePath(path: string): string {
	const segments: string[] = [];
	for (const segment of path.split('/')) {
		if (segment === '' || segment === '.') continue;
		if (segment === '..') segments.pop();
		else segments.push(segment);
	}
	const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
	return `/${segments.join('/')}${trailing}`;
}

/**
 * Canonical URI of a path as it goes on the wire. S3: no normalisation, each segment encoded exactly once
 * (decoded first, so an already-encoded key is not encoded twice). Other services: normalise, then encode
 * the path again, so `%3A` on the wire becomes `%253A` (double encoding, as the AWS SDKs do).
 */
export function canonicalUri(path: string, options: { s3?: boolean } = {}): string {
	if (options.s3) {
		if (path === '') return '/';
		return path
			.split('/')
			.map((segment) => uriEncodeBytes(percentDecode(segment)))
			.join('/');
	}
	return uriEncode(normalizePath(path), true);
}

export interface QueryParameter {
	name: string;
	value: string;
	/** False for a bare `name` without `=`. */
	hasValue: boolean;
}

/** Split a query string (with or without `?`) on `&` and the first `=`, keeping the raw text. */
export function splitQuery(search: string): QueryParameter[] {
	const query = search.startsWith('?') ? search.slice(1) : search;
	if (query === '') return [];
	return query
		.split('&')
		.filter((pair) => pair !== '')
		.map((pair) => {
			const eq = pair.indexOf('=');
			if (eq === -1) return { name: pair, value: '', hasValue: false };
			return { name: pair.slice(0, eq), value: pair.slice(eq + 1), hasValue: true };
		});
}

/** Decode each name and value, re-encode per RFC 3986, sort by encoded name then value. */
export function canonicalQuery(search: string): string {
	return splitQuery(search)
		.map(({ name, value }) => [
			uriEncodeBytes(percentDecode(name)),
			uriEncodeBytes(percentDecode(value)),
		])
		.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB))
		.map(([name, value]) => `${name}=${value}`)
		.join('&');
}

function compare(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}

function headerValues(value: HeaderValue): string[] {
	if (value === undefined || value === null) return [];
	return (Array.isArray(value) ? value : [value]).map((item) => String(item));
}

export interface CanonicalHeaders {
	/** `name:value\n` lines, sorted by name. */
	canonical: string;
	/** Header names joined by `;`. */
	signed: string;
}

/** Lowercase names, trim values and collapse whitespace runs, join repeated headers with `,`. */
export function canonicalHeaders(headers: HeaderMap): CanonicalHeaders {
	const byName = new Map<string, string[]>();
	for (const [name, value] of Object.entries(headers)) {
		const values = headerValues(value).map((item) => item.trim().replace(/\s+/g, ' '));
		if (values.length === 0) continue;
		const key = name.toLowerCase();
		byName.set(key, [...(byName.get(key) ?? []), ...values]);
	}
	const names = [...byName.keys()].sort(compare);
	return {
		canonical: names.map((name) => `${name}:${(byName.get(name) ?? []).join(',')}\n`).join(''),
		signed: names.join(';'),
	};
}

export interface CanonicalRequestParts {
	method: string;
	uri: string;
	query: string;
	headers: CanonicalHeaders;
	payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
	return [
		parts.method.toUpperCase(),
		parts.uri,
		parts.query,
		parts.headers.canonical,
		parts.headers.signed,
		parts.payloadHash,
	].join('\n');
}

export function credentialScope(shortDate: string, region: string, service: string): string {
	return `${shortDate}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
	return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

/** `YYYYMMDDTHHMMSSZ` */
export function amzDate(date: Date): string {
	return date
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

// Derived keys change once a day per region/service: caching them saves four HMACs per request.
// Keyed by a hash of the secret so the raw secret is not kept as a map key.
const KEY_CACHE_LIMIT = 64;
const keyCache = new Map<string, Buffer>();

export function signingKey(
	secret: string,
	shortDate: string,
	region: string,
	service: string,
): Buffer {
	const cacheKey = `${shortDate}/${region}/${service}/${sha256Hex(secret)}`;
	const cached = keyCache.get(cacheKey);
	if (cached) return cached;
	let key: Buffer = Buffer.from(`AWS4${secret}`, 'utf8');
	for (const part of [shortDate, region, service, 'aws4_request']) {
		key = createHmac('sha256', key).update(part).digest();
	}
	if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
	keyCache.set(cacheKey, key);
	return key;
}

export interface SignableRequest {
	method: string;
	/** A URL, or the request target as a string (`/path?query`), taken as it goes on the wire. */
	url: URL | string;
	headers: HeaderMap;
	body?: string | Buffer;
}

export interface SigningCredentials {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken?: string;
}

export interface SigningOptions {
	/** Service name of the credential scope (`polly`, `chime`, `s3`, `sts`, …). */
	service: string;
	region: string;
	date?: Date;
	/** S3 rules: no path normalisation, single encoding, `x-amz-content-sha256` header added. */
	s3?: boolean;
	/** Filter for the caller's headers (lowercase name); the signer's own headers are always signed. */
	signHeader?: (name: string) => boolean;
}

export interface SignedRequest {
	/** Headers to add to the request (lowercase names). */
	headers: Record<string, string>;
	canonicalRequest: string;
	stringToSign: string;
	signature: string;
	signedHeaders: string;
	credentialScope: string;
}

const SIGNER_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token']);

function findHeader(headers: HeaderMap, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headerValues(headers[key])[0];
}

function splitTarget(url: URL | string): { path: string; search: string } {
	if (typeof url !== 'string') return { path: url.pathname, search: url.search };
	const target = url.split('#')[0];
	const question = target.indexOf('?');
	if (question === -1) return { path: target, search: '' };
	return { path: target.slice(0, question), search: target.slice(question) };
}

/** Headers the signer computes, to add to the request and to sign. */
function signerHeaders(
	request: SignableRequest,
	credentials: SigningCredentials,
	options: SigningOptions,
	date: string,
): Record<string, string> {
	const added: Record<string, string> = { 'x-amz-date': date };
	if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
	if (options.s3 && findHeader(request.headers, 'x-amz-content-sha256') === undefined) {
		added['x-amz-content-sha256'] = sha256Hex(request.body ?? '');
	}
	return added;
}

/** The caller's headers that get signed, plus `host` from the URL when the caller set none. */
function callerHeaders(
	request: SignableRequest,
	options: SigningOptions,
	replaced: Set<string>,
): HeaderMap {
	const signed: HeaderMap = {};
	for (const [name, value] of Object.entries(request.headers)) {
		const lower = name.toLowerCase();
		if (replaced.has(lower) || lower === 'authorization') continue;
		if (options.signHeader && !options.signHeader(lower)) continue;
		signed[name] = value;
	}
	if (typeof request.url !== 'string' && findHeader(request.headers, 'host') === undefined) {
		signed.host = request.url.host;
	}
	return signed;
}

/** Sign a request; returns the headers to add and the intermediate strings. */
export function signRequest(
	request: SignableRequest,
	credentials: SigningCredentials,
	options: SigningOptions,
): SignedRequest {
	const longDate = amzDate(options.date ?? new Date());
	const shortDate = longDate.slice(0, 8);
	const added = signerHeaders(request, credentials, options, longDate);
	const replaced = new Set([...SIGNER_HEADERS].filter((name) => name in added));
	const headers = canonicalHeaders({ ...callerHeaders(request, options, replaced), ...added });
	const { path, search } = splitTarget(request.url);
	const payloadHash =
		findHeader(request.headers, 'x-amz-content-sha256') ??
		added['x-amz-content-sha256'] ??
		sha256Hex(request.body ?? '');
	const canonical = canonicalRequest({
		method: request.method,
		uri: canonicalUri(path, { s3: options.s3 }),
		query: canonicalQuery(search),
		headers,
		payloadHash,
	});
	const scope = credentialScope(shortDate, options.region, options.service);
	const toSign = stringToSign(longDate, scope, canonical);
	const key = signingKey(credentials.secretAccessKey, shortDate, options.region, options.service);
	const signature = createHmac('sha256', key).update(toSign).digest('hex');
	added.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${headers.signed}, Signature=${signature}`;
	return {
		headers: added,
		canonicalRequest: canonical,
		stringToSign: toSign,
		signature,
		signedHeaders: headers.signed,
		credentialScope: scope,
	};
}
