// The awsSigV4Api credential: its description, its authenticate(), and its STS test request.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { NodeConnectionTypes, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { AwsSigV4Api } from '../../../../../credentials/AwsSigV4Api.credentials';
import { AWS_REGIONS } from '../../../../../credentials/common/aws/regions';
import { TestNodeTypes } from '../../../../harness/node-types';
import { runWorkflow } from '../../../../harness/run-workflow';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEXAMPLE//token+with/slashes==';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const NOW = new Date('2024-01-02T03:04:05Z');
const AMZ_DATE = '20240102T030405Z';

const credentialType = new AwsSigV4Api();

const creds = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	region: 'us-east-1',
	accessKeyId: 'AKIDEXAMPLE',
	secretAccessKey: SECRET,
	temporaryCredentials: false,
	sessionToken: '',
	customEndpoints: false,
	...extra,
});

const authenticate = async (
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
) => await credentialType.authenticate(credentials, options);

/** Authorization for a hand-written canonical request: an independent HMAC chain on node:crypto. */
function expectedAuthorization(
	canonical: string,
	signedHeaders: string,
	region: string,
	service: string,
): string {
	const scope = `${AMZ_DATE.slice(0, 8)}/${region}/${service}/aws4_request`;
	const toSign = [
		'AWS4-HMAC-SHA256',
		AMZ_DATE,
		scope,
		createHash('sha256').update(canonical).digest('hex'),
	].join('\n');
	let key: Buffer = Buffer.from(`AWS4${SECRET}`);
	for (const part of [AMZ_DATE.slice(0, 8), region, service, 'aws4_request'])
		key = createHmac('sha256', key).update(part).digest();
	const signature = createHmac('sha256', key).update(toSign).digest('hex');
	return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Fake only Date, so authenticate() signs at NOW; promises, timers and I/O stay real. */
function signAtFixedDate(): void {
	beforeAll(() => {
		jest.useFakeTimers({
			now: NOW,
			doNotFake: [
				'nextTick',
				'queueMicrotask',
				'setImmediate',
				'clearImmediate',
				'setInterval',
				'clearInterval',
				'setTimeout',
				'clearTimeout',
				'hrtime',
				'performance',
			],
		});
	});
	afterAll(() => {
		jest.useRealTimers();
	});
}

describe('AwsSigV4Api description', () => {
	it('has the agreed name, documentation URL and two different icon files', () => {
		expect(credentialType.name).toBe('awsSigV4Api');
		expect(credentialType.displayName).toBe('AWS (SigV4) API');
		expect(credentialType.documentationUrl).toMatch(/^https:\/\//);
		const dir = path.resolve(__dirname, '../../../../../credentials');
		const files = [credentialType.icon.light, credentialType.icon.dark].map((icon) =>
			path.join(dir, icon.replace(/^file:/, '')),
		);
		for (const file of files) expect(existsSync(file)).toBe(true);
		expect(readFileSync(files[0], 'utf8')).not.toBe(readFileSync(files[1], 'utf8'));
	});

	it('has the agreed fields; secrets are password fields', () => {
		const byName = Object.fromEntries(
			credentialType.properties.map((property) => [property.name, property]),
		);
		expect(Object.keys(byName)).toEqual([
			'region',
			'customRegion',
			'accessKeyId',
			'secretAccessKey',
			'temporaryCredentials',
			'sessionToken',
			'assumeRole',
			'roleArn',
			'externalId',
			'roleSessionName',
			'roleSessionDuration',
			'roleSessionToken',
			'customEndpoints',
			'pollyEndpoint',
			'chimeMediaPipelinesEndpoint',
			'chimeVoiceEndpoint',
			's3Endpoint',
			'stsEndpoint',
		]);
		expect(byName.secretAccessKey.typeOptions?.password).toBe(true);
		expect(byName.sessionToken.typeOptions?.password).toBe(true);
		expect(byName.sessionToken.displayOptions?.show?.temporaryCredentials).toEqual([true]);
		expect(byName.pollyEndpoint.displayOptions?.show?.customEndpoints).toEqual([true]);
		expect(byName.pollyEndpoint.placeholder).toBe('https://polly.{region}.amazonaws.com');
		expect(byName.s3Endpoint.description).toMatch(/VPC endpoint.*proxy.*local emulator/);
	});

	it('offers every region of aws, aws-cn and aws-us-gov, then a free-text choice', () => {
		const region = credentialType.properties.find((property) => property.name === 'region');
		expect(region?.default).toBe('us-east-1');
		const options = (region?.options ?? []) as Array<{ name: string; value: string }>;
		expect(options).toHaveLength(AWS_REGIONS.length + 1);
		expect(options).toContainEqual({
			name: 'US East (N. Virginia) - us-east-1',
			value: 'us-east-1',
		});
		expect(options).toContainEqual({
			name: 'China (Ningxia) - cn-northwest-1',
			value: 'cn-northwest-1',
		});
		expect(options).toContainEqual({
			name: 'AWS GovCloud (US-West) - us-gov-west-1',
			value: 'us-gov-west-1',
		});
		expect(options[options.length - 1]).toEqual({ name: 'Other (Type Below)', value: 'other' });
	});
});

describe('authenticate', () => {
	signAtFixedDate();

	it('folds qs into the URL (arrays as repeated keys) and signs the result', async () => {
		const signed = await authenticate(creds(), {
			method: 'GET',
			baseURL: 'https://polly.us-east-1.amazonaws.com/',
			url: '/v1/synthesisTasks',
			qs: { Status: 'completed', MaxResults: 10, Tag: ['a b', 'c+d'], Empty: undefined },
		});
		expect(signed.url).toBe(
			'https://polly.us-east-1.amazonaws.com/v1/synthesisTasks?Status=completed&MaxResults=10&Tag=a%20b&Tag=c%2Bd',
		);
		expect(signed.qs).toBeUndefined();
		expect(signed.baseURL).toBeUndefined();
		const canonical = [
			'GET',
			'/v1/synthesisTasks',
			'MaxResults=10&Status=completed&Tag=a%20b&Tag=c%2Bd',
			`host:polly.us-east-1.amazonaws.com\nx-amz-content-sha256:${EMPTY}\nx-amz-date:${AMZ_DATE}\n`,
			'host;x-amz-content-sha256;x-amz-date',
			EMPTY,
		].join('\n');
		expect(signed.headers?.authorization).toBe(
			expectedAuthorization(
				canonical,
				'host;x-amz-content-sha256;x-amz-date',
				'us-east-1',
				'polly',
			),
		);
		expect(signed.headers?.['x-amz-date']).toBe(AMZ_DATE);
	});

	it('double-encodes an ARN in a Chime path in the canonical URI, and sends it encoded once', async () => {
		const arn = encodeURIComponent('arn:aws:chime:us-east-1:123456789012:media-pipeline/abc');
		const task = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
		const signed = await authenticate(creds(), {
			method: 'GET',
			url: `https://media-pipelines-chime.us-east-1.amazonaws.com/media-insights-pipelines/${arn}/speaker-search-tasks/${task}`,
		});
		expect(signed.url).toContain(
			'/media-insights-pipelines/arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Amedia-pipeline%2Fabc/',
		);
		const canonical = [
			'GET',
			`/media-insights-pipelines/arn%253Aaws%253Achime%253Aus-east-1%253A123456789012%253Amedia-pipeline%252Fabc/speaker-search-tasks/${task}`,
			'',
			`host:media-pipelines-chime.us-east-1.amazonaws.com\nx-amz-content-sha256:${EMPTY}\nx-amz-date:${AMZ_DATE}\n`,
			'host;x-amz-content-sha256;x-amz-date',
			EMPTY,
		].join('\n');
		expect(signed.headers?.authorization).toBe(
			expectedAuthorization(
				canonical,
				'host;x-amz-content-sha256;x-amz-date',
				'us-east-1',
				'chime',
			),
		);
	});

	it('encodes an S3 key once (no normalisation) and sends x-amz-content-sha256', async () => {
		const signed = await authenticate(creds(), {
			method: 'GET',
			url: 'https://s3.us-west-2.amazonaws.com/my-bucket/out//file name+1$.mp3',
		});
		expect(signed.url).toBe(
			'https://s3.us-west-2.amazonaws.com/my-bucket/out//file%20name%2B1%24.mp3',
		);
		expect(signed.headers?.['x-amz-content-sha256']).toBe(EMPTY);
		const canonical = [
			'GET',
			'/my-bucket/out//file%20name%2B1%24.mp3',
			'',
			`host:s3.us-west-2.amazonaws.com\nx-amz-content-sha256:${EMPTY}\nx-amz-date:${AMZ_DATE}\n`,
			'host;x-amz-content-sha256;x-amz-date',
			EMPTY,
		].join('\n');
		expect(signed.headers?.authorization).toBe(
			expectedAuthorization(canonical, 'host;x-amz-content-sha256;x-amz-date', 'us-west-2', 's3'),
		);
	});

	it('signs host with a non-default port, the custom endpoint region, and headers the caller set', async () => {
		const emulator = creds({
			region: 'eu-west-1',
			customEndpoints: true,
			pollyEndpoint: 'http://127.0.0.1:4566/polly',
		});
		const signed = await authenticate(emulator, {
			method: 'GET',
			baseURL: 'http://127.0.0.1:4566/polly',
			url: '/v1/synthesisTasks/abc',
			// Two spellings of one header, as n8n's requestDefaults plus a node's own headers can give:
			// axios sends one (the later), so exactly that one is signed.
			headers: {
				Accept: 'text/plain',
				accept: 'application/json',
				'User-Agent': 'n8n',
				'X-Amz-Date': '19990101T000000Z',
			},
		});
		expect(signed.headers).toEqual({
			accept: 'application/json',
			'user-agent': 'n8n',
			'x-amz-content-sha256': EMPTY,
			'x-amz-date': AMZ_DATE,
			authorization: expect.any(String),
		});
		const canonical = [
			'GET',
			'/polly/v1/synthesisTasks/abc',
			'',
			`accept:application/json\nhost:127.0.0.1:4566\nx-amz-content-sha256:${EMPTY}\nx-amz-date:${AMZ_DATE}\n`,
			'accept;host;x-amz-content-sha256;x-amz-date',
			EMPTY,
		].join('\n');
		expect(signed.headers?.authorization).toBe(
			expectedAuthorization(
				canonical,
				'accept;host;x-amz-content-sha256;x-amz-date',
				'eu-west-1',
				'polly',
			),
		);
	});

	it('adds x-amz-security-token only for temporary credentials with a token', async () => {
		const request = (): IHttpRequestOptions => ({
			method: 'GET',
			url: 'https://polly.us-east-1.amazonaws.com/v1/synthesisTasks/a',
		});
		const permanent = await authenticate(creds({ sessionToken: TOKEN }), request());
		expect(Object.keys(permanent.headers ?? {})).not.toContain('x-amz-security-token');
		expect(String(permanent.headers?.authorization)).not.toContain('x-amz-security-token');
		const noToken = await authenticate(
			creds({ temporaryCredentials: true, sessionToken: '' }),
			request(),
		);
		expect(Object.keys(noToken.headers ?? {})).not.toContain('x-amz-security-token');
		const temporary = await authenticate(
			creds({ temporaryCredentials: true, sessionToken: TOKEN }),
			request(),
		);
		expect(temporary.headers?.['x-amz-security-token']).toBe(TOKEN);
		expect(String(temporary.headers?.authorization)).toContain(
			'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,',
		);
	});

	it('leaves no secret in the returned options but the signature (token only in its header)', async () => {
		const signed = await authenticate(creds({ temporaryCredentials: true, sessionToken: TOKEN }), {
			method: 'POST',
			url: 'https://polly.us-east-1.amazonaws.com/v1/synthesisTasks',
			body: { Text: 'hello', OutputFormat: 'mp3' },
		});
		const text = JSON.stringify(signed);
		expect(text).not.toContain(SECRET);
		expect(text).not.toContain(encodeURIComponent(SECRET));
		expect(text.split(JSON.stringify(TOKEN).slice(1, -1)).length - 1).toBe(1);
		expect(signed.headers?.['x-amz-security-token']).toBe(TOKEN);
	});

	it('serialises object bodies as JSON with a content type, and is stable when n8n re-authenticates', async () => {
		const first = await authenticate(creds(), {
			method: 'POST',
			url: 'https://polly.us-east-1.amazonaws.com/v1/synthesisTasks',
			body: { Text: 'hello', OutputFormat: 'mp3' },
			json: true,
		});
		expect(first.body).toBe('{"Text":"hello","OutputFormat":"mp3"}');
		expect(first.headers?.['content-type']).toBe('application/json');
		expect(String(first.headers?.authorization)).toContain(
			'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,',
		);
		// On a 401 n8n runs authenticate again on the options it got back.
		const again = await authenticate(creds(), { ...first, headers: { ...first.headers } });
		expect(again.url).toBe(first.url);
		expect(again.body).toBe(first.body);
		expect(again.headers).toEqual(first.headers);
	});

	it('drops the body of a GET, as n8n does, and signs the empty payload', async () => {
		const signed = await authenticate(creds(), {
			method: 'GET',
			url: 'https://sts.amazonaws.com/',
			body: { x: 1 },
		});
		expect(signed.body).toBeUndefined();
		expect(signed.headers?.['x-amz-content-sha256']).toBe(EMPTY);
	});

	it('fails clearly, without secrets, for an unknown host or missing keys', async () => {
		const unknown = authenticate(creds({ temporaryCredentials: true, sessionToken: TOKEN }), {
			method: 'GET',
			url: 'https://example.com/x',
		});
		await expect(unknown).rejects.toThrow('"example.com"');
		await unknown.catch((error: Error) => {
			expect(error.message).not.toContain(SECRET);
			expect(error.message).not.toContain(TOKEN);
		});
		await expect(
			authenticate(creds({ secretAccessKey: '' }), {
				method: 'GET',
				url: 'https://sts.amazonaws.com/',
			}),
		).rejects.toThrow('The AWS credential needs both an Access Key ID and a Secret Access Key');
	});
});

describe('credential test: STS GetCallerIdentity', () => {
	signAtFixedDate();

	const probe: INodeType = {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			properties: [],
		},
	};
	const node: INode = {
		id: '1',
		name: 'Probe',
		type: 'probe',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ probe }),
	});
	const baseUrlFor = (credentials: ICredentialDataDecryptedObject) =>
		workflow.expression.getSimpleParameterValue(
			node,
			credentialType.test.request.baseURL as string,
			'internal',
			{ $credentials: credentials } as never,
			undefined,
			'',
		);

	it.each([
		[{ region: 'us-east-1' }, 'https://sts.us-east-1.amazonaws.com'],
		[{ region: 'cn-north-1' }, 'https://sts.cn-north-1.amazonaws.com.cn'],
		[{ region: 'us-gov-west-1' }, 'https://sts.us-gov-west-1.amazonaws.com'],
		[{ region: 'other', customRegion: ' eu-south-2 ' }, 'https://sts.eu-south-2.amazonaws.com'],
		[
			{
				region: 'eu-west-1',
				customEndpoints: true,
				stsEndpoint: 'http://127.0.0.1:4566/{region}/sts/',
			},
			'http://127.0.0.1:4566/eu-west-1/sts/',
		],
		[
			{ region: 'eu-west-1', customEndpoints: true, stsEndpoint: '' },
			'https://sts.eu-west-1.amazonaws.com',
		],
		[
			{ region: 'eu-west-1', customEndpoints: false, stsEndpoint: 'http://127.0.0.1:4566/sts' },
			'https://sts.eu-west-1.amazonaws.com',
		],
	])('%j → %s', (credentials, expected) => {
		expect(baseUrlFor(credentials)).toBe(expected);
	});

	it('is a signed form POST of Action=GetCallerIdentity to that endpoint', async () => {
		const credentials = creds({
			region: 'eu-west-1',
			customEndpoints: true,
			stsEndpoint: 'http://127.0.0.1:4566/sts',
		});
		const { request } = credentialType.test;
		const signed = await authenticate(credentials, {
			...(request as IHttpRequestOptions),
			baseURL: String(baseUrlFor(credentials)),
			headers: { ...(request.headers as object) },
		});
		expect(signed.method).toBe('POST');
		expect(signed.url).toBe('http://127.0.0.1:4566/sts/');
		expect(signed.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
		expect(String(signed.headers?.authorization)).toMatch(
			/Credential=AKIDEXAMPLE\/20240102\/eu-west-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,/,
		);
	});
});

