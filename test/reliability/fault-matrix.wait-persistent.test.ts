// Fault matrix, part 3: Wait Until Complete × every fault, the fault hitting every request (Continue On
// Fail on, timeout 2 s). Retryable faults are retried until the timeout, then each item is an error with
// the last failure; fatal ones are errors at once. No item is lost or doubled and no run outlives its bound.
import { FAULT_CASES, persistentCell, WAIT_TARGETS } from './support/wait-matrix';

describe.each(WAIT_TARGETS.map((t) => [t.label, t] as const))('%s', (_label, target) => {
	it.concurrent.each(FAULT_CASES.map((f) => [f.label, f] as const))(
		'persistent: %s',
		async (_fault, fault) => {
			await persistentCell(target, fault);
		},
	);
});
