import type { RateClock } from '../../../../../nodes/common/rate/bucket';

/** A clock that moves only when told to; sleeps end when it passes their time. */
export class FakeClock implements RateClock {
	private time = 1_000_000;
	private timers: Array<{ at: number; resolve: () => void }> = [];

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		await new Promise<void>((resolve) => this.timers.push({ at: this.time + ms, resolve }));
	}

	/** Moves time forward in steps of at most `step` ms, letting due sleepers and their callers run. */
	async advance(ms: number, step = 1): Promise<void> {
		const end = this.time + ms;
		while (this.time < end) {
			this.time = Math.min(end, this.time + step);
			const due = this.timers.filter((timer) => timer.at <= this.time);
			this.timers = this.timers.filter((timer) => timer.at > this.time);
			for (const timer of due) timer.resolve();
			await flush();
		}
	}
}

/** Lets every settled promise's callbacks run. */
export async function flush(): Promise<void> {
	for (let i = 0; i < 5; i++) await Promise.resolve();
}
