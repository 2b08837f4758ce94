/**
 * Benchmark 4 — SigV4 signing speed: our signer against aws4 and @smithy/signature-v4 (what the AWS SDK v3
 * uses, with @smithy/hash-node's node:crypto SHA-256 as the SDK does in Node) on the same few hundred varied
 * requests, in one process. Agreement of the Authorization headers is checked on a sample before timing.
 */
import { createHash } from 'node:crypto';

import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { signAwsRequest } from '../../credentials/common/aws/authenticate';
import { amzDate, signRequest } from '../../credentials/common/aws/signer';
import { fixed, median, ratio, seededRandom, table, Verdicts } from './stats';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aws4 = require('aws4') as {
	sign(request: Aws4Request, credentials: Creds): Aws4Request & { headers: Record<string, string> };
};

interface Aws4Request {
	host: string;
	path: string;
	method: string;
	headers: Record<string, string | number>;
	body?: string;
	service: string;
	region: string;
}

interface Creds {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken?: string;
}

/** One request, in the parts every signer is given. */
interface BenchRequest {
	service: string;
	region: string;
	method: string;
	host: string;
	/** Path as sent on the wire (percent-encoded). */
	path: string;
	/** Decoded query pairs (unique names). */
	query: Array<[string, string]>;
	/** Headers besides host / x-amz-*: content-type and content-length for bodies. */
	headers: Record<string, string>;
	body?: string;
	creds: Creds;
}

const REQUESTS = Number(process.env.BENCH_SIGN_REQUESTS ?? 400);
const DATE = new Date('2025-03-09T17:45:12Z');

const wire = (text: string) =>
	encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);

function generate(count: number, seed = 4242): BenchRequest[] {
	const random = seededRandom(seed);
	const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
	const hex = (n: number) =>
		Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
	const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
	const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];
	const keyPieces = [
		'audio',
		'out put',
		'ü-ber',
		'2025/03/09',
		'task+1',
		'a~b',
		'résumé',
		'中文',
		'x(1)',
		"it's",
		'big file',
	];
	// Like n8n: a few credentials sign everything (every signer caches derived keys per credential and day).
	const credentialPool: Creds[] = [
		{ accessKeyId: `AKIA${hex(16).toUpperCase()}`, secretAccessKey: hex(40) },
		{ accessKeyId: `AKIA${hex(16).toUpperCase()}`, secretAccessKey: hex(40) },
		{
			accessKeyId: `ASIA${hex(16).toUpperCase()}`,
			secretAccessKey: hex(40),
			sessionToken: `FwoGZXIvYXdz${hex(300)}`,
		},
	];
	const requests: BenchRequest[] = [];
	for (let i = 0; i < count; i++) {
		const region = pick(regions);
		const creds = pick(credentialPool);
		const kind = pick([
			'pollyGet',
			'pollyGet',
			'pollyStart',
			'pollyList',
			's3Get',
			's3Get',
			'voiceGet',
			'pipelineGet',
			'sts',
		]);
		let request: BenchRequest;
		switch (kind) {
			case 'pollyGet':
				request = {
					service: 'polly',
					region,
					method: 'GET',
					host: `polly.${region}.amazonaws.com`,
					path: `/v1/synthesisTasks/${uuid()}`,
					query: [],
					headers: {},
					creds,
				};
				break;
			case 'pollyStart': {
				const body = JSON.stringify({
					OutputFormat: 'mp3',
					OutputS3BucketName: 'speech-tasks-output',
					Text: 'Hello world. '.repeat(1 + Math.floor(random() * 300)),
					VoiceId: pick(['Joanna', 'Matthew', 'Ruth']),
					Engine: pick(['standard', 'neural', 'long-form']),
				});
				request = {
					service: 'polly',
					region,
					method: 'POST',
					host: `polly.${region}.amazonaws.com`,
					path: '/v1/synthesisTasks',
					query: [],
					headers: {
						'content-type': 'application/json',
						'content-length': String(Buffer.byteLength(body)),
					},
					body,
					creds,
				};
				break;
			}
			case 'pollyList':
				request = {
					service: 'polly',
					region,
					method: 'GET',
					host: `polly.${region}.amazonaws.com`,
					path: '/v1/synthesisTasks',
					query: [
						['MaxResults', String(1 + Math.floor(random() * 100))],
						['Status', pick(['completed', 'inProgress'])],
						['NextToken', `${hex(20)}+/=${hex(6)}`],
					],
					headers: {},
					creds,
				};
				break;
			case 's3Get': {
				const key =
					Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(keyPieces)).join('/') +
					`.${uuid()}.mp3`;
				request = {
					service: 's3',
					region,
					method: 'GET',
					host: `s3.${region}.amazonaws.com`,
					path: `/speech-tasks-output/${key.split('/').map(wire).join('/')}`,
					query: random() < 0.2 ? [['versionId', hex(32)]] : [],
					headers: {
						'x-amz-content-sha256':
							'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
					},
					creds,
				};
				break;
			}
			case 'voiceGet':
				request = {
					service: 'chime',
					region,
					method: 'GET',
					host: `voice-chime.${region}.amazonaws.com`,
					path: `/voice-connectors/${hex(22)}/speaker-search-tasks/${uuid()}`,
					query: [],
					headers: {},
					creds,
				};
				break;
			case 'pipelineGet':
				request = {
					service: 'chime',
					region,
					method: 'GET',
					host: `media-pipelines-chime.${region}.amazonaws.com`,
					path: `/media-insights-pipelines/${uuid()}/speaker-search-tasks/${uuid()}`,
					query: [],
					headers: {},
					creds,
				};
				break;
			default: {
				const body = 'Action=GetCallerIdentity&Version=2011-06-15';
				request = {
					service: 'sts',
					region,
					method: 'POST',
					host: `sts.${region}.amazonaws.com`,
					path: '/',
					query: [],
					headers: {
						'content-type': 'application/x-www-form-urlencoded',
						'content-length': String(body.length),
					},
					body,
					creds,
				};
			}
		}
		// As the AWS SDK v3 sends it on every request (SignatureV4 applyChecksum), and our authenticate too.
		request.headers['x-amz-content-sha256'] ??= createHash('sha256')
			.update(request.body ?? '')
			.digest('hex');
		requests.push(request);
	}
	return requests;
}

