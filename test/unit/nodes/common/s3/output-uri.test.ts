import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	decodeKey,
	encodeKey,
	parseOutputUri,
	resolveDownloadTarget,
	retargetToRegion,
} from '../../../../../nodes/common/s3/output-uri';

const TASK = '70b61c0f-57ce-4715-a247-cae8729dcce9';

const aws = (region = 'us-east-1'): ICredentialDataDecryptedObject => ({
	accessKeyId: 'AKIDEXAMPLE',
	secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
	region,
});

const custom = (
	s3Endpoint = 'http://127.0.0.1:4566/s3',
	region = 'us-east-1',
): ICredentialDataDecryptedObject => ({
	...aws(region),
	customEndpoints: true,
	s3Endpoint,
});

describe('parseOutputUri: accepted forms', () => {
	const cases: Array<[string, string, string, string, string, string]> = [
		// [uri, credential region, bucket, key, region, style]
		[
			`https://s3.us-west-2.amazonaws.com/my-s3-bucket/${TASK}.mp3`,
			'us-west-2',
			'my-s3-bucket',
			`${TASK}.mp3`,
			'us-west-2',
			'path',
		],
		[
			`https://s3.us-east-2.amazonaws.com/amzn-s3-demo-bucket/${TASK}.mp3`,
			'us-east-1',
			'amzn-s3-demo-bucket',
			`${TASK}.mp3`,
			'us-east-2',
			'path',
		],
		[
			`https://s3.us-east-2.amazonaws.com/your-bucket-name/optional/prefix/path/file.${TASK}.mp3`,
			'us-east-2',
			'your-bucket-name',
			`optional/prefix/path/file.${TASK}.mp3`,
			'us-east-2',
			'path',
		],
		[
			`https://s3.amazonaws.com/bucket/${TASK}.ogg`,
			'eu-west-1',
			'bucket',
			`${TASK}.ogg`,
			'us-east-1',
			'path',
		],
		[
			`https://s3-us-west-2.amazonaws.com/bucket/${TASK}.mp3`,
			'us-east-1',
			'bucket',
			`${TASK}.mp3`,
			'us-west-2',
			'path',
		],
		[
			`https://s3-external-1.amazonaws.com/bucket/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'us-east-1',
			'path',
		],
		[
			`https://bucket.s3.eu-west-1.amazonaws.com/${TASK}.mp3`,
			'eu-west-1',
			'bucket',
			`${TASK}.mp3`,
			'eu-west-1',
			'virtual',
		],
		[
			`https://my.dotted.bucket.s3.eu-west-1.amazonaws.com/a/b.mp3`,
			'eu-west-1',
			'my.dotted.bucket',
			'a/b.mp3',
			'eu-west-1',
			'virtual',
		],
		[
			`https://bucket.s3.amazonaws.com/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'us-east-1',
			'virtual',
		],
		[
			`https://bucket.s3-eu-west-1.amazonaws.com/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'eu-west-1',
			'virtual',
		],
		[
			`s3://bucket/prefix/${TASK}.mp3`,
			'ap-south-1',
			'bucket',
			`prefix/${TASK}.mp3`,
			'ap-south-1',
			's3',
		],
		[
			`https://s3-fips.us-east-2.amazonaws.com/bucket/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'us-east-2',
			'path',
		],
		[
			`https://s3.dualstack.ap-south-1.amazonaws.com/bucket/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'ap-south-1',
			'path',
		],
		[
			`https://s3-fips.dualstack.us-west-1.amazonaws.com/bucket/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'us-west-1',
			'path',
		],
		[
			`https://bucket.s3-fips.dualstack.us-west-1.amazonaws.com/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'us-west-1',
			'virtual',
		],
		[
			`https://bucket.s3.dualstack.eu-central-1.amazonaws.com/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'eu-central-1',
			'virtual',
		],
		[
			`https://s3.cn-north-1.amazonaws.com.cn/bucket/k.mp3`,
			'cn-northwest-1',
			'bucket',
			'k.mp3',
			'cn-north-1',
			'path',
		],
		[
			`https://bucket.s3.cn-northwest-1.amazonaws.com.cn/k.mp3`,
			'cn-north-1',
			'bucket',
			'k.mp3',
			'cn-northwest-1',
			'virtual',
		],
		[
			`https://s3.us-gov-west-1.amazonaws.com/bucket/k.mp3`,
			'us-gov-east-1',
			'bucket',
			'k.mp3',
			'us-gov-west-1',
			'path',
		],
		[
			`https://s3-fips.us-gov-west-1.amazonaws.com/bucket/k.mp3`,
			'us-gov-west-1',
			'bucket',
			'k.mp3',
			'us-gov-west-1',
			'path',
		],
		[
			`HTTPS://S3.US-WEST-2.AMAZONAWS.COM/LegacyBucket/Key.MP3`,
			'us-west-2',
			'LegacyBucket',
			'Key.MP3',
			'us-west-2',
			'path',
		],
		[
			`  https://s3.us-west-2.amazonaws.com/bucket/k.mp3 \n`,
			'us-west-2',
			'bucket',
			'k.mp3',
			'us-west-2',
			'path',
		],
		[
			`https://dualstack.s3.us-east-1.amazonaws.com/k.mp3`,
			'us-east-1',
			'dualstack',
			'k.mp3',
			'us-east-1',
			'virtual',
		],
		[
			`https://s3.s3.s3.us-east-1.amazonaws.com/k.mp3`,
			'us-east-1',
			's3.s3',
			'k.mp3',
			'us-east-1',
			'virtual',
		],
		[
			`https://us-east-1.s3.amazonaws.com/k.mp3`,
			'us-east-1',
			'us-east-1',
			'k.mp3',
			'us-east-1',
			'virtual',
		],
		[
			`https://s3.us-east-1.amazonaws.com/bucket/a//b.mp3`,
			'us-east-1',
			'bucket',
			'a//b.mp3',
			'us-east-1',
			'path',
		],
		[
			`https://s3.il-central-1.amazonaws.com/bucket/k.mp3`,
			'us-east-1',
			'bucket',
			'k.mp3',
			'il-central-1',
			'path',
		],
	];

	it.each(cases)('%s (credential %s)', (uri, credentialRegion, bucket, key, region, style) => {
		const location = parseOutputUri(uri, credentialRegion);
		expect(location).toMatchObject({ bucket, key, region, style });
		expect(location.versionId).toBeUndefined();
	});

	it('reports the host it read, lower-cased', () => {
		expect(parseOutputUri('https://Bucket.S3.EU-West-1.amazonaws.com/k', 'eu-west-1').host).toBe(
			'bucket.s3.eu-west-1.amazonaws.com',
		);
		expect(parseOutputUri('s3://bucket/k', 'eu-west-1').host).toBe('bucket');
	});
});

