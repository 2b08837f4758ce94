/** Error readers: a non-2xx answer of a service, parsed, classified and worded. */
import { parseAwsError } from './aws-error';
import { classifyStatus } from './failure';
import type { ErrorReader } from './failure';
import { jsonObjectOf } from '../transport/body';
import { retryAfterMs } from '../transport/http';
import { describeAsposeError, describeAwsError } from './wording';
import type { AwsContext } from './wording';

/** Any restJson AWS API. */
export function awsErrorReader(context: AwsContext): ErrorReader {
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

/**
 * Aspose answers with HTTP statuses and RFC 7807 ProblemDetails bodies; `check` says what to look at
 * when Aspose refuses the request itself.
 */
export function asposeErrorReaderFor(check: string): ErrorReader {
	return (status, headers, body) => {
		const kind = classifyStatus(status);
		const problem = jsonObjectOf(body) ?? {};
		const detail = problem.detail ?? problem.title;
		return {
			...describeAsposeError(status, kind, typeof detail === 'string' ? detail : undefined, check),
			status,
			code: String(status),
			kind,
			retryAfterMs: retryAfterMs(headers),
		};
	};
}

export const asposeErrorReader = asposeErrorReaderFor('Check the Task ID and the Base URL.');
