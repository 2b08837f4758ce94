import type { IDataObject } from 'n8n-workflow';

import { jsonObjectOf, textOf } from '../transport/body';
import { header, retryAfterMs, xmlTag } from '../transport/http';

/** An AWS error answer as the SDKs read it: restJson (code in a header or the body) or S3's XML. */
export interface AwsError {
	status: number;
	code: string;
	message: string;
	requestId?: string;
	/** S3 wrong-region answers name the bucket's region. */
	region?: string;
	retryAfterMs?: number;
}

/** `com.amazon.coral#Foo:http://…` → `Foo`, as the SDKs sanitise error codes. */
export function sanitizeErrorCode(raw: string): string {
	let code = raw.trim();
	if (code.includes(',')) code = code.split(',')[0];
	if (code.includes(':')) code = code.split(':')[0];
	if (code.includes('#')) code = code.split('#')[1] ?? code;
	return code;
}

/** Reads a non-2xx restJson or S3 XML response. */
export function parseAwsError(
	status: number,
	headers: IDataObject | undefined,
	body: unknown,
): AwsError {
	const json = jsonObjectOf(body);
	const text = textOf(body);
	const xml = text.includes('<Error>');
	const codeKey = json && Object.keys(json).find((k) => k.toLowerCase() === 'code');
	const code =
		header(headers, 'x-amzn-errortype') ??
		(codeKey ? String(json[codeKey]) : undefined) ??
		(json?.__type !== undefined ? String(json.__type) : undefined) ??
		(xml ? xmlTag(text, 'Code') : undefined) ??
		String(status);
	const jsonMessage = json?.message ?? json?.Message;
	return {
		status,
		code: sanitizeErrorCode(code),
		message:
			(jsonMessage !== undefined ? String(jsonMessage) : undefined) ??
			(xml ? xmlTag(text, 'Message') : undefined) ??
			'',
		requestId: header(headers, 'x-amzn-requestid') ?? header(headers, 'x-amz-request-id'),
		region: header(headers, 'x-amz-bucket-region') ?? (text ? xmlTag(text, 'Region') : undefined),
		retryAfterMs: retryAfterMs(headers),
	};
}
