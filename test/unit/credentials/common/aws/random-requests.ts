// Seeded random requests for the agreement test: each case has the n8n request options we hand to the
// credential's `authenticate` and, built independently from the same raw parts, the request the AWS SDK
// would hand to @smithy/signature-v4 (SDK path encoding, decoded query object, host header).
import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

/** The AWS APIs the package signs for, as this generator names them. */
export type AwsService = 'polly' | 'chimeMediaPipeline' | 'chimeVoice' | 's3' | 'sts';

import { seededRandom as mulberry32 } from '../../../../emulator/random';

export { mulberry32 };

export class Rng {
	private readonly next: () => number;

	constructor(seed: number) {
		this.next = mulberry32(seed);
	}

	int(max: number): number {
		return Math.floor(this.next() * max);
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)];
	}
}

// Unicode, reserved characters, spaces, %, +, ~, : and / — the things that break signers.
const TEXT_PIECES = [
	'a',
	'Z',
	'0',
	'9',
	'key',
	'value',
	'-',
	'_',
	'.',
	'~',
	' ',
	'  ',
	'%',
	'%20',
	'%2F',
	'%zz',
	'+',
	':',
	'/',
	'?',
	'#',
	'&',
	'=',
	'@',
	'!',
	'$',
	"'",
	'(',
	')',
	'*',
	',',
	';',
	'[',
	']',
	'"',
	'<',
	'>',
	'^',
	'`',
	'{',
	'|',
	'}',
	'é',
	'ü',
	'ß',
	'ሴ',
	'中文',
	'😀',
	'\u00a0',
	'arn:aws:chime:us-east-1:123456789012:media-pipeline/x',
];

function randomText(rng: Rng, maxPieces = 5): string {
	let text = '';
	const count = 1 + rng.int(maxPieces);
	for (let i = 0; i < count; i += 1) text += rng.pick(TEXT_PIECES);
	return text;
}

/** What the AWS SDK does to a path label or query part: encodeURIComponent plus `!'()*`. */
export function sdkEscape(text: string): string {
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/** RFC 3986 form encoding, independent of the code under test. */
function formEncode(pairs: Array<[string, string]>): string {
	return pairs.map(([name, value]) => `${sdkEscape(name)}=${sdkEscape(value)}`).join('&');
}

const RAW_SAFE_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@ \u00c0-\uffff]*$/;
const RAW_SAFE_QUERY = /^[A-Za-z0-9\-._~ \u00c0-\uffff]*$/;

