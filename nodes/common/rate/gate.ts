/** A request sent through its quota's bucket: a token first, then the answer told back to the bucket. */
import { rateKey, rateRegistry } from './registry';
import type { RatePlace, RateRegistry } from './registry';
import type { RateSpec } from './quotas';

export async function sendRated<T>(
	place: RatePlace,
	spec: RateSpec,
	signal: AbortSignal | undefined,
	send: () => Promise<T>,
	throttled: (answer: T) => boolean,
	registry: RateRegistry = rateRegistry,
): Promise<T> {
	if (!registry.enabled) return await send();
	const bucket = registry.bucketFor(rateKey(place, spec.bucket), spec.perSecond);
	const ticket = await bucket.acquire(signal);
	// A request that threw brought no answer, and so no word on the rate either.
	const answer = await send();
	bucket.report(ticket, throttled(answer));
	return answer;
}
