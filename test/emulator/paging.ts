/**
 * List paging as the Chime SDK APIs model it: query `max-results` (ResultMax, 1–100) and an opaque `next-token`
 * that the previous page returned; an answer carries `NextToken` only when more entries follow.
 * A token is tied to the list it came from: a token of another list, or a made-up one, is a 400 BadRequestException.
 * The page size when `max-results` is absent is not documented; the emulator uses `DEFAULT_PAGE_SIZE` so that
 * clients that never send it still meet paging.
 */
import { queryValue } from './service';
import { Violations, badRequest } from './speaker-search';
import type { Query } from './types';

export const DEFAULT_PAGE_SIZE = 10;

interface Token {
	list: string;
	offset: number;
}

function encodeToken(token: Token): string {
	return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function decodeToken(raw: string, list: string): number {
	try {
		const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Token;
		if (token.list === list && Number.isInteger(token.offset) && token.offset > 0)
			return token.offset;
	} catch {
		// Falls through to the BadRequest below.
	}
	throw badRequest('The NextToken is not valid.');
}

/** One page of `items` for a list request; throws BadRequestException for a bad `max-results` or `next-token`. */
export function pageOf<T>(
	items: readonly T[],
	query: Query,
	list: string,
	range: { min: number; max: number } = { min: 1, max: 100 },
): { page: T[]; nextToken?: string } {
	const rawMax = queryValue(query, 'max-results');
	let size = DEFAULT_PAGE_SIZE;
	if (rawMax !== undefined) {
		const v = new Violations();
		const parsed = /^-?\d+$/.test(rawMax) ? Number(rawMax) : rawMax;
		v.check('maxResults', parsed, {
			type: 'integer',
			required: true,
			min: range.min,
			max: range.max,
		});
		v.throwIfAny();
		size = parsed as number;
	}
	const rawToken = queryValue(query, 'next-token');
	const offset = rawToken === undefined || rawToken === '' ? 0 : decodeToken(rawToken, list);
	const page = items.slice(offset, offset + size);
	const next = offset + size;
	return next < items.length ? { page, nextToken: encodeToken({ list, offset: next }) } : { page };
}
