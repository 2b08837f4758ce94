/**
 * The credential's `authenticate`: turns n8n request options into exactly the request the HTTP client will
 * send (full URL, query folded in, body serialised) and signs that with SigV4.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { awsEndpoints } from '../../../nodes/common/adapters/lookup';
import {
	assumesRole,
	renewalNeeded,
	renewalReason,
	RENEW_SESSION_KEY,
	storedSession,
} from './assume-role';
import { S3_ENDPOINT, signingScopeFor } from './endpoints';
import type { AwsEndpoint } from './endpoints';
import {
	percentDecode,
	sha256Hex,
	signRequest,
	splitQuery,
	UNSIGNED_PAYLOAD,
	uriEncode,
	uriEncodeBytes,
	type HeaderMap,
	type HeaderValue,
} from './signer';

// Added or rewritten by n8n, axios, Node or proxies on the way: signing them would break the signature.
const UNSIGNED_HEADERS = new Set([
	'authorization',
	'user-agent',
	'accept-encoding',
	'connection',
	'keep-alive',
	'content-length',
	'transfer-encoding',
	'te',
	'trailer',
	'upgrade',
	'expect',
	'via',
	'forwarded',
	'cache-control',
	'pragma',
	'referer',
	'from',
	'max-forwards',
	'x-amzn-trace-id',
]);
const UNSIGNED_PREFIXES = ['proxy-', 'x-forwarded-', 'sec-'];

function isSignedHeader(name: string): boolean {
	return (
		!UNSIGNED_HEADERS.has(name) && !UNSIGNED_PREFIXES.some((prefix) => name.startsWith(prefix))
	);
}

// Headers our signer owns; stale copies from an earlier signing (n8n re-authenticates on a 401) are dropped.
const SIGNATURE_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token']);

type Body = string | Buffer | undefined;

function headerKey(headers: IDataObject, name: string): string | undefined {
	return Object.keys(headers).find((key) => key.toLowerCase() === name);
}

function headerText(headers: IDataObject, name: string): string {
	const key = headerKey(headers, name);
	return key === undefined ? '' : String(headers[key] ?? '');
}

/** Same joining rule as axios: `baseURL` without trailing slashes + `/` + `url` without leading ones. */
function joinUrl(baseURL: string | undefined, url: string): string {
	if (!baseURL || /^[a-z][a-z\d+\-.]*:\/\//i.test(url)) return url;
	return url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}

function qsText(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'object' && value !== null) return JSON.stringify(value);
	return String(value);
}

/** `qs` as name/value pairs; arrays follow `arrayFormat` (repeated keys by default). */
function qsPairs(
	qs: IDataObject,
	arrayFormat: IHttpRequestOptions['arrayFormat'],
): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	for (const [name, value] of Object.entries(qs)) {
		if (value === undefined || value === null) continue;
		if (!Array.isArray(value)) {
			pairs.push([name, qsText(value)]);
		} else if (arrayFormat === 'comma') {
			pairs.push([name, value.map(qsText).join(',')]);
		} else {
			value.forEach((item, index) => {
				const key =
					arrayFormat === 'brackets'
						? `${name}[]`
						: arrayFormat === 'indices'
							? `${name}[${index}]`
							: name;
				pairs.push([key, qsText(item)]);
			});
		}
	}
	return pairs;
}

/**
 * Put path and query into the encoding the AWS SDKs send: every byte but RFC 3986 unreserved ones as %XX
 * (the path keeps `/`). What is signed is then exactly what the server receives, whatever the caller typed.
 */
