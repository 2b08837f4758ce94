/**
 * Where a Polly synthesis task put its output, and where we may download it from.
 *
 * The OutputUri comes from a task JSON, which a workflow can feed from anywhere; the download is signed
 * with the AWS credential. So the URI is parsed by hand (no URL parser's lenient fix-ups such as `\` → `/`,
 * percent-decoded or numeric hosts, stripped tabs) and only S3 endpoints of the credential's partition or the
 * credential's own custom S3 endpoint are accepted.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	credentialRegion,
	customEndpoint,
	isS3HostOfPartition,
	parseAwsHost,
	S3_ENDPOINT,
} from '../../../credentials/common/aws/endpoints';
import {
	dnsSuffixOf,
	matchPartition,
	partitionOf,
} from '../../../credentials/common/aws/partitions';
import { percentDecode, uriEncode } from '../../../credentials/common/aws/signer';
import { hasControlCharacter } from '../text';

export type OutputUriStyle = 'path' | 'virtual' | 's3' | 'custom';

export interface OutputLocation {
	bucket: string;
	/** The object key: the path without its leading `/`, percent-decoded. */
	key: string;
	/** Region of the S3 host the URI names; the fallback region for `s3://` and custom-endpoint URIs. */
	region: string;
	/** The host written in the URI, lower-cased (for `s3://` the bucket). */
	host: string;
	style: OutputUriStyle;
	/** From a `?versionId=` query, decoded. */
	versionId?: string;
}

export interface DownloadTarget {
	/** Path-style GET URL: `{base}/{bucket}/{encoded key}[?versionId=…]`. */
	url: string;
	/** Base URL (no trailing slash): the regional S3 endpoint or the custom S3 endpoint. */
	baseUrl: string;
	/** `/{bucket}/{encoded key}[?versionId=…]` */
	path: string;
	/**
	 * The region the request is signed for: the region of the S3 host (the signer reads it from the host
	 * name), or the credential's region for a custom endpoint.
	 */
	region: string;
	bucket: string;
	key: string;
	versionId?: string;
	/** True when the request goes to the credential's custom S3 endpoint. */
	custom: boolean;
}

const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;
const HOST_CHARS = /^[A-Za-z0-9.-]+$/;
const NON_ASCII = /[\u0080-\uffff]/;
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|\d+)$/;
/** Path-style bucket names, including legacy us-east-1 names (upper case, `_`, up to 255 characters). */
const PATH_BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;
/** `s3://` and host-style bucket names: DNS-compatible. */
const DNS_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEY_BYTES = 1024;

/**
 * Query parameters S3 GET URLs carry. A `?` starts the query only when everything after it is `name=value`
 * pairs with these names; otherwise the `?` and what follows belong to the key (Polly's OutputS3KeyPrefix
 * may contain a raw `?`). So `a?b.mp3` is the key `a?b.mp3`, and `a.mp3?versionId=X` is key `a.mp3`,
 * version X. A key that itself ends in `?versionId=…` cannot be told apart and is read as a version.
 */
const S3_QUERY_NAME =
	/^(?:versionId|partNumber|x-id|AWSAccessKeyId|Signature|Expires|response-[A-Za-z-]+|X-Amz-[A-Za-z0-9-]+)$/i;

function fail(problem: string): never {
	throw new Error(`Refused the Polly output location: ${problem}`);
}

function looksLikeS3Query(query: string): boolean {
	if (query === '') return false;
	return query.split('&').every((pair) => {
		const eq = pair.indexOf('=');
		return eq > 0 && S3_QUERY_NAME.test(pair.slice(0, eq)) && !pair.includes('?', eq);
	});
}

/** Splits path and query at the first `?` that starts an S3 query; `#` has no special meaning. */
function splitPathAndQuery(rest: string): { path: string; query: Record<string, string> } {
	for (let i = rest.indexOf('?'); i !== -1; i = rest.indexOf('?', i + 1)) {
		const candidate = rest.slice(i + 1);
		if (!looksLikeS3Query(candidate)) continue;
		const query: Record<string, string> = {};
		for (const pair of candidate.split('&')) {
			const eq = pair.indexOf('=');
			query[pair.slice(0, eq).toLowerCase()] = pair.slice(eq + 1);
		}
		return { path: rest.slice(0, i), query };
	}
	return { path: rest, query: {} };
}

