import { normalCdf, normalQuantile } from './normal';

/**
 * What Wait Until Complete learns about how long tasks take, from the tasks it sees finish. Pure: plain
 * data in and out, no clock, so that the benchmark drives the same code on a virtual clock.
 *
 * Two kinds of knowledge:
 * - with a built-in guess in two parts (Polly: queue time + size × speed), per key (service and speed
 *   class, e.g. `polly|neural|mp3`) a weighted least-squares fit of actual ÷ guess as a mix of the two
 *   parts' real speeds, the guess as its prior; per service, a bounded sample of how far tasks ended from
 *   the fit's forecast (its quantiles bound the window, whatever the shape of the spread);
 *   a task seen done only across a wide interval (it ended before its window opened) enters that sample
 *   at a point inside the interval where the sample's own spread puts it, since leaving it out would keep
 *   only the tasks that ended inside windows and so open the next windows later and later;
 * - without a guess (Aspose, Chime), a bounded sample of recent durations: its quantiles.
 * Both become a window [earliest, latest] in which the task is expected to finish; the policy checks one
 * step at a time inside it and rarely outside. What is stored is a few numbers per key, validated when
 * read back (workflow static data may hold anything), and bounded in keys and sample size.
 */

/** When a task is expected to finish, in ms after its origin (creation, or the item's first check). */
export interface DurationWindow {
	earliestMs: number;
	latestMs: number;
}

/** The built-in guess of a task's duration, as its fixed part and the part that grows with size. */
export interface Guess {
	fixedMs: number;
	sizeMs: number;
}

/** One finished task: its duration lies in [lowerMs, upperMs] (the last check that saw it running, and the check that saw it done). */
export interface Observation {
	lowerMs: number;
	upperMs: number;
	/** The built-in guess for this task, when the service tells enough to make one. */
	guess?: Guess;
}

/**
 * Sums of one key's fit, all weighted and decayed alike: [count, Σω, Σωw, Σωw², Σωy, Σωwy, Σωy²,
 * Σω·(interval variance), Σω·ŷ²], where y = actual ÷ guess, w = the fixed part's share of the guess,
 * ŷ = the forecast of y before the task was seen.
 */
export type FitSums = [number, number, number, number, number, number, number, number, number];

/** The stored form (kept in n8n's workflow static data). */
export interface LearnedData {
	v: 2;
	/** key → sums of the fit of actual ÷ guess. */
	f: Record<string, FitSums>;
	/** service → recent (actual ÷ forecast), oldest first: the spread around the fit. */
	e: Record<string, number[]>;
	/** key → recent durations in ms, oldest first (services without a guess). */
	d: Record<string, number[]>;
}

export interface LearningOptions {
	/**
	 * Before anything was learned: the window is the guess × [`priorEarliest`, 1 + `priorSpread`]. It opens
	 * far below the guess, which may be off ×0.3 to ×3: an early end is then seen within a step (a late one
	 * past the window within a growing step), so the first tasks cost requests, not delay.
	 */
	priorEarliest?: number;
	priorSpread?: number;
	/** Prior spread of the two parts' speeds around the guess (relative): the data overrides it within a few tasks. */
	priorSd?: number;
	/** Prior spread of one key's speeds around the service-wide fit (engines may differ). */
	keySd?: number;
	/** Per-task spread assumed before it is measured (relative), and its floor. */
	taskSd?: number;
	minTaskSd?: number;
	/** How many standard deviations the window spans on each side where no quantiles are known yet. */
	z?: number;
	/** The count stops growing here, so that the fit keeps following a service that changes speed. */
	maxCount?: number;
	/** Residuals kept per service, and how many are needed before their quantiles are trusted. */
	residualSize?: number;
	minResiduals?: number;
	/**
	 * A task whose end is known within this share of its duration counts as ended in the middle of the
	 * interval; a wider interval gets a point from the learned spread inside it.
	 */
	residualPrecision?: number;
	/** Without a guess: the sample size kept, and the quantiles that bound the window. */
	sampleSize?: number;
	lowQuantile?: number;
	highQuantile?: number;
	/** Without a guess and without samples: the window the policy uses (it then steps from the start). */
	unknownLatestMs?: number;
	maxKeys?: number;
}

