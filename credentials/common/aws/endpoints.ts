import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { dnsSuffixOf, matchPartition, partitionOf } from './partitions';

export type AwsService = 'polly' | 'chimeMediaPipelines' | 'chimeVoice' | 's3' | 'sts';

interface ServiceInfo {
	label: string;
	/** First DNS label of the regional endpoint. */
	endpointPrefix: string;
	/** Service name in the SigV4 credential scope (both Chime SDK APIs sign as `chime`). */
	signingName: string;
	/** Credential field holding the custom endpoint. */
	endpointField: string;
	/** Path shape of the calls we make, used only to tell apart custom endpoints that share one URL. */
	pathHint: RegExp;
}

export const AWS_SERVICES: Readonly<Record<AwsService, ServiceInfo>> = {
	polly: {
		label: 'Polly',
		endpointPrefix: 'polly',
		signingName: 'polly',
		endpointField: 'pollyEndpoint',
		pathHint: /^\/v1\/(synthesisTasks|speech|voices|lexicons)\b/,
	},
	chimeMediaPipelines: {
		label: 'Chime SDK Media Pipelines',
		endpointPrefix: 'media-pipelines-chime',
		signingName: 'chime',
		endpointField: 'chimeMediaPipelinesEndpoint',
		pathHint: /^\/media-insights-pipelines\//,
	},
	chimeVoice: {
		label: 'Chime SDK Voice',
		endpointPrefix: 'voice-chime',
		signingName: 'chime',
		endpointField: 'chimeVoiceEndpoint',
		pathHint: /^\/voice-connectors\//,
	},
	s3: {
		label: 'S3',
		endpointPrefix: 's3',
		signingName: 's3',
		endpointField: 's3Endpoint',
		pathHint: /^\/[^/]+\/./,
	},
	sts: {
		label: 'STS',
		endpointPrefix: 'sts',
		signingName: 'sts',
		endpointField: 'stsEndpoint',
		pathHint: /^\/?$/,
	},
};

const SERVICES = Object.keys(AWS_SERVICES) as AwsService[];

/** Value of the region option that reveals the free-text `customRegion` field. */
export const OTHER_REGION = 'other';

/** The region the credential selects, validated so it can be placed into a host name. */
export function credentialRegion(credentials: ICredentialDataDecryptedObject): string {
	const selected = String(credentials.region ?? '').trim();
	const region = selected === OTHER_REGION ? String(credentials.customRegion ?? '').trim() : selected;
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
	service: AwsService,
): string | undefined {
	if (credentials.customEndpoints !== true) return undefined;
	const raw = credentials[AWS_SERVICES[service].endpointField];
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
	service: AwsService,
): string {
	const custom = customEndpoint(credentials, service);
	if (custom !== undefined) {
		if (tryParseHttpUrl(custom) === undefined) {
			throw new Error(`The ${AWS_SERVICES[service].label} endpoint in the AWS credential is not an http(s) URL`);
		}
		return custom;
	}
	const region = credentialRegion(credentials);
	return `https://${AWS_SERVICES[service].endpointPrefix}.${region}.${dnsSuffixOf(region)}`;
}

interface CustomMatch {
	service: AwsService;
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
): AwsService | undefined {
	let best: CustomMatch | undefined;
	for (const service of SERVICES) {
		const base = customEndpoint(credentials, service);
		if (base === undefined) continue;
		// A malformed endpoint matches nothing; serviceBaseUrl reports it when that service is called.
		const endpoint = tryParseHttpUrl(base);
		if (endpoint === undefined || endpoint.origin !== url.origin) continue;
		const prefix = endpoint.pathname.replace(/\/+$/, '');
		if (prefix !== '' && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) continue;
		const hinted = AWS_SERVICES[service].pathHint.test(url.pathname.slice(prefix.length));
		const candidate = { service, prefixLength: prefix.length, hinted };
		if (isBetterMatch(candidate, best)) best = candidate;
	}
	return best?.service;
}

function isBetterMatch(candidate: CustomMatch, best: CustomMatch | undefined): boolean {
	if (!best) return true;
	if (candidate.prefixLength !== best.prefixLength) return candidate.prefixLength > best.prefixLength;
	return candidate.hinted && !best.hinted;
}

export interface AwsHost {
	awsService: AwsService;
	region: string;
}

const SERVICE_LABELS: Readonly<Record<string, AwsService>> = {
	polly: 'polly',
	'polly-fips': 'polly',
	'media-pipelines-chime': 'chimeMediaPipelines',
	'media-pipelines-chime-fips': 'chimeMediaPipelines',
	'voice-chime': 'chimeVoice',
	'voice-chime-fips': 'chimeVoice',
	s3: 's3',
	's3-fips': 's3',
	sts: 'sts',
	'sts-fips': 'sts',
};

