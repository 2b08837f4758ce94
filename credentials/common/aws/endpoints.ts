import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { dnsSuffixOf, matchPartition, partitionOf } from './partitions';

/**
 * An AWS API the package calls: where its regional endpoint lives, how requests to it are signed, and
 * which credential field may point it elsewhere. Task services declare theirs in their adapter; S3 and
 * STS, which only support them, are declared here.
 */
export interface AwsEndpoint {
	/** Plain-words name: "Amazon Polly". */
	label: string;
	/** First DNS label of the regional endpoint (`polly`); FIPS endpoints add `-fips`. */
	prefix: string;
	/** Service name in the SigV4 credential scope (both Chime SDK APIs sign as `chime`). */
	signingName: string;
	/** Credential field of the custom endpoint. Stored in saved credentials: never rename one. */
	field: string;
	/** Path shape of the calls we make, used only to tell apart custom endpoints that share one URL. */
	pathHint: RegExp;
}

export const S3_ENDPOINT: AwsEndpoint = {
	label: 'Amazon S3',
	prefix: 's3',
	signingName: 's3',
	field: 's3Endpoint',
	pathHint: /^\/[^/]+\/./,
};

export const STS_ENDPOINT: AwsEndpoint = {
	label: 'AWS STS',
	prefix: 'sts',
	signingName: 'sts',
	field: 'stsEndpoint',
	pathHint: /^\/?$/,
};

/** The name without "Amazon"/"AWS", as the credential's fields say it: "Polly", "Chime SDK Voice". */
export function shortLabel(endpoint: AwsEndpoint): string {
	return endpoint.label.replace(/^(Amazon|AWS) /, '');
}

/** Value of the region option that reveals the free-text `customRegion` field. */
export const OTHER_REGION = 'other';

/** The region the credential selects, validated so it can be placed into a host name. */
export function credentialRegion(credentials: ICredentialDataDecryptedObject): string {
	const selected = String(credentials.region ?? '').trim();
	const region =
		selected === OTHER_REGION ? String(credentials.customRegion ?? '').trim() : selected;
	if (region === '') {
		throw new Error(
			'The AWS credential has no region: choose one, or choose "Other (Type Below)" and type its code',
		);
	}
	if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
		throw new Error(`"${region}" is not an AWS region code (expected something like "eu-west-1")`);
	}
	return region;
}

/** The custom endpoint configured for a service, `{region}` filled in, or undefined. */
export function customEndpoint(
	credentials: ICredentialDataDecryptedObject,
	endpoint: AwsEndpoint,
): string | undefined {
	if (credentials.customEndpoints !== true) return undefined;
	const raw = credentials[endpoint.field];
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	const filled = raw.trim().split('{region}').join(credentialRegion(credentials));
	return filled.replace(/\/+$/, '');
}

function tryParseHttpUrl(url: string): URL | undefined {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** Base URL (no trailing slash) for a service: the custom endpoint if set, else the AWS regional one. */
export function serviceBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	endpoint: AwsEndpoint,
): string {
	const custom = customEndpoint(credentials, endpoint);
	if (custom !== undefined) {
		if (tryParseHttpUrl(custom) === undefined) {
			throw new Error(
				`The ${shortLabel(endpoint)} endpoint in the AWS credential is not an http(s) URL`,
			);
		}
		return custom;
	}
	const region = credentialRegion(credentials);
	return `https://${endpoint.prefix}.${region}.${dnsSuffixOf(region)}`;
}

interface CustomMatch {
	endpoint: AwsEndpoint;
	prefixLength: number;
	hinted: boolean;
}

/**
 * The service whose custom endpoint serves this URL: same origin and the endpoint's path is a prefix of
 * the URL's path. Longest prefix wins; on a tie (one URL for several services, e.g. LocalStack) the service
 * whose API path shape fits the rest of the path wins, else the first configured.
 */
