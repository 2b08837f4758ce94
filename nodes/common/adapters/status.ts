import type { IDataObject } from 'n8n-workflow';

import type { TaskPhase, TaskState } from './types';

/**
 * A task's state from its status field: each documented value has its phase, and any other value
 * (a new one, or none) counts as still running, never as done. `reason` explains failed tasks;
 * `meanings` says in words what a status means where its name does not.
 */
export function statusField(
	field: string,
	phases: Readonly<Record<string, TaskPhase>>,
	reason: (task: IDataObject, status: string) => string,
	meanings: Readonly<Record<string, string>> = {},
): (task: IDataObject) => TaskState {
	const has = (map: object, key: string) => Object.prototype.hasOwnProperty.call(map, key);
	return (task) => {
		const status = String(task[field] ?? '');
		const phase = has(phases, status) ? phases[status] : 'running';
		const meaning = has(meanings, status) ? { meaning: meanings[status] } : {};
		return phase === 'failed'
			? { phase, status, reason: reason(task, status), ...meaning }
			: { phase, status, ...meaning };
	};
}
