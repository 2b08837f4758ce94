/**
 * Runs code that waits with the global `setTimeout` and reads `Date.now()` / `Math.random()` (the AWS SDK's
 * waiter, @smithy/util-waiter) on a virtual clock: while `run()` is active those globals are replaced; a timer
 * fires as soon as nothing else is pending, and the clock jumps to its due time. No real time passes.
 * Nothing else may be running in the process meanwhile (the benchmark runs it before any server starts).
 */
type TimerCallback = (...args: unknown[]) => void;

interface Timer {
	id: number;
	at: number;
	callback: TimerCallback;
	args: unknown[];
}

export class VirtualTime {
	now: number;
	private timers: Timer[] = [];
	private nextId = 1;

	constructor(start: number) {
		this.now = start;
	}

	private setTimeout = (callback: TimerCallback, ms = 0, ...args: unknown[]) => {
		const timer: Timer = {
			id: this.nextId++,
			at: this.now + Math.max(0, Number(ms) || 0),
			callback,
			args,
		};
		this.timers.push(timer);
		return {
			id: timer.id,
			ref: () => undefined,
			unref: () => undefined,
			hasRef: () => false,
			[Symbol.toPrimitive]: () => timer.id,
		};
	};

	private clearTimeout = (handle: unknown) => {
		const id =
			typeof handle === 'object' && handle !== null
				? (handle as { id: number }).id
				: Number(handle);
		this.timers = this.timers.filter((t) => t.id !== id);
	};

	/** Runs `work` to completion on this clock, with `random` as Math.random. */
	async run<T>(work: () => Promise<T>, random: () => number): Promise<T> {
		const realSetTimeout = globalThis.setTimeout;
		const realClearTimeout = globalThis.clearTimeout;
		const realNow = Date.now;
		const realRandom = Math.random;
		const realSetImmediate = globalThis.setImmediate;
		const idle = () => new Promise<void>((resolve) => realSetImmediate(resolve));
		let settled = false;
		let value: T | undefined;
		let failure: unknown;
		globalThis.setTimeout = this.setTimeout as unknown as typeof globalThis.setTimeout;
		globalThis.clearTimeout = this.clearTimeout as unknown as typeof globalThis.clearTimeout;
		Date.now = () => this.now;
		Math.random = random;
		try {
			work().then(
				(v) => {
					settled = true;
					value = v;
				},
				(e) => {
					settled = true;
					failure = e;
				},
			);
			for (;;) {
				await idle();
				if (settled) break;
				if (this.timers.length === 0)
					throw new Error('virtual time: nothing pending, but the work did not finish');
				let next = 0;
				for (let i = 1; i < this.timers.length; i++) {
					const t = this.timers[i];
					const best = this.timers[next];
					if (t.at < best.at || (t.at === best.at && t.id < best.id)) next = i;
				}
				const [timer] = this.timers.splice(next, 1);
				this.now = Math.max(this.now, timer.at);
				timer.callback(...timer.args);
			}
		} finally {
			// Timers someone else set meanwhile (none expected) go back to the real clock rather than being lost.
			for (const timer of this.timers.splice(0))
				realSetTimeout(timer.callback, Math.max(0, timer.at - this.now), ...timer.args);
			globalThis.setTimeout = realSetTimeout;
			globalThis.clearTimeout = realClearTimeout;
			Date.now = realNow;
			Math.random = realRandom;
		}
		if (failure !== undefined) throw failure;
		return value as T;
	}
}
