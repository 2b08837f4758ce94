/** Reading response bodies that may be streams, Buffers, strings or parsed JSON, within a size limit. */
import type { IDataObject } from 'n8n-workflow';

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

/** Reads a whole body into memory; refuses more than `limit` bytes. */
export async function collectBody(body: unknown, limit = Number.MAX_SAFE_INTEGER): Promise<Buffer> {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body) || body instanceof Uint8Array || typeof body === 'string') {
		const buffer = toBuffer(body);
		if (buffer.length > limit)
			throw new BodyProblem('TooLarge', `the file is larger than ${limit} bytes`);
		return buffer;
	}
	if (!isAsyncIterable(body))
		throw new BodyProblem('UnreadableBody', 'the response body is not readable');
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of body) {
		const buffer = toBuffer(chunk);
		total += buffer.length;
		if (total > limit) throw new BodyProblem('TooLarge', `the file is larger than ${limit} bytes`);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks, total);
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
