import type { IDataObject } from 'n8n-workflow';

/**
 * The task an answer holds (under `wrapper`, or the answer itself), if it is one: an object whose
 * status field is text. Anything else (no task, a status `["completed"]`) is not a task at all.
 */
export function taskAt(
	body: IDataObject,
	wrapper: string | undefined,
	statusField: string,
): IDataObject | undefined {
	const task = wrapper === undefined ? body : body[wrapper];
	if (task === null || typeof task !== 'object' || Array.isArray(task)) return undefined;
	return typeof (task as IDataObject)[statusField] === 'string' ? (task as IDataObject) : undefined;
}

/** An ISO 8601 timestamp field as epoch ms. */
export function timestampOf(value: unknown): number | undefined {
	return value ? Date.parse(String(value)) || undefined : undefined;
}
