/**
 * The standard normal distribution, which the learning uses to place a task whose end is known only
 * within a wide interval at a plausible point inside it (see learning.ts).
 */

/** P(Z ≤ z), from the error function's approximation 7.1.26 of Abramowitz and Stegun (error < 2e-7). */
export function normalCdf(z: number): number {
	const x = Math.abs(z) / Math.SQRT2;
	const t = 1 / (1 + 0.3275911 * x);
	const poly =
		t *
		(0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
	const erf = 1 - poly * Math.exp(-x * x);
	return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** The z with P(Z ≤ z) = p, for p in (0, 1), by bisection: a few dozen steps, called once per task. */
export function normalQuantile(p: number): number {
	let low = -8;
	let high = 8;
	for (let i = 0; i < 48; i++) {
		const middle = (low + high) / 2;
		if (normalCdf(middle) < p) low = middle;
		else high = middle;
	}
	return (low + high) / 2;
}