describe('parseOutputUri: refused forms', () => {
	const cases: Array<[string, string, RegExp]> = [
		// instance metadata and other internal addresses
		[
			'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
			'us-east-1',
			/plain http/,
		],
		['https://169.254.169.254/latest/meta-data/bkt/k', 'us-east-1', /IP address/],
		['https://169.254.169.254./bkt/k', 'us-east-1', /ends with a dot/],
		['https://2852039166/bkt/k', 'us-east-1', /IP address/],
		['https://0xa9fea9fe/bkt/k', 'us-east-1', /IP address/],
		['https://0xA9.0xFE.0xA9.0xFE/bkt/k', 'us-east-1', /IP address/],
		['https://0251.0376.0251.0376/bkt/k', 'us-east-1', /IP address/],
		['https://127.1/bkt/k', 'us-east-1', /IP address/],
		['https://[::1]/bkt/k', 'us-east-1', /IPv6/],
		['https://[fd00:ec2::254]/latest/meta-data', 'us-east-1', /IPv6/],
		['https://[::ffff:169.254.169.254]/bkt/k', 'us-east-1', /IPv6/],
		['https://localhost/bkt/k', 'us-east-1', /local machine/],
		['https://s3.localhost/bkt/k', 'us-east-1', /local machine/],
		[
			'https://metadata.google.internal/computeMetadata/v1/',
			'us-east-1',
			/not an Amazon S3 endpoint/,
		],
		// other hosts and look-alikes
		['https://example.com/bucket/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		['https://s3.amazonaws.com.example.net/bucket/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		[
			'https://s3.us-east-1.amazonaws.com.evil.com/bucket/k.mp3',
			'us-east-1',
			/not an Amazon S3 endpoint/,
		],
		['https://s3.amazonaws.co/bucket/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		['https://evils3.amazonaws.com/bucket/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		['https://s3-amazonaws.com/bucket/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		['https://amazonaws.com/bucket/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		[
			'https://polly.us-east-1.amazonaws.com/bucket/k.mp3',
			'us-east-1',
			/not an Amazon S3 endpoint/,
		],
		['https://sts.amazonaws.com/bucket/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		[
			'https://s3-website-us-east-1.amazonaws.com/bucket/k.mp3',
			'us-east-1',
			/not an Amazon S3 endpoint/,
		],
		['https://bucket.s3-accelerate.amazonaws.com/k.mp3', 'us-east-1', /not an Amazon S3 endpoint/],
		[
			'https://s3.dualstack.us-east-1.api.aws/bucket/k.mp3',
			'us-east-1',
			/not an Amazon S3 endpoint/,
		],
		[
			'https://s3.us-east-1.amazonaws.com.cn/bucket/k.mp3',
			'us-east-1',
			/not an Amazon S3 endpoint/,
		],
		['https://s3.cn-north-1.amazonaws.com/bucket/k.mp3', 'cn-north-1', /not an Amazon S3 endpoint/],
		['https://s3.amazonaws.com.cn/bucket/k.mp3', 'cn-north-1', /not an Amazon S3 endpoint/],
		['https://s3.us-east-1.amazonaws.com./bucket/k.mp3', 'us-east-1', /ends with a dot/],
		['https://s3..amazonaws.com/bucket/k.mp3', 'us-east-1', /empty label/],
		[
			'https://bucket_x.s3.us-east-1.amazonaws.com/k.mp3',
			'us-east-1',
			/not allowed in a host name/,
		],
		[
			'https://s3.us-east-1.amazonaws.com%2eevil.com/bucket/k.mp3',
			'us-east-1',
			/not allowed in a host name/,
		],
		['https://evil.com\\.s3.amazonaws.com/bucket/k.mp3', 'us-east-1', /not allowed in a host name/],
		// user-info
		['https://user@s3.us-east-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /user information/],
		[
			'https://user:secret@s3.us-east-1.amazonaws.com/bucket/k.mp3',
			'us-east-1',
			/user information/,
		],
		['https://s3.us-east-1.amazonaws.com@evil.com/bucket/k.mp3', 'us-east-1', /user information/],
		['https://evil.com\\@s3.amazonaws.com/bucket/k.mp3', 'us-east-1', /user information/],
		// IDN / punycode look-alikes
		['https://xn--s3-7cd.us-east-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /punycode/],
		['https://bucket.xn--s3-7cd.amazonaws.com/k.mp3', 'us-east-1', /punycode/],
		['https://\u04553.us-east-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /non-ASCII/],
		['https://s3.us-east-1\u3002amazonaws.com/bucket/k.mp3', 'us-east-1', /non-ASCII/],
		['https://s3.us\u2010east\u20101.amazonaws.com/bucket/k.mp3', 'us-east-1', /non-ASCII/],
		// ports
		['https://s3.us-east-1.amazonaws.com:8443/bucket/k.mp3', 'us-east-1', /port/],
		['https://s3.us-east-1.amazonaws.com:443/bucket/k.mp3', 'us-east-1', /port/],
		['https://s3.us-east-1.amazonaws.com:/bucket/k.mp3', 'us-east-1', /port/],
		// schemes
		['http://s3.us-east-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /plain http/],
		['ftp://s3.us-east-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /scheme "ftp:"/],
		['file:///etc/passwd', 'us-east-1', /scheme "file:"/],
		['//s3.us-east-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /not an https:\/\/ or s3:\/\/ URL/],
		['s3.us-east-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /not an https:\/\/ or s3:\/\/ URL/],
		[
			'https:/s3.us-east-1.amazonaws.com/bucket/k.mp3',
			'us-east-1',
			/not an https:\/\/ or s3:\/\/ URL/,
		],
		['', 'us-east-1', /no OutputUri/],
		// another partition than the credential's
		[
			'https://s3.cn-north-1.amazonaws.com.cn/bucket/k.mp3',
			'us-east-1',
			/partition aws-cn.*partition aws\b/,
		],
		['https://s3.us-gov-west-1.amazonaws.com/bucket/k.mp3', 'us-east-1', /partition aws-us-gov/],
		['https://s3.us-east-1.amazonaws.com/bucket/k.mp3', 'cn-north-1', /partition aws-cn/],
		['https://s3.amazonaws.com/bucket/k.mp3', 'us-gov-west-1', /partition aws-us-gov/],
		['https://bucket.s3.us-west-2.amazonaws.com/k.mp3', 'us-gov-west-1', /partition aws-us-gov/],
		// what the path must hold
		['https://s3.us-east-1.amazonaws.com', 'us-east-1', /no bucket/],
		['https://s3.us-east-1.amazonaws.com/', 'us-east-1', /no bucket/],
		['https://s3.us-east-1.amazonaws.com/bucket', 'us-east-1', /no object key/],
		['https://s3.us-east-1.amazonaws.com/bucket/', 'us-east-1', /no object key/],
		['https://bucket.s3.us-east-1.amazonaws.com/', 'us-east-1', /no object key/],
		['https://s3.us-east-1.amazonaws.com/b%2Fc/k.mp3', 'us-east-1', /not an S3 bucket name/],
		['https://s3.us-east-1.amazonaws.com/../k.mp3', 'us-east-1', /not an S3 bucket name/],
		['https://s3.us-east-1.amazonaws.com/bucket/a/../other/k.mp3', 'us-east-1', /"\." or "\.\."/],
		['https://s3.us-east-1.amazonaws.com/bucket/%2e%2e/k.mp3', 'us-east-1', /"\." or "\.\."/],
		['https://s3.us-east-1.amazonaws.com/bucket/./k.mp3', 'us-east-1', /"\." or "\.\."/],
		['https://s3.us-east-1.amazonaws.com/bucket/k%E9.mp3', 'us-east-1', /not valid UTF-8/],
		['https://s3.us-east-1.amazonaws.com/bucket/k%00.mp3', 'us-east-1', /control characters/],
		['https://s3.us-east-1.amazonaws.com/bucket/k\n.mp3', 'us-east-1', /control characters/],
		['https://s3.us-east-1.amazon\taws.com/bucket/k.mp3', 'us-east-1', /control characters/],
		[
			`https://s3.us-east-1.amazonaws.com/bucket/${'k'.repeat(1025)}`,
			'us-east-1',
			/longer than 1024 bytes/,
		],
		['s3://user@bucket/k.mp3', 'us-east-1', /user information/],
		['s3://bucket:80/k.mp3', 'us-east-1', /not an S3 bucket name/],
		['s3://Bucket_Name/k.mp3', 'us-east-1', /not an S3 bucket name/],
		['s3://bucket', 'us-east-1', /no object key/],
	];

	it.each(cases)('%s (credential %s)', (uri, credentialRegion, problem) => {
		expect(() => parseOutputUri(uri, credentialRegion)).toThrow(problem);
		expect(() => parseOutputUri(uri, credentialRegion)).toThrow(
			/^Refused the Polly output location: /,
		);
	});

	it('never echoes a query string (a presigned URL) into the message', () => {
		let message = '';
		try {
			parseOutputUri(
				'https://evil.example/bkt/k?X-Amz-Signature=deadbeef&X-Amz-Credential=AKID',
				'us-east-1',
			);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/not an Amazon S3 endpoint/);
		expect(message).not.toMatch(/deadbeef|AKID/);
	});
});

describe('parseOutputUri: key decoding and the query', () => {
	const base = 'https://s3.us-east-1.amazonaws.com/bucket/';
	const cases: Array<[string, string, string | undefined]> = [
		// [path after the bucket, key, versionId]
		['my%20file%2Bx.mp3', 'my file+x.mp3', undefined],
		['a+b.mp3', 'a+b.mp3', undefined],
		["p!*'():;$@=+,?&x.tid.mp3", "p!*'():;$@=+,?&x.tid.mp3", undefined],
		['a?b.mp3', 'a?b.mp3', undefined],
		['a?foo=bar', 'a?foo=bar', undefined],
		['a?', 'a?', undefined],
		['k.mp3?versionId=3HL4kqtJlcpXroDTDmJ%2Brmsd', 'k.mp3', '3HL4kqtJlcpXroDTDmJ+rmsd'],
		['k.mp3?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc', 'k.mp3', undefined],
		['k.mp3?response-content-type=audio%2Fmpeg&versionId=v1', 'k.mp3', 'v1'],
		['a?b?versionId=1', 'a?b', '1'],
		['a?versionId=1&foo=2', 'a?versionId=1&foo=2', undefined],
		['%C3%A9t%C3%A9.mp3', 'été.mp3', undefined],
		['été.mp3', 'été.mp3', undefined],
		['100%.mp3', '100%.mp3', undefined],
		['50%zz.mp3', '50%zz.mp3', undefined],
		['a%2Fb.mp3', 'a/b.mp3', undefined],
		['a#b.mp3', 'a#b.mp3', undefined],
		['tilde~dash-dot.under_score.mp3', 'tilde~dash-dot.under_score.mp3', undefined],
		['with space.mp3', 'with space.mp3', undefined],
	];

	it.each(cases)('%s', (rest, key, versionId) => {
		const location = parseOutputUri(`${base}${rest}`, 'us-east-1');
		expect(location.key).toBe(key);
		expect(location.versionId).toBe(versionId);
	});

	it('decodes virtual-hosted and s3:// keys the same way', () => {
		expect(
			parseOutputUri('https://bucket.s3.us-east-1.amazonaws.com/a%20b/c?d.mp3', 'us-east-1').key,
		).toBe('a b/c?d.mp3');
		expect(parseOutputUri('s3://bucket/a%20b/c?d.mp3', 'us-east-1').key).toBe('a b/c?d.mp3');
	});

	it('decodeKey keeps a lone % and refuses invalid UTF-8', () => {
		expect(decodeKey('a%41%')).toBe('aA%');
		expect(() => decodeKey('%FF%FE')).toThrow(/UTF-8/);
	});
});

describe('encodeKey', () => {
	const cases: Array<[string, string]> = [
		['plain.mp3', 'plain.mp3'],
		['a/bkt/c.mp3', 'a/bkt/c.mp3'],
		['my file+x.mp3', 'my%20file%2Bx.mp3'],
		["p!*'():;$@=+,?&x", 'p%21%2A%27%28%29%3A%3B%24%40%3D%2B%2C%3F%26x'],
		['a#b%c', 'a%23b%25c'],
		['été', '%C3%A9t%C3%A9'],
		['~-._', '~-._'],
		['a//b', 'a//b'],
		['\u{1F600}', '%F0%9F%98%80'],
	];
	it.each(cases)('%s → %s', (key, encoded) => {
		expect(encodeKey(key)).toBe(encoded);
	});

	it('round-trips through the parser', () => {
		for (const [key] of cases) {
			expect(
				parseOutputUri(`https://s3.us-east-1.amazonaws.com/bkt/${encodeKey(key)}`, 'us-east-1').key,
			).toBe(key);
		}
	});
});

describe('resolveDownloadTarget', () => {
	it('goes path-style to the regional endpoint of the region the URI names', () => {
		expect(
			resolveDownloadTarget(`https://s3.us-west-2.amazonaws.com/my-s3-bucket/${TASK}.mp3`, aws()),
		).toEqual({
			url: `https://s3.us-west-2.amazonaws.com/my-s3-bucket/${TASK}.mp3`,
			baseUrl: 'https://s3.us-west-2.amazonaws.com',
			path: `/my-s3-bucket/${TASK}.mp3`,
			region: 'us-west-2',
			bucket: 'my-s3-bucket',
			key: `${TASK}.mp3`,
			custom: false,
		});
	});

	const cases: Array<[string, ICredentialDataDecryptedObject, string, string]> = [
		[
			'https://bucket.s3.eu-west-1.amazonaws.com/a/b c.mp3',
			aws(),
			'https://s3.eu-west-1.amazonaws.com/bucket/a/b%20c.mp3',
			'eu-west-1',
		],
		[
			'https://my.dotted.bucket.s3.amazonaws.com/k.mp3',
			aws(),
			'https://s3.us-east-1.amazonaws.com/my.dotted.bucket/k.mp3',
			'us-east-1',
		],
		[
			'https://s3-fips.dualstack.us-west-1.amazonaws.com/bkt/k.mp3',
			aws(),
			'https://s3.us-west-1.amazonaws.com/bkt/k.mp3',
			'us-west-1',
		],
		[
			's3://bucket/k.mp3',
			aws('eu-central-1'),
			'https://s3.eu-central-1.amazonaws.com/bucket/k.mp3',
			'eu-central-1',
		],
		[
			's3://bucket/k.mp3',
			aws('cn-north-1'),
			'https://s3.cn-north-1.amazonaws.com.cn/bucket/k.mp3',
			'cn-north-1',
		],
		[
			'https://bucket.s3.cn-northwest-1.amazonaws.com.cn/k.mp3',
			aws('cn-north-1'),
			'https://s3.cn-northwest-1.amazonaws.com.cn/bucket/k.mp3',
			'cn-northwest-1',
		],
		[
			'https://s3.us-gov-west-1.amazonaws.com/bkt/k.mp3',
			aws('us-gov-east-1'),
			'https://s3.us-gov-west-1.amazonaws.com/bkt/k.mp3',
			'us-gov-west-1',
		],
		[
			"https://s3.us-east-1.amazonaws.com/bkt/p!*'():;$@=+,?&x.mp3",
			aws(),
			'https://s3.us-east-1.amazonaws.com/bkt/p%21%2A%27%28%29%3A%3B%24%40%3D%2B%2C%3F%26x.mp3',
			'us-east-1',
		],
		[
			'https://s3.us-east-1.amazonaws.com/bkt/k.mp3?versionId=a%2Bb',
			aws(),
			'https://s3.us-east-1.amazonaws.com/bkt/k.mp3?versionId=a%2Bb',
			'us-east-1',
		],
		[
			'https://s3.us-east-1.amazonaws.com/bkt/k.mp3?X-Amz-Signature=abc&X-Amz-Credential=x',
			aws(),
			'https://s3.us-east-1.amazonaws.com/bkt/k.mp3',
			'us-east-1',
		],
		// custom endpoint: real S3 URIs of the partition are mapped onto it
		[
			'https://s3.us-west-2.amazonaws.com/bkt/k.mp3',
			custom(),
			'http://127.0.0.1:4566/s3/bkt/k.mp3',
			'us-east-1',
		],
		[
			'https://bkt.s3.eu-west-1.amazonaws.com/x y.mp3',
			custom(),
			'http://127.0.0.1:4566/s3/bkt/x%20y.mp3',
			'us-east-1',
		],
		['s3://bkt/k.mp3', custom(), 'http://127.0.0.1:4566/s3/bkt/k.mp3', 'us-east-1'],
		// … and URIs on its own origin, with or without its path prefix
		[
			'http://127.0.0.1:4566/s3/bkt/k.mp3',
			custom(),
			'http://127.0.0.1:4566/s3/bkt/k.mp3',
			'us-east-1',
		],
		[
			'http://127.0.0.1:4566/bkt/k.mp3',
			custom(),
			'http://127.0.0.1:4566/s3/bkt/k.mp3',
			'us-east-1',
		],
		[
			'HTTP://127.0.0.1:4566/bkt/k.mp3',
			custom(),
			'http://127.0.0.1:4566/s3/bkt/k.mp3',
			'us-east-1',
		],
		[
			'https://minio.internal/bkt/k.mp3',
			custom('https://minio.internal/'),
			'https://minio.internal/bkt/k.mp3',
			'us-east-1',
		],
		[
			'https://minio.internal:443/bkt/k.mp3',
			custom('https://minio.internal'),
			'https://minio.internal/bkt/k.mp3',
			'us-east-1',
		],
		[
			'http://localhost:4566/bkt/k.mp3',
			custom('http://localhost:4566'),
			'http://localhost:4566/bkt/k.mp3',
			'us-east-1',
		],
	];

	it.each(cases)('%s', (uri, credentials, url, region) => {
		const target = resolveDownloadTarget(uri, credentials);
		expect(target.url).toBe(url);
		expect(target.region).toBe(region);
		expect(target.custom).toBe(credentials.customEndpoints === true);
	});

	const refused: Array<[string, ICredentialDataDecryptedObject, RegExp]> = [
		['http://127.0.0.1:9999/bkt/k.mp3', custom(), /plain http/],
		[
			'https://127.0.0.1:4566/bkt/k.mp3',
			custom(),
			/names a port \(only the custom S3 endpoint http:\/\/127\.0\.0\.1:4566/,
		],
		['http://user@127.0.0.1:4566/bkt/k.mp3', custom(), /plain http/],
		['https://user@127.0.0.1:4566/bkt/k.mp3', custom(), /user information/],
		['https://169.254.169.254/bkt/k.mp3', custom(), /IP address/],
		['https://s3.cn-north-1.amazonaws.com.cn/bkt/k.mp3', custom(), /partition aws-cn/],
		['https://example.com/bkt/k.mp3', custom(), /not an Amazon S3 endpoint/],
		['http://127.0.0.1:4566/s3/', custom(), /no bucket/],
		['http://127.0.0.1:4566/bkt/k.mp3', aws(), /plain http/],
		[
			'https://s3.us-east-1.amazonaws.com/bkt/k.mp3',
			{ accessKeyId: 'a', secretAccessKey: 'b' },
			/no region/,
		],
	];
	it.each(refused)('refuses %s', (uri, credentials, problem) => {
		expect(() => resolveDownloadTarget(uri, credentials)).toThrow(problem);
	});

	it('ignores the custom S3 endpoint when custom endpoints are off', () => {
		const credentials = { ...custom(), customEndpoints: false };
		expect(resolveDownloadTarget('s3://bkt/k.mp3', credentials).url).toBe(
			'https://s3.us-east-1.amazonaws.com/bkt/k.mp3',
		);
	});
});

describe('retargetToRegion', () => {
	const target = resolveDownloadTarget(
		'https://s3.us-east-1.amazonaws.com/bkt/a b.mp3?versionId=v',
		aws(),
	);

	it('moves the same path to the regional endpoint of another region of the partition', () => {
		expect(retargetToRegion(target, 'eu-west-1', aws())).toMatchObject({
			url: 'https://s3.eu-west-1.amazonaws.com/bkt/a%20b.mp3?versionId=v',
			region: 'eu-west-1',
			custom: false,
		});
	});

	it.each([
		['cn-north-1', /outside the partition/],
		['us-gov-west-1', /outside the partition/],
		['evil.com/', /not an AWS region/],
		['127.0.0.1', /not an AWS region/],
		['', /not an AWS region/],
	])('refuses %s', (region, problem) => {
		expect(() => retargetToRegion(target, region, aws())).toThrow(problem);
	});

	it('is not for custom endpoints', () => {
		const customTarget = resolveDownloadTarget('s3://bkt/k', custom());
		expect(() => retargetToRegion(customTarget, 'eu-west-1', custom())).toThrow(
			/custom S3 endpoint/,
		);
	});
});