function normaliseWireEncoding(url: URL, extra: Array<[string, string]>): void {
	url.pathname = url.pathname
		.split('/')
		.map((segment) => uriEncodeBytes(percentDecode(segment)))
		.join('/');
	const params = splitQuery(url.search).map(({ name, value, hasValue }) => {
		const encodedName = uriEncodeBytes(percentDecode(name));
		return hasValue ? `${encodedName}=${uriEncodeBytes(percentDecode(value))}` : encodedName;
	});
	params.push(...extra.map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`));
	url.search = params.length > 0 ? `?${params.join('&')}` : '';
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/**
 * `qs._region` (n8n's own AWS credential has the same convention) picks the signing region of a
 * request to a custom endpoint, whose host names no region: after S3 said the bucket lives elsewhere.
 * It is never sent.
 */
function regionOverride(options: IHttpRequestOptions): string | undefined {
	const region = (options.qs as IDataObject | undefined)?._region;
	return typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)
		? region
		: undefined;
}

function requestUrl(options: IHttpRequestOptions): URL {
	const url = parseUrl(joinUrl(options.baseURL, options.url));
	if (url === undefined) {
		throw new Error('Cannot sign the AWS request: its URL is not absolute (no base URL given)');
	}
	const qs = Object.fromEntries(
		Object.entries(options.qs ?? {}).filter(
			([name]) => name !== '_region' && name !== RENEW_SESSION_KEY,
		),
	);
	normaliseWireEncoding(url, qsPairs(qs as IDataObject, options.arrayFormat));
	url.hash = ''; // never sent
	return url;
}

function formEncode(body: IDataObject): string {
	return qsPairs(body, 'repeat')
		.map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
		.join('&');
}

function isEmptyObject(value: object): boolean {
	return Object.keys(value).length === 0;
}

function isStreamLike(value: object): boolean {
	const candidate = value as { pipe?: unknown; getHeaders?: unknown };
	return typeof candidate.pipe === 'function' || typeof candidate.getHeaders === 'function';
}

/** axios sends a string with a JSON content type trimmed if it parses, else JSON-quoted: mirror that. */
function asAxiosJson(body: string): string {
	try {
		JSON.parse(body);
		return body.trim();
	} catch {
		return JSON.stringify(body);
	}
}

interface PreparedBody {
	body: Body;
	/** Content type to add when the caller set none. */
	contentType?: string;
	/** The body bytes can't be hashed (stream, multipart). */
	unsigned?: boolean;
}

/** Serialise the body to the bytes that will be sent; GET/HEAD carry none (n8n drops them). */
function prepareBody(
	options: IHttpRequestOptions,
	method: string,
	contentType: string,
): PreparedBody {
	const raw = options.body as unknown;
	if (method === 'GET' || method === 'HEAD' || raw === undefined || raw === null || raw === '')
		return { body: undefined };
	const isJson = contentType.includes('application/json');
	if (typeof raw === 'string') return { body: isJson ? asAxiosJson(raw) : raw };
	if (Buffer.isBuffer(raw)) return { body: raw };
	if (raw instanceof URLSearchParams) {
		return { body: raw.toString(), contentType: 'application/x-www-form-urlencoded' };
	}
	if (typeof raw === 'object' && isStreamLike(raw)) return { body: undefined, unsigned: true };
	if (typeof raw === 'object' && isEmptyObject(raw)) return { body: undefined };
	if (
		contentType.includes('application/x-www-form-urlencoded') &&
		typeof raw === 'object' &&
		!Array.isArray(raw)
	) {
		return { body: formEncode(raw as IDataObject) };
	}
	return {
		body: JSON.stringify(raw),
		contentType: contentType === '' ? 'application/json' : undefined,
	};
}

// Names are lower-cased and a later spelling of the same name wins, as axios merges them: `Accept`
// and `accept` side by side must not be signed as a repeated header when only one is sent.
function callerHeaders(options: IHttpRequestOptions): IDataObject {
	const headers: IDataObject = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		const lower = name.toLowerCase();
		if (value === undefined || SIGNATURE_HEADERS.has(lower)) continue;
		headers[lower] = value;
	}
	return headers;
}

function signableHeaders(headers: IDataObject, url: URL): HeaderMap {
	const signable: HeaderMap = {};
	for (const [name, value] of Object.entries(headers)) {
		if (isSignedHeader(name.toLowerCase())) signable[name] = value as HeaderValue;
	}
	// The value Node's HTTP client sends: host name plus the port unless it is the scheme's default.
	if (headerKey(headers, 'host') === undefined) signable.host = url.host;
	return signable;
}

export interface SigningKeys {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken?: string;
}

/** The keys the credential holds: they sign every request, or only AssumeRole with Assume Role on. */
export function baseKeysOf(credentials: ICredentialDataDecryptedObject): SigningKeys {
	const accessKeyId = String(credentials.accessKeyId ?? '').trim();
	const secretAccessKey = String(credentials.secretAccessKey ?? '').trim();
	if (accessKeyId === '' || secretAccessKey === '') {
		throw new Error('The AWS credential needs both an Access Key ID and a Secret Access Key');
	}
	const token = String(credentials.sessionToken ?? '').trim();
	const sessionToken =
		credentials.temporaryCredentials === true && token !== '' ? token : undefined;
	return { accessKeyId, secretAccessKey, sessionToken };
}

/**
 * The keys that sign a request: the credential's own, or with Assume Role the stored role session; when
 * that can't sign (see `renewalReason`) an error with status 401 makes n8n renew it first.
 */
function signingKeysOf(
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
	now: Date,
): SigningKeys {
	const keys = baseKeysOf(credentials);
	if (!assumesRole(credentials)) return keys;
	const session = storedSession(credentials);
	const rejected = (options.qs as IDataObject | undefined)?.[RENEW_SESSION_KEY];
	const reason = renewalReason(
		credentials,
		session,
		now.getTime(),
		typeof rejected === 'string' ? rejected : undefined,
	);
	if (reason !== undefined || session === undefined) throw renewalNeeded(reason ?? 'none stored');
	return {
		accessKeyId: session.accessKeyId,
		secretAccessKey: session.secretAccessKey,
		sessionToken: session.sessionToken,
	};
}

/**
 * Sign n8n request options for AWS; returns options whose URL, headers and body are final. `keys`
 * overrides the credential's choice (AssumeRole itself is signed with the credential's own keys).
 */
export function signAwsRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	now: Date = new Date(),
	endpoints: readonly AwsEndpoint[] = awsEndpoints(),
	keys?: SigningKeys,
): IHttpRequestOptions {
	const secrets = keys ?? signingKeysOf(credentials, requestOptions, now);
	const method = (requestOptions.method ?? 'GET').toUpperCase();
	const url = requestUrl(requestOptions);
	const scope = signingScopeFor(url, credentials, endpoints);
	const override = regionOverride(requestOptions);
	if (override && scope.custom) scope.region = override;
	const s3 = scope.endpoint === S3_ENDPOINT;
	const headers = callerHeaders(requestOptions);
	const prepared = prepareBody(
		requestOptions,
		method,
		headerText(headers, 'content-type').toLowerCase(),
	);
	if (prepared.unsigned && !s3) {
		throw new Error(
			'Cannot sign a streamed or multipart body for AWS: send a string, Buffer or JSON object',
		);
	}
	if (prepared.contentType && headerKey(headers, 'content-type') === undefined) {
		headers['content-type'] = prepared.contentType;
	}
	if (headerKey(headers, 'x-amz-content-sha256') === undefined) {
		headers['x-amz-content-sha256'] = prepared.unsigned
			? UNSIGNED_PAYLOAD
			: sha256Hex(prepared.body ?? '');
	}
	const signed = signRequest(
		{ method, url, headers: signableHeaders(headers, url), body: prepared.body },
		secrets,
		{ service: scope.service, region: scope.region, date: now, s3 },
	);
	return {
		...requestOptions,
		url: url.toString(),
		baseURL: undefined,
		qs: undefined,
		arrayFormat: undefined,
		headers: { ...headers, ...signed.headers },
		body: prepared.unsigned ? requestOptions.body : prepared.body,
	};
}
