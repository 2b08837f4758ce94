/**
 * S3 GetObject for Polly output, signed by the AWS credential (API-FACTS.md §5.2, §5.3).
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
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import type { AudioContext } from '../adapters/types';
import { parseAwsError } from '../errors/aws-error';
import type { AwsError } from '../errors/aws-error';
import { classifyStatus, isNetworkErrorCode } from '../errors/classify';
import { describeAwsError } from '../errors/describe-aws';
import type { Explanation } from '../errors/describe-aws';
import { apiError, awsApiError, networkError } from '../errors/node-errors';
import { credentialRegion } from '../../../credentials/common/aws/endpoints';
import { partitionOf } from '../../../credentials/common/aws/partitions';
import { retargetToRegion } from './output-uri';
import type { DownloadTarget } from './output-uri';

export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** At most this much of an error body is read. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** The idle timeout of a download, whatever the deadline says. */
const MIN_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 300_000;

export interface S3Object {
	/** The response body: a readable stream with `encoding: 'stream'`. */
	body: unknown;
	headers: IDataObject;
	statusCode: number;
	/** Content-Length, when present and the body is not content-encoded. */
	contentLength?: number;
	/** The target that answered (after a region redirect, the new one). */
	target: DownloadTarget;
}

/** What `retryable` errors carry besides being NodeApiErrors. */
export interface RetryableMark {
	retryable: true;
	retryAfterMs?: number;
}

/** True for download errors worth retrying later (throttling, 5xx, dropped connections). */
export function isRetryableDownloadError(error: unknown): error is Error & RetryableMark {
	return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
}

function markRetryable<E extends Error>(error: E, retryAfterMs?: number): E & RetryableMark {
	const mark: RetryableMark = { retryable: true };
	if (retryAfterMs !== undefined) mark.retryAfterMs = retryAfterMs;
	return Object.assign(error, mark);
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (value === undefined || value === null) return undefined;
	return Array.isArray(value) ? String(value[0]) : String(value);
}

/** Content-Length of the bytes the body will yield, or undefined when unknown or content-encoded. */
export function bodyLength(headers: IDataObject | undefined): number | undefined {
	const encoding = header(headers, 'content-encoding');
	if (encoding !== undefined && encoding.trim() !== '' && encoding.trim().toLowerCase() !== 'identity') {
		return undefined;
	}
	const raw = header(headers, 'content-length');
	if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
	const length = Number(raw);
	return Number.isSafeInteger(length) ? length : undefined;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

function toBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	return Buffer.from(String(chunk), 'utf8');
}

/** Stops a stream we will not read to the end, so its socket is released. */
function discard(body: unknown): void {
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

function xmlTag(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
	return match ? match[1].trim() : undefined;
}

const WRONG_REGION_CODES = new Set([
	'PermanentRedirect',
	'TemporaryRedirect',
	'AuthorizationHeaderMalformed',
	'IllegalLocationConstraintException',
]);

/** The bucket's region, when the answer says the request went to the wrong one. */
export function wrongRegion(error: AwsError, text: string): string | undefined {
	if (!WRONG_REGION_CODES.has(error.code) && ![301, 302, 307].includes(error.status)) return undefined;
	if (error.region) return error.region.trim();
	// `<Endpoint>bucket.s3.eu-west-1.amazonaws.com</Endpoint>` in 301 answers without a region header.
	const endpoint = xmlTag(text, 'Endpoint');
	const match = endpoint ? /(?:^|\.)s3[.-](?:fips[.-])?(?:dualstack\.)?([a-z]{2}(?:-[a-z]+)+-\d+)\./.exec(endpoint) : null;
	return match ? match[1] : undefined;
}

function objectArn(target: DownloadTarget): string {
	return `arn:${partitionOf(target.region).id}:s3:::${target.bucket}/${target.key}`;
}

function explainS3(error: AwsError, target: DownloadTarget, outputFormat: string): Explanation {
	const where = `s3://${target.bucket}/${target.key}`;
	const what = outputFormat ? `Polly output file (${outputFormat})` : 'Polly output file';
	const again = 'Start the synthesis task again to get a new file.';
	switch (error.code) {
		case 'NoSuchKey':
			return {
				message: `The ${what} is no longer in S3`,
				description: `Polly wrote ${where}, but the object was deleted or moved since (check the bucket's lifecycle rules and whatever cleans it up). ${again}`,
			};
		case 'NoSuchBucket':
			return {
				message: `The bucket of the ${what} no longer exists`,
				description: `Bucket "${target.bucket}" was deleted after Polly wrote ${where}. ${again}`,
			};
		case 'AccessDenied':
		case 'AllAccessDisabled':
			return {
				message: `AWS denied access to the ${what}`,
				description: `Allow s3:GetObject on ${objectArn(target)} for the IAM user or role of the AWS (SigV4) credential (and kms:Decrypt if the bucket uses SSE-KMS). Without s3:ListBucket on the bucket, S3 also answers AccessDenied when the object does not exist.`,
			};
		case 'SlowDown':
			return {
				message: 'S3 is throttling downloads (SlowDown)',
				description:
					'Too many requests to this bucket in a short time. Wait Until Complete retries after a pause by itself; otherwise run fewer items at once and try again.',
			};
		default:
			break;
	}
	if (error.status === 404) {
		return {
			message: `The ${what} is no longer in S3`,
			description: `S3 found nothing at ${where}. ${again}`,
		};
	}
	return describeAwsError(error, {
		label: what,
		notFoundHint: `S3 found nothing at ${where}. ${again}`,
		action: `s3:GetObject on ${objectArn(target)}`,
	});
}

function wrongRegionError(
	node: INode,
	error: AwsError,
	target: DownloadTarget,
	region: string,
	home: string,
	itemIndex: number,
): NodeApiError {
	const endpoint = target.custom
		? "Requests to the custom S3 endpoint are signed for the credential's region."
		: `The request to the S3 endpoint of ${target.region} was refused as well.`;
	return awsApiError(
		node,
		error,
		{
			message: `The Polly output bucket is in region ${region}, not ${home}`,
			description: `S3 says bucket "${target.bucket}" is in ${region} and refused the download. ${endpoint} Set the Region of the AWS (SigV4) credential to ${region}, or have Polly write to a bucket in ${home}.`,
		},
		itemIndex,
	);
}

function errorCode(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown; cause?: { code?: unknown } }; httpCode?: unknown };
	for (const code of [e?.code, e?.cause?.code, e?.cause?.cause?.code, e?.httpCode]) {
		if (typeof code === 'string' && code !== '') return code;
	}
	return undefined;
}

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Codes the audio writers give stream failures that another attempt may not hit. */
const RETRYABLE_STREAM_CODES = new Set(['TruncatedDownload', 'LengthMismatch']);

