// AWS's SigV4 test suite (34 cases) and the S3 examples, read from ../shared at test time.
import { signRequest } from '../../../../../credentials/common/aws/signer';
import {
	findRequestFiles,
	loadSuiteCase,
	s3Example,
	s3ExampleG3,
	SUITE_DIR,
	suiteSessionToken,
} from './suite-files';

const SUITE_CREDENTIALS = {
	accessKeyId: 'AKIDEXAMPLE',
	secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const SUITE_OPTIONS = {
	service: 'service',
	region: 'us-east-1',
	date: new Date('2015-08-30T12:36:00Z'),
};

const S3_CREDENTIALS = {
	accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
	secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const S3_OPTIONS = {
	service: 's3',
	region: 'us-east-1',
	date: new Date('2013-05-24T00:00:00Z'),
	s3: true,
};
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const S3_HOST = 'examplebucket.s3.amazonaws.com';

const requestFiles = findRequestFiles();
const SUITE_TOKEN = suiteSessionToken();
const results = { suite: 0, s3: 0 };
const S3_EXAMPLES = 5;

describe('AWS SigV4 test suite', () => {
	it('finds all 34 cases in ../shared/sigv4-test-suite', () => {
		expect(SUITE_DIR).toMatch(/sigv4-test-suite$/);
		expect(requestFiles).toHaveLength(34);
	});

	// The .req target is handed to the signer as the path it signs. The suite's convention (README: `/example
	// space/` → `/example%20space/`) is that this path is URI-encoded once more by the signer, exactly as
	// the SDK signers treat the path they are given; the query is decoded and re-encoded, so its form does not matter.
	it.each(requestFiles.map((file) => [loadSuiteCase(file).name, file]))('%s', (_name, file) => {
		const suiteCase = loadSuiteCase(file);
		// Only this case expects the signer to add the session token (post-sts-* carry or omit it themselves).
		const sessionToken =
			suiteCase.name === 'get-vanilla-with-session-token' ? SUITE_TOKEN : undefined;
		const signed = signRequest(
			{
				method: suiteCase.method,
				url: suiteCase.target,
				headers: suiteCase.headers,
				body: suiteCase.body,
			},
			{ ...SUITE_CREDENTIALS, sessionToken },
			SUITE_OPTIONS,
		);
		expect(signed.canonicalRequest).toBe(suiteCase.creq);
		expect(signed.stringToSign).toBe(suiteCase.sts);
		expect(signed.headers.authorization).toBe(suiteCase.authz);
		results.suite += 1;
	});
});

describe('S3 examples of s3-vectors.md', () => {
	const s3Headers = (extra: Record<string, string>) => ({
		Host: S3_HOST,
		'x-amz-date': '20130524T000000Z',
		...extra,
	});

	const checkExample = (letter: string, signed: ReturnType<typeof signRequest>) => {
		const expected = s3Example(letter);
		expect(signed.canonicalRequest).toBe(expected.creq);
		if (expected.sts !== undefined) expect(signed.stringToSign).toBe(expected.sts);
		expect(signed.stringToSign.split('\n').pop()).toBe(expected.stsHash);
		expect(signed.signature).toBe(expected.signature);
	};

	it('A. GET Object (ranged)', () => {
		const headers = s3Headers({ Range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY });
		checkExample(
			'A',
			signRequest({ method: 'GET', url: '/test.txt', headers }, S3_CREDENTIALS, S3_OPTIONS),
		);
		results.s3 += 1;
	});

	it('B. PUT Object (key with $, signed body, Date header)', () => {
		const headers = s3Headers({
			Date: 'Fri, 24 May 2013 00:00:00 GMT',
			'x-amz-storage-class': 'REDUCED_REDUNDANCY',
			'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
		});
		const request = {
			method: 'PUT',
			url: '/test$file.text',
			headers,
			body: 'Welcome to Amazon S3.',
		};
		checkExample('B', signRequest(request, S3_CREDENTIALS, S3_OPTIONS));
		results.s3 += 1;
	});

	it('C. GET Bucket lifecycle (value-less query parameter)', () => {
		const headers = s3Headers({ 'x-amz-content-sha256': EMPTY });
		checkExample(
			'C',
			signRequest({ method: 'GET', url: '/?lifecycle', headers }, S3_CREDENTIALS, S3_OPTIONS),
		);
		results.s3 += 1;
	});

	it('D. GET Bucket (List Objects), in either parameter order', () => {
		const headers = s3Headers({ 'x-amz-content-sha256': EMPTY });
		const sign = (url: string) =>
			signRequest({ method: 'GET', url, headers }, S3_CREDENTIALS, S3_OPTIONS);
		checkExample('D', sign('/?max-keys=2&prefix=J'));
		checkExample('D', sign('/?prefix=J&max-keys=2'));
		results.s3 += 1;
	});

	it('D via a URL object: the signer adds x-amz-content-sha256 and signs host from the URL', () => {
		const url = new URL(`https://${S3_HOST}/?prefix=J&max-keys=2`);
		const signed = signRequest(
			{ method: 'GET', url, headers: { 'x-amz-date': '20130524T000000Z' } },
			S3_CREDENTIALS,
			S3_OPTIONS,
		);
		expect(signed.headers['x-amz-content-sha256']).toBe(EMPTY);
		expect(signed.signature).toBe(s3Example('D').signature);
	});

	it('G3. header signing of the session-token case', () => {
		const expected = s3ExampleG3();
		const signed = signRequest(
			{ method: 'GET', url: '/', headers: { Host: 'example.amazonaws.com' } },
			{ ...SUITE_CREDENTIALS, sessionToken: SUITE_TOKEN },
			SUITE_OPTIONS,
		);
		expect(signed.signedHeaders).toBe(expected.signedHeaders);
		expect(signed.signature).toBe(expected.signature);
		expect(signed.headers['x-amz-security-token']).toBe(SUITE_TOKEN);
		results.s3 += 1;
	});

	// E (presigned URL), F (aws-chunked streaming) and G1/G2 (query signing) are not covered: the package
	// only ever signs with the Authorization header and a whole, known body, so the signer has neither mode.
});

afterAll(() => {
	console.log(
		`SigV4 vectors: ${results.suite}/${requestFiles.length} suite cases, ${results.s3}/${S3_EXAMPLES} S3 examples passed`,
	);
});
