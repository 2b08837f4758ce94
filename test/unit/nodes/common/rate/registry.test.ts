import { RateRegistry, rateKey } from '../../../../../nodes/common/rate/registry';
import { sendRated } from '../../../../../nodes/common/rate/gate';
import { FakeClock } from './fake-clock';

const aws = (
	accessKeyId: string,
	baseUrl = 'http://127.0.0.1:4000/polly',
	region = 'us-east-1',
) => ({
	credentialType: 'awsSigV4Api',
	credentials: { accessKeyId, secretAccessKey: 'secret-never-a-key-0000', region },
	baseUrl,
});

describe('RateRegistry', () => {
	it('keys buckets by credential identity, quota, region and endpoint, never by a secret in clear', () => {
		const key = rateKey(aws('AKIAEXAMPLE000000001'), 'polly:GetList');
		expect(key).not.toContain('AKIAEXAMPLE000000001');
		expect(key).not.toContain('secret-never-a-key');
		expect(key).toContain('polly:GetList');
		expect(rateKey(aws('AKIAEXAMPLE000000001'), 'polly:GetList')).toBe(key);
		for (const other of [
			rateKey(aws('AKIAEXAMPLE000000002'), 'polly:GetList'),
			rateKey(aws('AKIAEXAMPLE000000001', 'http://127.0.0.1:4001/polly'), 'polly:GetList'),
			rateKey(aws('AKIAEXAMPLE000000001', undefined, 'eu-west-1'), 'polly:GetList'),
			rateKey(aws('AKIAEXAMPLE000000001'), 'polly:Start:standard'),
			rateKey({ baseUrl: 'http://127.0.0.1:4000/polly' }, 'polly:GetList'),
		])
			expect(other).not.toBe(key);
		const token = rateKey(
			{
				credentialType: 'asposeCloudApi',
				credentials: { pastedToken: 'eyJ-token-value' },
				baseUrl: 'x',
			},
			'default',
		);
		expect(token).not.toContain('eyJ-token-value');
	});

	it('shares one bucket per key and drops buckets left idle', async () => {
		const clock = new FakeClock();
		const registry = new RateRegistry(clock, 60_000);
		const a = registry.bucketFor('a', 10);
		expect(registry.bucketFor('a', 10)).toBe(a);
		registry.bucketFor('b', 10);
		expect(registry.size).toBe(2);
		await clock.advance(30_000, 1000);
		registry.bucketFor('a', 10).report(await a.acquire(), false);
		await clock.advance(40_000, 1000);
		// 'b' has been idle 70 s, 'a' 40 s.
		registry.bucketFor('c', 10);
		expect(registry.size).toBe(2);
		expect(registry.bucketFor('a', 10)).toBe(a);
	});

	it('reports throttled answers to the bucket, and sends straight through when switched off', async () => {
		const clock = new FakeClock();
		const registry = new RateRegistry(clock);
		const place = aws('AKIAEXAMPLE000000001');
		const spec = { bucket: 'polly:GetList', perSecond: 10 };
		await sendRated(
			place,
			spec,
			undefined,
			async () => 'throttled',
			(a) => a === 'throttled',
			registry,
		);
		const bucket = registry.bucketFor(rateKey(place, spec.bucket), 10);
		expect(bucket.state().perSecond!).toBeLessThan(10);

		registry.enabled = false;
		const other = aws('AKIAEXAMPLE000000009');
		await sendRated(
			other,
			spec,
			undefined,
			async () => 'ok',
			() => true,
			registry,
		);
		expect(registry.size).toBe(1);
	});
});