/** How a caller might write a piece into a URL: percent-encoded, or raw when a URL parser keeps its meaning. */
function urlForm(rng: Rng, text: string, rawSafe: RegExp): string {
	// A URL parser strips spaces at the ends of the whole URL, so ends stay encoded.
	return rawSafe.test(text) && text.trim() === text && rng.chance(0.4) ? text : sdkEscape(text);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface SmithyExpectation {
	signingName: string;
	region: string;
	method: string;
	protocol: string;
	hostname: string;
	port?: number;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string>;
	body?: string | Buffer;
	sessionToken?: string;
}

export interface RandomCase {
	index: number;
	service: AwsService;
	credentials: ICredentialDataDecryptedObject;
	requestOptions: IHttpRequestOptions;
	/** Decoded path segments (after the endpoint's own path) and query pairs the request must carry. */
	segments: string[];
	queryPairs: Array<[string, string]>;
	basePath: string;
	expected: SmithyExpectation;
}

const SERVICES: AwsService[] = ['polly', 'chimeMediaPipeline', 'chimeVoice', 's3', 'sts'];
const SIGNING_NAMES: Record<AwsService, string> = {
	polly: 'polly',
	chimeMediaPipeline: 'chime',
	chimeVoice: 'chime',
	s3: 's3',
	sts: 'sts',
};
const PREFIXES: Record<AwsService, string> = {
	polly: 'polly',
	chimeMediaPipeline: 'media-pipelines-chime',
	chimeVoice: 'voice-chime',
	s3: 's3',
	sts: 'sts',
};
const ENDPOINT_FIELDS: Record<AwsService, string> = {
	polly: 'pollyEndpoint',
	chimeMediaPipeline: 'chimeMediaPipelinesEndpoint',
	chimeVoice: 'chimeVoiceEndpoint',
	s3: 's3Endpoint',
	sts: 'stsEndpoint',
};
const REGIONS = [
	'us-east-1',
	'eu-west-1',
	'ap-southeast-7',
	'cn-north-1',
	'cn-northwest-1',
	'us-gov-west-1',
	'other',
];
const CUSTOM_REGION = 'eu-south-2';
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD'];

function suffixOf(region: string, dualStack: boolean): string {
	if (region.startsWith('cn-'))
		return dualStack ? 'api.amazonwebservices.com.cn' : 'amazonaws.com.cn';
	return dualStack ? 'api.aws' : 'amazonaws.com';
}

/** An AWS host of the service in `region`, in one of its documented forms. */
function awsHost(rng: Rng, service: AwsService, region: string): { host: string; region: string } {
	const plain = suffixOf(region, false);
	if (service === 's3') {
		const forms = [
			`s3.${region}.${plain}`,
			`my-bucket.s3.${region}.${plain}`,
			`s3-fips.${region}.${plain}`,
			`s3.dualstack.${region}.${plain}`,
			`s3-${region}.${plain}`,
		];
		if (region === 'us-east-1')
			return { host: rng.pick([...forms, 's3.amazonaws.com', 'b.s3.amazonaws.com']), region };
		return { host: rng.pick(forms), region };
	}
	const prefix = PREFIXES[service];
	const forms = [
		`${prefix}.${region}.${plain}`,
		`${prefix}-fips.${region}.${plain}`,
		`${prefix}.${region}.${suffixOf(region, true)}`,
	];
	return { host: rng.pick(forms), region };
}

interface Endpoint {
	base: string;
	region: string;
	customEndpoints: boolean;
	endpointFields: IDataObject;
}

function endpointFor(rng: Rng, service: AwsService, credentialRegion: string): Endpoint {
	const mode = rng.pick(['aws', 'shared', 'vpce', 'port']);
	if (mode === 'aws') {
		// Mostly the credential's region; sometimes another one (e.g. an S3 output URL elsewhere).
		const hostRegion = rng.chance(0.8)
			? credentialRegion
			: rng.pick(REGIONS.filter((r) => r !== 'other'));
		const { host, region } = awsHost(rng, service, hostRegion);
		return {
			base: `https://${host}`,
			region,
			customEndpoints: rng.chance(0.3),
			endpointFields: {},
		};
	}
	if (mode === 'shared') {
		// The local emulator's layout: one origin, a path prefix per service, sometimes with {region}.
		const withRegion = rng.chance(0.3);
		const fields: IDataObject = {};
		for (const other of SERVICES) {
			fields[ENDPOINT_FIELDS[other]] =
				`http://127.0.0.1:4566/${withRegion ? '{region}/' : ''}${PREFIXES[other]}${rng.chance(0.2) ? '/' : ''}`;
		}
		const base = String(fields[ENDPOINT_FIELDS[service]])
			.replace('{region}', credentialRegion)
			.replace(/\/$/, '');
		return { base, region: credentialRegion, customEndpoints: true, endpointFields: fields };
	}
	const base =
		mode === 'vpce'
			? `https://vpce-0a1b2c3d4e5f-abcd.${PREFIXES[service]}.${credentialRegion}.vpce.amazonaws.com`
			: 'https://localhost:8443/aws/api';
	return {
		base,
		region: credentialRegion,
		customEndpoints: true,
		endpointFields: { [ENDPOINT_FIELDS[service]]: base },
	};
}

function randomSegments(rng: Rng): string[] {
	const segments: string[] = [];
	const count = rng.int(5);
	while (segments.length < count) {
		// Empty segments (`//`) only after the first one; `.`/`..` would be resolved by any URL parser.
		const segment = segments.length > 0 && rng.chance(0.1) ? '' : randomText(rng, 4);
		if (segment !== '.' && segment !== '..') segments.push(segment);
	}
	return segments;
}

function randomQuery(rng: Rng): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	const count = rng.int(5);
	for (let i = 0; i < count; i += 1) {
		const name =
			pairs.length > 0 && rng.chance(0.2) ? pairs[rng.int(pairs.length)][0] : randomText(rng, 3);
		pairs.push([name, rng.chance(0.15) ? '' : randomText(rng, 4)]);
	}
	return pairs;
}