/** Percent-decodes UTF-8; a `%` without two hex digits stays literal; invalid UTF-8 is refused. */
export function decodeKey(raw: string): string {
	const bytes = percentDecode(raw);
	const text = bytes.toString('utf8');
	if (!Buffer.from(text, 'utf8').equals(bytes))
		fail('the object key is not valid UTF-8 once decoded');
	return text;
}

/** RFC 3986 encoding of each key segment (unreserved `A-Za-z0-9-._~` kept), `/` kept between segments. */
export function encodeKey(key: string): string {
	return key
		.split('/')
		.map((segment) => uriEncode(segment))
		.join('/');
}

function checkKey(key: string): string {
	if (key === '') fail('it names a bucket but no object key');
	if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES)
		fail(`the object key is longer than ${MAX_KEY_BYTES} bytes`);
	if (hasControlCharacter(key)) fail('the object key contains control characters');
	// URL normalisation would turn `/bucket/a/../b` into `/bucket/b`: such keys cannot be fetched safely.
	if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
		fail('the object key contains "." or ".." path segments');
	}
	return key;
}

function checkPathBucket(raw: string): string {
	if (!PATH_BUCKET.test(raw)) fail(`"${raw.slice(0, 80)}" is not an S3 bucket name`);
	return raw;
}

/** `/bucket/key…` → bucket and key (raw path, not yet decoded). */
function splitBucketPath(path: string): { bucket: string; rawKey: string } {
	if (path === '' || path === '/') fail('it names no bucket and no object');
	if (!path.startsWith('/')) fail('it is not a URL');
	const slash = path.indexOf('/', 1);
	if (slash === -1) fail('it names a bucket but no object key');
	return { bucket: checkPathBucket(path.slice(1, slash)), rawKey: path.slice(slash + 1) };
}

interface S3HostParts {
	region: string;
	/** Bucket of a virtual-hosted name. */
	bucket?: string;
}

const SUFFIXES = ['amazonaws.com.cn', 'amazonaws.com'];

/**
 * Bucket and region of an S3 endpoint host name (path-style or virtual-hosted, regional, global, legacy dash,
 * FIPS, dual-stack). The shape is checked with the credential module's `parseAwsHost`, which the signer
 * also uses to pick the signing region, so both always agree on the region.
 */
function s3HostParts(host: string): S3HostParts | undefined {
	const parsed = parseAwsHost(host, [S3_ENDPOINT]);
	if (parsed === undefined) return undefined;
	const suffix = SUFFIXES.find((candidate) => host.endsWith(`.${candidate}`));
	if (suffix === undefined) return undefined;
	const labels = host.slice(0, -suffix.length - 1).split('.');
	let service = labels.length - 1;
	if (matchPartition(labels[service]) !== undefined && labels[service] === parsed.region) {
		// `…s3[-fips][.dualstack].{region}.{suffix}`
		service--;
		if (labels[service] === 'dualstack') service--;
	}
	if (service < 0 || !/^s3(?:-|$)/.test(labels[service])) return undefined;
	const bucket = labels.slice(0, service).join('.');
	return { region: parsed.region, bucket: bucket === '' ? undefined : bucket };
}

function partitionName(region: string): string {
	return partitionOf(region).id;
}

/** Refuses every host that is not a plain DNS name of an S3 endpoint; explains which rule it broke. */
function checkHost(authority: string, customOrigin: string | undefined): string {
	const portHint = customOrigin
		? ` (only the custom S3 endpoint ${customOrigin} may name one)`
		: '';
	if (authority === '') fail('it has no host');
	if (authority.includes('@')) fail('its host part contains user information ("…@")');
	if (authority.startsWith('[')) fail('its host is an IPv6 address');
	if (/:[^:]*$/.test(authority) && HOST_CHARS.test(authority.replace(/:[^:]*$/, ''))) {
		fail(`it names a port${portHint}`);
	}
	if (NON_ASCII.test(authority))
		fail('its host contains non-ASCII characters (an internationalised look-alike?)');
	if (!HOST_CHARS.test(authority))
		fail('its host contains characters that are not allowed in a host name');
	const host = authority.toLowerCase();
	if (host.endsWith('.')) fail(`its host "${host}" ends with a dot`);
	const labels = host.split('.');
	if (labels.some((label) => label === '')) fail(`its host "${host}" has an empty label`);
	if (NUMERIC_LABEL.test(labels[labels.length - 1])) fail(`its host "${host}" is an IP address`);
	if (host === 'localhost' || host.endsWith('.localhost'))
		fail(`its host "${host}" is the local machine`);
	if (labels.some((label) => label.startsWith('xn--'))) {
		fail(`its host "${host}" is an internationalised (punycode) name, not an S3 endpoint`);
	}
	return host;
}

