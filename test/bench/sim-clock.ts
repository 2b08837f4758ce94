/**
 * A discrete-event virtual clock for simulating many concurrent waits: `sleep(ms)` resolves when the clock
 * reaches its due time; `run(work)` advances the clock to the next due sleep whenever nothing else is
 * pending. No real time passes and no globals are touched.
 */
interface Sleeper {
	at: number;
	seq: number;
	resolve: () => void;
}

export class SimClock {
	now: number;
	private heap: Sleeper[] = [];
	private seq = 0;

	constructor(start: number) {
		this.now = start;
	}

	sleep = (ms: number): Promise<void> => {
		if (!(ms >= 0)) return Promise.reject(new Error(`negative or NaN sleep ${ms}`));
		return new Promise((resolve) => this.push({ at: this.now + ms, seq: this.seq++, resolve }));
	};

	async run<T>(work: () => Promise<T>): Promise<T> {
		let settled = false;
		let value: T | undefined;
		let failure: unknown;
		work().then(
			(v) => {
				settled = true;
				value = v;
			},
			(e) => {
				settled = true;
				failure = e ?? new Error('failed');
			},
		);
		for (;;) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			if (settled) break;
			const next = this.pop();
			if (!next) throw new Error('sim clock: nothing pending, but the work did not finish');
			this.now = Math.max(this.now, next.at);
			next.resolve();
		}
		if (failure !== undefined) throw failure;
		return value as T;
	}

	private before(a: Sleeper, b: Sleeper) {
		return a.at < b.at || (a.at === b.at && a.seq < b.seq);
	}

	private push(item: Sleeper) {
		const heap = this.heap;
		heap.push(item);
		let i = heap.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!this.before(heap[i], heap[parent])) break;
			[heap[i], heap[parent]] = [heap[parent], heap[i]];
			i = parent;
		}
	}

	private pop(): Sleeper | undefined {
		const heap = this.heap;
		if (heap.length === 0) return undefined;
		const top = heap[0];
		const last = heap.pop()!;
		if (heap.length > 0) {
			heap[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let best = i;
				if (l < heap.length && this.before(heap[l], heap[best])) best = l;
				if (r < heap.length && this.before(heap[r], heap[best])) best = r;
				if (best === i) break;
				[heap[i], heap[best]] = [heap[best], heap[i]];
				i = best;
			}
		}
		return top;
	}
}
