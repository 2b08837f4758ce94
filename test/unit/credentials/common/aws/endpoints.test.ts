// Endpoint resolution per partition, custom endpoints, host → service/region, and the S3 partition guard.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	isS3HostOfPartition,
	S3_ENDPOINT,
	serviceBaseUrl as endpointBaseUrl,
	signingScopeFor,
	STS_ENDPOINT,
	type AwsEndpoint,
} from '../../../../../credentials/common/aws/endpoints';
import { CHIME_MEDIA_PIPELINE_ENDPOINT } from '../../../../../nodes/common/adapters/chime-media-pipeline';
import { CHIME_VOICE_ENDPOINT } from '../../../../../nodes/common/adapters/chime-voice';
import { POLLY_ENDPOINT } from '../../../../../nodes/common/adapters/polly';
import { awsEndpoints } from '../../../../../nodes/common/adapters/lookup';
import { dnsSuffixOf, partitionOf } from '../../../../../credentials/common/aws/partitions';
import { AWS_REGIONS } from '../../../../../credentials/common/aws/regions';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

const creds = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	region: 'us-east-1',
	accessKeyId: 'AKIDEXAMPLE',
	secretAccessKey: SECRET,
	...extra,
});

const ENDPOINTS = {
	polly: POLLY_ENDPOINT,
	chimeMediaPipeline: CHIME_MEDIA_PIPELINE_ENDPOINT,
	chimeVoice: CHIME_VOICE_ENDPOINT,
	s3: S3_ENDPOINT,
	sts: STS_ENDPOINT,
};
type AwsService = keyof typeof ENDPOINTS;
const nameOf = (endpoint: AwsEndpoint) =>
	(Object.keys(ENDPOINTS) as AwsService[]).find((name) => ENDPOINTS[name] === endpoint);

const serviceBaseUrl = (credentials: ICredentialDataDecryptedObject, service: AwsService) =>
	endpointBaseUrl(credentials, ENDPOINTS[service]);

const scope = (url: string, extra?: ICredentialDataDecryptedObject) => {
	const { service, region, endpoint } = signingScopeFor(new URL(url), creds(extra), awsEndpoints());
	return { service, region, awsService: nameOf(endpoint) };
};

describe('the endpoints the credential signs for', () => {
	it('are those of the list of services, then S3 and STS', () => {
		expect(awsEndpoints().map(nameOf)).toEqual([
			'polly',
			'chimeMediaPipeline',
			'chimeVoice',
			's3',
			'sts',
		]);
	});
});

