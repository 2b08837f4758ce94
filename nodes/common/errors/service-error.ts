import type { IDataObject } from 'n8n-workflow';

import { parseAwsError, retryAfterMs } from './aws-error';
import { classifyStatus } from './classify';
import type { FailureKind } from './classify';
import { describeAwsError } from './describe-aws';
import type { Explanation } from './describe-aws';

/** A non-2xx answer of any service, explained and classified. */
export interface ServiceError extends Explanation {
	status: number;
	code: string;
	kind: FailureKind;
	requestId?: string;
	retryAfterMs?: number;
}

export type ErrorReader = (status: number, headers: IDataObject | undefined, body: unknown) => ServiceError;

export function awsErrorReader(context: { label: string; notFoundHint: string; action: string }): ErrorReader {
	return (status, headers, body) => {
		const error = parseAwsError(status, headers, body);
		const explanation = describeAwsError(error, context);
		return {
			...explanation,
			description: `${explanation.description} [${error.code}]`,
			status,
			code: error.code,
			kind: classifyStatus(status, error.code),
			requestId: error.requestId,
			retryAfterMs: error.retryAfterMs,
		};
	};
}

function problemDetail(body: unknown): string {
	const detail = body && typeof body === 'object' ? (body as IDataObject).detail ?? (body as IDataObject).title : undefined;
	return typeof detail === 'string' ? ` Aspose says: ${detail}` : '';
}

/** Aspose answers with HTTP statuses and ProblemDetails bodies (API-FACTS.md §6). */
export const asposeErrorReader: ErrorReader = (status, headers, body) => {
	const kind = classifyStatus(status);
	const base = { status, code: String(status), kind, retryAfterMs: retryAfterMs(headers) };
	if (status === 401 || status === 403) {
		return {
			...base,
			message: 'Aspose rejected the access token',
			description: `A new token was requested once and still refused. Check the Client ID and Client Secret (or the pasted token) of the Aspose Cloud credential.${problemDetail(body)}`,
		};
	}
	if (kind === 'throttling') {
		return {
			...base,
			message: 'Aspose is limiting requests',
			description:
				'Too many requests: the trial allows 10 calls a day per IP address and the free plan 150 a month. Wait, or use a paid plan.',
		};
	}
	if (kind === 'transient') {
		return {
			...base,
			message: `The Aspose service failed (HTTP ${status})`,
			description: 'This is a fault on the service side. Try again in a few minutes.',
		};
	}
	return {
		...base,
		message: `Aspose answered HTTP ${status}`,
		description: `Check the Task ID and the Base URL.${problemDetail(body)}`,
	};
};