const queryString = (query: Array<[string, string]>) =>
	query.length ? `?${query.map(([n, v]) => `${wire(n)}=${wire(v)}`).join('&')}` : '';

/** Each signer, prepared per request outside the timed loop; returns the Authorization header. */
interface Signer {
	name: string;
	prepare(request: BenchRequest): () => string | Promise<string>;
}

const ourCore: Signer = {
	name: 'ours: signRequest (core)',
	prepare(r) {
		const target = `${r.path}${queryString(r.query)}`;
		const headers = { host: r.host, ...r.headers };
		return () =>
			signRequest({ method: r.method, url: target, headers, body: r.body }, r.creds, {
				service: r.service,
				region: r.region,
				date: DATE,
				s3: r.service === 's3',
			}).headers.authorization;
	},
};

function credentialOf(r: BenchRequest): ICredentialDataDecryptedObject {
	return {
		region: r.region,
		accessKeyId: r.creds.accessKeyId,
		secretAccessKey: r.creds.secretAccessKey,
		temporaryCredentials: r.creds.sessionToken !== undefined,
		sessionToken: r.creds.sessionToken ?? '',
		customEndpoints: false,
	};
}

function n8nOptions(r: BenchRequest): IHttpRequestOptions {
	const headers: Record<string, string> = { ...r.headers };
	delete headers['content-length'];
	return {
		method: r.method as IHttpRequestOptions['method'],
		url: `https://${r.host}${r.path}${queryString(r.query)}`,
		headers,
		body: r.body,
	};
}

const ourFull: Signer = {
	name: "ours: signAwsRequest (the credential's authenticate)",
	prepare(r) {
		const credential = credentialOf(r);
		const options = n8nOptions(r);
		return () => String(signAwsRequest(credential, options, DATE).headers?.authorization);
	},
};

const aws4Signer: Signer = {
	name: 'aws4 1.13.2',
	prepare(r) {
		const path = `${r.path}${queryString(r.query)}`;
		return () =>
			aws4.sign(
				{
					host: r.host,
					path,
					method: r.method,
					headers: { ...r.headers, 'X-Amz-Date': amzDate(DATE) },
					body: r.body,
					service: r.service,
					region: r.region,
				},
				r.creds,
			).headers.Authorization;
	},
};

const smithyCache = new Map<string, SignatureV4>();
function smithyFor(r: BenchRequest): SignatureV4 {
	const key = `${r.service}|${r.region}|${r.creds.accessKeyId}`;
	let signer = smithyCache.get(key);
	if (!signer) {
		signer = new SignatureV4({
			service: r.service,
			region: r.region,
			credentials: r.creds,
			sha256: Hash.bind(null, 'sha256'),
			uriEscapePath: r.service !== 's3',
		});
		smithyCache.set(key, signer);
	}
	return signer;
}

function smithyRequest(r: BenchRequest, headers: Record<string, string>) {
	const query: Record<string, string> = {};
	for (const [name, value] of r.query) query[name] = value;
	return {
		method: r.method,
		protocol: 'https:',
		hostname: r.host,
		path: r.path,
		query,
		headers: { host: r.host, ...headers },
		body: r.body,
	};
}

