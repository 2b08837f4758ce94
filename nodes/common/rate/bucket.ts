/**
 * A client-side token bucket for one quota, adapting its rate the way the AWS SDKs' adaptive retry mode
 * does: a throttle cuts the rate to 0.7 × what was really being sent, and answers that were not
 * throttled let it regrow along the CUBIC curve, never past twice the measured send rate, nor past the
 * ceiling (the documented quota, or the one the user set). Without a ceiling the bucket lets everything
 * through until the first throttle. Waiters are served in arrival order.
 */
import { cutRate, rateSinceThrottle } from './cubic';
import { SendRate } from './send-rate';

export interface RateClock {
	/** Epoch ms. */
	now(): number;
	/** Resolves after `ms` milliseconds. */
	sleep(ms: number): Promise<void>;
}

/** Handed out with every send: when it went, so that its answer is judged against the rate of then. */
export interface SendTicket {
	sentAt: number;
}

/** The lowest rate a bucket drops to (as in the AWS SDKs): a throttled service is still probed. */
export const MIN_RATE = 0.5;

/**
 * The bucket's own burst, in seconds of its rate. Small on purpose: sending evenly at the service's rate
 * leaves the service's burst allowance free to absorb network jitter, where a client burst would use it
 * up and turn every late packet into a throttle.
 */
const BURST_SECONDS = 0.2;

/**
 * What a new bucket may send at once, in seconds of its documented rate. A bucket is new when nothing was
 * sent for its quota in this process for a while (see the registry), so the service's own bucket has had
 * time to fill; the rest of the service's burst stays free for jitter, as above.
 */
const START_SECONDS = 0.8;

/** Float dust from refills must not cost another sleep. */
const EPSILON = 1e-9;

interface Waiter {
	resolve(ticket: SendTicket): void;
	reject(reason: unknown): void;
	signal?: AbortSignal;
}

export interface BucketState {
	/** Requests per second allowed now; undefined while the bucket lets everything through. */
	perSecond?: number;
	/** Requests waiting for a token. */
	waiting: number;
	/** Requests per second measured going out. */
	measured: number;
}

export class RateBucket {
	private ceiling: number | undefined;
	private enabled: boolean;
	private fillRate = MIN_RATE;
	private capacity = 1;
	private tokens = 1;
	private refilledAt: number;
	private readonly sent: SendRate;
	/** The rate that was being sent when the last throttle came, and when it came. */
	private lastMaxRate = 0;
	private throttledAt = Number.NEGATIVE_INFINITY;
	/** Regrowing after a throttle (and not yet back at the ceiling). */
	private recovering = false;
	private readonly queue: Waiter[] = [];
	/** One abort listener per signal, however many of its requests wait. */
	private readonly listeners = new Map<AbortSignal, () => void>();
	private pumping = false;
	lastUsed: number;

	constructor(
		perSecond: number | undefined,
		private readonly clock: RateClock,
	) {
		const now = clock.now();
		this.refilledAt = now;
		this.lastUsed = now;
		this.sent = new SendRate(now);
		this.ceiling = perSecond;
		this.enabled = perSecond !== undefined;
		if (perSecond !== undefined) {
			this.setRate(now, perSecond);
			this.tokens = Math.max(1, perSecond * START_SECONDS);
		}
	}

	state(): BucketState {
		const now = this.clock.now();
		return {
			perSecond: this.enabled ? this.fillRate : undefined,
			waiting: this.queue.length,
			measured: this.sent.perSecond(now),
		};
	}

	/** Not used for `idleMs` and nobody waiting: safe to forget. */
	isIdle(now: number, idleMs: number): boolean {
		return this.queue.length === 0 && now - this.lastUsed >= idleMs;
	}

	/**
	 * A new ceiling (another execution, or the user's Requests per Second). A lower one applies at once;
	 * a higher one is reached by regrowth if a throttle is being recovered from, else at once.
	 */
	setCeiling(perSecond: number | undefined): void {
		if (perSecond === this.ceiling) return;
		this.ceiling = perSecond;
		// No ceiling any more: keep what throttling has taught.
		if (perSecond === undefined) return;
		const now = this.clock.now();
		if (!this.enabled) {
			this.enabled = true;
			this.refilledAt = now;
		}
		if (!this.recovering || this.fillRate > perSecond) {
			this.recovering = false;
			this.setRate(now, perSecond);
		}
	}

