/**
 * The rate requests actually go out at, smoothed: counted in half-second slots, each closed slot folded
 * into an exponential moving average. A throttle cuts the rate from what was really sent (not from a
 * limit nobody reached), and regrowth may not run far ahead of it.
 */
const SLOT_MS = 500;
/** Weight of the newest slot in the average. */
const SMOOTHING = 0.8;

const slotOf = (ms: number) => Math.floor(ms / SLOT_MS) * SLOT_MS;

export class SendRate {
	private slot: number;
	private count = 0;
	private smoothed = 0;

	constructor(now: number) {
		this.slot = slotOf(now);
	}

	/** Closes the current slot once time has moved past it; idle slots count as sending nothing. */
	private roll(now: number): void {
		const slot = slotOf(now);
		if (slot <= this.slot) return;
		const seconds = (slot - this.slot) / 1000;
		this.smoothed = SMOOTHING * (this.count / seconds) + (1 - SMOOTHING) * this.smoothed;
		this.count = 0;
		this.slot = slot;
	}

	/** One request sent at `now`. */
	record(now: number): void {
		this.roll(now);
		this.count++;
	}

	/** Requests per second, 0 until the first slot closes. */
	perSecond(now: number): number {
		this.roll(now);
		return this.smoothed;
	}
}