const HEADER_NAMES = [
	'x-amz-meta-note',
	'X-Amz-Meta-Tag',
	'x-custom-header',
	'My-Header1',
	'Accept',
	'If-Match',
	'Range',
	'x-amz-request-payer',
];
const HEADER_TOKENS = [
	'a',
	'B',
	'value',
	'1',
	'"q  q"',
	'=',
	',',
	';',
	'/',
	':',
	' ',
	'  ',
	'\t',
	' \t  ',
	'x y',
];

function randomCase(rng: Rng, name: string): string {
	return [...name].map((c) => (rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
}

function randomHeaders(rng: Rng): Record<string, string> {
	const headers: Record<string, string> = {};
	const count = rng.int(5);
	for (let i = 0; i < count; i += 1) {
		const name = rng.pick(HEADER_NAMES);
		if (Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase())) continue;
		let value = '';
		const tokens = 1 + rng.int(6);
		for (let t = 0; t < tokens; t += 1) value += rng.pick(HEADER_TOKENS);
		headers[randomCase(rng, name)] = value;
	}
	if (rng.chance(0.2)) headers['User-Agent'] = 'n8n  random\ttest';
	// Left over from an earlier signing (n8n re-authenticates on a 401): must be replaced, not signed.
	if (rng.chance(0.1)) headers['X-Amz-Date'] = '19990101T000000Z';
	if (rng.chance(0.1)) headers.Authorization = 'AWS4-HMAC-SHA256 stale';
	return headers;
}

interface BodyChoice {
	body?: unknown;
	contentType?: string;
	/** Bytes that go on the wire, and the content type that must be signed. */
	sent?: string | Buffer;
	sentContentType?: string;
}

function randomBody(rng: Rng, method: string): BodyChoice {
	if (!rng.chance(0.6)) return {};
	const kind = rng.pick(['string', 'buffer', 'json', 'jsonText', 'form']);
	const text = randomText(rng, 8);
	let choice: BodyChoice;
	if (kind === 'string') {
		const contentType = rng.chance(0.5) ? 'text/plain; charset=utf-8' : undefined;
		choice = { body: text, contentType, sent: text, sentContentType: contentType };
	} else if (kind === 'buffer') {
		const bytes = Buffer.from(Array.from({ length: 1 + rng.int(64) }, () => rng.int(256)));
		choice = {
			body: bytes,
			contentType: 'application/octet-stream',
			sent: bytes,
			sentContentType: 'application/octet-stream',
		};
	} else if (kind === 'json') {
		const object = {
			Text: text,
			Count: rng.int(1000),
			Tags: [randomText(rng, 2), randomText(rng, 2)],
			Nested: { ok: rng.chance(0.5) },
		};
		const contentType = rng.chance(0.5) ? 'application/json; charset=utf-8' : undefined;
		choice = {
			body: object,
			contentType,
			sent: JSON.stringify(object),
			sentContentType: contentType ?? 'application/json',
		};
	} else if (kind === 'jsonText') {
		// axios trims a JSON string sent with a JSON content type.
		const json = JSON.stringify({ Text: text });
		choice = {
			body: `  ${json}\n`,
			contentType: 'application/json',
			sent: json,
			sentContentType: 'application/json',
		};
	} else {
		const pairs: Array<[string, string]> = [
			['Action', 'GetCallerIdentity'],
			[randomText(rng, 2), text],
		];
		const object = Object.fromEntries(pairs);
		const contentType = 'application/x-www-form-urlencoded';
		choice = {
			body: object,
			contentType,
			sent: formEncode(Object.entries(object)),
			sentContentType: contentType,
		};
	}
	// n8n never sends a body with GET or HEAD.
	if (method === 'GET' || method === 'HEAD')
		return {
			body: choice.body,
			contentType: choice.contentType,
			sentContentType: choice.contentType,
		};
	return choice;
}

function randomKey(rng: Rng, alphabet: string, length: number): string {
	return Array.from({ length }, () => alphabet[rng.int(alphabet.length)]).join('');
}

function pushQuery(query: Record<string, string | string[]>, name: string, value: string): void {
	const existing = query[name];
	if (existing === undefined) query[name] = value;
	else query[name] = [...(Array.isArray(existing) ? existing : [existing]), value];
}

/** Split query pairs between the URL string and `qs`, and build the SDK's decoded query object. */
function placeQuery(rng: Rng, pairs: Array<[string, string]>) {
	const inUrl: string[] = [];
	const qs: IDataObject = {};
	const query: Record<string, string | string[]> = {};
	for (const [name, value] of pairs) {
		pushQuery(query, name, value);
		if (rng.chance(0.5)) {
			const bare = value === '' && rng.chance(0.5);
			inUrl.push(
				bare
					? urlForm(rng, name, RAW_SAFE_QUERY)
					: `${urlForm(rng, name, RAW_SAFE_QUERY)}=${urlForm(rng, value, RAW_SAFE_QUERY)}`,
			);
		} else {
			const existing = qs[name];
			if (existing === undefined) qs[name] = value;
			else
				qs[name] = [
					...(Array.isArray(existing) ? (existing as string[]) : [existing as string]),
					value,
				];
		}
	}
	return { search: inUrl.length > 0 ? `?${inUrl.join('&')}` : '', qs, query };
}

export function generateCase(rng: Rng, index: number): RandomCase {
	const service = rng.pick(SERVICES);
	const method = rng.pick(METHODS);
	const regionChoice = rng.pick(REGIONS);
	const credentialRegion = regionChoice === 'other' ? CUSTOM_REGION : regionChoice;
	const endpoint = endpointFor(rng, service, credentialRegion);
	const segments = randomSegments(rng);
	const trailing = segments.length > 0 && rng.chance(0.2);
	const queryPairs = randomQuery(rng);
	const { search, qs, query } = placeQuery(rng, queryPairs);
	const headers = randomHeaders(rng);
	const body = randomBody(rng, method);
	if (body.contentType) headers['Content-Type'] = body.contentType;

	const secretAccessKey = randomKey(
		rng,
		'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
		40,
	);
	const temporaryCredentials = rng.chance(0.5);
	const sessionToken = rng.chance(0.8)
		? randomKey(rng, 'ABCDEFabcdef0123456789+/=', 24 + rng.int(200))
		: '';
	const credentials: ICredentialDataDecryptedObject = {
		region: regionChoice,
		customRegion: regionChoice === 'other' ? CUSTOM_REGION : '',
		accessKeyId: `AKIA${randomKey(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
		secretAccessKey,
		temporaryCredentials,
		sessionToken,
		customEndpoints: endpoint.customEndpoints,
		...endpoint.endpointFields,
	};

	const pathForUrl = `/${segments.map((segment) => urlForm(rng, segment, RAW_SAFE_PATH)).join('/')}${trailing ? '/' : ''}`;
	const useBaseUrl = rng.chance(0.5);
	const requestOptions: IHttpRequestOptions = {
		method: method as IHttpRequestOptions['method'],
		url: useBaseUrl ? `${pathForUrl}${search}` : `${endpoint.base}${pathForUrl}${search}`,
		headers: { ...headers },
		json: rng.chance(0.5),
	};
	if (useBaseUrl) requestOptions.baseURL = endpoint.base;
	if (Object.keys(qs).length > 0) requestOptions.qs = qs;
	if (body.body !== undefined) requestOptions.body = body.body as IHttpRequestOptions['body'];

	const base = new URL(endpoint.base);
	const basePath = base.pathname.replace(/\/$/, '');
	const expectedHeaders: Record<string, string> = { host: base.host };
	for (const [name, value] of Object.entries(headers)) {
		if (!['content-type', 'x-amz-date', 'authorization'].includes(name.toLowerCase()))
			expectedHeaders[name] = value;
	}
	if (body.sentContentType) expectedHeaders['content-type'] = body.sentContentType;
	if (service === 's3') expectedHeaders['x-amz-content-sha256'] = sha256(body.sent ?? '');
	return {
		index,
		service,
		credentials,
		requestOptions,
		segments,
		queryPairs,
		basePath,
		expected: {
			signingName: SIGNING_NAMES[service],
			region: endpoint.region,
			method,
			protocol: base.protocol,
			hostname: base.hostname,
			port: base.port ? Number(base.port) : undefined,
			path: `${basePath}/${segments.map(sdkEscape).join('/')}${trailing ? '/' : ''}`,
			query,
			headers: expectedHeaders,
			body: body.sent,
			sessionToken: temporaryCredentials && sessionToken !== '' ? sessionToken : undefined,
		},
	};
}
