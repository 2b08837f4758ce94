// The package's credentials pointed at a running emulator, and credential types whose requests get a
// shorter timeout ("time compression"), so that a fault slower than the request timeout costs seconds, not
// minutes. The timeout each request asked for is recorded before it is shortened.
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { Emulator, EmulatorOptions } from '../../emulator';
import { startEmulator } from '../../emulator';
import { emulatorCredentials } from '../../e2e/emulator-credentials';
import { credentialTypes } from '../../harness/package';

export { emulatorCredentials };

export interface RequestTimeouts {
	/** The timeout (ms) of every authenticated request, as the node asked for it. */
	requested: Array<number | undefined>;
}

/**
 * The package's credential types, except that every request they authenticate leaves with a timeout of at
 * most `capMs`. Signing and bearer headers are the real ones (the Aspose generic `Authorization` header is
 * the credential's own template, `Bearer {accessToken}`).
 */
export function cappedCredentialTypes(capMs: number): {
	types: Record<string, ICredentialType>;
	timeouts: RequestTimeouts;
} {
	const timeouts: RequestTimeouts = { requested: [] };
	const cap = (options: IHttpRequestOptions): IHttpRequestOptions => {
		timeouts.requested.push(options.timeout);
		return { ...options, timeout: Math.min(options.timeout ?? Number.POSITIVE_INFINITY, capMs) };
	};
	const types: Record<string, ICredentialType> = {};
	for (const [name, type] of Object.entries(credentialTypes)) {
		const wrapped = Object.create(type) as ICredentialType;
		const original = type.authenticate;
		wrapped.authenticate = async (
			credentials: ICredentialDataDecryptedObject,
			options: IHttpRequestOptions,
		) => {
			if (typeof original === 'function') return cap(await original(credentials, options));
			// asposeCloudApi: headers.Authorization = '=Bearer {{$credentials.accessToken}}'
			return cap({
				...options,
				headers: {
					...(options.headers ?? {}),
					Authorization: `Bearer ${String(credentials.accessToken)}`,
				},
			});
		};
		types[name] = wrapped;
	}
	return { types, timeouts };
}

/** Starts an emulator whose tasks finish at once unless a test says otherwise. */
export async function fastEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return await startEmulator({
		durations: { polly: 0, aspose: 0, chimeVoice: 0, chimeMediaPipeline: 0 },
		...options,
	});
}
