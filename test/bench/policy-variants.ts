/**
 * Variants of the shipped adaptive policy, measured next to it by the polling benchmark: the same
 * code with its options open, so that nothing here can drift from what ships.
 */
import { adaptivePolicy } from '../../nodes/common/polling/policy';
import type { AdaptiveOptions, PollingPolicy } from '../../nodes/common/polling/policy';

/** Without `probeMs`: no check at all before the earliest plausible finish. */
export function windowPolicy(options: AdaptiveOptions = {}): PollingPolicy {
	return adaptivePolicy({ probeMs: Infinity, ...options });
}