export function matchCustomEndpoint(
	url: URL,
	credentials: ICredentialDataDecryptedObject,
	endpoints: readonly AwsEndpoint[],
): AwsEndpoint | undefined {
	let best: CustomMatch | undefined;
	for (const endpoint of endpoints) {
		const base = customEndpoint(credentials, endpoint);
		if (base === undefined) continue;
		// A malformed endpoint matches nothing; serviceBaseUrl reports it when that service is called.
		const parsed = tryParseHttpUrl(base);
		if (parsed === undefined || parsed.origin !== url.origin) continue;
		const prefix = parsed.pathname.replace(/\/+$/, '');
		if (prefix !== '' && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`))
			continue;
		const hinted = endpoint.pathHint.test(url.pathname.slice(prefix.length));
		const candidate = { endpoint, prefixLength: prefix.length, hinted };
		if (isBetterMatch(candidate, best)) best = candidate;
	}
	return best?.endpoint;
}

function isBetterMatch(candidate: CustomMatch, best: CustomMatch | undefined): boolean {
	if (!best) return true;
	if (candidate.prefixLength !== best.prefixLength)
		return candidate.prefixLength > best.prefixLength;
	return candidate.hinted && !best.hinted;
}

export interface AwsHost {
	endpoint: AwsEndpoint;
	region: string;
}

/** The endpoint whose regional host label (plain or FIPS) is `label`. */
function endpointOfLabel(
	label: string,
	endpoints: readonly AwsEndpoint[],
): AwsEndpoint | undefined {
	return endpoints.find(
		(endpoint) => label === endpoint.prefix || label === `${endpoint.prefix}-fips`,
	);
}

// Longest first, so `.amazonaws.com.cn` is not mistaken for something ending in `.amazonaws.com`.
const HOST_SUFFIXES = [
	'api.amazonwebservices.com.cn',
	'amazonaws.com.cn',
	'api.aws',
	'amazonaws.com',
];

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** True when `region` is a region name whose partition serves hosts under `suffix`. */
function servedUnder(region: string, suffix: string): boolean {
	const partition = matchPartition(region);
	return (
		partition !== undefined &&
		(partition.dnsSuffix === suffix || partition.dualStackDnsSuffix === suffix)
	);
}

function isDualStackSuffix(suffix: string): boolean {
	return suffix.startsWith('api.');
}

/** `[bucket.]service[-fips][.dualstack].region.suffix` */
function regionalHost(
	labels: string[],
	suffix: string,
	endpoints: readonly AwsEndpoint[],
): AwsHost | undefined {
	const region = labels[labels.length - 1];
	if (!servedUnder(region, suffix)) return undefined;
	let rest = labels.slice(0, -1);
	if (rest[rest.length - 1] === 'dualstack' && !isDualStackSuffix(suffix)) rest = rest.slice(0, -1);
	const endpoint = endpointOfLabel(rest[rest.length - 1], endpoints);
	if (endpoint === undefined) return undefined;
	const bucketLabels = rest.length - 1;
	if (endpoint === S3_ENDPOINT) return isDualStackSuffix(suffix) ? undefined : { endpoint, region };
	return bucketLabels === 0 ? { endpoint, region } : undefined;
}

/** Global and legacy forms: `[bucket.]s3.amazonaws.com`, `[bucket.]s3-{region}.…`, `sts.amazonaws.com`. */
function legacyHost(
	labels: string[],
	suffix: string,
	endpoints: readonly AwsEndpoint[],
): AwsHost | undefined {
	const last = labels[labels.length - 1];
	const s3 = endpoints.includes(S3_ENDPOINT);
	if (s3 && suffix === 'amazonaws.com' && (last === 's3' || last === 's3-external-1')) {
		return { endpoint: S3_ENDPOINT, region: 'us-east-1' };
	}
	if (
		endpoints.includes(STS_ENDPOINT) &&
		suffix === 'amazonaws.com' &&
		last === 'sts' &&
		labels.length === 1
	) {
		return { endpoint: STS_ENDPOINT, region: 'us-east-1' };
	}
	const dashed = /^s3-(?:fips-)?(.+)$/.exec(last);
	if (s3 && dashed && !isDualStackSuffix(suffix) && servedUnder(dashed[1], suffix)) {
		return { endpoint: S3_ENDPOINT, region: dashed[1] };
	}
	return undefined;
}

/** Service and region of an AWS endpoint host name of one of `endpoints`; else undefined. */
export function parseAwsHost(
	hostname: string,
	endpoints: readonly AwsEndpoint[],
): AwsHost | undefined {
	const host = hostname.toLowerCase();
	const suffix = HOST_SUFFIXES.find((candidate) => host.endsWith(`.${candidate}`));
	if (suffix === undefined) return undefined;
	const labels = host.slice(0, -suffix.length - 1).split('.');
	if (!labels.every((label) => LABEL.test(label))) return undefined;
	return regionalHost(labels, suffix, endpoints) ?? legacyHost(labels, suffix, endpoints);
}

export interface SigningScope {
	/** Service name of the credential scope. */
	service: string;
	region: string;
	endpoint: AwsEndpoint;
	/** The request went to a custom endpoint configured in the credential. */
	custom: boolean;
}

/** Which service and region a request to `url` must be signed for. */
export function signingScopeFor(
	url: URL,
	credentials: ICredentialDataDecryptedObject,
	endpoints: readonly AwsEndpoint[],
): SigningScope {
	const custom = matchCustomEndpoint(url, credentials, endpoints);
	if (custom !== undefined) {
		return {
			service: custom.signingName,
			region: credentialRegion(credentials),
			endpoint: custom,
			custom: true,
		};
	}
	const host = parseAwsHost(url.hostname, endpoints);
	if (host !== undefined) {
		return {
			service: host.endpoint.signingName,
			region: host.region,
			endpoint: host.endpoint,
			custom: false,
		};
	}
	const names = endpoints.map((endpoint) => endpoint.label).join(', ');
	throw new Error(
		`Refusing to sign a request to "${url.host}": it is no AWS endpoint of ${names}, and no custom endpoint configured in the AWS credential matches it`,
	);
}

/**
 * True for an S3 endpoint host (path-style, virtual-hosted, legacy, FIPS, dual-stack) of the same partition
 * as `region`. Guards the Polly audio download: a task's OutputUri must not steer signed requests elsewhere.
 */
export function isS3HostOfPartition(hostname: string, region: string): boolean {
	// Only plain DNS names: no IP literals, ports, user-info or trailing dots.
	if (!/^[A-Za-z0-9.-]+$/.test(hostname) || /^[\d.]+$/.test(hostname)) return false;
	const host = parseAwsHost(hostname, [S3_ENDPOINT]);
	if (host === undefined) return false;
	return partitionOf(host.region).id === partitionOf(region).id;
}
