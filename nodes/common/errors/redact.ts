/**
 * No secret in use may reach an output item, an error or a log, whatever a server (or a proxy, or a
 * custom endpoint) sends back. Known secrets are cut out wherever they appear; in error texts, also
 * anything shaped like a bearer token, a JWT or a session token header, which covers a token renewed
 * during the run that the node never saw.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

const REDACTED = '[redacted]';

/** Credential fields that hold secrets, in any of the package's credentials. */
const SECRET_FIELD = /secret|token|password|externalid/i;

/** Shorter values are not cut out: they would match ordinary words. */
const SHORTEST_SECRET = 8;

const TOKEN_SHAPES: Array<[RegExp, string]> = [
	[/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
	[/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
	[
		/(x-amz-security-token|X-Amz-Security-Token)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/g,
		`$1$2${REDACTED}`,
	],
];

/** Secret members of a field that holds JSON (the AWS credential's assumed-role session). */
function jsonSecrets(text: string): string[] {
	if (!text.startsWith('{')) return [];
	try {
		const parsed = JSON.parse(text) as Record<string, unknown>;
		return Object.entries(parsed)
			.filter(([name, value]) => SECRET_FIELD.test(name) && typeof value === 'string')
			.map(([, value]) => value as string);
	} catch {
		return [];
	}
}

/** The secret values a credential holds, with their URL-encoded forms. */
export function secretsOf(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	const secrets = new Set<string>();
	for (const [name, value] of Object.entries(credentials ?? {})) {
		if (!SECRET_FIELD.test(name) || typeof value !== 'string') continue;
		for (const candidate of [value, ...jsonSecrets(value.trim())]) {
			const secret = candidate.trim();
			if (secret.length < SHORTEST_SECRET) continue;
			secrets.add(secret);
			secrets.add(encodeURIComponent(secret));
		}
	}
	// Longest first, so that a secret containing another is cut out whole.
	return [...secrets].sort((a, b) => b.length - a.length);
}

function withoutSecrets(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join(REDACTED);
	return result;
}

/** An error text without known secrets and without anything shaped like a token. */
export function redactText(text: string, secrets: readonly string[] = []): string {
	let result = withoutSecrets(text, secrets);
	for (const [shape, replacement] of TOKEN_SHAPES) result = result.replace(shape, replacement);
	return result;
}

/** A JSON value with every known secret and anything shaped like a token cut out of its strings and keys. */
export function redactJson<T>(value: T, secrets: readonly string[]): T {
	const walk = (node: unknown): unknown => {
		if (typeof node === 'string') return redactText(node, secrets);
		if (Array.isArray(node)) return node.map(walk);
		if (node && typeof node === 'object') {
			const copy: IDataObject = {};
			for (const [key, inner] of Object.entries(node as IDataObject)) {
				// defineProperty: a `__proto__` key stays a key, never the copy's prototype.
				Object.defineProperty(copy, redactText(key, secrets), {
					value: walk(inner),
					enumerable: true,
					writable: true,
					configurable: true,
				});
			}
			return copy;
		}
		return node;
	};
	return walk(value) as T;
}
