import {
	Learner,
	learningKey,
	readLearned,
	trackItem,
} from '../../../../../nodes/common/polling/learning';

const KEY = 'polly|neural|mp3';

/** A guess of `sizeMs` for the text plus a 3 s queue. */
const guessOf = (sizeMs: number) => ({ fixedMs: 3000, sizeMs });

/**
 * Observations of tasks whose queue takes `queue` × its guess and whose text takes `speed` × its guess,
 * ±10 % per task, each seen within ±`width` of its end.
 */
function teach(
	learner: Learner,
	key: string,
	speed: number,
	count: number,
	{ queue = speed, width = 0.02 } = {},
) {
	for (let i = 0; i < count; i++) {
		const guess = guessOf(2000 + ((i * 7919) % 60_000));
		const actual = (guess.fixedMs * queue + guess.sizeMs * speed) * (1 + 0.1 * Math.sin(i));
		learner.observe(key, {
			lowerMs: actual * (1 - width),
			upperMs: actual * (1 + width),
			guess,
		});
	}
}

describe('Learner', () => {
	it('starts from the guess ×0.3 to ×1.2, then narrows around the real speed', () => {
		const learner = new Learner();
		// Nothing learned: from far below the guess (it may be ×0.3 off) to 20 % above it.
		expect(learner.window(KEY, guessOf(17_000))).toEqual({ earliestMs: 6_000, latestMs: 24_000 });
		teach(learner, KEY, 3, 30);
		const after = learner.window(KEY, guessOf(17_000))!;
		// Real durations are about 60 s (±10 %): the window holds them and little else.
		expect(after.earliestMs).toBeGreaterThan(48_000);
		expect(after.earliestMs).toBeLessThan(56_000);
		expect(after.latestMs).toBeGreaterThan(64_000);
		expect(after.latestMs).toBeLessThan(75_000);
	});

	it('learns the queue and the per-character speed apart', () => {
		const learner = new Learner();
		// Queue as guessed, text 4 × slower: one ratio per key could not fit short and long texts alike.
		// 100 tasks: the residuals of the first ones (before the speeds were known) have left the sample.
		teach(learner, KEY, 4, 100, { queue: 1 });
		const short = learner.window(KEY, guessOf(2000))!;
		const long = learner.window(KEY, guessOf(50_000))!;
		const middle = (w: { earliestMs: number; latestMs: number }) =>
			Math.sqrt(w.earliestMs * w.latestMs);
		expect(middle(short) / (3000 + 4 * 2000)).toBeCloseTo(1, 1);
		expect(middle(long) / (3000 + 4 * 50_000)).toBeCloseTo(1, 1);
	});

	it('uses the middle of the interval a task ended in, not the check that saw it done', () => {
		const learner = new Learner();
		// Each task really took its guess; the check that saw it done came 40 % later.
		for (let i = 0; i < 30; i++)
			learner.observe(KEY, { lowerMs: 6_000, upperMs: 14_000, guess: guessOf(7000) });
		const fit = learner.fit(KEY);
		expect(fit.c0 + fit.c1 * 0.3).toBeCloseTo(1, 1);
	});

	it('does not let one stuck task drag the speed it learned', () => {
		const learner = new Learner();
		teach(learner, KEY, 1, 30);
		const before = learner.window(KEY, guessOf(17_000))!;
		learner.observe(KEY, { lowerMs: 990_000, upperMs: 1_000_000, guess: guessOf(17_000) });
		const after = learner.window(KEY, guessOf(17_000))!;
		expect(after.earliestMs).toBeGreaterThan(before.earliestMs * 0.8);
		expect(after.latestMs).toBeLessThan(before.latestMs * 1.5);
	});

	it('lends what one key learned to another key of the same service', () => {
		const learner = new Learner();
		teach(learner, 'polly|standard|mp3', 0.5, 20);
		const other = learner.window('polly|long-form|ogg_vorbis', guessOf(10_000))!;
		const fresh = new Learner().window('polly|long-form|ogg_vorbis', guessOf(10_000))!;
		expect(other.earliestMs + other.latestMs).toBeLessThan(fresh.earliestMs + fresh.latestMs);
		expect(Math.sqrt(other.earliestMs * other.latestMs)).toBeLessThan(13_000 * 0.7);
	});

	it('learns a duration distribution where there is no guess: quantiles of a bounded sample', () => {
		const learner = new Learner();
		expect(learner.window('aspose')).toEqual({ earliestMs: 0, latestMs: 120_000 });
		for (let i = 0; i < 200; i++)
			learner.observe('aspose', {
				lowerMs: 20_000 + (i % 50) * 400,
				upperMs: 21_000 + (i % 50) * 400,
			});
		const window = learner.window('aspose')!;
		expect(window.earliestMs).toBeGreaterThan(19_000);
		expect(window.latestMs).toBeLessThan(42_000);
		expect(learner.toJSON().d.aspose).toHaveLength(64);
	});

	it('keeps the start of the window where short tasks end, though they are only seen after it', () => {
		const learner = new Learner();
		// Tasks of 2 to 12 s, each seen done at the first check after the window's start + 4.8 s when it
		// ended before that check, else within a second: the middles of those long intervals alone would
		// push the window's start past the short tasks, and further with every round.
		for (let round = 0; round < 10; round++) {
			const { earliestMs } = learner.window('aspose')!;
			for (let i = 0; i < 20; i++) {
				const ends = 2000 + i * 500;
				const probe = earliestMs + 4800;
				learner.observe(
					'aspose',
					ends < probe
						? { lowerMs: 0, upperMs: probe }
						: { lowerMs: ends - 500, upperMs: ends + 500 },
				);
			}
		}
		expect(learner.window('aspose')!.earliestMs).toBeLessThan(3000);
	});

	it('learns how early tasks end from those that ended before their window opened', () => {
		const learner = new Learner();
		// Tasks of 0.5 × their guess, ±20 % uniform: 4 % of them end before 0.816 × 0.5 × the guess. Each is
		// checked as the policy checks it: at 1 s, then from the window's start + 4.8 s every 4.8 s. Those
		// that ended before the window opened are seen only across [1 s, first check in the window]; were
		// they left out, the sample would hold only tasks that ended inside windows, and its low quantile
		// (the next window's start) would sit above the real one (about 0.88 instead of 0.82).
		const ratio = (w: { earliestMs: number }, guess: { fixedMs: number; sizeMs: number }) =>
			w.earliestMs / ((guess.fixedMs + guess.sizeMs) * 0.5);
		for (let i = 0; i < 400; i++) {
			const guess = guessOf(80_000 + ((i * 7919) % 120_000));
			const actual = (guess.fixedMs + guess.sizeMs) * 0.5 * (0.8 + 0.4 * ((i * 0.6180339887) % 1));
			const { earliestMs, latestMs } = learner.window(KEY, guess)!;
			let before = 1000;
			let check = Math.max(2000, Math.min(earliestMs + 4800, latestMs));
			while (check < actual) [before, check] = [check, check + 4800];
			learner.observe(KEY, { lowerMs: before, upperMs: check, guess });
		}
		const guess = guessOf(150_000);
		expect(ratio(learner.window(KEY, guess)!, guess)).toBeGreaterThan(0.68);
		expect(ratio(learner.window(KEY, guess)!, guess)).toBeLessThan(0.84);
	});

	it('round-trips through JSON and keeps a bounded number of keys and samples', () => {
		const learner = new Learner();
		for (let k = 0; k < 100; k++) teach(learner, `polly|e${k}|mp3`, 2, 3);
		const stored = learner.toJSON();
		expect(Object.keys(stored.f).length).toBeLessThanOrEqual(24);
		expect(stored.e.polly.length).toBeLessThanOrEqual(48);
		expect(stored.f['polly|*'][0]).toBeLessThanOrEqual(40);
		const again = new Learner(JSON.parse(JSON.stringify(stored)));
		expect(again.window('polly|e99|mp3', guessOf(5000))).toEqual(
			learner.window('polly|e99|mp3', guessOf(5000)),
		);
	});

	it('drops stored values that are not what it wrote, without throwing', () => {
		for (const raw of [null, 7, 'x', [], { v: 3 }, { v: 2, f: 'x', d: [] }]) {
			expect(readLearned(raw)).toEqual({ v: 2, f: {}, e: {}, d: {} });
		}
		const good = [3, 30, 9, 3, 60, 18, 130, 0.1, 120];
		const mixed = readLearned({
			v: 2,
			f: {
				good,
				nan: [...good.slice(0, 8), Number.NaN],
				short: [1, 2],
				negative: good.map((x) => -x),
			},
			e: { polly: [1, 0.9, 'x', -1, 1e9] },
			d: { ok: [1000, -5, 'x', 2000], empty: [] },
		});
		expect(mixed).toEqual({ v: 2, f: { good }, e: { polly: [1, 0.9] }, d: { ok: [1000, 2000] } });
		// Version 1 stored one ratio per key: its duration samples are kept, its ratios dropped.
		expect(readLearned({ v: 1, r: { [KEY]: [3, 0.5, 0.01] }, d: { aspose: [5000] } })).toEqual({
			v: 2,
			f: {},
			e: {},
			d: { aspose: [5000] },
		});
		const learner = new Learner({ v: 2, f: { [KEY]: [3, 'oops', 1] } });
		expect(learner.window(KEY, guessOf(1000))).toBeDefined();
		learner.observe(KEY, { lowerMs: Number.NaN, upperMs: 5, guess: guessOf(1) });
		learner.observe(KEY, { lowerMs: 5, upperMs: 1e15, guess: guessOf(1) });
		learner.observe(KEY, { lowerMs: 5, upperMs: 10, guess: { fixedMs: -1, sizeMs: 5 } });
		expect(learner.changed).toBe(false);
	});
});

