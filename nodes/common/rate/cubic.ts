/**
 * CUBIC rate control, as the AWS SDKs' adaptive retry mode applies it to request rates: after a throttle
 * the rate drops to `beta` times what it was; from then on it follows a cubic curve of the time since the
 * throttle, flat around the rate that was throttled (probing it slowly) and steep away from it (recovering
 * fast from a deep cut, then searching for more). Pure functions of their arguments; times in seconds.
 */

/** Share of the rate kept after a throttle. */
export const BETA = 0.7;
/** How fast the curve grows (requests per second per second³). */
export const SCALE = 0.4;

export interface CubicShape {
	beta: number;
	scale: number;
}

export const AWS_SHAPE: CubicShape = { beta: BETA, scale: SCALE };

/** The rate right after a throttle of `rate`. */
export function cutRate(rate: number, shape: CubicShape = AWS_SHAPE): number {
	return rate * shape.beta;
}

/** Seconds from a throttle until the curve is back at the throttled rate `lastMaxRate`. */
export function recoverySeconds(lastMaxRate: number, shape: CubicShape = AWS_SHAPE): number {
	return Math.cbrt((lastMaxRate * (1 - shape.beta)) / shape.scale);
}

/**
 * The rate `seconds` after a throttle of `lastMaxRate`: the cut rate at 0, `lastMaxRate` again after
 * `recoverySeconds`, and growing faster and faster beyond it.
 */
export function rateSinceThrottle(
	seconds: number,
	lastMaxRate: number,
	shape: CubicShape = AWS_SHAPE,
): number {
	const offset = seconds - recoverySeconds(lastMaxRate, shape);
	return shape.scale * offset ** 3 + lastMaxRate;
}
