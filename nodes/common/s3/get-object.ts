/**
 * S3 GetObject for Polly output, signed by the AWS credential.
 *
 * Wrong region: S3 answers 301 `PermanentRedirect`, 307 `TemporaryRedirect` or 400
 * `AuthorizationHeaderMalformed` and names the bucket's region in `x-amz-bucket-region`, `<Region>` or
 * `<Endpoint>`. The credential's signer takes the signing region from the S3 host name, so for real S3 the
 * request is sent once more to `https://s3.{that region}.{dnsSuffix}` (same partition only). A custom
 * endpoint is always signed with the credential's region, so there the same URL is tried once more (an
 * emulator may redirect only the first time). A second wrong-region answer becomes an error that tells the
 * user which region to put into the credential. Redirects are never followed automatically: the signed
 * request must not go to a `Location` nobody checked.
 *
 * Errors thrown are NodeApiErrors. Throttling (`SlowDown`, 429, 503) and other transient failures (5xx,
 * connection resets, timeouts) carry `retryable: true` and, when S3 sent `Retry-After`, `retryAfterMs`
 * on the error instance: see `isRetryableDownloadError`.
 */
import { NodeApiError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';

import { credentialRegion } from '../../../credentials/common/aws/endpoints';
import { partitionOf } from '../../../credentials/common/aws/partitions';
import type { AudioContext, Operation } from '../adapters/types';
import { parseAwsError } from '../errors/aws-error';
import type { AwsError } from '../errors/aws-error';
import { classifyStatus, isNetworkErrorCode, NETWORK_FAILURES } from '../errors/failure';
import { apiError, networkError, withCode } from '../errors/node-errors';
import {
	bucketInOtherRegion,
	describeS3Error,
	downloadBrokeOff,
	refusedRegionFollow,
} from '../errors/wording';
import type { Explanation } from '../errors/failure';
import { discard, readErrorBody } from '../transport/body';
import { secretsOf } from '../errors/redact';
import { errorCode, header, xmlTag } from '../transport/http';
import type { RawResponse } from '../transport/http';
import { buildRequest } from '../transport/request';
import { timeLimit } from '../transport/time-limit';
import { retargetToRegion } from './output-uri';
import type { DownloadTarget } from './output-uri';

export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** How long a download may stay silent; the whole download must end by the item's deadline. */
const IDLE_TIMEOUT_MS = 30_000;

/** A region name as AWS writes them; anything else an answer puts there is not used or shown. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export interface S3Object {
	/** The response body: a readable stream. */
	body: unknown;
	headers: RawResponse['headers'];
	statusCode: number;
	/** Content-Length, when present and the body is not content-encoded. */
	contentLength?: number;
	/** The target that answered (after a region redirect, the new one). */
	target: DownloadTarget;
	/** Aborts at the deadline; the body stream is destroyed then. */
	signal: AbortSignal;
	/** The body has been read: stop the deadline's clock. */
	release(): void;
}

/** What `retryable` errors carry besides being NodeApiErrors. */
export interface RetryableMark {
	retryable: true;
	retryAfterMs?: number;
}

/** True for download errors worth retrying later (throttling, 5xx, dropped connections). */
export function isRetryableDownloadError(error: unknown): error is Error & RetryableMark {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { retryable?: unknown }).retryable === true
	);
}

function markRetryable<E extends Error>(error: E, retryAfterMs?: number): E & RetryableMark {
	const mark: RetryableMark = { retryable: true };
	if (retryAfterMs !== undefined) mark.retryAfterMs = retryAfterMs;
	return Object.assign(error, mark);
}

/** Content-Length of the bytes the body will yield, or undefined when unknown or content-encoded. */
export function bodyLength(headers: RawResponse['headers'] | undefined): number | undefined {
	const encoding = header(headers, 'content-encoding');
	if (
		encoding !== undefined &&
		encoding.trim() !== '' &&
		encoding.trim().toLowerCase() !== 'identity'
	) {
		return undefined;
	}
	const raw = header(headers, 'content-length');
	if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
	const length = Number(raw);
	return Number.isSafeInteger(length) ? length : undefined;
}

