/** How an item's requests go out: with which credential (or none), to which base URL. */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { serviceBaseUrl } from '../../../credentials/common/aws/endpoints';
import type {
	AudioContext,
	CredentialType,
	Operation,
	ServiceCredential,
	TaskAdapter,
} from '../adapters/types';
import { redactJson, redactText, secretsOf } from '../errors/redact';
import { call } from './call';
import type { Outcome, Send } from './call';
import type { RawResponse } from './http';

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
}

type Context = IExecuteFunctions | IExecuteSingleFunctions;

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

async function sendOnce(
	ctx: Context,
	connection: Connection,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	const response = connection.credentialType
		? await ctx.helpers.httpRequestWithAuthentication.call(ctx, connection.credentialType, options)
		: await ctx.helpers.httpRequest(options);
	return response as RawResponse;
}

/** Sends with the connection's credential, or anonymously when it has none. */
function sender(ctx: Context, connection: Connection): Send {
	return async (options) => {
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
	};
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
	settings: { timeoutMs: number; peer: { label: string } },
): Promise<Outcome> {
	const outcome = await call(sender(ctx, connection), connection.baseUrl, operation, input, {
		...settings,
		throwOn401: fetchesToken(connection.credentialType),
	});
	const secrets = secretsOf(connection.credentials);
	if (outcome.ok) return { ok: true, value: redactJson(outcome.value, secrets) };
	const { failure } = outcome;
	return {
		ok: false,
		failure: {
			...failure,
			message: redactText(failure.message, secrets),
			description: redactText(failure.description, secrets),
		},
	};
}

/** What an audio fetcher gets: the item's credential and requests over its connection. */
export function audioContext(
	ctx: IExecuteFunctions,
	connection: Connection,
	itemIndex: number,
	binaryPropertyName: string,
	deadline: number,
): AudioContext {
	return {
		ctx,
		credentials: connection.credentials,
		itemIndex,
		binaryPropertyName,
		deadline,
		send: sender(ctx, connection),
	};
}