describe('regions and partitions', () => {
	it('lists every region once, each in the partition its name says', () => {
		const names = AWS_REGIONS.map((region) => region.name);
		expect(new Set(names).size).toBe(names.length);
		for (const region of AWS_REGIONS) expect(partitionOf(region.name).id).toBe(region.partition);
		expect(new Set(AWS_REGIONS.map((region) => region.partition))).toEqual(
			new Set(['aws', 'aws-cn', 'aws-us-gov']),
		);
		expect(AWS_REGIONS.find((region) => region.name === 'us-east-1')?.displayName).toBe(
			'US East (N. Virginia)',
		);
		expect(names).toEqual(
			expect.arrayContaining(['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1']),
		);
	});

	it.each([
		['us-east-1', 'aws', 'amazonaws.com'],
		['eu-central-2', 'aws', 'amazonaws.com'],
		['mx-central-1', 'aws', 'amazonaws.com'],
		['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
		['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
		['xx-unknown-9', 'aws', 'amazonaws.com'],
	])('%s is in %s (%s)', (region, partition, suffix) => {
		expect(partitionOf(region).id).toBe(partition);
		expect(dnsSuffixOf(region)).toBe(suffix);
	});
});

describe('serviceBaseUrl', () => {
	const table: Array<[AwsService, string, string]> = [
		['polly', 'us-east-1', 'https://polly.us-east-1.amazonaws.com'],
		['polly', 'cn-northwest-1', 'https://polly.cn-northwest-1.amazonaws.com.cn'],
		['polly', 'us-gov-west-1', 'https://polly.us-gov-west-1.amazonaws.com'],
		['chimeMediaPipeline', 'us-east-1', 'https://media-pipelines-chime.us-east-1.amazonaws.com'],
		[
			'chimeMediaPipeline',
			'cn-north-1',
			'https://media-pipelines-chime.cn-north-1.amazonaws.com.cn',
		],
		[
			'chimeMediaPipeline',
			'us-gov-east-1',
			'https://media-pipelines-chime.us-gov-east-1.amazonaws.com',
		],
		['chimeVoice', 'eu-central-1', 'https://voice-chime.eu-central-1.amazonaws.com'],
		['chimeVoice', 'cn-north-1', 'https://voice-chime.cn-north-1.amazonaws.com.cn'],
		['chimeVoice', 'us-gov-west-1', 'https://voice-chime.us-gov-west-1.amazonaws.com'],
		['s3', 'us-west-2', 'https://s3.us-west-2.amazonaws.com'],
		['s3', 'cn-northwest-1', 'https://s3.cn-northwest-1.amazonaws.com.cn'],
		['s3', 'us-gov-west-1', 'https://s3.us-gov-west-1.amazonaws.com'],
		['sts', 'ap-southeast-7', 'https://sts.ap-southeast-7.amazonaws.com'],
		['sts', 'cn-north-1', 'https://sts.cn-north-1.amazonaws.com.cn'],
		['sts', 'us-gov-east-1', 'https://sts.us-gov-east-1.amazonaws.com'],
	];

	it.each(table)('%s in %s → %s', (service, region, expected) => {
		expect(serviceBaseUrl(creds({ region }), service)).toBe(expected);
	});

	it('uses the typed region for "Other (Type Below)"', () => {
		expect(serviceBaseUrl(creds({ region: 'other', customRegion: ' eu-south-2 ' }), 'polly')).toBe(
			'https://polly.eu-south-2.amazonaws.com',
		);
	});

	it('uses a custom endpoint, {region} filled in and trailing slashes dropped', () => {
		const custom = creds({
			region: 'eu-west-1',
			customEndpoints: true,
			pollyEndpoint: ' https://vpce-1.polly.{region}.vpce.amazonaws.com/ ',
			s3Endpoint: 'http://127.0.0.1:4566/{region}/s3//',
			stsEndpoint: '',
		});
		expect(serviceBaseUrl(custom, 'polly')).toBe(
			'https://vpce-1.polly.eu-west-1.vpce.amazonaws.com',
		);
		expect(serviceBaseUrl(custom, 's3')).toBe('http://127.0.0.1:4566/eu-west-1/s3');
		expect(serviceBaseUrl(custom, 'sts')).toBe('https://sts.eu-west-1.amazonaws.com');
		expect(serviceBaseUrl(custom, 'chimeVoice')).toBe(
			'https://voice-chime.eu-west-1.amazonaws.com',
		);
	});

	it('ignores endpoint fields while Custom Endpoints is off', () => {
		expect(
			serviceBaseUrl(
				creds({ customEndpoints: false, pollyEndpoint: 'http://127.0.0.1:1/' }),
				'polly',
			),
		).toBe('https://polly.us-east-1.amazonaws.com');
	});

	it('rejects a missing or malformed region and a custom endpoint that is no http(s) URL', () => {
		expect(() => serviceBaseUrl(creds({ region: '' }), 'polly')).toThrow(/no region/);
		expect(() => serviceBaseUrl(creds({ region: 'other', customRegion: '' }), 'polly')).toThrow(
			/no region/,
		);
		expect(() => serviceBaseUrl(creds({ region: 'evil.com/x' }), 'polly')).toThrow(
			/not an AWS region code/,
		);
		expect(() =>
			serviceBaseUrl(creds({ customEndpoints: true, s3Endpoint: 'ftp://x' }), 's3'),
		).toThrow('The S3 endpoint in the AWS credential is not an http(s) URL');
	});
});

describe('signingScopeFor: AWS hosts', () => {
	const table: Array<[string, string, string, AwsService]> = [
		['https://polly.us-east-1.amazonaws.com/v1/synthesisTasks/x', 'polly', 'us-east-1', 'polly'],
		['https://polly-fips.us-west-2.amazonaws.com/v1/x', 'polly', 'us-west-2', 'polly'],
		['https://polly.us-east-1.api.aws/v1/x', 'polly', 'us-east-1', 'polly'],
		['https://POLLY.EU-WEST-1.AMAZONAWS.COM:443/v1/x', 'polly', 'eu-west-1', 'polly'],
		['https://polly.cn-northwest-1.amazonaws.com.cn/v1/x', 'polly', 'cn-northwest-1', 'polly'],
		[
			'https://polly.cn-northwest-1.api.amazonwebservices.com.cn/v1/x',
			'polly',
			'cn-northwest-1',
			'polly',
		],
		['https://polly-fips.us-gov-west-1.amazonaws.com/v1/x', 'polly', 'us-gov-west-1', 'polly'],
		[
			'https://media-pipelines-chime.us-east-1.amazonaws.com/media-insights-pipelines/a',
			'chime',
			'us-east-1',
			'chimeMediaPipeline',
		],
		[
			'https://media-pipelines-chime-fips.us-west-2.amazonaws.com/x',
			'chime',
			'us-west-2',
			'chimeMediaPipeline',
		],
		[
			'https://media-pipelines-chime.us-east-1.api.aws/x',
			'chime',
			'us-east-1',
			'chimeMediaPipeline',
		],
		[
			'https://voice-chime.eu-central-1.amazonaws.com/voice-connectors/a',
			'chime',
			'eu-central-1',
			'chimeVoice',
		],
		[
			'https://voice-chime-fips.ca-central-1.amazonaws.com/x',
			'chime',
			'ca-central-1',
			'chimeVoice',
		],
		['https://s3.us-west-2.amazonaws.com/bucket/key.mp3', 's3', 'us-west-2', 's3'],
		['https://my-bucket.s3.eu-west-1.amazonaws.com/key.mp3', 's3', 'eu-west-1', 's3'],
		['https://my.dotted.bucket.s3.eu-west-1.amazonaws.com/key.mp3', 's3', 'eu-west-1', 's3'],
		['https://s3.amazonaws.com/bucket/key.mp3', 's3', 'us-east-1', 's3'],
		['https://bucket.s3.amazonaws.com/key.mp3', 's3', 'us-east-1', 's3'],
		['https://s3-external-1.amazonaws.com/bucket/key', 's3', 'us-east-1', 's3'],
		['https://s3-us-west-2.amazonaws.com/bucket/key.mp3', 's3', 'us-west-2', 's3'],
		['https://bucket.s3-eu-west-1.amazonaws.com/key.mp3', 's3', 'eu-west-1', 's3'],
		['https://s3-fips.us-east-2.amazonaws.com/bucket/key', 's3', 'us-east-2', 's3'],
		['https://s3.dualstack.ap-south-1.amazonaws.com/bucket/key', 's3', 'ap-south-1', 's3'],
		['https://s3-fips.dualstack.us-east-1.amazonaws.com/bucket/key', 's3', 'us-east-1', 's3'],
		['https://s3.cn-north-1.amazonaws.com.cn/bucket/key', 's3', 'cn-north-1', 's3'],
		['https://bucket.s3.cn-northwest-1.amazonaws.com.cn/key', 's3', 'cn-northwest-1', 's3'],
		['https://s3-fips.us-gov-west-1.amazonaws.com/bucket/key', 's3', 'us-gov-west-1', 's3'],
		['https://sts.amazonaws.com/', 'sts', 'us-east-1', 'sts'],
		['https://sts.eu-west-1.amazonaws.com/', 'sts', 'eu-west-1', 'sts'],
		['https://sts-fips.us-east-1.amazonaws.com/', 'sts', 'us-east-1', 'sts'],
		['https://sts.cn-north-1.amazonaws.com.cn/', 'sts', 'cn-north-1', 'sts'],
		['https://sts.us-gov-west-1.amazonaws.com/', 'sts', 'us-gov-west-1', 'sts'],
	];

	it.each(table)('%s → %s / %s', (url, service, region, awsService) => {
		// The host decides the region, not the credential (an S3 output URL may be in another region).
		expect(scope(url, { region: 'ap-northeast-3' })).toEqual({ service, region, awsService });
	});

	it.each([
		'https://example.com/v1/x',
		'https://polly.us-east-1.amazonaws.com.evil.net/v1/x',
		'https://foo.polly.us-east-1.amazonaws.com/v1/x',
		'https://polly.mars-1.amazonaws.com/v1/x',
		'https://polly.cn-north-1.amazonaws.com/v1/x',
		'https://polly.us-east-1.amazonaws.com.cn/v1/x',
		'https://s3.us-east-1.api.aws/bucket/key',
		'https://dynamodb.us-east-1.amazonaws.com/',
		'https://vpce-1.polly.us-east-1.vpce.amazonaws.com/v1/x',
		'http://127.0.0.1:4566/polly/v1/x',
	])('refuses %s, naming the host and never the secret', (url) => {
		const run = () => scope(url);
		expect(run).toThrow(`"${new URL(url).host}"`);
		try {
			run();
		} catch (error) {
			expect(String((error as Error).message)).not.toContain(SECRET);
		}
	});
});

describe('signingScopeFor: custom endpoints', () => {
	const emulator = {
		region: 'eu-west-1',
		customEndpoints: true,
		pollyEndpoint: 'http://127.0.0.1:4566/polly',
		chimeMediaPipelinesEndpoint: 'http://127.0.0.1:4566/media-pipelines/',
		chimeVoiceEndpoint: 'http://127.0.0.1:4566/voice',
		s3Endpoint: 'http://127.0.0.1:4566/s3',
		stsEndpoint: 'http://127.0.0.1:4566/sts',
	};

	it.each([
		['http://127.0.0.1:4566/polly/v1/synthesisTasks/abc', 'polly', 'polly'],
		['http://127.0.0.1:4566/polly', 'polly', 'polly'],
		[
			'http://127.0.0.1:4566/media-pipelines/media-insights-pipelines/a/speaker-search-tasks/b',
			'chime',
			'chimeMediaPipeline',
		],
		[
			'http://127.0.0.1:4566/voice/voice-connectors/a/speaker-search-tasks/b',
			'chime',
			'chimeVoice',
		],
		['http://127.0.0.1:4566/s3/bucket/key.mp3', 's3', 's3'],
		['http://127.0.0.1:4566/sts/', 'sts', 'sts'],
	])('shared origin, path prefixes: %s → %s', (url, service, awsService) => {
		expect(scope(url, emulator)).toEqual({ service, region: 'eu-west-1', awsService });
	});

	it('does not match a prefix inside a segment, another port or another scheme', () => {
		expect(() => scope('http://127.0.0.1:4566/pollyx/v1/x', emulator)).toThrow('"127.0.0.1:4566"');
		expect(() => scope('http://127.0.0.1:4567/polly/v1/x', emulator)).toThrow('"127.0.0.1:4567"');
		expect(() => scope('https://127.0.0.1:4566/polly/v1/x', emulator)).toThrow('"127.0.0.1:4566"');
	});

	it('lets the longest prefix win over an origin-only endpoint', () => {
		const mixed = { ...emulator, s3Endpoint: 'http://127.0.0.1:4566' };
		expect(scope('http://127.0.0.1:4566/polly/v1/synthesisTasks/a', mixed).awsService).toBe(
			'polly',
		);
		expect(scope('http://127.0.0.1:4566/bucket/key.mp3', mixed).awsService).toBe('s3');
		expect(scope('http://127.0.0.1:4566/pollyx/key.mp3', mixed).awsService).toBe('s3');
	});

	it('tells services apart by their API paths when they share one URL (LocalStack style)', () => {
		const one = 'http://localhost:4566';
		const localstack = {
			customEndpoints: true,
			region: 'other',
			customRegion: 'us-west-2',
			pollyEndpoint: one,
			chimeMediaPipelinesEndpoint: one,
			chimeVoiceEndpoint: one,
			s3Endpoint: one,
			stsEndpoint: one,
		};
		expect(scope(`${one}/v1/synthesisTasks/a`, localstack)).toEqual({
			service: 'polly',
			region: 'us-west-2',
			awsService: 'polly',
		});
		expect(
			scope(`${one}/media-insights-pipelines/a/speaker-search-tasks/b`, localstack).awsService,
		).toBe('chimeMediaPipeline');
		expect(scope(`${one}/voice-connectors/a/speaker-search-tasks/b`, localstack).awsService).toBe(
			'chimeVoice',
		);
		expect(scope(`${one}/my-bucket/out/task.mp3`, localstack).awsService).toBe('s3');
		expect(scope(`${one}/`, localstack).awsService).toBe('sts');
	});

	it('fills {region} before matching and signs with the credential region', () => {
		const regional = {
			region: 'other',
			customRegion: 'ap-south-2',
			customEndpoints: true,
			pollyEndpoint: 'http://localhost:4566/{region}/polly',
		};
		expect(scope('http://localhost:4566/ap-south-2/polly/v1/synthesisTasks/a', regional)).toEqual({
			service: 'polly',
			region: 'ap-south-2',
			awsService: 'polly',
		});
		expect(() =>
			scope('http://localhost:4566/eu-west-1/polly/v1/synthesisTasks/a', regional),
		).toThrow();
	});

	it('lets a malformed endpoint of one service not block signing for the others', () => {
		const broken = {
			customEndpoints: true,
			chimeVoiceEndpoint: 'not a url',
			pollyEndpoint: 'http://127.0.0.1:4566/polly',
		};
		expect(scope('http://127.0.0.1:4566/polly/v1/synthesisTasks/a', broken).awsService).toBe(
			'polly',
		);
		expect(scope('https://s3.us-east-1.amazonaws.com/b/k', broken).awsService).toBe('s3');
	});

	it('matches VPC endpoint host names and still recognises AWS hosts not configured', () => {
		const vpce = {
			customEndpoints: true,
			pollyEndpoint: 'https://vpce-0abc-1.polly.us-east-1.vpce.amazonaws.com',
		};
		expect(
			scope('https://vpce-0abc-1.polly.us-east-1.vpce.amazonaws.com/v1/synthesisTasks/a', vpce)
				.awsService,
		).toBe('polly');
		expect(scope('https://s3.us-west-2.amazonaws.com/bucket/key', vpce)).toEqual({
			service: 's3',
			region: 'us-west-2',
			awsService: 's3',
		});
	});
});

describe('isS3HostOfPartition', () => {
	const accept: Array<[string, string]> = [
		['s3.amazonaws.com', 'us-east-1'],
		['s3.us-east-1.amazonaws.com', 'us-east-1'],
		['s3.eu-west-1.amazonaws.com', 'us-east-1'],
		['bucket.s3.us-west-2.amazonaws.com', 'eu-west-1'],
		['my.dotted.bucket.s3.amazonaws.com', 'us-east-1'],
		['s3-us-west-2.amazonaws.com', 'us-east-1'],
		['bucket.s3-us-west-2.amazonaws.com', 'us-east-1'],
		['s3-external-1.amazonaws.com', 'us-east-1'],
		['s3-fips.us-east-1.amazonaws.com', 'us-east-1'],
		['s3.dualstack.us-east-1.amazonaws.com', 'us-east-1'],
		['s3-fips.dualstack.us-east-2.amazonaws.com', 'us-east-1'],
		['bucket.s3.dualstack.eu-west-1.amazonaws.com', 'us-east-1'],
		['S3.US-EAST-1.AMAZONAWS.COM', 'us-east-1'],
		['s3.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
		['bucket.s3.cn-northwest-1.amazonaws.com.cn', 'cn-north-1'],
		['s3.dualstack.cn-north-1.amazonaws.com.cn', 'cn-northwest-1'],
		['s3.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
		['s3-fips.us-gov-east-1.amazonaws.com', 'us-gov-west-1'],
	];
	const reject: Array<[string, string]> = [
		['s3.amazonaws.com.example.net', 'us-east-1'],
		['s3.us-east-1.amazonaws.com.evil.com', 'us-east-1'],
		['bucket.s3.amazonaws.com.evil.com', 'us-east-1'],
		['evil.com', 'us-east-1'],
		['amazonaws.com', 'us-east-1'],
		['s3.evil.amazonaws.com', 'us-east-1'],
		['s3.cn-north-1.amazonaws.com', 'us-east-1'],
		['s3.cn-north-1.amazonaws.com.cn', 'us-east-1'],
		['s3.us-gov-west-1.amazonaws.com', 'us-east-1'],
		['s3.amazonaws.com', 'cn-north-1'],
		['s3.us-east-1.amazonaws.com', 'cn-north-1'],
		['s3.amazonaws.com', 'us-gov-west-1'],
		['s3.us-east-1.amazonaws.com', 'us-gov-west-1'],
		['s3.us-east-1.api.aws', 'us-east-1'],
		['polly.us-east-1.amazonaws.com', 'us-east-1'],
		['sts.amazonaws.com', 'us-east-1'],
		['127.0.0.1', 'us-east-1'],
		['52.216.0.1', 'us-east-1'],
		['[::1]', 'us-east-1'],
		['::1', 'us-east-1'],
		['user@s3.amazonaws.com', 'us-east-1'],
		['user:pw@s3.amazonaws.com', 'us-east-1'],
		['s3.amazonaws.com:443', 'us-east-1'],
		['s3.amazonaws.com.', 'us-east-1'],
		['s3.amazonaws.com/evil', 'us-east-1'],
		['..s3.amazonaws.com', 'us-east-1'],
		['-bad.s3.amazonaws.com', 'us-east-1'],
		['', 'us-east-1'],
	];

	it.each(accept)('accepts %s for %s', (host, region) => {
		expect(isS3HostOfPartition(host, region)).toBe(true);
	});

	it.each(reject)('rejects %s for %s', (host, region) => {
		expect(isS3HostOfPartition(host, region)).toBe(false);
	});
});
