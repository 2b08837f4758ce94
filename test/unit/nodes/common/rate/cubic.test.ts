import {
	AWS_SHAPE,
	cutRate,
	rateSinceThrottle,
	recoverySeconds,
} from '../../../../../nodes/common/rate/cubic';

describe('CUBIC rate control', () => {
	it('keeps 0.7 of the rate on a throttle', () => {
		expect(cutRate(10)).toBeCloseTo(7, 10);
		expect(cutRate(0.5)).toBeCloseTo(0.35, 10);
	});

	it('starts the curve at the cut rate and is back at the throttled rate after the recovery time', () => {
		for (const lastMax of [0.5, 10, 80]) {
			expect(rateSinceThrottle(0, lastMax)).toBeCloseTo(cutRate(lastMax), 8);
			expect(rateSinceThrottle(recoverySeconds(lastMax), lastMax)).toBeCloseTo(lastMax, 8);
		}
		// 10/s: W = ∛(10 · 0.3 / 0.4) = ∛7.5 ≈ 1.957 s.
		expect(recoverySeconds(10)).toBeCloseTo(1.9574, 3);
	});

	it('regrows fast after the cut, flattens near the throttled rate, then probes beyond it', () => {
		const w = recoverySeconds(10);
		const early = rateSinceThrottle(0.5, 10) - rateSinceThrottle(0, 10);
		const near = rateSinceThrottle(w, 10) - rateSinceThrottle(w - 0.5, 10);
		expect(early).toBeGreaterThan(near);
		expect(rateSinceThrottle(w + 1, 10)).toBeCloseTo(10 + AWS_SHAPE.scale, 8);
		expect(rateSinceThrottle(w + 3, 10)).toBeCloseTo(10 + 0.4 * 27, 8);
	});

	it('never falls while time passes', () => {
		let previous = -Infinity;
		for (let t = 0; t <= 10; t += 0.1) {
			const rate = rateSinceThrottle(t, 7);
			expect(rate).toBeGreaterThanOrEqual(previous);
			previous = rate;
		}
	});

	it('takes another shape', () => {
		const shape = { beta: 0.5, scale: 1 };
		expect(cutRate(10, shape)).toBe(5);
		expect(recoverySeconds(16, shape)).toBeCloseTo(2, 10);
		expect(rateSinceThrottle(0, 16, shape)).toBeCloseTo(8, 10);
	});
});
