/**
 * Assume Role in the transport: a role session AWS calls expired is renewed once, and redaction knows the
 * session's secrets even after n8n renewed it mid-run.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	assumesRole,
	RENEW_SESSION_KEY,
	storedSession,
} from '../../../credentials/common/aws/assume-role';
import { parseAwsError } from '../errors/aws-error';
import { secretsOf } from '../errors/redact';
import { readErrorBody } from './body';
import type { Connection, Context } from './connection';
import type { RawResponse } from './http';

/** How AWS says a request's security token is expired (restJson services, S3 and STS). */
const EXPIRED_TOKEN_CODES = new Set(['ExpiredTokenException', 'ExpiredToken']);

/**
 * With Assume Role: when AWS calls the role session expired anyway (its clock runs ahead of this
 * machine's, or the answer came late), send the request once more, naming the rejected session, so that
 * the credential has n8n renew it first (see credentials/common/aws/assume-role.ts). Other error answers
 * are handed on with their body already read (at most 64 KB, as the error readers take it).
 */
export async function renewOnExpiry(
	ctx: Context,
	connection: Connection,
	options: IHttpRequestOptions,
	response: RawResponse,
	resend: (
		ctx: Context,
		connection: Connection,
		options: IHttpRequestOptions,
	) => Promise<RawResponse>,
): Promise<RawResponse> {
	const status = Number(response.statusCode);
	if ((status !== 400 && status !== 403) || !connection.credentialType) return response;
	let text = '';
	try {
		text = await readErrorBody(response.body);
	} catch {
		// A broken error body reads as empty, as call's error reader treats it.
	}
	const answered = { ...response, body: Buffer.from(text) };
	if (!EXPIRED_TOKEN_CODES.has(parseAwsError(status, response.headers, text).code)) return answered;
	const current = await ctx.getCredentials<ICredentialDataDecryptedObject>(
		connection.credentialType,
	);
	const session = storedSession(current);
	if (session === undefined) return answered;
	const qs = { ...(options.qs ?? {}), [RENEW_SESSION_KEY]: session.accessKeyId };
	return await resend(ctx, connection, { ...options, qs });
}

/**
 * The connection's secrets. With Assume Role the credentials are read again: n8n may have renewed the
 * role session (preAuthentication) after the connection was opened.
 */
export async function secretsNow(ctx: Context, connection: Connection): Promise<string[]> {
	const opened = secretsOf(connection.credentials);
	if (!assumesRole(connection.credentials) || !connection.credentialType) return opened;
	let current: string[] = [];
	try {
		current = secretsOf(
			await ctx.getCredentials<ICredentialDataDecryptedObject>(connection.credentialType),
		);
	} catch {
		// Unreadable now: the secrets known when the connection opened still apply.
	}
	return [...new Set([...opened, ...current])].sort((a, b) => b.length - a.length);
}
