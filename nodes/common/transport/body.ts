/** Reading response bodies that may be streams, Buffers, strings or parsed JSON, within a size limit. */
import type { IDataObject } from 'n8n-workflow';

import { errorCode } from './http';

/** At most this much of an error body is read. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** An error of ours raised while reading a body; `code` says which (TooLarge, LengthMismatch, …). */
export class BodyProblem extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

export function toBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array)
		return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	return Buffer.from(String(chunk), 'utf8');
}

/**
 * Reads a whole body into memory; refuses more than `limit` bytes (counted after decompression) and
 * stops reading when `signal` aborts (the request's time limit). Either way the stream is released.
 */
export async function collectBody(
	body: unknown,
	limit = Number.MAX_SAFE_INTEGER,
	signal?: AbortSignal,
): Promise<Buffer> {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body) || body instanceof Uint8Array || typeof body === 'string') {
		const buffer = toBuffer(body);
		if (buffer.length > limit) throw tooLarge(limit);
		return buffer;
	}
	if (!isAsyncIterable(body)) {
		throw new BodyProblem('UnreadableBody', 'the response body is not readable');
	}
	const stop = () => discard(body);
	if (signal?.aborted) stop();
	signal?.addEventListener('abort', stop, { once: true });
	const chunks: Buffer[] = [];
	let total = 0;
	let broke: unknown;
	try {
		for await (const chunk of body) {
			const buffer = toBuffer(chunk);
			total += buffer.length;
			if (total > limit) {
				discard(body);
				throw tooLarge(limit);
			}
			chunks.push(buffer);
		}
	} catch (error) {
		broke = error;
	} finally {
		signal?.removeEventListener('abort', stop);
	}
	if (broke instanceof BodyProblem) throw broke;
	if (signal?.aborted) throw timedOut();
	// The stream broke (reset, closed early): keep its code, so callers can tell a dropped connection.
	if (broke !== undefined) throw new BodyProblem(errorCode(broke) ?? 'BrokenOff', messageOf(broke));
	return Buffer.concat(chunks, total);
}

function messageOf(error: unknown): string {
	return error instanceof Error && error.message ? error.message : 'the answer broke off';
}

function tooLarge(limit: number): BodyProblem {
	return new BodyProblem('TooLarge', `the file is larger than ${limit} bytes`);
}

function timedOut(): BodyProblem {
	return new BodyProblem(
		'AnswerTimedOut',
		'the answer did not arrive completely within the time limit',
	);
}

/** Stops a stream we will not read to the end, so its socket is released. */
export function discard(body: unknown): void {
	const destroy = (body as { destroy?: unknown } | null)?.destroy;
	if (typeof destroy === 'function') (destroy as () => void).call(body);
}

/** Reads at most `limit` bytes of a body (stream, Buffer, string or parsed object) as text. */
export async function readErrorBody(body: unknown, limit = ERROR_BODY_LIMIT): Promise<string> {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.subarray(0, limit).toString('utf8');
	if (typeof body === 'string') return body.slice(0, limit);
	if (isAsyncIterable(body)) {
		const chunks: Buffer[] = [];
		let total = 0;
		for await (const chunk of body) {
			const buffer = toBuffer(chunk);
			chunks.push(buffer);
			total += buffer.length;
			if (total >= limit) break;
		}
		discard(body);
		return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
	}
	try {
		return JSON.stringify(body).slice(0, limit);
	} catch {
		return '';
	}
}

/** The body as a JSON object: parsed already, or text (string or Buffer) that parses to one. */
export function jsonObjectOf(body: unknown): IDataObject | undefined {
	if (
		body &&
		typeof body === 'object' &&
		!Buffer.isBuffer(body) &&
		!Array.isArray(body) &&
		!isAsyncIterable(body)
	) {
		return body as IDataObject;
	}
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	if (!text.trim().startsWith('{')) return undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as IDataObject)
			: undefined;
	} catch {
		return undefined;
	}
}

/** A body as text, when it is text (string or Buffer). */
export function textOf(body: unknown): string {
	return Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
}
