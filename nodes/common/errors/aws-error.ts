import type { IDataObject } from 'n8n-workflow';

/** An AWS error as the SDKs read it (API-FACTS.md §1.3 for restJson, §5.3 for S3's XML). */
export interface AwsError {
	status: number;
	code: string;
	message: string;
	requestId?: string;
	/** S3 wrong-region answers name the bucket's region. */
	region?: string;
	retryAfterMs?: number;
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** `com.amazon.coral#Foo:http://…` → `Foo`, as the SDKs sanitise error codes. */
export function sanitizeErrorCode(raw: string): string {
	let code = raw.trim();
	if (code.includes(',')) code = code.split(',')[0];
	if (code.includes(':')) code = code.split(':')[0];
	if (code.includes('#')) code = code.split('#')[1] ?? code;
	return code;
}

function asObject(body: unknown): IDataObject | undefined {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as IDataObject;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	if (!text.trim().startsWith('{')) return undefined;
	try {
		return JSON.parse(text) as IDataObject;
	} catch {
		return undefined;
	}
}

function xmlTag(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
	return match ? match[1].trim() : undefined;
}

export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	const value = header(headers, 'retry-after');
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Reads a non-2xx restJson or S3 XML response. */
export function parseAwsError(status: number, headers: IDataObject | undefined, body: unknown): AwsError {
	const json = asObject(body);
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	const fromHeader = header(headers, 'x-amzn-errortype');
	const codeKey = json && Object.keys(json).find((k) => k.toLowerCase() === 'code');
	let code =
		fromHeader ??
		(codeKey ? String(json[codeKey]) : undefined) ??
		(json?.__type !== undefined ? String(json.__type) : undefined) ??
		(text.includes('<Error>') ? xmlTag(text, 'Code') : undefined) ??
		String(status);
	code = sanitizeErrorCode(code);
	const message =
		(json && (json.message ?? json.Message) !== undefined ? String(json.message ?? json.Message) : undefined) ??
		(text.includes('<Error>') ? xmlTag(text, 'Message') : undefined) ??
		'';
	return {
		status,
		code,
		message,
		requestId: header(headers, 'x-amzn-requestid') ?? header(headers, 'x-amz-request-id'),
		region: header(headers, 'x-amz-bucket-region') ?? (text ? xmlTag(text, 'Region') : undefined),
		retryAfterMs: retryAfterMs(headers),
	};
}