/** S3 GetObject, path-style; a custom endpoint's host names no region, so `_region` picks the signing one. */
const GET_OBJECT: Operation<{ target: DownloadTarget; signingRegion?: string }> = {
	method: 'GET',
	path: ({ target }) => target.path,
	query: ({ signingRegion }): Record<string, string> =>
		signingRegion ? { _region: signingRegion } : {},
	headers: () => ({ 'x-amz-content-sha256': EMPTY_BODY_SHA256 }),
	answer: 'stream',
	read: () => undefined,
	// Read by hand below: the body is a stream, and wrong-region answers are retried.
	error: (status) => ({
		message: '',
		description: '',
		code: String(status),
		kind: classifyStatus(status),
	}),
};

const WRONG_REGION_CODES = new Set([
	'PermanentRedirect',
	'TemporaryRedirect',
	'AuthorizationHeaderMalformed',
	'IllegalLocationConstraintException',
]);

/** The bucket's region, when the answer says the request went to the wrong one. */
export function wrongRegion(error: AwsError, text: string): string | undefined {
	if (!WRONG_REGION_CODES.has(error.code) && ![301, 302, 307].includes(error.status))
		return undefined;
	if (error.region) return error.region.trim();
	// `<Endpoint>bucket.s3.eu-west-1.amazonaws.com</Endpoint>` in 301 answers without a region header.
	const endpoint = xmlTag(text, 'Endpoint');
	const match = endpoint
		? /(?:^|\.)s3[.-](?:fips[.-])?(?:dualstack\.)?([a-z]{2}(?:-[a-z]+)+-\d+)\./.exec(endpoint)
		: null;
	return match ? match[1] : undefined;
}

function objectArn(target: DownloadTarget): string {
	return `arn:${partitionOf(target.region).id}:s3:::${target.bucket}/${target.key}`;
}

function wrongRegionError(
	node: INode,
	error: AwsError,
	target: DownloadTarget,
	region: string,
	home: string,
	itemIndex: number,
	secrets: readonly string[],
): NodeApiError {
	const explanation = bucketInOtherRegion(
		target.bucket,
		region,
		home,
		target.custom,
		target.region,
	);
	return awsApiError(node, error, explanation, itemIndex, secrets);
}

function awsApiError(
	node: INode,
	error: AwsError,
	explanation: Explanation,
	itemIndex: number,
	secrets: readonly string[],
): NodeApiError {
	const { status, code, requestId } = error;
	const problem = { ...withCode(explanation, code), status, code, requestId };
	return apiError(node, problem, itemIndex, secrets);
}

/** Codes the audio writers give stream failures that another attempt may not hit. */
const RETRYABLE_STREAM_CODES = new Set(['TruncatedDownload', 'LengthMismatch']);

/**
 * A thrown request or stream error as a NodeApiError: network failures in words (retryable when the
 * connection dropped or timed out), anything else with a safe message (never the request, whose headers
 * hold the signature).
 */
export function downloadFailure(
	node: INode,
	error: unknown,
	itemIndex: number,
	credentials?: ICredentialDataDecryptedObject,
	what = 'S3 to download the Polly output',
): NodeApiError {
	if (error instanceof NodeApiError && isRetryableDownloadError(error)) return error;
	const code = errorCode(error);
	if (isNetworkErrorCode(code)) {
		const failure = networkError(node, code, what, itemIndex);
		return NETWORK_FAILURES[code].dropped ? markRetryable(failure) : failure;
	}
	const failure = apiError(
		node,
		{ ...downloadBrokeOff(error instanceof Error ? error.message : ''), code },
		itemIndex,
		secretsOf(credentials),
	);
	return code !== undefined && RETRYABLE_STREAM_CODES.has(code) ? markRetryable(failure) : failure;
}