// The strongest check: a real request through n8n-core's httpRequestWithAuthentication (axios, Node http) to
// a local server that verifies the received request with AWS's own @smithy/signature-v4.
describe('on the wire through n8n-core', () => {
	let server: Server;
	let base = '';

	beforeAll(async () => {
		server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				void verifyOnServer(req, Buffer.concat(chunks)).then((verdict) => {
					res.writeHead(verdict.ok ? 200 : 403, { 'content-type': 'application/json' });
					res.end(JSON.stringify(verdict));
				});
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	const probe: INodeType = {
		description: {
			displayName: 'Signed Request Probe',
			name: 'signedRequestProbe',
			group: ['transform'],
			version: 1,
			description: 'Sends item.json.request with the AWS credential',
			defaults: { name: 'Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'awsSigV4Api', required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const items = this.getInputData();
			const out: INodeExecutionData[] = [];
			for (let i = 0; i < items.length; i += 1) {
				const request = {
					...(items[i].json.request as object),
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					json: true,
				};
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'awsSigV4Api',
					request as IHttpRequestOptions,
				)) as IDataObject;
				out.push({
					json: { status: response.statusCode, body: response.body } as IDataObject,
					pairedItem: { item: i },
				});
			}
			return [out];
		},
	};

	const requests = (): IDataObject[] => [
		{
			method: 'GET',
			url: `${base}/polly/v1/synthesisTasks`,
			qs: { Status: 'inProgress', NextToken: 'a b+c/d=é😀', Tag: ['x', 'y z'] },
		},
		{
			method: 'GET',
			url: `${base}/media-pipelines/media-insights-pipelines/${encodeURIComponent('arn:aws:chime:us-east-1:123456789012:media-pipeline/abc')}/speaker-search-tasks/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
		},
		{
			method: 'GET',
			url: `${base}/voice/voice-connectors/abcdef1234567890abcde/speaker-search-tasks/task:1%2F2`,
		},
		{
			method: 'GET',
			url: `${base}/s3/my-bucket/out//file name+1$ü.mp3`,
			headers: { Range: 'bytes=0-9', 'X-Amz-Meta-Note': '  a   b  ' },
		},
		{
			method: 'POST',
			baseURL: `${base}/sts`,
			url: '/',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'Action=GetCallerIdentity&Version=2011-06-15',
		},
		{
			method: 'POST',
			url: `${base}/polly/v1/synthesisTasks`,
			body: { Text: 'Hello – wörld', OutputFormat: 'mp3', OutputS3BucketName: 'b' },
		},
		{
			method: 'PUT',
			url: `${base}/polly/v1/lexicons/x`,
			headers: { 'Content-Type': 'application/json' },
			body: '  {"Content":"<lexicon/>"}\n',
		},
		{
			method: 'DELETE',
			url: `${base}/s3/my-bucket/k?versionId=3%2F4`,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { a: 'b c', d: ['1', '2'] },
		},
	];

	it.each([
		['permanent keys', { temporaryCredentials: false }],
		['temporary keys with a session token', { temporaryCredentials: true, sessionToken: TOKEN }],
	])('every request sent with %s verifies on the server', async (_label, extra) => {
		const credentials = creds({
			region: 'eu-west-1',
			customEndpoints: true,
			pollyEndpoint: `${base}/polly`,
			chimeMediaPipelinesEndpoint: `${base}/media-pipelines`,
			chimeVoiceEndpoint: `${base}/voice`,
			s3Endpoint: `${base}/s3`,
			stsEndpoint: `${base}/sts`,
			...extra,
		});
		const { output, error } = await runWorkflow({
			nodeTypes: { signedRequestProbe: probe },
			credentialTypes: { awsSigV4Api: credentialType },
			credentials: { awsSigV4Api: credentials },
			nodes: [
				{
					id: 'p',
					name: 'Probe',
					type: 'signedRequestProbe',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
					credentials: { awsSigV4Api: { id: '1', name: 'AWS' } },
				},
			],
			input: requests().map((request) => ({ json: { request } })),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json)).toEqual(
			requests().map(() => ({ status: 200, body: expect.objectContaining({ ok: true }) })),
		);
		const services = output.map((item) => (item.json.body as IDataObject).service);
		expect(services).toEqual(['polly', 'chime', 'chime', 's3', 'sts', 'polly', 'polly', 's3']);
	});
});

interface Verdict {
	ok: boolean;
	service?: string;
	reason?: string;
}

/** Verify a received request the way an AWS endpoint (or the emulator) would, with @smithy/signature-v4. */
async function verifyOnServer(req: IncomingMessage, body: Buffer): Promise<Verdict> {
	const match =
		/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
			String(req.headers.authorization),
		);
	if (!match) return { ok: false, reason: 'malformed Authorization' };
	const [, accessKeyId, , region, service, signedHeaders, signature] = match;
	const headers: Record<string, string> = {};
	for (const name of signedHeaders.split(';')) headers[name] = String(req.headers[name]);
	const hash = createHash('sha256').update(body).digest('hex');
	if (headers['x-amz-content-sha256'] !== hash) return { ok: false, reason: 'payload hash' };
	const target = new URL(String(req.url), 'http://server');
	const query: Record<string, string | string[]> = {};
	for (const pair of target.search.slice(1).split('&').filter(Boolean)) {
		const eq = pair.indexOf('=');
		const name = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
		const value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1));
		const existing = query[name];
		query[name] =
			existing === undefined
				? value
				: [...(Array.isArray(existing) ? existing : [existing]), value];
	}
	const date = String(req.headers['x-amz-date']).replace(
		/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
		'$1-$2-$3T$4:$5:$6Z',
	);
	const token = req.headers['x-amz-security-token'];
	const signer = new SignatureV4({
		service,
		region,
		credentials: {
			accessKeyId,
			secretAccessKey: SECRET,
			sessionToken: token === undefined ? undefined : String(token),
		},
		sha256: Sha256,
		uriEscapePath: service !== 's3',
	});
	const signed = await signer.sign(
		{
			method: String(req.method),
			protocol: 'http:',
			hostname: '127.0.0.1',
			path: target.pathname,
			query,
			headers,
			body,
		},
		{ signingDate: new Date(date) },
	);
	const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
	return expected === signature
		? { ok: true, service }
		: { ok: false, service, reason: 'signature mismatch' };
}