const DEFAULTS: Required<LearningOptions> = {
	priorEarliest: 0.3,
	priorSpread: 0.2,
	priorSd: 0.25,
	keySd: 0.3,
	taskSd: 0.1,
	minTaskSd: 0.03,
	z: 2.2,
	maxCount: 40,
	residualSize: 48,
	minResiduals: 8,
	residualPrecision: 0.12,
	sampleSize: 64,
	// The p95 budget (5 % of tasks may be seen later than fixed 5 s polling would see them) is best spent
	// before the window, where few tasks end per check saved; past its end every check saved costs more.
	lowQuantile: 0.04,
	highQuantile: 0.995,
	unknownLatestMs: 120_000,
	maxKeys: 24,
};

const MAX_KEY_LENGTH = 80;
const MAX_DURATION_MS = 7 * 24 * 3600_000;
/** The service-wide fit of a service is kept under `service|*`. */
const POOLED = '*';
/** Ratios actual ÷ guess outside this range are not believed (a stuck task, a clock jump). */
const MIN_RATIO = 0.02;
const MAX_RATIO = 50;

const finite = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value);

function validKey(key: unknown): key is string {
	return typeof key === 'string' && key.length > 0 && key.length <= MAX_KEY_LENGTH;
}

function validGuess(guess: Guess | undefined): guess is Guess {
	return (
		guess !== undefined &&
		finite(guess.fixedMs) &&
		finite(guess.sizeMs) &&
		guess.fixedMs >= 0 &&
		guess.sizeMs >= 0 &&
		guess.fixedMs + guess.sizeMs > 0 &&
		guess.fixedMs + guess.sizeMs <= MAX_DURATION_MS
	);
}

function sampleOf(value: unknown, keep: (x: number) => boolean, size: number): number[] {
	if (!Array.isArray(value)) return [];
	return (value as unknown[]).filter((x): x is number => finite(x) && keep(x)).slice(-size);
}

function tableOf(raw: unknown): Array<[string, unknown]> {
	return raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.entries(raw) : [];
}

/** Reads what a previous execution stored; anything unusable is dropped, never thrown. */
export function readLearned(raw: unknown, options: LearningOptions = {}): LearnedData {
	const { maxCount, sampleSize, residualSize, maxKeys } = { ...DEFAULTS, ...options };
	const data: LearnedData = { v: 2, f: {}, e: {}, d: {} };
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return data;
	const { v, f, e, d } = raw as Record<string, unknown>;
	// Version 1 kept one ratio per key: its duration samples still mean the same, its ratios are dropped.
	if (v !== 2 && v !== 1) return data;
	for (const [key, value] of tableOf(f).slice(0, maxKeys)) {
		if (!validKey(key) || !Array.isArray(value) || value.length !== 9) continue;
		const sums = value as unknown[];
		if (!sums.every((x) => finite(x) && Math.abs(x) < 1e9)) continue;
		const [n, s, sw, sww, , , syy, sm, sq] = sums as number[];
		if (n <= 0 || s <= 0 || sw < 0 || sww < 0 || syy < 0 || sm < 0 || sq <= 0) continue;
		const scale = n > maxCount ? maxCount / n : 1;
		data.f[key] = (sums as number[]).map((x) => x * scale) as FitSums;
	}
	for (const [key, value] of tableOf(e).slice(0, maxKeys)) {
		if (!validKey(key)) continue;
		const sample = sampleOf(value, (x) => x >= MIN_RATIO && x <= MAX_RATIO, residualSize);
		if (sample.length > 0) data.e[key] = sample;
	}
	for (const [key, value] of tableOf(d).slice(0, maxKeys)) {
		if (!validKey(key)) continue;
		const sample = sampleOf(value, (ms) => ms > 0 && ms <= MAX_DURATION_MS, sampleSize);
		if (sample.length > 0) data.d[key] = sample;
	}
	return data;
}