function homeRegion(credentials: ICredentialDataDecryptedObject, target: DownloadTarget): string {
	try {
		return credentialRegion(credentials);
	} catch {
		return target.region;
	}
}

/** The time left until the item's deadline (at least a second, so the last attempt can start). */
function timeLeft(context: AudioContext): number {
	const remaining = context.deadline - Date.now();
	return Number.isFinite(remaining) ? Math.max(1000, remaining) : IDLE_TIMEOUT_MS;
}

/**
 * GETs the Polly output object. Resolves with the open body stream on 2xx; on an error status reads at
 * most 64 KB of the body and throws a NodeApiError that says what to do. See the file comment for the
 * region retry and the `retryable` mark.
 */
export async function getPollyObject(
	context: AudioContext,
	target: DownloadTarget,
	outputFormat: string,
): Promise<S3Object> {
	const node = context.ctx.getNode();
	const credentials = context.credentials ?? {};
	const secrets = secretsOf(credentials);
	const home = homeRegion(credentials, target);
	let current = target;
	let redirected = false;

	for (;;) {
		let response: RawResponse;
		const signingRegion = current.custom && current.region !== home ? current.region : undefined;
		const timeoutMs = timeLeft(context);
		const limit = timeLimit(timeoutMs);
		const request = buildRequest(
			current.baseUrl,
			GET_OBJECT,
			{ target: current, signingRegion },
			{ timeoutMs, idleTimeoutMs: IDLE_TIMEOUT_MS, signal: limit.signal },
		);
		try {
			response = await context.send(request);
		} catch (error) {
			limit.release();
			throw downloadFailure(node, error, context.itemIndex, credentials);
		}
		const headers = response.headers ?? {};
		const statusCode = Number(response.statusCode);
		if (statusCode >= 200 && statusCode < 300) {
			const { body } = response;
			// The body is read later, while it is stored: it too must end at the deadline.
			const stop = () => discard(body);
			limit.signal.addEventListener('abort', stop, { once: true });
			const release = () => {
				limit.signal.removeEventListener('abort', stop);
				limit.release();
			};
			const contentLength = bodyLength(headers);
			return {
				body,
				headers,
				statusCode,
				contentLength,
				target: current,
				signal: limit.signal,
				release,
			};
		}

		let text: string;
		try {
			text = await readErrorBody(response.body);
		} catch (error) {
			throw downloadFailure(node, error, context.itemIndex, credentials);
		} finally {
			limit.release();
		}
		const error = parseAwsError(statusCode, headers, text);
		const region = wrongRegion(error, text);
		if (region !== undefined) {
			if (redirected)
				throw wrongRegionError(node, error, current, region, home, context.itemIndex, secrets);
			redirected = true;
			if (!REGION.test(region)) {
				// A real wrong-region answer names a region; anything else is neither followed nor shown.
				const refusal = refusedRegionFollow('S3 named no valid region for the bucket', home);
				throw awsApiError(node, error, refusal, context.itemIndex, secrets);
			}
			if (current.custom) {
				current = { ...current, region };
				continue;
			}
			if (region === current.region) {
				// The host already names that region: the signature, not the host, was wrong.
				throw wrongRegionError(node, error, current, region, home, context.itemIndex, secrets);
			}
			try {
				current = retargetToRegion(current, region, credentials);
			} catch (refusal) {
				throw awsApiError(
					node,
					error,
					refusedRegionFollow((refusal as Error).message, home),
					context.itemIndex,
					secrets,
				);
			}
			continue;
		}

		const object = {
			bucket: current.bucket,
			key: current.key,
			arn: objectArn(current),
			outputFormat,
		};
		const failure = awsApiError(
			node,
			error,
			describeS3Error(error, object),
			context.itemIndex,
			secrets,
		);
		const kind = classifyStatus(statusCode, error.code);
		if (kind === 'throttling' || kind === 'transient')
			throw markRetryable(failure, error.retryAfterMs);
		throw failure;
	}
}
