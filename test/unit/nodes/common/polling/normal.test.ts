import { normalCdf, normalQuantile } from '../../../../../nodes/common/polling/normal';

describe('normal distribution', () => {
	it('gives the textbook values of the standard normal', () => {
		expect(normalCdf(0)).toBeCloseTo(0.5, 7);
		expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
		expect(normalCdf(-1.750686)).toBeCloseTo(0.04, 6);
		expect(normalCdf(-9)).toBeCloseTo(0, 7);
		expect(normalCdf(9)).toBeCloseTo(1, 7);
	});

	it('inverts its distribution function', () => {
		for (const p of [1e-5, 0.04, 0.25, 0.5, 0.9, 0.995, 1 - 1e-5])
			expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
		expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
	});
});
