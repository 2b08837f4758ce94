// Hostile OutputUri at node level: a Polly task JSON names where its audio is, and Wait Until Complete
// downloads it with the signed AWS credential. Metadata addresses, other hosts, look-alike hosts, user-info
// tricks, internationalised names, IP literals, ports, plain http and other schemes must be refused before
// any download request; the real S3 forms must be accepted and fetched from the right S3 endpoint.
//
// The Polly status answers come from a recording server (the credential's custom Polly endpoint), which also
// stands in for any host a download might wrongly go to. Requests to anything but loopback are caught by nock
// (see support/net-attempts.ts). Two credentials: one with no custom S3 endpoint (real S3 hosts) and one whose
// custom S3 endpoint is the recording server.
import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { awsCredentials, node, SECRETS } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { emulatorCredentials, fastEmulator } from './support/emulator-env';
import { recordNetAttempts } from './support/net-attempts';
import type { NetAttempts } from './support/net-attempts';
import { startRecordingServer } from './support/recording-server';
import type { RecordingServer } from './support/recording-server';

const MP3 = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413, 7)]);

let recorder: RecordingServer;
let net: NetAttempts;
/** OutputUri (or any value) the status answer of each task ID carries. */
const outputUris = new Map<string, unknown>();
let taskCounter = 0;
const tried = { hostile: 0, accepted: 0 };

beforeAll(async () => {
	recorder = await startRecordingServer();
	recorder.handle((request, response) => {
		const match = /^\/polly\/v1\/synthesisTasks\/([^/?]+)$/.exec(request.url ?? '');
		if (match && outputUris.has(match[1])) {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(
				JSON.stringify({
					SynthesisTask: {
						TaskId: match[1],
						TaskStatus: 'completed',
						OutputFormat: 'mp3',
						OutputUri: outputUris.get(match[1]),
						CreationTime: Date.now() / 1000,
					},
				}),
			);
			return;
		}
		// Anything else "succeeds", so that a wrong download would show up as a completed item too.
		response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(MP3.length) });
		response.end(MP3);
	});
	net = recordNetAttempts();
});

afterAll(async () => {
	net.stop();
	await recorder.close();
	console.log(
		`OutputUri: ${tried.hostile} hostile values refused, ${tried.accepted} real S3 forms accepted`,
	);
});

afterEach(() => nock.cleanAll());

function credential(region: string, customS3: boolean): ICredentialDataDecryptedObject {
	return awsCredentials({
		region,
		customEndpoints: true,
		pollyEndpoint: `${recorder.url}/polly`,
		s3Endpoint: customS3 ? `${recorder.url}/s3` : '',
	});
}

interface Download {
	item: INodeExecutionData;
	/** Requests the recording server got, other than the Polly status request. */
	elsewhere: string[];
	/** Requests aimed at hosts other than loopback. */
	network: string[];
}

async function download(
	outputUri: unknown,
	cred: ICredentialDataDecryptedObject,
): Promise<Download> {
	const taskId = `task-${++taskCounter}`;
	outputUris.set(taskId, outputUri);
	const recorded = recorder.requests.length;
	const attempts = net.attempts.length;
	const result = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: { awsSigV4Api: cred },
		nodes: [
			node(
				TYPES.waitUntilComplete,
				{
					service: 'polly',
					taskId,
					downloadAudio: true,
					binaryPropertyName: 'data',
					options: { strategy: 'fixed', interval: 0.1, timeout: 2 },
				},
				{ name: 'Wait Until Complete', onError: 'continueRegularOutput' },
			),
		],
		input: [{ json: {} }],
	});
	expect(result.error).toBeUndefined();
	const items = (result.outputs['Wait Until Complete'] ?? []).flat();
	expect(items).toHaveLength(1);
	return {
		item: items[0],
		elsewhere: recorder.requests
			.slice(recorded)
			.map((r) => `${r.method} ${r.url}`)
			.filter((r) => !r.startsWith(`GET /polly/v1/synthesisTasks/${taskId}`)),
		network: net.attempts.slice(attempts),
	};
}

