/**
 * The emulator's clock.
 *
 * - `now()` is the time the emulator reports (timestamps in task JSON, token expiry, S3 Last-Modified).
 *   In `real` mode it is `Date.now()`; in `manual` mode it starts at `startTime` and moves only by `advance()`.
 * - Task phase lengths and retention windows are "emulated durations": they are multiplied by `timeScale`
 *   before being compared with the clock, so with `timeScale: 0.01` a 5-minute Polly task completes after 3 s.
 *   Fixed durations (`EmulatorOptions.durations`) are used as given (not scaled).
 * - Signature time checks never use this clock: they use the wall clock plus `clockOffsetMs` (see sigv4.ts),
 *   so advancing a manual clock by days does not break SigV4 verification.
 */
export type ClockMode = 'real' | 'manual';

export class Clock {
	private manualNow: number;

	constructor(
		readonly mode: ClockMode = 'real',
		readonly timeScale = 1,
		startTime: number = Date.now(),
	) {
		if (!(timeScale > 0) || !Number.isFinite(timeScale))
			throw new Error(`timeScale must be a positive number, got ${timeScale}`);
		this.manualNow = startTime;
	}

	now(): number {
		return this.mode === 'manual' ? this.manualNow : Date.now();
	}

	/** Move a manual clock forward. */
	advance(ms: number): number {
		if (this.mode !== 'manual')
			throw new Error("advance() needs the manual clock: startEmulator({ clock: 'manual' })");
		if (!(ms >= 0)) throw new Error(`advance(ms) needs a non-negative number, got ${ms}`);
		this.manualNow += ms;
		return this.manualNow;
	}

	/** An emulated duration (model milliseconds) converted to clock milliseconds. */
	scaled(ms: number): number {
		return ms * this.timeScale;
	}
}
