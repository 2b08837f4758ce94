// Our signer, driven through the credential's `authenticate`, must produce the same Authorization header as
// AWS's own @smithy/signature-v4 for the request the AWS SDK would send — on 1,200 seeded random requests.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AwsSigV4Api } from '../../../../../credentials/AwsSigV4Api.credentials';
import { generateCase, Rng, type RandomCase } from './random-requests';

// Fixed by default; SIGV4_RANDOM_SEED / SIGV4_RANDOM_COUNT explore further when debugging.
const SEED = Number(process.env.SIGV4_RANDOM_SEED ?? 0x5eed2024);
const COUNT = Number(process.env.SIGV4_RANDOM_COUNT ?? 1200);
const FIXED_DATE = new Date('2024-03-09T17:45:12Z');

async function smithyAuthorization(testCase: RandomCase): Promise<string> {
	const { expected } = testCase;
	const signer = new SignatureV4({
		service: expected.signingName,
		region: expected.region,
		credentials: {
			accessKeyId: String(testCase.credentials.accessKeyId),
			secretAccessKey: String(testCase.credentials.secretAccessKey),
			sessionToken: expected.sessionToken,
		},
		sha256: Sha256,
		uriEscapePath: testCase.service !== 's3',
	});
	const signed = await signer.sign(
		{
			method: expected.method,
			protocol: expected.protocol,
			hostname: expected.hostname,
			port: expected.port,
			path: expected.path,
			query: expected.query,
			headers: { ...expected.headers },
			body: expected.body,
		},
		{ signingDate: FIXED_DATE },
	);
	return String(signed.headers.authorization);
}

function decodedQuery(search: string): Array<[string, string]> {
	if (search === '') return [];
	return search
		.slice(1)
		.split('&')
		.map((pair) => {
			const eq = pair.indexOf('=');
			const [name, value] = eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
			return [decodeURIComponent(name), decodeURIComponent(value)] as [string, string];
		});
}

const sortPairs = (pairs: Array<[string, string]>) =>
	[...pairs].map((pair) => pair.join('\u0000')).sort();

/** What `authenticate` returned still means the request we asked for (path, query, body). */
function semanticProblems(testCase: RandomCase, signed: IHttpRequestOptions): string[] {
	const problems: string[] = [];
	const url = new URL(signed.url);
	const path = url.pathname.slice(testCase.basePath.length);
	const segments = path.split('/').slice(1).map(decodeURIComponent);
	if (segments.length > testCase.segments.length && segments[segments.length - 1] === '')
		segments.pop();
	if (JSON.stringify(segments) !== JSON.stringify(testCase.segments))
		problems.push(`path ${url.pathname}`);
	if (
		JSON.stringify(sortPairs(decodedQuery(url.search))) !==
		JSON.stringify(sortPairs(testCase.queryPairs))
	) {
		problems.push(`query ${url.search}`);
	}
	const sent = signed.body === undefined ? undefined : Buffer.from(signed.body as string | Buffer);
	const want =
		testCase.expected.body === undefined ? undefined : Buffer.from(testCase.expected.body);
	if (String(sent?.toString('hex')) !== String(want?.toString('hex'))) problems.push('body');
	return problems;
}

function describeCase(
	testCase: RandomCase,
	signed: IHttpRequestOptions | undefined,
	ours: string,
	theirs: string,
): string {
	const secretFree = { ...testCase.credentials, secretAccessKey: '<secret>' };
	return JSON.stringify(
		{
			index: testCase.index,
			service: testCase.service,
			credentials: secretFree,
			requestOptions: testCase.requestOptions,
			signedUrl: signed?.url,
			signedHeaders: signed?.headers,
			expected: { ...testCase.expected, body: String(testCase.expected.body) },
			ours,
			theirs,
		},
		null,
		2,
	);
}

describe('SigV4 agreement with @smithy/signature-v4', () => {
	beforeAll(() => {
		// Only Date is faked, so authenticate() signs at FIXED_DATE; promises and timers stay real.
		jest.useFakeTimers({
			now: FIXED_DATE,
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

	it(`signs ${COUNT} random requests exactly like the AWS SDK signer`, async () => {
		const credentialType = new AwsSigV4Api();
		const rng = new Rng(SEED);
		const failures: string[] = [];
		let agreed = 0;
		for (let index = 0; index < COUNT; index += 1) {
			const testCase = generateCase(rng, index);
			let signed: IHttpRequestOptions | undefined;
			let ours = '';
			try {
				signed = await credentialType.authenticate(
					{ ...testCase.credentials },
					{ ...testCase.requestOptions },
				);
				ours = String(signed.headers?.authorization);
			} catch (error) {
				ours = `threw: ${(error as Error).message}`;
			}
			const theirs = await smithyAuthorization(testCase);
			const problems = signed ? semanticProblems(testCase, signed) : ['no request'];
			if (
				ours === theirs &&
				problems.length === 0 &&
				signed?.headers?.['x-amz-date'] === '20240309T174512Z'
			) {
				agreed += 1;
			} else if (failures.length < 5) {
				failures.push(`${problems.join(', ')}\n${describeCase(testCase, signed, ours, theirs)}`);
			}
		}
		console.log(`SigV4 random agreement with @smithy/signature-v4: ${agreed}/${COUNT}`);
		if (failures.length > 0) console.log(`First failing requests:\n${failures.join('\n\n')}`);
		expect(agreed).toBe(COUNT);
	});
});
