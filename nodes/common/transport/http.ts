import type { IDataObject } from 'n8n-workflow';

/** A response as n8n's request helpers return it with `returnFullResponse`. */
export interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** A header's value, whatever its spelling; the first one of a repeated header. */
export function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const lower = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === lower);
	const value = key === undefined ? undefined : headers[key];
	if (value === undefined || value === null) return undefined;
	return Array.isArray(value) ? String(value[0]) : String(value);
}

/** The text of the first `<tag>…</tag>` in an XML document. */
export function xmlTag(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
	return match ? match[1].trim() : undefined;
}

/** Milliseconds a `Retry-After` header (seconds or an HTTP date) asks for. */
export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	const value = header(headers, 'retry-after');
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

interface Thrown {
	code?: unknown;
	httpCode?: unknown;
	response?: { status?: unknown; headers?: IDataObject; data?: unknown };
	cause?: Thrown;
}

/** The errors n8n and axios wrap around each other, outermost first. */
function chain(error: unknown): Thrown[] {
	const links: Thrown[] = [];
	for (
		let e = error as Thrown | undefined, depth = 0;
		e && typeof e === 'object' && depth < 3;
		depth++
	) {
		links.push(e);
		e = e.cause;
	}
	return links;
}

/** The error code (ECONNRESET, …) of a thrown request error, however n8n wrapped it. */
export function errorCode(error: unknown): string | undefined {
	const links = chain(error);
	for (const link of links) {
		if (typeof link.code === 'string' && link.code !== '') return link.code;
	}
	const httpCode = links[0]?.httpCode;
	return typeof httpCode === 'string' && httpCode !== '' ? httpCode : undefined;
}

/** The HTTP answer a thrown request error carries, if there was one. */
export function responseOf(error: unknown): RawResponse | undefined {
	for (const link of chain(error)) {
		const status = Number(link.response?.status ?? link.httpCode);
		if (Number.isFinite(status) && status > 0) {
			return {
				statusCode: status,
				headers: link.response?.headers ?? {},
				body: link.response?.data,
			};
		}
	}
	return undefined;
}