const R = () => recorder.url;
const HOSTILE: Array<[string, () => unknown]> = [
	// metadata services
	[
		'AWS instance metadata',
		() => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/role',
	],
	['AWS instance metadata over https', () => 'https://169.254.169.254/latest/meta-data/x.mp3'],
	['AWS IPv6 metadata', () => 'http://[fd00:ec2::254]/latest/meta-data/'],
	['ECS task metadata', () => 'http://169.254.170.2/v2/credentials/abc'],
	['GCP metadata', () => 'https://metadata.google.internal/computeMetadata/v1/instance/'],
	['Alibaba metadata', () => 'http://100.100.100.200/latest/meta-data/'],
	['instance-data name', () => 'https://instance-data/latest/meta-data/'],
	// other hosts
	['another host', () => 'https://evil.example/speech-tasks-output/task.mp3'],
	['another storage service', () => 'https://storage.googleapis.com/speech-tasks-output/task.mp3'],
	['amazonaws.com without s3', () => 'https://amazonaws.com/speech-tasks-output/task.mp3'],
	[
		'another AWS service',
		() => 'https://polly.us-east-1.amazonaws.com/speech-tasks-output/task.mp3',
	],
	['loopback on another port', () => 'http://127.0.0.1:1/speech-tasks-output/task.mp3'],
	['localhost', () => 'https://localhost/speech-tasks-output/task.mp3'],
	['*.localhost', () => 'https://s3.localhost/speech-tasks-output/task.mp3'],
	// look-alike hosts
	[
		's3.amazonaws.com.example.net',
		() => 'https://s3.amazonaws.com.example.net/speech-tasks-output/task.mp3',
	],
	[
		'regional endpoint as a subdomain',
		() => 'https://s3.us-east-1.amazonaws.com.evil.example/speech-tasks-output/task.mp3',
	],
	['s3.amazonaws.evil.com', () => 'https://s3.amazonaws.evil.com/speech-tasks-output/task.mp3'],
	[
		'dashes instead of dots',
		() => 'https://s3-us-east-1-amazonaws.com/speech-tasks-output/task.mp3',
	],
	['amazonaws.co', () => 'https://s3.us-east-1.amazonaws.co/speech-tasks-output/task.mp3'],
	['trailing dot', () => 'https://s3.us-east-1.amazonaws.com./speech-tasks-output/task.mp3'],
	['empty label', () => 'https://s3..amazonaws.com/speech-tasks-output/task.mp3'],
	[
		'encoded slash before @',
		() => 'https://s3.amazonaws.com%2F@evil.example/speech-tasks-output/task.mp3',
	],
	[
		'backslash before @',
		() => 'https://s3.us-east-1.amazonaws.com\\@evil.example/speech-tasks-output/task.mp3',
	],
	[
		'backslash host split',
		() => 'https://evil.example\\.s3.amazonaws.com/speech-tasks-output/task.mp3',
	],
	[
		'encoded dot',
		() => 'https://s3.us-east-1.amazonaws.com%2eevil.example/speech-tasks-output/task.mp3',
	],
	['tab in the host', () => 'https://s3.us-east-1.amazon\taws.com/speech-tasks-output/task.mp3'],
	// user-info tricks
	[
		'user-info before S3',
		() => 'https://evil.example@s3.us-east-1.amazonaws.com/speech-tasks-output/task.mp3',
	],
	[
		'S3 as user-info',
		() => 'https://s3.us-east-1.amazonaws.com@evil.example/speech-tasks-output/task.mp3',
	],
	[
		'S3 with port as user-info',
		() => 'https://s3.us-east-1.amazonaws.com:443@evil.example/speech-tasks-output/task.mp3',
	],
	[
		'user and password',
		() => 'https://user:pass@s3.us-east-1.amazonaws.com/speech-tasks-output/task.mp3',
	],
	['user-info in s3://', () => 's3://evil.example@speech-tasks-output/task.mp3'],
	// internationalised names
	[
		'Cyrillic o in .com',
		() => 'https://s3.us-east-1.amazonaws.c\u043em/speech-tasks-output/task.mp3',
	],
	[
		'Cyrillic dze for s',
		() => 'https://\u04553.us-east-1.amazonaws.com/speech-tasks-output/task.mp3',
	],
	['fullwidth dots', () => 'https://s3\uff0eamazonaws\uff0ecom/speech-tasks-output/task.mp3'],
	['punycode label', () => 'https://xn--s3-ffa.amazonaws.com/speech-tasks-output/task.mp3'],
	['punycode bucket label', () => 'https://xn--bcher-kva.s3.amazonaws.com/task.mp3'],
	// IP literals
	['IPv4 loopback', () => 'https://127.0.0.1/speech-tasks-output/task.mp3'],
	['decimal IPv4', () => 'https://2130706433/speech-tasks-output/task.mp3'],
	['hex IPv4', () => 'https://0x7f000001/speech-tasks-output/task.mp3'],
	['octal IPv4', () => 'https://0177.0.0.1/speech-tasks-output/task.mp3'],
	['short IPv4', () => 'https://127.1/speech-tasks-output/task.mp3'],
	['IPv6 loopback', () => 'https://[::1]/speech-tasks-output/task.mp3'],
	['IPv4-mapped IPv6', () => 'https://[::ffff:127.0.0.1]/speech-tasks-output/task.mp3'],
	['an S3 IP address', () => 'https://52.216.0.1/speech-tasks-output/task.mp3'],
	// ports
	['port 8443', () => 'https://s3.us-east-1.amazonaws.com:8443/speech-tasks-output/task.mp3'],
	[
		'explicit port 443',
		() => 'https://s3.us-east-1.amazonaws.com:443/speech-tasks-output/task.mp3',
	],
	['port on the global endpoint', () => 'https://s3.amazonaws.com:80/speech-tasks-output/task.mp3'],
	['empty port', () => 'https://s3.amazonaws.com:/speech-tasks-output/task.mp3'],
	// schemes
	['plain http', () => 'http://s3.us-east-1.amazonaws.com/speech-tasks-output/task.mp3'],
	[
		'plain http, upper case',
		() => 'HTTP://s3.us-east-1.amazonaws.com/speech-tasks-output/task.mp3',
	],
	['file:', () => 'file:///etc/passwd'],
	['ftp:', () => 'ftp://s3.amazonaws.com/speech-tasks-output/task.mp3'],
	['gopher:', () => 'gopher://169.254.169.254:80/_GET'],
	['javascript:', () => 'javascript:alert(1)'],
	['data:', () => 'data:audio/mpeg;base64,//uQZA=='],
	['no scheme', () => '//s3.amazonaws.com/speech-tasks-output/task.mp3'],
	// other partitions than the credential's (aws)
	['China partition', () => 'https://s3.cn-north-1.amazonaws.com.cn/speech-tasks-output/task.mp3'],
	[
		'GovCloud partition',
		() => 'https://s3.us-gov-west-1.amazonaws.com/speech-tasks-output/task.mp3',
	],
	// paths, controls
	[
		'dot-dot in the key',
		() => 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/../../latest/meta-data',
	],
	[
		'encoded dot-dot',
		() => 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/%2e%2e/task.mp3',
	],
	['no key', () => 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/'],
	['no bucket', () => 'https://s3.us-east-1.amazonaws.com/'],
	['newline inside', () => 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/ta\nsk.mp3'],
	['tab inside', () => 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/ta\tsk.mp3'],
	[
		'header injection',
		() => 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/task.mp3\r\nHost: evil.example',
	],
	['null character', () => 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/task\u0000.mp3'],
	[
		'over-long key',
		() => `https://s3.us-east-1.amazonaws.com/speech-tasks-output/${'k'.repeat(1100)}`,
	],
	// not a string
	['empty', () => ''],
	['whitespace', () => '   '],
	['number', () => 42],
	['object', () => ({ url: 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/task.mp3' })],
	['list', () => ['https://s3.us-east-1.amazonaws.com/speech-tasks-output/task.mp3']],
	['null', () => null],
];

/** Hostile only without a custom S3 endpoint: with one, its own origin is where the audio is meant to come from. */
const WITHOUT_CUSTOM_ONLY: Array<[string, () => unknown]> = [
	['the recording server', () => `${R()}/speech-tasks-output/task.mp3`],
];

describe.each([
	['no custom S3 endpoint (real S3 hosts)', false, [...HOSTILE, ...WITHOUT_CUSTOM_ONLY]],
	['custom S3 endpoint (the recording server)', true, HOSTILE],
] as const)('%s', (_label, customS3, hostile) => {
	it.each(hostile)('refuses %s before any download request', async (_name, uri) => {
		const { item, elsewhere, network } = await download(uri(), credential('us-east-1', customS3));
		tried.hostile++;
		expect(elsewhere).toEqual([]);
		expect(network).toEqual([]);
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toMatch(
			/^(Refused to download the Polly output|The Polly task names no output file)$/,
		);
		// The details say what was wrong with the location and what to check.
		expect(String(item.json.details)).toMatch(/(OutputUri|output file location|S3).{20,}/);
	});
});

// Real S3 forms, without a custom S3 endpoint: fetched path-style from the regional endpoint the URI names,
// signed for that region.
const ACCEPTED: Array<[string, string, string, string, string]> = [
	// [form, credential region, OutputUri, expected origin, expected path]
	[
		'regional (documented Polly form)',
		'us-east-1',
		'https://s3.us-east-1.amazonaws.com/speech-tasks-output/a.mp3',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'global',
		'us-east-1',
		'https://s3.amazonaws.com/speech-tasks-output/a.mp3',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'legacy dash',
		'us-east-1',
		'https://s3-eu-west-1.amazonaws.com/speech-tasks-output/a.mp3',
		'https://s3.eu-west-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'virtual-hosted, regional',
		'us-east-1',
		'https://speech-tasks-output.s3.eu-west-1.amazonaws.com/a.mp3',
		'https://s3.eu-west-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'virtual-hosted, global',
		'us-east-1',
		'https://speech-tasks-output.s3.amazonaws.com/a.mp3',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'dual-stack',
		'us-east-1',
		'https://s3.dualstack.eu-west-1.amazonaws.com/speech-tasks-output/a.mp3',
		'https://s3.eu-west-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'FIPS',
		'us-east-1',
		'https://s3-fips.us-east-2.amazonaws.com/speech-tasks-output/a.mp3',
		'https://s3.us-east-2.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		's3://',
		'eu-central-1',
		's3://speech-tasks-output/a.mp3',
		'https://s3.eu-central-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'upper-case host',
		'us-east-1',
		'https://S3.US-EAST-1.AMAZONAWS.COM/speech-tasks-output/a.mp3',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'encoded key',
		'us-east-1',
		'https://s3.us-east-1.amazonaws.com/speech-tasks-output/my%20file%2B1.mp3',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/my%20file%2B1.mp3',
	],
	[
		'key with a raw ?',
		'us-east-1',
		'https://s3.us-east-1.amazonaws.com/speech-tasks-output/a?b.mp3',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/a%3Fb.mp3',
	],
	[
		'surrounding whitespace (trimmed)',
		'us-east-1',
		' https://s3.us-east-1.amazonaws.com/speech-tasks-output/a.mp3\n',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
	[
		'versionId',
		'us-east-1',
		'https://s3.us-east-1.amazonaws.com/speech-tasks-output/a.mp3?versionId=3HL4kqtJlcpXroDTDmJ',
		'https://s3.us-east-1.amazonaws.com',
		'/speech-tasks-output/a.mp3?versionId=3HL4kqtJlcpXroDTDmJ',
	],
	[
		'China partition, China credential',
		'cn-north-1',
		'https://s3.cn-north-1.amazonaws.com.cn/speech-tasks-output/a.mp3',
		'https://s3.cn-north-1.amazonaws.com.cn',
		'/speech-tasks-output/a.mp3',
	],
	[
		'GovCloud partition, GovCloud credential',
		'us-gov-west-1',
		'https://s3.us-gov-west-1.amazonaws.com/speech-tasks-output/a.mp3',
		'https://s3.us-gov-west-1.amazonaws.com',
		'/speech-tasks-output/a.mp3',
	],
];

describe('real S3 forms are accepted', () => {
	it.each(ACCEPTED)('%s', async (_form, region, uri, origin, path) => {
		const signingRegion = new URL(origin).hostname.split('.')[1];
		const s3 = nock(origin)
			.get(path)
			.matchHeader('authorization', new RegExp(`/${signingRegion}/s3/aws4_request`))
			.reply(200, MP3, { 'content-type': 'audio/mpeg', 'content-length': String(MP3.length) });
		const { item, elsewhere, network } = await download(uri, credential(region, false));
		tried.accepted++;
		expect(item.json.error).toBeUndefined();
		expect(s3.isDone()).toBe(true);
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(MP3)).toBe(true);
		expect(elsewhere).toEqual([]);
		expect(network).toEqual([]);
	});

	it.each(ACCEPTED.filter(([, region]) => region === 'us-east-1'))(
		'%s, mapped onto the custom S3 endpoint',
		async (_form, _region, uri, _origin, path) => {
			const { item, elsewhere, network } = await download(uri, credential('us-east-1', true));
			expect(item.json.error).toBeUndefined();
			expect(item.binary?.data).toBeDefined();
			expect(elsewhere).toEqual([`GET /s3${path}`]);
			expect(network).toEqual([]);
		},
	);
});

describe('S3 answers that try to move the download elsewhere', () => {
	const URI = 'https://s3.us-east-1.amazonaws.com/speech-tasks-output/a.mp3';
	const redirect = (headers: Record<string, string>, status = 301) =>
		nock('https://s3.us-east-1.amazonaws.com')
			.get('/speech-tasks-output/a.mp3')
			.reply(
				status,
				'<?xml version="1.0"?><Error><Code>PermanentRedirect</Code><Message>Use the right endpoint</Message></Error>',
				{
					'content-type': 'application/xml',
					...headers,
				},
			);

	it('follows a wrong-region answer to the regional endpoint of the same partition, signed for it', async () => {
		redirect({ 'x-amz-bucket-region': 'eu-west-1' });
		const moved = nock('https://s3.eu-west-1.amazonaws.com')
			.get('/speech-tasks-output/a.mp3')
			.matchHeader('authorization', /\/eu-west-1\/s3\/aws4_request/)
			.reply(200, MP3, { 'content-type': 'audio/mpeg' });
		const { item, network } = await download(URI, credential('us-east-1', false));
		expect(item.json.error).toBeUndefined();
		expect(moved.isDone()).toBe(true);
		expect(network).toEqual([]);
	});

	it.each([
		['a region of another partition', { 'x-amz-bucket-region': 'cn-north-1' }],
		['a host name as the region', { 'x-amz-bucket-region': 'evil.example' }],
		['a path as the region', { 'x-amz-bucket-region': 'eu-west-1.evil.example/x' }],
	])('does not follow %s', async (_name, headers) => {
		redirect(headers);
		const { item, elsewhere, network } = await download(URI, credential('us-east-1', false));
		expect(item.json.error).toMatch(/region/i);
		expect(elsewhere).toEqual([]);
		expect(network).toEqual([]);
	});

	it.each([301, 302, 307, 308])(
		'never follows a Location header (HTTP %i) to another host',
		async (status) => {
			redirect({ location: `${recorder.url}/stolen`, 'x-amz-bucket-region': 'us-east-1' }, status);
			const { item, elsewhere, network } = await download(URI, credential('us-east-1', false));
			expect(item.binary).toBeUndefined();
			expect(item.json.error).toBeDefined();
			expect(elsewhere).toEqual([]);
			expect(network).toEqual([]);
		},
	);

	it('keeps the signed request on S3 when the answer names the metadata address as the endpoint', async () => {
		nock('https://s3.us-east-1.amazonaws.com')
			.get('/speech-tasks-output/a.mp3')
			.reply(
				301,
				'<Error><Code>PermanentRedirect</Code><Endpoint>169.254.169.254</Endpoint></Error>',
				{ 'content-type': 'application/xml' },
			);
		const { item, elsewhere, network } = await download(URI, credential('us-east-1', false));
		expect(item.json.error).toBeDefined();
		expect(elsewhere).toEqual([]);
		expect(network).toEqual([]);
		expect(JSON.stringify(item.json)).not.toContain(SECRETS.secretAccessKey);
	});
});

describe('every OutputUri form the emulated Polly writes is downloaded from the custom S3 endpoint', () => {
	it.each(['regional', 'global', 'dash', 'virtual-hosted', 's3', 'emulator'] as const)(
		'%s',
		async (style) => {
			const emulator = await fastEmulator({ outputUriStyle: style });
			try {
				const task = emulator.createPollyTask(
					{
						OutputFormat: 'mp3',
						OutputS3BucketName: 'speech-tasks-output',
						Text: `Form ${style}.`,
						VoiceId: 'Joanna',
					},
					{ durationMs: 0 },
				);
				const result = await runWorkflow({
					nodeTypes,
					credentialTypes,
					credentials: emulatorCredentials(emulator),
					nodes: [
						node(
							TYPES.waitUntilComplete,
							{ service: 'auto', downloadAudio: true, binaryPropertyName: 'data' },
							{ name: 'Wait Until Complete' },
						),
					],
					input: [{ json: task as IDataObject }],
				});
				expect(result.error).toBeUndefined();
				const [completed] = result.outputs['Wait Until Complete'];
				expect(completed[0].binary?.data?.mimeType).toBe('audio/mpeg');
				const downloads = emulator.requestsFor('s3');
				expect(downloads.map((r) => [r.method, r.path, r.status])).toEqual([
					['GET', `/s3/speech-tasks-output/${String(task.TaskId)}.mp3`, 200],
				]);
				expect(
					emulator.requests.filter(
						(r) => r.route === undefined || String(r.route).endsWith('.unknown'),
					),
				).toEqual([]);
			} finally {
				await emulator.close();
			}
		},
	);
});
