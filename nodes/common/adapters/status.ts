import type { IDataObject } from 'n8n-workflow';

import type { TaskPhase, TaskState } from './types';

/**
 * A task's state from its status field: each documented value has its phase, and any other value
 * (a new one, or none) counts as still running, never as done. `reason` explains failed tasks.
 */
export function statusField(
	field: string,
	phases: Readonly<Record<string, TaskPhase>>,
	reason: (task: IDataObject, status: string) => string,
): (task: IDataObject) => TaskState {
	return (task) => {
		const status = String(task[field] ?? '');
		const phase = Object.prototype.hasOwnProperty.call(phases, status) ? phases[status] : 'running';
		return phase === 'failed' ? { phase, status, reason: reason(task, status) } : { phase, status };
	};
}
