/** Reading the paged lists the editor's pickers show (restJson: `max-results`, `next-token`). */
import type { IDataObject } from 'n8n-workflow';

import type { ListedId } from './types';

/** The query of one page: the most entries a page may hold, and where the previous page ended. */
export function pageQuery(maxResults: number, nextToken?: string): Record<string, string> {
	return {
		'max-results': String(maxResults),
		...(nextToken ? { 'next-token': nextToken } : {}),
	};
}

const isEntry = (value: unknown, idField: string): value is IDataObject =>
	value !== null &&
	typeof value === 'object' &&
	!Array.isArray(value) &&
	typeof (value as IDataObject)[idField] === 'string' &&
	(value as IDataObject)[idField] !== '';

/**
 * A page whose `member` lists objects that each carry their ID as text in `idField`; undefined when the
 * answer is not of that shape (then it is not the service's). A missing list is an empty page.
 */
export function readPage(member: string, idField: string) {
	return (body: IDataObject): IDataObject | undefined => {
		const entries = body[member] ?? [];
		const next = body.NextToken;
		if (!Array.isArray(entries) || !entries.every((entry) => isEntry(entry, idField)))
			return undefined;
		if (next !== undefined && next !== null && typeof next !== 'string') return undefined;
		return { [member]: entries, ...(typeof next === 'string' && next ? { NextToken: next } : {}) };
	};
}

/** The picker entries of a page read by `readPage`, and the token of the next page. */
export function pageEntries(
	page: IDataObject,
	member: string,
	entry: (item: IDataObject) => ListedId,
): { entries: ListedId[]; nextToken?: string } {
	return {
		entries: (page[member] as IDataObject[]).map(entry),
		nextToken: typeof page.NextToken === 'string' ? page.NextToken : undefined,
	};
}

/** "A, B" of the parts that are set. */
export function joined(...parts: unknown[]): string {
	return parts
		.filter((part) => typeof part === 'string' && part !== '')
		.map(String)
		.join(', ');
}