interface CustomOrigin {
	origin: string;
	/** Path prefix of the endpoint, no trailing slash ('' for none). */
	prefix: string;
}

function customOriginOf(endpoint: string | undefined): CustomOrigin | undefined {
	if (endpoint === undefined) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(endpoint);
	} catch {
		return undefined;
	}
	return { origin: parsed.origin.toLowerCase(), prefix: parsed.pathname.replace(/\/+$/, '') };
}

/** `scheme://authority` as an origin, default port dropped, for comparing with the custom endpoint. */
function originOf(scheme: string, authority: string): string {
	const lower = authority.toLowerCase();
	const withoutDefault =
		(scheme === 'https' && lower.endsWith(':443')) || (scheme === 'http' && lower.endsWith(':80'))
			? lower.slice(0, lower.lastIndexOf(':'))
			: lower;
	return `${scheme}://${withoutDefault}`;
}

function finish(
	parts: { bucket: string; rawKey: string; region: string; host: string; style: OutputUriStyle },
	query: Record<string, string>,
): OutputLocation {
	const key = checkKey(decodeKey(parts.rawKey));
	const location: OutputLocation = {
		bucket: parts.bucket,
		key,
		region: parts.region,
		host: parts.host,
		style: parts.style,
	};
	if (query.versionid !== undefined) {
		const versionId = decodeKey(query.versionid);
		if (versionId === '' || hasControlCharacter(versionId))
			fail('its versionId is empty or malformed');
		location.versionId = versionId;
	}
	return location;
}

/**
 * Reads a Polly OutputUri: `https://s3.{region}.amazonaws.com[.cn]/{bucket}/{key}`, `https://s3.amazonaws.com/…`,
 * `https://s3-{region}.amazonaws.com/…`, `https://{bucket}.s3[.{region}].amazonaws.com[.cn]/{key}`, the
 * `s3-fips` / `s3.dualstack` / `s3-fips.dualstack` variants, `s3://{bucket}/{key}`, and — when
 * `customEndpoint` is given — URLs on the custom S3 endpoint's origin (`{endpoint}/{bucket}/{key}`, or
 * `{origin}/{bucket}/{key}`). Anything else throws an Error that names the problem: other schemes and plain
 * http, user-info, ports, IP literals in any notation, localhost, punycode or non-ASCII hosts, hosts that
 * are not S3 endpoints, and S3 endpoints of another partition than `fallbackRegion`'s.
 */
