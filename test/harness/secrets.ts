import { SECRETS } from './fixtures';

/** Everything an error can show a user or a log: message, description, messages, context. */
function errorText(error: unknown): string {
	if (!error || typeof error !== 'object') return String(error);
	const e = error as Record<string, unknown>;
	const parts = [
		e.message,
		e.description,
		e.messages,
		e.context,
		e.stack,
		e.cause && (e.cause as Error).message,
	];
	return JSON.stringify(parts) + JSON.stringify(error, Object.getOwnPropertyNames(error));
}

export const secretsScanned = { values: 0, hits: 0 };

/** Fails when any test secret appears in the given outputs, errors or log lines. */
export function expectNoSecrets(...things: unknown[]): void {
	const text = things
		.map((t) =>
			t instanceof Error || (t && typeof t === 'object' && 'message' in (t as object))
				? errorText(t)
				: JSON.stringify(t),
		)
		.join('\n');
	for (const secret of Object.values(SECRETS)) {
		secretsScanned.values++;
		if (text.includes(secret)) {
			secretsScanned.hits++;
			throw new Error(`A secret leaked: …${secret.slice(-8)} found in output or error`);
		}
	}
}