/**
 * A position in [0, 1) that moves from one observation to the next without a random source (the golden
 * ratio's low-discrepancy sequence, seeded by the sample), so that replays are reproducible.
 */
function spreadPosition(sample: readonly number[], scale: number): number {
	const seed = sample.reduce((sum, x) => sum + x, 0) * scale + sample.length;
	return (seed * 0.6180339887) % 1;
}

/** Quantile q (0..1) of sorted values, interpolated. */
function quantile(sorted: readonly number[], q: number): number {
	const position = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
	const low = Math.floor(position);
	const high = Math.min(sorted.length - 1, low + 1);
	return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function serviceOf(key: string): string {
	const bar = key.indexOf('|');
	return bar < 0 ? key : key.slice(0, bar);
}

/** A fit of y = c0 + c1·w: coefficients, their covariance, the per-task spread (relative), the count. */
export interface Fit {
	c0: number;
	c1: number;
	cov: [number, number, number];
	taskSd: number;
	n: number;
}

/** The learning of one workflow's Wait Until Complete node, shared by all its items. */
export class Learner {
	private readonly data: LearnedData;
	private readonly options: Required<LearningOptions>;
	/** Set by every observation: the node stores the data only when it changed. */
	changed = false;

	constructor(stored?: unknown, options: LearningOptions = {}) {
		this.options = { ...DEFAULTS, ...options };
		this.data = readLearned(stored, options);
	}

	/** A copy of what to store. */
	toJSON(): LearnedData {
		return JSON.parse(JSON.stringify(this.data)) as LearnedData;
	}

	/** Learns from one finished task. Observations that say nothing (absurd or empty intervals) are skipped. */
	observe(key: string, observation: Observation): void {
		if (!validKey(key)) return;
		const { lowerMs, upperMs, guess } = observation;
		if (!finite(lowerMs) || !finite(upperMs) || upperMs <= 0 || upperMs > MAX_DURATION_MS) return;
		const lower = Math.max(0, Math.min(lowerMs, upperMs));
		if (guess !== undefined) {
			if (!validGuess(guess) || lower <= 0) return;
			this.addFit(key, lower, upperMs, guess);
		} else {
			if (lower <= 0 && upperMs > 60_000) return;
			this.addSample(key, this.placeInInterval(key, lower, upperMs));
		}
		this.changed = true;
	}

	/** Where the task of `key` (with its guess, if any) is expected to finish. */
	window(key: string, guess?: Guess, runningAtMs = 0): DurationWindow | undefined {
		if (!validKey(key)) return undefined;
		if (guess === undefined) return this.spread(key, runningAtMs);
		if (!validGuess(guess)) return undefined;
		const total = guess.fixedMs + guess.sizeMs;
		const w = guess.fixedMs / total;
		const service = serviceOf(key);
		if (!this.data.f[key] && !this.data.f[`${service}|${POOLED}`]) {
			// Nothing learned: the guess with the spread its own policy always assumed.
			const { priorEarliest, priorSpread } = this.options;
			return { earliestMs: total * priorEarliest, latestMs: total * (1 + priorSpread) };
		}
		const fit = this.fit(key);
		const mean = Math.max(MIN_RATIO, fit.c0 + fit.c1 * w);
		const [v00, v01, v11] = fit.cov;
		// How sure the fit is of this task's speed (a new key, or a size it has not seen).
		const paramSd = Math.sqrt(Math.max(0, v00 + 2 * w * v01 + w * w * v11)) / mean;
		const { z, minResiduals } = this.options;
		const residuals = this.data.e[service];
		let low: number;
		let high: number;
		if (residuals && residuals.length >= minResiduals) {
			const sorted = [...residuals].sort((a, b) => a - b);
			// Few residuals say little about the tails: widen until about 24 are in.
			const sure = Math.min(1, sorted.length / 24);
			low = Math.log(quantile(sorted, this.options.lowQuantile)) * (2 - sure);
			high = Math.log(quantile(sorted, this.options.highQuantile)) * (2 - sure);
		} else {
			low = -z * fit.taskSd;
			high = z * fit.taskSd;
		}
		// Uncertainty of the speed widens the window on both sides, beyond the spread between tasks.
		const extra = z * paramSd;
		low = -Math.hypot(Math.min(low, 0), extra);
		high = Math.hypot(Math.max(high, 0), extra);
		return { earliestMs: total * mean * Math.exp(low), latestMs: total * mean * Math.exp(high) };
	}

	/** The fit of `key`, its prior being the service-wide fit (or the guess, before anything was seen). */
	fit(key: string): Fit {
		const pooledKey = `${serviceOf(key)}|${POOLED}`;
		const { priorSd, keySd } = this.options;
		// Prior for α (fixed part's speed factor) and β (size part's): the guess, or the service-wide fit.
		let alpha = 1;
		let beta = 1;
		let sd = priorSd;
		if (key !== pooledKey && this.data.f[pooledKey]) {
			const pooled = this.solve(this.data.f[pooledKey], 1, 1, priorSd);
			beta = Math.max(MIN_RATIO, pooled.c0);
			alpha = Math.max(MIN_RATIO, pooled.c0 + pooled.c1);
			sd = keySd;
		}
		return this.solve(this.data.f[key], alpha, beta, sd);
	}

	private solve(sums: FitSums | undefined, alpha: number, beta: number, sd: number): Fit {
		const [n, s, sw, sww, sy, swy, syy, sm, sq] = sums ?? [0, 0, 0, 0, 0, 0, 0, 0, 0];
		// Prior precision of α and β, relative to their size (a speed ×2 off is as likely for either).
		const la = 1 / (sd * alpha) ** 2;
		const lb = 1 / (sd * beta) ** 2;
		// Normal equations of y = c0 + c1·w with β = c0, α = c0 + c1 and the prior on α, β.
		const a00 = s + la + lb;
		const a01 = sw + la;
		const a11 = sww + la;
		const b0 = sy + lb * beta + la * alpha;
		const b1 = swy + la * alpha;
		const det = a00 * a11 - a01 * a01;
		const c0 = (a11 * b0 - a01 * b1) / det;
		const c1 = (a00 * b1 - a01 * b0) / det;
		const cov: [number, number, number] = [a11 / det, -a01 / det, a00 / det];
		const { taskSd, minTaskSd } = this.options;
		let variance = taskSd * taskSd;
		if (n > 2 && sq > 0) {
			// Residual sum of squares of the data, less what the width of the observed intervals explains.
			const rss = syy - 2 * (c0 * sy + c1 * swy) + c0 * c0 * s + 2 * c0 * c1 * sw + c1 * c1 * sww;
			const measured = Math.max(0, ((rss * n) / (n - 2) - sm) / sq);
			variance = (n * measured + 3 * variance) / (n + 3);
		}
		return { c0, c1, cov, taskSd: Math.max(minTaskSd, Math.sqrt(variance)), n };
	}

	private addFit(key: string, lower: number, upper: number, guess: Guess): void {
		const total = guess.fixedMs + guess.sizeMs;
		const w = guess.fixedMs / total;
		// The middle of the interval: the check that saw the task done came after its end, the one
		// before it before; either end would bias the speed.
		const y = (lower + upper) / 2 / total;
		if (y < MIN_RATIO || y > MAX_RATIO) return;
		// The task ended anywhere in the interval: its width is measurement noise, not task spread.
		const intervalVar = ((upper - lower) / total) ** 2 / 12;
		const service = serviceOf(key);
		const pooledKey = `${service}|${POOLED}`;
		const before = this.data.f[key] || this.data.f[pooledKey] ? this.fit(key) : undefined;
		const forecast = before ? Math.max(MIN_RATIO, before.c0 + before.c1 * w) : 1;
		// Prequential: each residual is taken against the forecast made before the task was seen, so the
		// window also covers how wrong the fit still is (it narrows as the fit settles).
		if (before) {
			const low = lower / total / forecast;
			const high = upper / total / forecast;
			const residual =
				high - low <= this.options.residualPrecision
					? y / forecast
					: this.residualWithin(service, low, high);
			if (residual !== undefined) this.addResidual(service, residual);
		}
		for (const target of [key, pooledKey]) {
			const fit = this.data.f[target] ? this.fit(target) : undefined;
			const predicted = fit ? Math.max(MIN_RATIO, fit.c0 + fit.c1 * w) : forecast;
			const spread = fit?.taskSd ?? this.options.taskSd;
			const taskVar = (spread * predicted) ** 2;
			// A task far off the fit counts as a few spreads off, not more (one stuck task must not
			// drag the speed); the first tasks of a key are believed as they are.
			let yy = y;
			if (fit && fit.n >= 5) {
				const limit = 4 * Math.sqrt(taskVar + intervalVar);
				yy = Math.min(predicted + limit, Math.max(predicted - limit, y));
			}
			this.addSums(target, w, yy, 1 / (taskVar + intervalVar), intervalVar, predicted);
		}
	}

	private addSums(
		key: string,
		w: number,
		y: number,
		weight: number,
		intervalVar: number,
		predicted: number,
	): void {
		const { maxCount } = this.options;
		const old = this.data.f[key];
		if (!old) this.makeRoom(this.data.f);
		const sums = (old ?? [0, 0, 0, 0, 0, 0, 0, 0, 0]).slice() as FitSums;
		// Forget the oldest share once the count is full, so that a change of speed is followed.
		if (sums[0] >= maxCount) {
			const keep = (maxCount - 1) / sums[0];
			for (let i = 0; i < sums.length; i++) sums[i] *= keep;
		}
		const add = [1, weight, weight * w, weight * w * w, weight * y, weight * w * y, weight * y * y];
		for (let i = 0; i < add.length; i++) sums[i] += add[i];
		sums[7] += weight * intervalVar;
		sums[8] += weight * predicted * predicted;
		this.data.f[key] = sums.map((x) => Number(x.toPrecision(7))) as FitSums;
	}

	/**
	 * A point in [low, high] for a task whose residual is known only that far: drawn (at a deterministic,
	 * low-discrepancy position) from the sample's spread, a log-normal with its median and interquartile
	 * range, restricted to the interval. Undefined while the sample is too small to say, or when the
	 * spread puts (almost) nothing in the interval.
	 */
	private residualWithin(service: string, low: number, high: number): number | undefined {
		const sample = this.data.e[service];
		if (!sample || sample.length < this.options.minResiduals) return undefined;
		const logs = sample.map(Math.log).sort((a, b) => a - b);
		const median = quantile(logs, 0.5);
		const sd = Math.max(0.01, (quantile(logs, 0.75) - quantile(logs, 0.25)) / 1.349);
		const from = low > 0 ? normalCdf((Math.log(low) - median) / sd) : 0;
		const to = normalCdf((Math.log(high) - median) / sd);
		// Residuals sit near 1 (durations are in ms, see placeInInterval): a larger scale makes each new
		// residual move the position.
		const p = from + spreadPosition(sample, 7.31) * (to - from);
		if (!(p > 1e-6 && p < 1 - 1e-6)) return undefined;
		return Math.exp(median + sd * normalQuantile(p));
	}

	private addResidual(service: string, ratio: number): void {
		if (!(ratio >= MIN_RATIO && ratio <= MAX_RATIO)) return;
		const sample = this.data.e[service] ?? [];
		if (!this.data.e[service]) this.makeRoom(this.data.e);
		sample.push(Math.round(ratio * 1000) / 1000);
		while (sample.length > this.options.residualSize) sample.shift();
		this.data.e[service] = sample;
	}

	/**
	 * The window from the sample's quantiles, given that the task was still running `runningAtMs` after its
	 * origin (its first check): the quantiles of the durations longer than that, so that an item first
	 * checked late still skips the checks where few of the tasks left could end.
	 */
	private spread(key: string, runningAtMs: number): DurationWindow {
		const { lowQuantile, highQuantile, unknownLatestMs } = this.options;
		const sample = this.data.d[key];
		if (!sample || sample.length < 3) return { earliestMs: 0, latestMs: unknownLatestMs };
		const sorted = [...sample].sort((a, b) => a - b);
		const n = sorted.length;
		// Few samples say little about the tails: widen the window until about 20 are in.
		const sure = Math.min(1, n / 20);
		const gone = runningAtMs > 0 ? sorted.filter((ms) => ms <= runningAtMs).length / n : 0;
		const left = (q: number) => Math.min(1, gone + q * (1 - gone));
		const earliest = quantile(sorted, left(lowQuantile)) * (0.5 + 0.5 * sure);
		const latest = quantile(sorted, left(highQuantile)) * (1 + (1 - sure));
		return { earliestMs: earliest, latestMs: Math.max(latest, earliest) };
	}

	/**
	 * Where in [lower, upper] a task without a guess counts as having ended. Narrow intervals: the middle.
	 * Wide ones (the sleep before the window's start) would all land on one middle, which drags the
	 * window's start later and later (every task before it then reports the same middle); spread evenly
	 * over the interval instead (a deterministic low-discrepancy position), they keep the mass before it.
	 */
	private placeInInterval(key: string, lower: number, upper: number): number {
		if (upper - lower <= 0.2 * upper) return Math.round((lower + upper) / 2);
		const position = spreadPosition(this.data.d[key] ?? [], 1 / 997);
		return Math.round(lower + (upper - lower) * position);
	}

	private addSample(key: string, ms: number): void {
		const sample = this.data.d[key] ?? [];
		if (!this.data.d[key]) this.makeRoom(this.data.d);
		sample.push(ms);
		while (sample.length > this.options.sampleSize) sample.shift();
		this.data.d[key] = sample;
	}

	/** Keeps the number of keys bounded: the oldest key goes (objects keep insertion order). */
	private makeRoom(table: Record<string, unknown>): void {
		const keys = Object.keys(table);
		if (keys.length >= this.options.maxKeys) delete table[keys[0]];
	}
}

/** One check of one item, as the learning sees it. */
export interface Sighting {
	now: number;
	phase: 'waiting' | 'succeeded' | 'failed';
	/** service|speed class, see `learningKey`. */
	key: string;
	/** When the task was created (epoch ms), if it says. */
	createdAt?: number;
	/** The built-in guess of its duration from creation, if the service tells enough. */
	guess?: Guess;
}

/** A window in absolute time, for the policy. */
export interface PollWindow {
	/** Epoch ms the window counts from. */
	startAt: number;
	earliestMs: number;
	latestMs: number;
}

/**
 * Follows one item's checks: gives the policy the window to use after each waiting check, and tells the
 * learner the interval in which the task ended once a check sees it succeed. Failed tasks teach nothing
 * (a task can fail at once on bad input). A speed is learned only from tasks whose creation time is known.
 */
export function trackItem(learner: Learner): (sighting: Sighting) => PollWindow | undefined {
	let origin: number | undefined;
	let lastWaiting: number | undefined;
	/** How long after its origin the task was first seen running. */
	let runningAt: number | undefined;
	return (sighting) => {
		const { now, phase, key, createdAt, guess } = sighting;
		origin ??= createdAt ?? now;
		if (phase === 'succeeded') {
			if (lastWaiting === undefined) {
				// Done at the first check: without a guess, a task whose creation time is known still ended
				// in [0, now]. Leaving such tasks out would learn only the slow ones (those still running at a
				// late first check) and push the window later than the service is.
				if (createdAt !== undefined && guess === undefined)
					learner.observe(key, { lowerMs: 0, upperMs: now - origin });
				return undefined;
			}
			if (guess !== undefined && createdAt === undefined) return undefined;
			learner.observe(key, { lowerMs: lastWaiting - origin, upperMs: now - origin, guess });
			return undefined;
		}
		if (phase === 'failed') return undefined;
		lastWaiting = now;
		runningAt ??= now - origin;
		const window = learner.window(key, createdAt === undefined ? undefined : guess, runningAt);
		return window && { startAt: origin, ...window };
	};
}

/** The learning key of a task: its service and what makes tasks of it run at the same speed. */
export function learningKey(service: string, speedClass?: string): string {
	const key = speedClass ? `${service}|${speedClass}` : service;
	return key.slice(0, MAX_KEY_LENGTH);
}
