import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

export function asposeBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const raw = String(credentials.baseUrl ?? '').trim() || 'https://api.aspose.cloud';
	return raw.replace(/\/+$/, '');
}

/** A failed token request; `tokenStatus` (0: no answer) lets a poller tell throttling from bad secrets. */
export interface TokenFailure extends Error {
	tokenStatus: number;
}

function tokenFailure(message: string, status: number): TokenFailure {
	return Object.assign(new Error(message), { tokenStatus: status });
}

/** The token failure behind an error n8n may have wrapped (as `cause`). */
export function tokenFailureIn(error: unknown): TokenFailure | undefined {
	for (let e = error as { tokenStatus?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; depth++) {
		if (typeof e.tokenStatus === 'number') return e as TokenFailure;
		e = e.cause as typeof e;
	}
	return undefined;
}

/**
 * OAuth2 client-credentials grant against `{baseUrl}/connect/token`. Failures are rethrown as a
 * fresh Error so the request (whose body holds the client secret) never travels with the error.
 */
export async function requestAsposeToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '');
	if (!clientId || !clientSecret) {
		throw new Error('Aspose credential: enter both Client ID and Client Secret');
	}
	const body = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: clientId,
		client_secret: clientSecret,
	}).toString();

	// Status errors come back as responses; only a network failure throws, and its error (whose
	// request config holds the secret) is reduced to its code before anything is rethrown.
	let response: { statusCode?: number; body?: unknown } | undefined;
	let networkFailure = '';
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url: `${asposeBaseUrl(credentials)}/connect/token`,
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
			},
			// A string body goes out as is (form-encoded); `json: true` would quote it.
			body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30000,
		});
	} catch (error) {
		networkFailure = String((error as { code?: unknown }).code ?? 'network error');
	}
	if (networkFailure) {
		throw tokenFailure(
			`Could not reach the Aspose token endpoint (${networkFailure}): check the Base URL and the network`,
			0,
		);
	}
	const status = response?.statusCode ?? 0;
	if (status === 400 || status === 401 || status === 403) {
		throw tokenFailure(
			`Aspose refused the Client ID and Client Secret (HTTP ${status}): check them at dashboard.aspose.cloud → Applications`,
			status,
		);
	}
	if (status < 200 || status >= 300) {
		throw tokenFailure(`The Aspose token endpoint answered HTTP ${status}: try again later`, status);
	}

	const token = (parseJson(response?.body) as { access_token?: unknown } | undefined)?.access_token;
	if (typeof token !== 'string' || token === '') {
		throw new Error('The Aspose token endpoint answered without an access_token: check the Base URL');
	}
	return token;
}

function parseJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}