const smithySigner: Signer = {
	name: '@smithy/signature-v4 5.7.5 (AWS SDK v3)',
	prepare(r) {
		const signer = smithyFor(r);
		return async () =>
			String(
				(await signer.sign(smithyRequest(r, r.headers), { signingDate: DATE })).headers
					.authorization,
			);
	},
};

const SIGNERS = [smithySigner, aws4Signer, ourCore, ourFull];
const BASELINE = smithySigner.name;

const ROUNDS = 7;
const ROUND_MS = 250;

/** Signs all requests in a loop for at least `minMs`; signatures per second. */
async function timeOnce(
	prepared: Array<() => string | Promise<string>>,
	isAsync: boolean,
	minMs: number,
): Promise<number> {
	let signatures = 0;
	const start = process.hrtime.bigint();
	let elapsedMs = 0;
	while (elapsedMs < minMs) {
		if (isAsync) for (const sign of prepared) await sign();
		else for (const sign of prepared) sign();
		signatures += prepared.length;
		elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
	}
	return (signatures / elapsedMs) * 1000;
}

/** Interleaved rounds (each signer in turn, ROUNDS times), so drift of a shared machine hits all alike; medians. */
async function timeSigners(
	signers: Signer[],
	requests: BenchRequest[],
): Promise<Map<string, number>> {
	const prepared = signers.map((signer) => ({
		signer,
		calls: requests.map((r) => signer.prepare(r)),
		isAsync: signer === smithySigner,
	}));
	for (const p of prepared) await timeOnce(p.calls, p.isAsync, ROUND_MS); // warm-up
	const rates = new Map<string, number[]>(signers.map((s) => [s.name, []]));
	for (let round = 0; round < ROUNDS; round++) {
		for (const p of prepared)
			rates.get(p.signer.name)!.push(await timeOnce(p.calls, p.isAsync, ROUND_MS));
	}
	return new Map([...rates].map(([name, values]) => [name, median(values)]));
}

export async function runSigningBench(verdicts: Verdicts): Promise<string> {
	const requests = generate(REQUESTS);

	// Agreement on a sample (every 4th request): core signer, aws4 and smithy on the same headers; the
	// credential's authenticate against smithy given the headers authenticate chose to sign.
	let compared = 0;
	for (let i = 0; i < requests.length; i += 4) {
		const r = requests[i];
		const core = String(await ourCore.prepare(r)());
		const a4 = String(await aws4Signer.prepare(r)());
		const sm = String(await smithySigner.prepare(r)());
		verdicts.check(
			core === sm,
			`signing: request ${i} (${r.service} ${r.method} ${r.path}): ours ${core} ≠ smithy ${sm}`,
		);
		verdicts.check(
			a4 === sm,
			`signing: request ${i} (${r.service} ${r.method} ${r.path}): aws4 ${a4} ≠ smithy ${sm}`,
		);
		const signed = signAwsRequest(credentialOf(r), n8nOptions(r), DATE);
		const sent: Record<string, string> = {};
		for (const [name, value] of Object.entries(signed.headers ?? {})) {
			if (!['authorization', 'x-amz-date', 'x-amz-security-token'].includes(name.toLowerCase()))
				sent[name.toLowerCase()] = String(value);
		}
		const url = new URL(signed.url);
		verdicts.check(
			url.host === r.host && `${url.pathname}${url.search}` === `${r.path}${queryString(r.query)}`,
			`signing: request ${i}: authenticate changed the URL to ${signed.url}`,
		);
		const full = String(
			(await smithyFor(r).sign(smithyRequest(r, sent), { signingDate: DATE })).headers
				.authorization,
		);
		verdicts.check(
			String(signed.headers?.authorization) === full,
			`signing: request ${i}: authenticate ${String(signed.headers?.authorization)} ≠ smithy ${full}`,
		);
		compared++;
	}

	const rates = await timeSigners(SIGNERS, requests);
	const results = SIGNERS.map((signer) => ({
		name: signer.name,
		perSecond: rates.get(signer.name)!,
	}));
	const base = results.find((r) => r.name === BASELINE)!.perSecond;
	const kinds = new Map<string, number>();
	for (const r of requests)
		kinds.set(`${r.service} ${r.method}`, (kinds.get(`${r.service} ${r.method}`) ?? 0) + 1);
	return [
		`${requests.length} requests (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}; 3 credentials, one with a session token; 4 regions; S3 keys with spaces, unicode, + and '), ` +
			`each signer signs all of them in a loop for 250 ms, in 7 interleaved rounds after a warm-up; median rate. Authorization headers agree on ${compared} sampled requests (ours = aws4 = smithy; authenticate = smithy on the headers it signs).`,
		'',
		table(
			['signer', 'signatures/s', 'µs/signature', '× smithy'],
			results.map((r) => [
				r.name,
				fixed(r.perSecond, 0),
				fixed(1e6 / r.perSecond, 1),
				ratio(r.perSecond, base),
			]),
		),
	].join('\n');
}
