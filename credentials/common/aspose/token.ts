import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import type { Operation } from '../../../nodes/common/adapters/types';
import { classifyStatus, tokenFailure } from '../../../nodes/common/errors/failure';
import {
	tokenEndpointFailed,
	tokenMissing,
	tokenRefused,
	tokenSecretsMissing,
	tokenUnreachable,
} from '../../../nodes/common/errors/wording';
import { call } from '../../../nodes/common/transport/call';
import type { RawResponse } from '../../../nodes/common/transport/http';

export const ASPOSE_BASE_URL = 'https://api.aspose.cloud';

export function asposeBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const raw = String(credentials.baseUrl ?? '').trim() || ASPOSE_BASE_URL;
	return raw.replace(/\/+$/, '');
}

/** OAuth2 client-credentials grant: a form POST to `/connect/token`. */
const TOKEN: Operation<{ clientId: string; clientSecret: string }> = {
	method: 'POST',
	path: () => '/connect/token',
	headers: () => ({ 'content-type': 'application/x-www-form-urlencoded' }),
	body: ({ clientId, clientSecret }) =>
		new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: clientSecret,
		}).toString(),
	read: (body) =>
		typeof body.access_token === 'string' && body.access_token !== '' ? body : undefined,
	error: (status) => {
		const refused = status === 400 || status === 401 || status === 403;
		const message = refused ? tokenRefused(status) : tokenEndpointFailed(status);
		return {
			message,
			description: '',
			code: String(status),
			status,
			kind: refused ? 'fatal' : classifyStatus(status),
		};
	},
};

/**
 * Fetches a bearer token. Failures are fresh Errors carrying words and a status only, so the request
 * (whose body holds the client secret) never travels with the error.
 */
export async function requestAsposeToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '');
	if (!clientId || !clientSecret) throw new Error(tokenSecretsMissing);

	const send = async (options: Parameters<IHttpRequestHelper['helpers']['httpRequest']>[0]) =>
		(await helper.helpers.httpRequest(options)) as RawResponse;
	const outcome = await call(
		send,
		asposeBaseUrl(credentials),
		TOKEN,
		{ clientId, clientSecret },
		{
			timeoutMs: 30_000,
			peer: { label: 'Aspose token' },
		},
	);
	if (outcome.ok) return String(outcome.value.access_token);
	const { failure } = outcome;
	if (failure.status !== undefined) throw tokenFailure(failure.message, failure.status);
	if (failure.code === 'MalformedResponse') throw new Error(tokenMissing);
	throw tokenFailure(
		tokenUnreachable(failure.code === 'RequestFailed' ? 'network error' : failure.code),
		0,
	);
}
