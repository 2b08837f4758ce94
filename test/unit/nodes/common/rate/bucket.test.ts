import { MIN_RATE, RateBucket } from '../../../../../nodes/common/rate/bucket';
import type { SendTicket } from '../../../../../nodes/common/rate/bucket';
import { FakeClock, flush } from './fake-clock';

/** Starts `count` acquisitions at once; records the order and time each one got its token. */
function crowd(bucket: RateBucket, clock: FakeClock, count: number, signal?: AbortSignal) {
	const granted: Array<{ index: number; at: number; ticket: SendTicket }> = [];
	const refused: unknown[] = [];
	for (let index = 0; index < count; index++) {
		bucket.acquire(signal).then(
			(ticket) => granted.push({ index, at: clock.now(), ticket }),
			(reason) => refused.push(reason),
		);
	}
	return { granted, refused };
}

/** Keeps five senders busy for `ms`: each sends, reports with `throttled()`, and sends again. */
async function steadyDemand(
	bucket: RateBucket,
	clock: FakeClock,
	ms: number,
	throttled: () => boolean = () => false,
): Promise<number> {
	let sent = 0;
	const stop = new AbortController();
	const senders = Array.from({ length: 5 }, async () => {
		for (;;) {
			const ticket = await bucket.acquire(stop.signal);
			sent++;
			bucket.report(ticket, throttled());
		}
	});
	await clock.advance(ms, 10);
	// Waiting senders are refused at once: the clock stays where it is.
	stop.abort(new Error('done'));
	await Promise.allSettled(senders);
	return sent;
}

/** Acquires while moving the clock on until the token comes. */
async function acquireSoon(bucket: RateBucket, clock: FakeClock): Promise<SendTicket> {
	let ticket: SendTicket | undefined;
	const pending = bucket.acquire().then((t) => (ticket = t));
	await flush();
	while (ticket === undefined) await clock.advance(10, 10);
	await pending;
	return ticket;
}