export function parseOutputUri(
	uri: string,
	fallbackRegion: string,
	customEndpoint?: string,
): OutputLocation {
	if (typeof uri !== 'string' || uri.trim() === '') fail('the task has no OutputUri');
	const trimmed = uri.trim();
	if (hasControlCharacter(trimmed)) fail('it contains control characters or line breaks');
	const match = URI.exec(trimmed);
	if (!match) fail('it is not an https:// or s3:// URL');
	const scheme = match[1].toLowerCase();
	const authority = match[2];
	const { path, query } = splitPathAndQuery(match[3]);

	if (scheme === 's3') {
		if (authority.includes('@')) fail('its bucket part contains user information ("…@")');
		if (!DNS_BUCKET.test(authority)) fail(`"${authority.slice(0, 80)}" is not an S3 bucket name`);
		if (!path.startsWith('/') || path.length < 2) fail('it names a bucket but no object key');
		return finish(
			{
				bucket: authority,
				rawKey: path.slice(1),
				region: fallbackRegion,
				host: authority,
				style: 's3',
			},
			query,
		);
	}

	const custom = customOriginOf(customEndpoint);
	if (
		(scheme === 'http' || scheme === 'https') &&
		custom &&
		originOf(scheme, authority) === custom.origin
	) {
		const inside =
			custom.prefix !== '' && path.startsWith(`${custom.prefix}/`)
				? path.slice(custom.prefix.length)
				: path;
		const { bucket, rawKey } = splitBucketPath(inside);
		return finish(
			{ bucket, rawKey, region: fallbackRegion, host: authority.toLowerCase(), style: 'custom' },
			query,
		);
	}

	if (scheme === 'http') fail('it uses plain http; Polly output is only downloaded over https');
	if (scheme !== 'https') fail(`its scheme "${scheme}:" is not https: or s3:`);
	const host = checkHost(authority, custom?.origin);
	const parts = s3HostParts(host);
	if (parts === undefined) fail(`"${host}" is not an Amazon S3 endpoint`);
	if (!isS3HostOfPartition(host, fallbackRegion)) {
		fail(
			`"${host}" is an S3 endpoint of region ${parts.region} (partition ${partitionName(parts.region)}), ` +
				`but the credential's region ${fallbackRegion} is in partition ${partitionName(fallbackRegion)}`,
		);
	}
	if (parts.bucket !== undefined) {
		if (!DNS_BUCKET.test(parts.bucket)) fail(`"${parts.bucket}" is not an S3 bucket name`);
		if (!path.startsWith('/') || path.length < 2) fail('it names a bucket but no object key');
		return finish(
			{ bucket: parts.bucket, rawKey: path.slice(1), region: parts.region, host, style: 'virtual' },
			query,
		);
	}
	const { bucket, rawKey } = splitBucketPath(path);
	return finish({ bucket, rawKey, region: parts.region, host, style: 'path' }, query);
}

function objectPath(bucket: string, key: string, versionId: string | undefined): string {
	const version = versionId === undefined ? '' : `?versionId=${uriEncode(versionId)}`;
	return `/${uriEncode(bucket)}/${encodeKey(key)}${version}`;
}

/** The regional path-style endpoint of a region: `https://s3.{region}.{dnsSuffix}`. */
export function regionalS3BaseUrl(region: string): string {
	return `https://s3.${region}.${dnsSuffixOf(region)}`;
}

/**
 * Where to GET a Polly OutputUri with this credential. With a custom S3 endpoint, real S3 URIs of the
 * credential's partition (and URIs on the endpoint's own origin) are mapped onto it, path-style; without,
 * the request goes path-style to the regional endpoint of the region the URI names. Throws an Error with
 * the reason when the URI is refused (see `parseOutputUri`).
 */
export function resolveDownloadTarget(
	uri: string,
	credentials: ICredentialDataDecryptedObject,
): DownloadTarget {
	const region = credentialRegion(credentials);
	const custom = customEndpoint(credentials, S3_ENDPOINT);
	const location = parseOutputUri(uri, region, custom);
	const path = objectPath(location.bucket, location.key, location.versionId);
	const baseUrl = custom ?? regionalS3BaseUrl(location.region);
	const target: DownloadTarget = {
		url: `${baseUrl}${path}`,
		baseUrl,
		path,
		region: custom === undefined ? location.region : region,
		bucket: location.bucket,
		key: location.key,
		custom: custom !== undefined,
	};
	if (location.versionId !== undefined) target.versionId = location.versionId;
	return target;
}

/**
 * The same object on the regional endpoint of `region`, after S3 said the bucket lives there. Only regions of
 * the credential's partition are followed; throws an Error otherwise. Not for custom endpoints.
 */
export function retargetToRegion(
	target: DownloadTarget,
	region: string,
	credentials: ICredentialDataDecryptedObject,
): DownloadTarget {
	if (target.custom) throw new Error('A custom S3 endpoint is not redirected to another region');
	const home = credentialRegion(credentials);
	if (!/^[a-z0-9-]{1,40}$/.test(region) || matchPartition(region) === undefined) {
		throw new Error(
			`S3 named "${region.slice(0, 40)}" as the bucket's region, which is not an AWS region`,
		);
	}
	const baseUrl = regionalS3BaseUrl(region);
	if (!isS3HostOfPartition(new URL(baseUrl).hostname, home)) {
		throw new Error(
			`S3 says the bucket is in region ${region} (partition ${partitionName(region)}), outside the partition of the credential's region ${home}`,
		);
	}
	return { ...target, baseUrl, url: `${baseUrl}${target.path}`, region };
}