// Longest first, so `.amazonaws.com.cn` is not mistaken for something ending in `.amazonaws.com`.
const HOST_SUFFIXES = ['api.amazonwebservices.com.cn', 'amazonaws.com.cn', 'api.aws', 'amazonaws.com'];

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** True when `region` is a region name whose partition serves hosts under `suffix`. */
function servedUnder(region: string, suffix: string): boolean {
	const partition = matchPartition(region);
	return partition !== undefined && (partition.dnsSuffix === suffix || partition.dualStackDnsSuffix === suffix);
}

function isDualStackSuffix(suffix: string): boolean {
	return suffix.startsWith('api.');
}

/** `[bucket.]service[-fips][.dualstack].region.suffix` */
function regionalHost(labels: string[], suffix: string): AwsHost | undefined {
	const region = labels[labels.length - 1];
	if (!servedUnder(region, suffix)) return undefined;
	let rest = labels.slice(0, -1);
	if (rest[rest.length - 1] === 'dualstack' && !isDualStackSuffix(suffix)) rest = rest.slice(0, -1);
	const awsService = SERVICE_LABELS[rest[rest.length - 1]];
	if (awsService === undefined) return undefined;
	const bucketLabels = rest.length - 1;
	if (awsService === 's3') return isDualStackSuffix(suffix) ? undefined : { awsService, region };
	return bucketLabels === 0 ? { awsService, region } : undefined;
}

/** Global and legacy forms: `[bucket.]s3.amazonaws.com`, `[bucket.]s3-{region}.…`, `sts.amazonaws.com`. */
function legacyHost(labels: string[], suffix: string): AwsHost | undefined {
	const last = labels[labels.length - 1];
	if (suffix === 'amazonaws.com' && (last === 's3' || last === 's3-external-1')) {
		return { awsService: 's3', region: 'us-east-1' };
	}
	if (suffix === 'amazonaws.com' && last === 'sts' && labels.length === 1) {
		return { awsService: 'sts', region: 'us-east-1' };
	}
	const dashed = /^s3-(?:fips-)?(.+)$/.exec(last);
	if (dashed && !isDualStackSuffix(suffix) && servedUnder(dashed[1], suffix)) {
		return { awsService: 's3', region: dashed[1] };
	}
	return undefined;
}

/** Service and region of an AWS endpoint host name of Polly, Chime SDK, S3 or STS; else undefined. */
export function parseAwsHost(hostname: string): AwsHost | undefined {
	const host = hostname.toLowerCase();
	const suffix = HOST_SUFFIXES.find((candidate) => host.endsWith(`.${candidate}`));
	if (suffix === undefined) return undefined;
	const labels = host.slice(0, -suffix.length - 1).split('.');
	if (!labels.every((label) => LABEL.test(label))) return undefined;
	return regionalHost(labels, suffix) ?? legacyHost(labels, suffix);
}

export interface SigningScope {
	/** Service name of the credential scope. */
	service: string;
	region: string;
	awsService: AwsService;
}

/** Which service and region a request to `url` must be signed for. */
export function signingScopeFor(url: URL, credentials: ICredentialDataDecryptedObject): SigningScope {
	const custom = matchCustomEndpoint(url, credentials);
	if (custom !== undefined) {
		return { service: AWS_SERVICES[custom].signingName, region: credentialRegion(credentials), awsService: custom };
	}
	const host = parseAwsHost(url.hostname);
	if (host !== undefined) {
		return { service: AWS_SERVICES[host.awsService].signingName, region: host.region, awsService: host.awsService };
	}
	throw new Error(
		`Refusing to sign a request to "${url.host}": it is no AWS endpoint of Polly, Chime SDK, S3 or STS, and no custom endpoint configured in the AWS credential matches it`,
	);
}

/**
 * True for an S3 endpoint host (path-style, virtual-hosted, legacy, FIPS, dual-stack) of the same partition
 * as `region`. Guards the Polly audio download: a task's OutputUri must not steer signed requests elsewhere.
 */
export function isS3HostOfPartition(hostname: string, region: string): boolean {
	// Only plain DNS names: no IP literals, ports, user-info or trailing dots.
	if (!/^[A-Za-z0-9.-]+$/.test(hostname) || /^[\d.]+$/.test(hostname)) return false;
	const host = parseAwsHost(hostname);
	if (host === undefined || host.awsService !== 's3') return false;
	return partitionOf(host.region).id === partitionOf(region).id;
}