describe('RateBucket', () => {
	it('sends evenly at its rate, in arrival order', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(10, clock);
		const { granted } = crowd(bucket, clock, 40);
		await flush();
		// A new bucket starts with 0.8 s of its rate.
		expect(granted).toHaveLength(8);
		await clock.advance(2000, 5);
		// Then 10 per second, evenly.
		expect(granted.length).toBeGreaterThanOrEqual(27);
		expect(granted.length).toBeLessThanOrEqual(30);
		expect(granted.map((g) => g.index)).toEqual([...granted.keys()]);
		const gaps = granted.slice(10).map((g, i) => g.at - granted[i + 9].at);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90);
		expect(bucket.state()).toMatchObject({ perSecond: 10 });
		await clock.advance(3000, 10);
		expect(granted).toHaveLength(40);
	});

	it('lets everything through without a rate until the first throttle', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(undefined, clock);
		const { granted } = crowd(bucket, clock, 100);
		await flush();
		expect(granted).toHaveLength(100);
		expect(bucket.state().perSecond).toBeUndefined();
	});

	it('cuts to 0.7 × the measured rate on a throttle, and regrows along the curve to the ceiling', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(10, clock);
		await steadyDemand(bucket, clock, 3000);
		const measured = bucket.state().measured;
		expect(measured).toBeGreaterThan(8);
		expect(measured).toBeLessThanOrEqual(10.5);

		bucket.report(await acquireSoon(bucket, clock), true);
		const cut = bucket.state().perSecond!;
		expect(cut).toBeCloseTo(0.7 * Math.min(bucket.state().measured, 10), 1);
		expect(cut).toBeLessThan(7.5);

		// Successes regrow it: past the cut within a second, back at the ceiling after ~2 s, never above it.
		await steadyDemand(bucket, clock, 1000);
		expect(bucket.state().perSecond!).toBeGreaterThan(cut);
		expect(bucket.state().perSecond!).toBeLessThan(10);
		await steadyDemand(bucket, clock, 4000);
		expect(bucket.state().perSecond).toBe(10);
	});

	it('cuts once per episode: answers to requests sent before the cut do not cut again', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(10, clock);
		const inFlight = await Promise.all([bucket.acquire()]);
		await clock.advance(500, 10);
		const more = crowd(bucket, clock, 4);
		await clock.advance(500, 10);
		const tickets = [...inFlight, ...more.granted.map((g) => g.ticket)];
		await clock.advance(10, 10);
		bucket.report(tickets[0], true);
		const once = bucket.state().perSecond!;
		for (const ticket of tickets.slice(1)) bucket.report(ticket, true);
		expect(bucket.state().perSecond).toBe(once);
		// A request sent after the cut and throttled again cuts again.
		await clock.advance(200, 10);
		bucket.report(await acquireSoon(bucket, clock), true);
		expect(bucket.state().perSecond!).toBeLessThan(once);
	});

	it('never drops below the minimum rate', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(10, clock);
		const sent = await steadyDemand(bucket, clock, 30_000, () => true);
		expect(bucket.state().perSecond).toBe(MIN_RATE);
		// Throttled all along, it kept probing at about the minimum rate.
		expect(sent).toBeGreaterThanOrEqual(15);
	});

	it('regrows no faster than twice what is really sent', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(undefined, clock);
		// One request every 500 ms: 2 per second.
		for (let i = 0; i < 10; i++) {
			bucket.report(await bucket.acquire(), false);
			await clock.advance(500, 50);
		}
		bucket.report(await acquireSoon(bucket, clock), true);
		expect(bucket.state().perSecond!).toBeLessThan(2);
		for (let i = 0; i < 20; i++) {
			await clock.advance(500, 50);
			bucket.report(await acquireSoon(bucket, clock), false);
		}
		// Ten seconds of curve would allow hundreds per second; two per second sent allow four.
		expect(bucket.state().perSecond!).toBeLessThanOrEqual(2 * bucket.state().measured + 1e-9);
		expect(bucket.state().perSecond!).toBeGreaterThan(2);
	});

	it('refuses waiting requests at once when their signal aborts, and serves the others', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(1, clock);
		const stop = new AbortController();
		const first = bucket.acquire(stop.signal);
		await first;
		const stopped = crowd(bucket, clock, 30, stop.signal);
		const other = crowd(bucket, clock, 2);
		await flush();
		stop.abort(new Error('cancelled'));
		await flush();
		expect(stopped.refused).toHaveLength(30);
		expect((stopped.refused[0] as Error).message).toBe('cancelled');
		expect(stopped.granted).toHaveLength(0);
		await clock.advance(2500, 10);
		expect(other.granted).toHaveLength(2);
		await expect(bucket.acquire(stop.signal)).rejects.toThrow('cancelled');
	});

	it('takes a lower ceiling at once and a higher one when not recovering', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(10, clock);
		bucket.setCeiling(2);
		expect(bucket.state().perSecond).toBe(2);
		bucket.setCeiling(20);
		expect(bucket.state().perSecond).toBe(20);
		// While recovering from a throttle, a higher ceiling is reached by regrowth, not at once.
		await steadyDemand(bucket, clock, 2000);
		bucket.report(await acquireSoon(bucket, clock), true);
		const cut = bucket.state().perSecond!;
		bucket.setCeiling(40);
		expect(bucket.state().perSecond).toBe(cut);
	});

	it('is idle once unused for the idle time with nobody waiting', async () => {
		const clock = new FakeClock();
		const bucket = new RateBucket(10, clock);
		bucket.report(await bucket.acquire(), false);
		expect(bucket.isIdle(clock.now(), 60_000)).toBe(false);
		await clock.advance(60_000, 1000);
		expect(bucket.isIdle(clock.now(), 60_000)).toBe(true);
	});
});