/**
 * A thrown request or stream error as a NodeApiError: network failures via `networkError` (retryable when
 * the connection dropped or timed out), anything else with a safe message (never the request, whose
 * headers hold the signature).
 */
export function downloadFailure(node: INode, error: unknown, itemIndex: number): NodeApiError {
	if (error instanceof NodeApiError && isRetryableDownloadError(error)) return error;
	const code = errorCode(error);
	if (code !== undefined && (isNetworkErrorCode(code) || RETRYABLE_NETWORK_CODES.has(code))) {
		const failure = networkError(node, code, 'S3 to download the Polly output', itemIndex);
		return RETRYABLE_NETWORK_CODES.has(code) ? markRetryable(failure) : failure;
	}
	const reason = error instanceof Error && error.message ? `: ${error.message.slice(0, 200)}` : '';
	const failure = apiError(
		node,
		{
			message: `Downloading the Polly output failed${reason}`,
			description:
				'The download from S3 broke off or did not match what S3 announced. Run the node again; if it keeps failing, check the network of the machine running n8n.',
		},
		{ code },
		itemIndex,
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

function timeoutFor(context: AudioContext): number {
	const remaining = context.deadline - Date.now();
	if (!Number.isFinite(remaining)) return MAX_TIMEOUT_MS;
	return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, remaining));
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
	const credentials = context.connection.credentials ?? {};
	const home = homeRegion(credentials, target);
	let current = target;
	let redirected = false;

	for (;;) {
		let response: { statusCode: number; headers: IDataObject; body: unknown };
		try {
			response = await context.send({
				method: 'GET',
				url: current.url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				headers: { 'x-amz-content-sha256': EMPTY_BODY_SHA256 },
				// A custom endpoint's host names no region: after a redirect, sign for the bucket's.
				...(current.custom && current.region !== home ? { qs: { _region: current.region } } : {}),
				timeout: timeoutFor(context),
			});
		} catch (error) {
			throw downloadFailure(node, error, context.itemIndex);
		}
		const headers = response.headers ?? {};
		const statusCode = Number(response.statusCode);
		if (statusCode >= 200 && statusCode < 300) {
			return { body: response.body, headers, statusCode, contentLength: bodyLength(headers), target: current };
		}

		let text: string;
		try {
			text = await readErrorBody(response.body);
		} catch (error) {
			throw downloadFailure(node, error, context.itemIndex);
		}
		const error = parseAwsError(statusCode, headers, text);
		const region = wrongRegion(error, text);
		if (region !== undefined) {
			if (redirected) throw wrongRegionError(node, error, current, region, home, context.itemIndex);
			redirected = true;
			if (current.custom) {
				current = { ...current, region };
				continue;
			}
			if (region === current.region) {
				// The host already names that region: the signature, not the host, was wrong.
				throw wrongRegionError(node, error, current, region, home, context.itemIndex);
			}
			try {
				current = retargetToRegion(current, region, credentials);
			} catch (refusal) {
				throw awsApiError(
					node,
					error,
					{
						message: 'Refused to follow S3 to another region',
						description: `${(refusal as Error).message}. Download the file yourself or have Polly write to a bucket in ${home}.`,
					},
					context.itemIndex,
				);
			}
			continue;
		}

		const failure = awsApiError(node, error, explainS3(error, current, outputFormat), context.itemIndex);
		const kind = classifyStatus(statusCode, error.code);
		if (kind === 'throttling' || kind === 'transient') throw markRetryable(failure, error.retryAfterMs);
		throw failure;
	}
}
