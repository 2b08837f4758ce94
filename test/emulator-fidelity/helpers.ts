/** Shared helpers for the emulator fidelity tests: SDK clients pointed at the emulator, raw signed requests. */
import { request as httpRequest } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ChimeSDKMediaPipelinesClient } from '@aws-sdk/client-chime-sdk-media-pipelines';
import { ChimeSDKVoiceClient } from '@aws-sdk/client-chime-sdk-voice';
import { PollyClient } from '@aws-sdk/client-polly';
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialSet, Emulator } from '../emulator';

export interface ClientOptions {
	credentials?: AwsCredentialSet;
	region?: string;
	maxAttempts?: number;
}

function common(emulator: Emulator, o: ClientOptions) {
	return {
		region: o.region ?? 'us-east-1',
		credentials: o.credentials ?? emulator.awsCredentials,
		maxAttempts: o.maxAttempts ?? 1,
	};
}

export function pollyClient(emulator: Emulator, o: ClientOptions = {}): PollyClient {
	return new PollyClient({ ...common(emulator, o), endpoint: emulator.endpoints.polly });
}

export function mediaPipelinesClient(
	emulator: Emulator,
	o: ClientOptions = {},
): ChimeSDKMediaPipelinesClient {
	return new ChimeSDKMediaPipelinesClient({
		...common(emulator, o),
		endpoint: emulator.endpoints.chimeMediaPipeline,
	});
}

export function voiceClient(emulator: Emulator, o: ClientOptions = {}): ChimeSDKVoiceClient {
	return new ChimeSDKVoiceClient({
		...common(emulator, o),
		endpoint: emulator.endpoints.chimeVoice,
	});
}

export function s3Client(
	emulator: Emulator,
	o: ClientOptions & { followRegionRedirects?: boolean } = {},
): S3Client {
	return new S3Client({
		...common(emulator, o),
		endpoint: emulator.endpoints.s3,
		forcePathStyle: true,
		followRegionRedirects: o.followRegionRedirects,
	});
}

/**
 * What the tests read off a thrown error: an SDK service exception (name, message, `$metadata`, `$response`) plus
 * whatever modelled fields the service put on it (`Code`, `Message`, …), each `unknown` until narrowed.
 */
export interface SdkError extends Error {
	$metadata: {
		httpStatusCode?: number;
		requestId?: string;
		extendedRequestId?: string;
		cfId?: string;
		attempts?: number;
		totalRetryDelay?: number;
	};
	$response?: { statusCode: number; headers: Record<string, string>; body?: unknown };
	[field: string]: unknown;
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export async function errorOf(fn: () => Promise<unknown>): Promise<SdkError> {
	try {
		await fn();
	} catch (error) {
		return error as SdkError;
	}
	throw new Error('expected an error, got success');
}

export async function bodyBytes(body: unknown): Promise<Buffer> {
	const b = body as { transformToByteArray(): Promise<Uint8Array> };
	return Buffer.from(await b.transformToByteArray());
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `fn` until `done(value)` or the deadline; returns every distinct value seen (in order) and the last. */
export async function pollUntil<T>(
	fn: () => Promise<T>,
	done: (value: T) => boolean,
	key: (value: T) => string,
	deadlineMs = 15_000,
	stepMs = 25,
) {
	const seen: string[] = [];
	const until = Date.now() + deadlineMs;
	for (;;) {
		const value = await fn();
		const k = key(value);
		if (seen[seen.length - 1] !== k) seen.push(k);
		if (done(value)) return { seen, last: value };
		if (Date.now() > until) throw new Error(`timed out; states seen: ${seen.join(' → ')}`);
		await sleep(stepMs);
	}
}

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** A plain node:http request (no retries, no parsing). Rejects on socket errors / premature close. */
export function rawRequest(
	url: string,
	init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			url,
			{ method: init.method ?? 'GET', headers: init.headers, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks),
					}),
				);
				res.on('error', reject);
				res.on('aborted', () =>
					reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })),
				);
			},
		);
		req.on('error', reject);
		if (init.body !== undefined) req.write(init.body);
		req.end();
	});
}

/** Signs a raw request with the official smithy signer and sends it. */
export async function signedRawRequest(
	emulator: Emulator,
	opts: {
		service: string;
		path: string;
		query?: Record<string, string>;
		method?: string;
		headers?: Record<string, string>;
		body?: string;
		region?: string;
		credentials?: AwsCredentialSet;
		signingDate?: Date;
		uriEscapePath?: boolean;
		/** Add x-amz-content-sha256 (default: only for s3). */
		applyChecksum?: boolean;
		/** Send this body instead of the one that was signed. */
		sendBody?: string;
	},
): Promise<RawResponse> {
	const url = new URL(emulator.url);
	const headers: Record<string, string> = { host: url.host, ...opts.headers };
	const signer = new SignatureV4({
		credentials: opts.credentials ?? emulator.awsCredentials,
		region: opts.region ?? 'us-east-1',
		service: opts.service,
		sha256: Sha256,
		uriEscapePath: opts.uriEscapePath ?? true,
		applyChecksum: opts.applyChecksum ?? opts.service === 's3',
	});
	const signed = await signer.sign(
		{
			method: opts.method ?? 'GET',
			protocol: 'http:',
			hostname: url.hostname,
			port: Number(url.port),
			path: opts.path,
			query: opts.query ?? {},
			headers,
			body: opts.body,
		},
		{ signingDate: opts.signingDate },
	);
	const qs = Object.entries(opts.query ?? {})
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
		.join('&');
	return rawRequest(`${emulator.url}${opts.path}${qs ? `?${qs}` : ''}`, {
		method: opts.method ?? 'GET',
		headers: signed.headers as Record<string, string>,
		body: opts.sendBody ?? opts.body,
	});
}

/**
 * Real-time polling may skip a short state on a loaded machine: checks that the states seen follow the expected
 * order and end in the expected terminal state. (Exact sequences are asserted with the manual clock.)
 */
export function expectStatesInOrder(seen: string[], expected: string[]): void {
	expect(seen[seen.length - 1]).toBe(expected[expected.length - 1]);
	let position = 0;
	for (const state of seen) {
		const index = expected.indexOf(state, position);
		if (index < 0)
			throw new Error(
				`state ${state} out of order in ${seen.join(' → ')} (expected order ${expected.join(' → ')})`,
			);
		position = index;
	}
}
