import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

export function asposeBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const raw = String(credentials.baseUrl ?? '').trim() || 'https://api.aspose.cloud';
	return raw.replace(/\/+$/, '');
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
		});
	} catch (error) {
		networkFailure = String((error as { code?: unknown }).code ?? 'network error');
	}
	if (networkFailure) {
		throw new Error(
			`Could not reach the Aspose token endpoint (${networkFailure}): check the Base URL and the network`,
		);
	}
	const status = response?.statusCode ?? 0;
	if (status === 400 || status === 401 || status === 403) {
		throw new Error(
			`Aspose refused the Client ID and Client Secret (HTTP ${status}): check them at dashboard.aspose.cloud → Applications`,
		);
	}
	if (status < 200 || status >= 300) {
		throw new Error(`The Aspose token endpoint answered HTTP ${status}: try again later`);
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
