/**
 * Error responses in the wire formats of the emulated services:
 * - restJson1 (Polly, Chime SDK Media Pipelines, Chime SDK Voice): status + `x-amzn-ErrorType` header + JSON body;
 * - S3 REST-XML (`<Error><Code>…`), with `x-amz-request-id` / `x-amz-id-2`;
 * - STS query protocol XML (`<ErrorResponse><Error><Type>…`);
 * - Aspose (ASP.NET): RFC 7807 ProblemDetails JSON, OAuth2 token errors.
 */
import { awsRequestId, s3HostId, s3RequestId } from './random';
import type { Reply } from './types';
import { xmlElements } from './xml';

/** How `x-amzn-ErrorType` is written: `coral` = `Name:http://internal.amazon.com/coral/<namespace>/`, `plain` = `Name`, `none` = omitted. */
export type ErrorTypeStyle = 'coral' | 'plain' | 'none';

export interface RestJsonErrorInput {
	status: number;
	/** Exception name, e.g. `SynthesisTaskNotFoundException`. */
	name: string;
	message: string;
	style: ErrorTypeStyle;
	/** Coral namespace for the `coral` style, e.g. `com.amazonaws.polly.v1`. */
	namespace: string;
	/** Body shape: Polly `{ message }`; Chime `{ Code, Message }` (+ `RequestId` for Media Pipelines). */
	body: 'message' | 'chime' | 'chime-with-request-id';
	/** Chime `ErrorCode` enum value (`NotFound`, `BadRequest`, `Throttling`…). */
	code?: string;
	requestId?: string;
	headers?: Record<string, string | number>;
}

export function restJsonError(input: RestJsonErrorInput): Reply {
	const requestId = input.requestId ?? awsRequestId();
	const headers: Record<string, string | number> = {
		'Content-Type': 'application/json',
		'x-amzn-RequestId': requestId,
		...input.headers,
	};
	if (input.style === 'coral')
		headers['x-amzn-ErrorType'] =
			`${input.name}:http://internal.amazon.com/coral/${input.namespace}/`;
	else if (input.style === 'plain') headers['x-amzn-ErrorType'] = input.name;
	let body: Record<string, string>;
	if (input.body === 'message') body = { message: input.message };
	else {
		body = { Code: input.code ?? input.name.replace(/Exception$/, ''), Message: input.message };
		if (input.body === 'chime-with-request-id') body.RequestId = requestId;
	}
	return {
		status: input.status,
		headers,
		body: Buffer.from(JSON.stringify(body)),
		errorCode: input.name,
	};
}

export interface S3ErrorInput {
	status: number;
	code: string;
	message: string;
	/** Extra elements after Message, e.g. Key, BucketName, Region, AWSAccessKeyId. */
	extra?: Array<[string, string | number | undefined]>;
	headers?: Record<string, string | number>;
	/** HEAD requests: status and headers only. */
	head?: boolean;
}

export function s3Error(input: S3ErrorInput): Reply {
	const requestId = s3RequestId();
	const hostId = s3HostId();
	const headers: Record<string, string | number> = {
		'x-amz-request-id': requestId,
		'x-amz-id-2': hostId,
		Server: 'AmazonS3',
		...input.headers,
	};
	if (input.head)
		return {
			status: input.status,
			headers,
			errorCode: input.code,
			headOnly: true,
			body: Buffer.alloc(0),
		};
	headers['Content-Type'] = 'application/xml';
	const xml =
		'<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
		xmlElements([
			['Code', input.code],
			['Message', input.message],
			...(input.extra ?? []),
			['RequestId', requestId],
			['HostId', hostId],
		]) +
		'</Error>';
	return { status: input.status, headers, body: Buffer.from(xml), errorCode: input.code };
}

export function stsError(input: {
	status: number;
	type?: 'Sender' | 'Receiver';
	code: string;
	message: string;
	headers?: Record<string, string | number>;
}): Reply {
	const requestId = awsRequestId();
	const xml =
		'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>' +
		xmlElements([
			['Type', input.type ?? (input.status >= 500 ? 'Receiver' : 'Sender')],
			['Code', input.code],
			['Message', input.message],
		]) +
		'</Error>\n  ' +
		xmlElements([['RequestId', requestId]]) +
		'\n</ErrorResponse>\n';
	return {
		status: input.status,
		headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId, ...input.headers },
		body: Buffer.from(xml),
		errorCode: input.code,
	};
}

const PROBLEM_TYPES: Record<number, string> = {
	400: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
	401: 'https://tools.ietf.org/html/rfc7235#section-3.1',
	403: 'https://tools.ietf.org/html/rfc7231#section-6.5.3',
	404: 'https://tools.ietf.org/html/rfc7231#section-6.5.4',
	405: 'https://tools.ietf.org/html/rfc7231#section-6.5.5',
	429: 'https://tools.ietf.org/html/rfc6585#section-4',
	500: 'https://tools.ietf.org/html/rfc7231#section-6.6.1',
	503: 'https://tools.ietf.org/html/rfc7231#section-6.6.4',
};

const PROBLEM_TITLES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable',
};

/** RFC 7807 ProblemDetails as ASP.NET Core writes it (`application/problem+json`). */
export function problemDetails(input: {
	status: number;
	title?: string;
	detail?: string;
	instance?: string;
	extensions?: Record<string, unknown>;
	headers?: Record<string, string | number>;
}): Reply {
	const body = {
		type: PROBLEM_TYPES[input.status] ?? 'about:blank',
		title: input.title ?? PROBLEM_TITLES[input.status] ?? 'Error',
		status: input.status,
		...(input.detail !== undefined ? { detail: input.detail } : {}),
		...(input.instance !== undefined ? { instance: input.instance } : {}),
		traceId: `00-${awsRequestId().replace(/-/g, '')}-${awsRequestId().replace(/-/g, '').slice(0, 16)}-00`,
		...input.extensions,
	};
	return {
		status: input.status,
		headers: { 'Content-Type': 'application/problem+json; charset=utf-8', ...input.headers },
		body: Buffer.from(JSON.stringify(body)),
		errorCode: body.title,
	};
}

/** OAuth2 token endpoint error (RFC 6749 §5.2). */
export function oauthError(status: number, error: string, description?: string): Reply {
	return {
		status,
		headers: {
			'Content-Type': 'application/json; charset=UTF-8',
			'Cache-Control': 'no-store',
			Pragma: 'no-cache',
		},
		body: Buffer.from(
			JSON.stringify(description ? { error, error_description: description } : { error }),
		),
		errorCode: error,
	};
}

export function jsonReply(
	status: number,
	value: unknown,
	headers: Record<string, string | number> = {},
): Reply {
	return {
		status,
		headers: { 'Content-Type': 'application/json', ...headers },
		body: Buffer.from(JSON.stringify(value)),
	};
}
