import type { IDataObject } from 'n8n-workflow';

/**
 * The object an answer wraps under `name` (`{"SynthesisTask": {…}}`): `{}` when absent, so a task
 * without fields reads as still running; undefined when it is not an object, so it reads as unreadable.
 */
export function objectAt(body: IDataObject, name: string): IDataObject | undefined {
	const value = body[name];
	if (value === undefined || value === null) return {};
	return typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/** An ISO 8601 timestamp field as epoch ms. */
export function timestampOf(value: unknown): number | undefined {
	return value ? Date.parse(String(value)) || undefined : undefined;
}
