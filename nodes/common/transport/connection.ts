/** How an item's requests go out: with which credential (or none), to which base URL. */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { assumesRole } from '../../../credentials/common/aws/assume-role';
import { serviceBaseUrl } from '../../../credentials/common/aws/endpoints';
import type {
	AudioContext,
	CredentialType,
	Operation,
	ServiceCredential,
	TaskAdapter,
} from '../adapters/types';
import { redactJson, redactText } from '../errors/redact';
import { sendRated } from '../rate/gate';
import { DEFAULT_RATE, DOWNLOAD_RATE } from '../rate/quotas';
import type { RateSpec } from '../rate/quotas';
import { call, openStream } from './call';
import type { Outcome, Send, StreamOutcome } from './call';
import type { RawResponse } from './http';
import { renewOnExpiry, secretsNow } from './role-session';

export interface Connection {
	/** Absent for anonymous requests (the Aspose trial). */
	credentialType?: CredentialType;
	credentials?: ICredentialDataDecryptedObject;
	/** Base URL of the service, no trailing slash. */
	baseUrl: string;
	/**
	 * For credentials that fetch a token on first use: the first request, which all others wait
	 * for, so that parallel items share one token instead of each fetching their own.
	 */
	firstRequest?: Promise<void>;
	/**
	 * Request-rate control set by the node: `perSecond` replaces the documented quota of the calls made
	 * over this connection (not of audio downloads, which go to another service); `signal` ends waits
	 * for a token (default: the execution's cancellation).
	 */
	rate?: { perSecond?: number; signal?: AbortSignal };
}

/** Node runs, and the editor's lists (pickers, dropdowns). */
export type Context = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions;

/** Credentials whose token n8n fetches on first use and renews after a 401 that throws. */
function fetchesToken(credentialType: CredentialType | undefined): boolean {
	return credentialType === 'asposeCloudApi';
}

/** The base URL a credential gives a service. */
function baseUrlOf(
	credential: ServiceCredential,
	credentials: ICredentialDataDecryptedObject,
): string {
	return credential.type === 'awsSigV4Api'
		? serviceBaseUrl(credentials, credential.endpoint)
		: credential.baseUrl(credentials);
}

/** The credential (or, for a trial, none) that an item's requests go out with. */
export async function openConnection(
	ctx: Context,
	adapter: TaskAdapter,
	trial: boolean,
	trialBaseUrl?: string,
): Promise<Connection> {
	const { credential } = adapter;
	if (trial && credential.type === 'asposeCloudApi' && credential.trialBaseUrl !== undefined) {
		return { baseUrl: (trialBaseUrl ?? credential.trialBaseUrl).replace(/\/+$/, '') };
	}
	const credentials = await ctx.getCredentials(credential.type);
	return {
		credentialType: credential.type,
		credentials,
		baseUrl: baseUrlOf(credential, credentials),
	};
}

async function sendPlain(
	ctx: Context,
	connection: Connection,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	const response = connection.credentialType
		? await ctx.helpers.httpRequestWithAuthentication.call(ctx, connection.credentialType, options)
		: await ctx.helpers.httpRequest(options);
	return response as RawResponse;
}

async function sendOnce(
	ctx: Context,
	connection: Connection,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	const response = await sendPlain(ctx, connection, options);
	return assumesRole(connection.credentials)
		? await renewOnExpiry(ctx, connection, options, response, sendPlain)
		: response;
}

/** What ends a wait for a token: the node's own stop signal, else the execution's cancellation. */
function waitSignal(ctx: Context, connection: Connection): AbortSignal | undefined {
	if (connection.rate?.signal) return connection.rate.signal;
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** The operation's quota, at the rate the user set for the connection if there is one. */
function rateOf<Input>(
	connection: Connection,
	operation: Operation<Input>,
	input: Input,
): RateSpec {
	const spec = operation.rate?.(input) ?? DEFAULT_RATE;
	const override = connection.rate?.perSecond;
	return override !== undefined && override > 0 ? { ...spec, perSecond: override } : spec;
}

/** Answers that ask a download to slow down: 429, and S3's 503 SlowDown. */
const SLOW_DOWN_STATUSES = new Set([429, 503]);

/** Sends with the connection's credential, or anonymously when it has none. */
function sender(ctx: Context, connection: Connection): Send {
	return async (options) => {
		if (!fetchesToken(connection.credentialType) && !assumesRole(connection.credentials))
			return await sendOnce(ctx, connection, options);
		// Bearer tokens and role sessions are fetched by the first request (preAuthentication): let it go alone.
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
	};
}

type Settings = { timeoutMs: number; peer: { label: string } };

/**
 * Sends one operation through its quota's token bucket (a throttled answer slows the bucket down), with
 * the connection's credential; `read` is `call` or `openStream`.
 */
async function sendOperation<Input, Answer extends Outcome | StreamOutcome>(
	ctx: Context,
	connection: Connection,
	operation: Operation<Input>,
	input: Input,
	settings: Settings,
	read: typeof call | typeof openStream,
): Promise<Answer> {
	const answer = await sendRated(
		connection,
		rateOf(connection, operation, input),
		waitSignal(ctx, connection),
		async () =>
			(await read(sender(ctx, connection), connection.baseUrl, operation, input, {
				...settings,
				throwOn401: fetchesToken(connection.credentialType),
			})) as Answer,
		(outcome) => !outcome.ok && outcome.failure.kind === 'throttling',
	);
	if (answer.ok) return answer;
	// A server may echo a token or key into an error message.
	const secrets = await secretsNow(ctx, connection);
	const { failure } = answer;
	return {
		ok: false,
		failure: {
			...failure,
			message: redactText(failure.message, secrets),
			description: redactText(failure.description, secrets),
		},
	} as Answer;
}

/**
 * One operation over a connection (see `call`), its outcome cleaned of the connection's secrets: a
 * server may echo a token into a task field or an error message.
 */
export async function callOver<Input>(
	ctx: Context,
	connection: Connection,
	operation: Operation<Input>,
	input: Input,
	settings: Settings,
): Promise<Outcome> {
	const outcome = await sendOperation<Input, Outcome>(
		ctx,
		connection,
		operation,
		input,
		settings,
		call,
	);
	if (!outcome.ok) return outcome;
	return { ok: true, value: redactJson(outcome.value, await secretsNow(ctx, connection)) };
}

/** One operation that answers with a file (see `openStream`), its failure cleaned of secrets. */
export async function openStreamOver<Input>(
	ctx: Context,
	connection: Connection,
	operation: Operation<Input>,
	input: Input,
	settings: Settings,
): Promise<StreamOutcome> {
	return await sendOperation<Input, StreamOutcome>(
		ctx,
		connection,
		operation,
		input,
		settings,
		openStream,
	);
}

/** What an audio fetcher gets: the item's credential and requests over its connection. */
export function audioContext(
	ctx: IExecuteFunctions,
	connection: Connection,
	itemIndex: number,
	binaryPropertyName: string,
	deadline: number,
): AudioContext {
	const send = sender(ctx, connection);
	return {
		ctx,
		credentials: connection.credentials,
		itemIndex,
		binaryPropertyName,
		deadline,
		send: async (options) =>
			await sendRated(
				{ ...connection, baseUrl: new URL(options.url).origin },
				DOWNLOAD_RATE,
				waitSignal(ctx, connection),
				async () => await send(options),
				(response) => SLOW_DOWN_STATUSES.has(Number(response.statusCode)),
			),
	};
}
