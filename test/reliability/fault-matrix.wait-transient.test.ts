// Fault matrix, part 2: Wait Until Complete × every fault, the fault hitting one request of three items
// (Continue On Fail on). Throttling and transient failures are retried after a backoff (Retry-After when
// sent) and every item completes; auth failures are errors for the faulted item only. See
// support/fault-matrix.ts for the promised outcome of each cell.
import { FAULT_CASES, transientCell, WAIT_TARGETS } from './support/wait-matrix';

describe.each(WAIT_TARGETS.map((t) => [t.label, t] as const))('%s', (_label, target) => {
	it.concurrent.each(FAULT_CASES.map((f) => [f.label, f] as const))(
		'transient: %s',
		async (_fault, fault) => {
			await transientCell(target, fault);
		},
	);
});