describe('trackItem', () => {
	it('gives windows while waiting and learns the interval once the task succeeds', () => {
		const learner = new Learner();
		const track = trackItem(learner);
		const key = learningKey('polly', 'standard|mp3');
		const sighting = { key, createdAt: 1_000, guess: { fixedMs: 2000, sizeMs: 8000 } };
		const window = track({ ...sighting, now: 2_000, phase: 'waiting' });
		expect(window).toEqual({ startAt: 1_000, earliestMs: 3_000, latestMs: 12_000 });
		track({ ...sighting, now: 30_000, phase: 'waiting' });
		expect(track({ ...sighting, now: 35_000, phase: 'succeeded' })).toBeUndefined();
		// Ended between 29 s and 34 s after creation: the next task of the key is expected much later.
		const next = trackItem(learner)({ ...sighting, now: 2_000, phase: 'waiting' })!;
		expect(next.earliestMs).toBeGreaterThan(20_000);
		expect(next.latestMs).toBeGreaterThan(31_500);
		expect(learner.toJSON().f[key][0]).toBe(1);
	});

	it('learns nothing from failed tasks, nor from tasks without a creation time done at the first check', () => {
		const learner = new Learner();
		const done = trackItem(learner);
		done({ key: 'aspose', now: 5_000, phase: 'succeeded' });
		const failed = trackItem(learner);
		failed({ key: 'aspose', now: 1_000, phase: 'waiting' });
		failed({ key: 'aspose', now: 2_000, phase: 'failed' });
		expect(learner.changed).toBe(false);
	});

	it('opens the window of a task first seen running late from the durations longer than that', () => {
		const learner = new Learner();
		const key = learningKey('chimeMediaPipeline');
		// Durations 1 s to 60 s, evenly.
		for (let i = 1; i <= 60; i++)
			learner.observe(key, { lowerMs: i * 1000 - 100, upperMs: i * 1000 + 100 });
		const fromStart = learner.window(key)!;
		const late = learner.window(key, undefined, 30_000)!;
		expect(fromStart.earliestMs).toBeLessThan(5_000);
		// Half the tasks are over by 30 s: 4 % of the rest end by about 31 s.
		expect(late.earliestMs).toBeGreaterThan(30_000);
		expect(late.earliestMs).toBeLessThan(33_000);
		// The end stays where the longest tasks end.
		expect(late.latestMs).toBeGreaterThanOrEqual(fromStart.latestMs);
		expect(late.latestMs).toBeLessThan(60_100);
	});

	it('keeps the window an item was first seen in as it goes on waiting', () => {
		const learner = new Learner();
		const key = learningKey('chimeMediaPipeline');
		for (let i = 1; i <= 60; i++)
			learner.observe(key, { lowerMs: i * 1000 - 100, upperMs: i * 1000 + 100 });
		const track = trackItem(learner);
		const first = track({ key, createdAt: 0, now: 10_000, phase: 'waiting' })!;
		const later = track({ key, createdAt: 0, now: 40_000, phase: 'waiting' })!;
		// Conditioned once, on the first sighting: waiting longer does not push the window on.
		expect(later.earliestMs).toBe(first.earliestMs);
	});

	it('counts a task done at the first check when its creation time is known (no survivors-only sample)', () => {
		const key = learningKey('chimeVoice');
		// Half the tasks end within 4 s, before a first check 8 s after creation; the rest take 30 s.
		const withEarly = new Learner();
		const survivorsOnly = new Learner();
		for (let i = 0; i < 40; i++) {
			const created = i * 100_000;
			if (i % 2 === 0) {
				trackItem(withEarly)({ key, createdAt: created, now: created + 8_000, phase: 'succeeded' });
				continue;
			}
			for (const learner of [withEarly, survivorsOnly]) {
				const track = trackItem(learner);
				track({ key, createdAt: created, now: created + 8_000, phase: 'waiting' });
				track({ key, createdAt: created, now: created + 31_000, phase: 'succeeded' });
			}
		}
		expect(withEarly.toJSON().d[key]).toHaveLength(40);
		expect(withEarly.toJSON().d[key].filter((ms) => ms <= 8_000)).toHaveLength(20);
		// Knowing that many end early, the window opens from the start; the survivors alone would open it late.
		expect(withEarly.window(key)!.earliestMs).toBeLessThan(8_000);
		expect(survivorsOnly.window(key)!.earliestMs).toBeGreaterThan(8_000);
	});
});
