import type { IDataObject, IExecuteFunctions, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { Connection, TaskAdapter, TaskIds } from './adapters/types';
import { tokenFailureIn } from '../../credentials/common/aspose/token';
import type { TokenFailure } from '../../credentials/common/aspose/token';
import { classifyStatus, isNetworkErrorCode } from './errors/classify';
import { asNodeError, networkFailure } from './errors/node-errors';
import type { ServiceError } from './errors/service-error';

export interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** What one status request brought back. */
export type StatusRead =
	| { kind: 'task'; task: IDataObject }
	| { kind: 'error'; error: ServiceError }
	/** No usable answer: connection failure or a body that is not the JSON the service sends. */
	| { kind: 'unreadable'; code: string; message: string; description: string };

/**
 * Every HTTP status comes back as a response, except a 401 for bearer credentials: that must throw
 * so that n8n runs the credential's preAuthentication once (a new token) and retries.
 */
export function ignoreStatusErrors(adapter: TaskAdapter): IHttpRequestOptions['ignoreHttpStatusErrors'] {
	return fetchesToken(adapter.credentialType) ? { ignore: true, except: [401] } : true;
}

/** Credentials whose token n8n fetches on first use and after a 401 (preAuthentication). */
function fetchesToken(credentialType: Connection['credentialType']): boolean {
	return credentialType === 'asposeCloudApi';
}

/** Options of the status request; the credential (if any) signs or decorates it on the way out. */
export function statusRequest(
	adapter: TaskAdapter,
	ids: TaskIds,
	connection: Connection,
	trial: boolean,
	timeoutMs: number,
): IHttpRequestOptions {
	return {
		method: 'GET',
		url: `${connection.baseUrl}${adapter.statusPath(ids, trial)}`,
		headers: { accept: 'application/json' },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: ignoreStatusErrors(adapter),
		timeout: timeoutMs,
	};
}

function errorCode(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown }; context?: { data?: { code?: unknown } } };
	for (const code of [e?.code, e?.cause?.code]) if (typeof code === 'string') return code;
	return undefined;
}

function statusOf(error: unknown): number | undefined {
	const e = error as { httpCode?: unknown; response?: { status?: unknown }; cause?: { response?: { status?: unknown } } };
	const raw = e?.response?.status ?? e?.cause?.response?.status ?? e?.httpCode;
	const status = Number(raw);
	return Number.isFinite(status) && status > 0 ? status : undefined;
}

async function sendOnce(
	ctx: IExecuteFunctions | IExecuteSingleFunctions,
	connection: Connection,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	const response = connection.credentialType
		? await ctx.helpers.httpRequestWithAuthentication.call(ctx, connection.credentialType, options)
		: await ctx.helpers.httpRequest(options);
	return response as RawResponse;
}

/** Sends a request with the connection's credential, or anonymously when it has none. */
export async function send(
	ctx: IExecuteFunctions | IExecuteSingleFunctions,
	connection: Connection,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	if (!fetchesToken(connection.credentialType)) return await sendOnce(ctx, connection, options);
	// Bearer tokens are fetched by the first request (preAuthentication): let it go alone.
	if (connection.firstRequest) {
		await connection.firstRequest;
		return await sendOnce(ctx, connection, options);
	}
	const first = sendOnce(ctx, connection, options);
	connection.firstRequest = first.then(
		() => undefined,
		() => undefined,
	);
	return await first;
}

function unreadable(adapter: TaskAdapter, code: string): StatusRead {
	if (code === 'MalformedResponse') {
		return {
			kind: 'unreadable',
			code,
			message: 'The service answered with something that is not JSON',
			description: `The ${adapter.label} status answer was truncated or malformed. Try again; if it keeps happening, check that the endpoint in the credential is the service's.`,
		};
	}
	return { kind: 'unreadable', code, ...networkFailure(code, `the ${adapter.label} endpoint`) };
}

/** Turns a response (or a thrown request error) into a task, a service error, or unreadable. */
export function readStatus(adapter: TaskAdapter, ids: TaskIds, response: RawResponse): StatusRead {
	const { statusCode, headers, body } = response;
	if (statusCode < 200 || statusCode >= 300) {
		return { kind: 'error', error: adapter.readError(statusCode, headers, body) };
	}
	if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) return unreadable(adapter, 'MalformedResponse');
	const task = adapter.unwrap(body);
	return { kind: 'task', task: adapter.withContext ? adapter.withContext(task, ids) : task };
}

/** The token request of a bearer credential failed: throttling and outages are worth retrying. */
function readTokenFailure(failure: TokenFailure): StatusRead {
	const kind = failure.tokenStatus === 0 ? 'transient' : classifyStatus(failure.tokenStatus);
	return {
		kind: 'error',
		error: {
			status: failure.tokenStatus,
			code: 'TokenRequestFailed',
			kind,
			message: failure.message,
			description:
				kind === 'fatal'
					? 'Check the Client ID and Client Secret of the Aspose Cloud credential.'
					: 'The token endpoint did not answer usefully. Wait Until Complete tries again while time remains.',
		},
	};
}

/** Reads a thrown request error: an HTTP status that still threw (401 after refresh) or a network failure. */
export function readThrown(adapter: TaskAdapter, error: unknown): StatusRead | undefined {
	const tokenFailure = tokenFailureIn(error);
	if (tokenFailure) return readTokenFailure(tokenFailure);
	const status = statusOf(error);
	if (status !== undefined && status >= 200 && status < 300) {
		// A success status that still threw: the body broke off (truncated, reset mid-body).
		return unreadable(adapter, 'MalformedResponse');
	}
	if (status !== undefined) {
		const e = error as { response?: { headers?: IDataObject; data?: unknown }; cause?: { response?: { headers?: IDataObject; data?: unknown } } };
		const response = e.response ?? e.cause?.response;
		return { kind: 'error', error: adapter.readError(status, response?.headers, response?.data) };
	}
	const code = errorCode(error);
	return code && isNetworkErrorCode(code) ? unreadable(adapter, code) : undefined;
}

/** The credential (or, for the Aspose trial, none) that status requests of an item go out with. */
export async function openConnection(
	ctx: IExecuteFunctions,
	adapter: TaskAdapter,
	trial: boolean,
	trialBaseUrl?: string,
): Promise<Connection> {
	if (trial) return { baseUrl: (trialBaseUrl ?? adapter.baseUrl(undefined, true)).replace(/\/+$/, '') };
	const credentials = await ctx.getCredentials(adapter.credentialType);
	return { credentialType: adapter.credentialType, credentials, baseUrl: adapter.baseUrl(credentials) };
}

/** One status request, read: never throws for HTTP or network failures, only for cancellation. */
export async function checkStatus(
	ctx: IExecuteFunctions,
	adapter: TaskAdapter,
	ids: TaskIds,
	connection: Connection,
	trial: boolean,
	timeoutMs: number,
): Promise<StatusRead> {
	try {
		const response = await send(ctx, connection, statusRequest(adapter, ids, connection, trial, timeoutMs));
		return readStatus(adapter, ids, response);
	} catch (error) {
		const read = readThrown(adapter, error);
		if (read) return read;
		throw asNodeError(ctx.getNode(), error, 0);
	}
}
