/**
 * The buckets of a process: quotas are per account and Region, so every execution using the same
 * credential identity against the same endpoint shares one bucket per quota. Buckets unused for a while
 * are dropped (checked on use: node code runs no timers).
 */
import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RateBucket } from './bucket';
import type { RateClock } from './bucket';

const IDLE_MS = 10 * 60_000;
const SWEEP_EVERY_MS = 60_000;

/** Where requests go and as whom: what a quota is counted per. */
export interface RatePlace {
	credentialType?: string;
	credentials?: ICredentialDataDecryptedObject;
	/** Base URL (or origin) of the endpoint: a different emulator, proxy or Region is another bucket. */
	baseUrl: string;
}

/** Fields that name who is calling, in order of preference; none of them is kept in clear. */
const IDENTITY_FIELDS = ['accessKeyId', 'clientId', 'pastedToken', 'accessToken'];

function identityOf(place: RatePlace): string {
	const credentials = place.credentials ?? {};
	const field = IDENTITY_FIELDS.find(
		(name) => typeof credentials[name] === 'string' && credentials[name] !== '',
	);
	if (!field) return 'anonymous';
	const digest = createHash('sha256')
		.update(`${place.credentialType ?? ''}\n${field}\n${String(credentials[field])}`)
		.digest('hex');
	return digest.slice(0, 32);
}

/** The registry key of a bucket: identity (hashed), quota name, region and endpoint. */
export function rateKey(place: RatePlace, bucket: string): string {
	const credentials = place.credentials ?? {};
	const region = [credentials.region, credentials.customRegion]
		.filter((part) => typeof part === 'string' && part !== '')
		.join('/');
	return [identityOf(place), bucket, region, place.baseUrl].join('|');
}

export class RateRegistry {
	/** Off only to measure a baseline without rate control (benchmarks). */
	enabled = true;
	private readonly buckets = new Map<string, RateBucket>();
	private sweptAt: number;

	constructor(
		private readonly clock: RateClock,
		private readonly idleMs = IDLE_MS,
	) {
		this.sweptAt = clock.now();
	}

	/** The bucket under `key`, created with `perSecond` as its ceiling, or given it as the new one. */
	bucketFor(key: string, perSecond: number | undefined): RateBucket {
		this.sweep();
		let bucket = this.buckets.get(key);
		if (bucket) bucket.setCeiling(perSecond);
		else {
			bucket = new RateBucket(perSecond, this.clock);
			this.buckets.set(key, bucket);
		}
		return bucket;
	}

	get size(): number {
		return this.buckets.size;
	}

	private sweep(): void {
		const now = this.clock.now();
		if (now - this.sweptAt < Math.min(SWEEP_EVERY_MS, this.idleMs)) return;
		this.sweptAt = now;
		for (const [key, bucket] of this.buckets) {
			if (bucket.isIdle(now, this.idleMs)) this.buckets.delete(key);
		}
	}
}

export const rateRegistry = new RateRegistry({
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
});