	/** Waits for a token (in arrival order); rejects with the signal's reason once it aborts. */
	async acquire(signal?: AbortSignal): Promise<SendTicket> {
		if (signal?.aborted) throw signal.reason;
		const now = this.clock.now();
		this.lastUsed = now;
		if (this.queue.length === 0) {
			this.refill(now);
			if (!this.enabled) return this.grant(now);
			if (this.tokens >= 1 - EPSILON) {
				this.tokens -= 1;
				return this.grant(now);
			}
		}
		return await new Promise<SendTicket>((resolve, reject) => {
			this.enqueue({ resolve, reject, signal });
			void this.pump();
		});
	}

	/** How the request sent with `ticket` was answered. */
	report(ticket: SendTicket, throttled: boolean): void {
		const now = this.clock.now();
		this.lastUsed = now;
		if (throttled) {
			this.cut(ticket, now);
			return;
		}
		if (!this.recovering) return;
		let next = rateSinceThrottle((now - this.throttledAt) / 1000, this.lastMaxRate);
		// Growth follows what is really sent: a rate far above it would only allow a burst later.
		const measured = this.sent.perSecond(now);
		if (measured > 0) next = Math.min(next, 2 * measured);
		if (this.ceiling !== undefined && next >= this.ceiling) {
			next = this.ceiling;
			this.recovering = false;
		}
		this.setRate(now, next);
	}

	private cut(ticket: SendTicket, now: number): void {
		// Requests sent before the last cut met the congestion that cut answered: one cut per episode,
		// else a burst of answers to requests already in flight would drive the rate to the floor.
		if (ticket.sentAt < this.throttledAt) return;
		const measured = this.sent.perSecond(now);
		const sending = measured > 0 ? measured : this.enabled ? this.fillRate : MIN_RATE;
		const base = this.enabled ? Math.min(sending, this.fillRate) : sending;
		this.lastMaxRate = base;
		this.throttledAt = now;
		this.recovering = true;
		if (!this.enabled) {
			this.enabled = true;
			this.refilledAt = now;
		}
		this.setRate(now, cutRate(base));
	}

	private setRate(now: number, perSecond: number): void {
		this.refill(now);
		this.fillRate = Math.max(MIN_RATE, perSecond);
		this.capacity = Math.max(1, this.fillRate * BURST_SECONDS);
		this.tokens = Math.min(this.tokens, this.capacity);
	}

	private refill(now: number): void {
		// Tokens above the capacity (a new bucket's start) are spent, not cut.
		if (this.enabled && now > this.refilledAt && this.tokens < this.capacity) {
			this.tokens = Math.min(
				this.capacity,
				this.tokens + ((now - this.refilledAt) / 1000) * this.fillRate,
			);
		}
		this.refilledAt = Math.max(this.refilledAt, now);
	}

	private grant(now: number): SendTicket {
		this.sent.record(now);
		this.lastUsed = now;
		return { sentAt: now };
	}

	private enqueue(waiter: Waiter): void {
		this.queue.push(waiter);
		const { signal } = waiter;
		if (!signal || this.listeners.has(signal)) return;
		const onAbort = () => {
			this.listeners.delete(signal);
			for (let i = this.queue.length - 1; i >= 0; i--) {
				const queued = this.queue[i];
				if (queued.signal !== signal) continue;
				this.queue.splice(i, 1);
				queued.reject(signal.reason);
			}
		};
		this.listeners.set(signal, onAbort);
		signal.addEventListener('abort', onAbort, { once: true });
	}

	private release(waiter: Waiter, now: number): void {
		const { signal } = waiter;
		if (signal && !this.queue.some((queued) => queued.signal === signal)) {
			const onAbort = this.listeners.get(signal);
			if (onAbort) signal.removeEventListener('abort', onAbort);
			this.listeners.delete(signal);
		}
		waiter.resolve(this.grant(now));
	}

	/** Hands out tokens to the queue as they are refilled; one pump per bucket at a time. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			while (this.queue.length > 0) {
				const now = this.clock.now();
				this.refill(now);
				if (!this.enabled || this.tokens >= 1 - EPSILON) {
					if (this.enabled) this.tokens -= 1;
					this.release(this.queue.shift()!, now);
					continue;
				}
				await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.fillRate) * 1000));
			}
		} catch (error) {
			// A failed sleep must not strand the waiters.
			for (const waiter of this.queue.splice(0)) waiter.reject(error);
		} finally {
			this.pumping = false;
		}
	}
}
