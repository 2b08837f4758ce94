import type { IDataObject } from 'n8n-workflow';

import type { TaskAdapter } from '../adapters/types';
import { learningKey } from './learning';
import type { Guess, PollWindow, Sighting } from './learning';
import type { CheckOutcome } from './poll-until-done';

/** The adapter's guess in its two parts; a guess that is not split counts as all size-dependent. */
function guessOf(
	adapter: TaskAdapter,
	task: IDataObject,
	expectedDurationMs: number | undefined,
): Guess | undefined {
	const parts = adapter.task.expectedDurationPartsMs?.(task);
	if (parts) return parts;
	return expectedDurationMs === undefined ? undefined : { fixedMs: 0, sizeMs: expectedDurationMs };
}

/**
 * A task read by a status check, as the poller needs it: done, or waiting with the hints for the next
 * delay. `track` (see `trackItem`) learns from the item's checks and returns the learned window.
 */
export function classifyTask(
	adapter: TaskAdapter,
	task: IDataObject,
	now: number,
	track?: (sighting: Sighting) => PollWindow | undefined,
): CheckOutcome<IDataObject> {
	const { phase } = adapter.task.state(task);
	const done = phase === 'succeeded' || phase === 'failed';
	let window: PollWindow | undefined;
	const createdAt = adapter.task.createdAt?.(task);
	const expectedDurationMs = adapter.task.expectedDurationMs?.(task);
	if (track) {
		try {
			window = track({
				now,
				phase: done ? phase : 'waiting',
				key: learningKey(adapter.service, adapter.task.speedClass?.(task)),
				createdAt,
				guess: guessOf(adapter, task, expectedDurationMs),
			});
		} catch {
			// Learning is an optimisation: whatever it trips over must not cost the item its result.
			window = undefined;
		}
	}
	if (done) return { kind: 'done', value: task };
	return { kind: 'waiting', value: task, createdAt, expectedDurationMs, window };
}
