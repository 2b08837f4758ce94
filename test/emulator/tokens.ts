/** Aspose bearer tokens: random JWT-shaped strings with a lifetime; `expireAll()` expires every current token. */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';
import { base64Url } from './random';

export type TokenCheck =
	| { ok: true; clientId: string }
	| { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'expired'; expiredAt?: number };

interface TokenRecord {
	clientId: string;
	issuedAt: number;
	expiresAt: number;
}

export class BearerTokens {
	private readonly tokens = new Map<string, TokenRecord>();

	constructor(
		private readonly clock: Clock,
		private readonly lifetimeSeconds: number,
	) {}

	issue(clientId: string): { access_token: string; expires_in: number; token_type: 'Bearer' } {
		const now = this.clock.now();
		const expiresAt = now + this.lifetimeSeconds * 1000;
		const header = base64Url(JSON.stringify({ alg: 'RS256', kid: 'emulator', typ: 'at+jwt' }));
		const payload = base64Url(
			JSON.stringify({
				iss: 'https://api.aspose.cloud',
				nbf: Math.floor(now / 1000),
				exp: Math.floor(expiresAt / 1000),
				client_id: clientId,
				scope: ['api.platform', 'api.products'],
				jti: randomBytes(8).toString('hex'),
			}),
		);
		const token = `${header}.${payload}.${base64Url(randomBytes(64))}`;
		this.tokens.set(token, { clientId, issuedAt: now, expiresAt });
		// Keep the map small: forget tokens expired for more than a day.
		if (this.tokens.size > 10_000)
			for (const [t, r] of this.tokens) if (r.expiresAt < now - 86_400_000) this.tokens.delete(t);
		return { access_token: token, expires_in: this.lifetimeSeconds, token_type: 'Bearer' };
	}

	/** Checks an `Authorization` header value. */
	check(authorization: string | undefined): TokenCheck {
		if (!authorization) return { ok: false, reason: 'missing' };
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
		if (!match) return { ok: false, reason: 'malformed' };
		const record = this.tokens.get(match[1]);
		if (!record) return { ok: false, reason: 'unknown' };
		if (this.clock.now() >= record.expiresAt)
			return { ok: false, reason: 'expired', expiredAt: record.expiresAt };
		return { ok: true, clientId: record.clientId };
	}

	/** Every token issued so far becomes expired (as of now). */
	expireAll(): number {
		const now = this.clock.now();
		let count = 0;
		for (const record of this.tokens.values()) {
			if (record.expiresAt > now) {
				record.expiresAt = now;
				count++;
			}
		}
		return count;
	}

	clear(): void {
		this.tokens.clear();
	}

	get size(): number {
		return this.tokens.size;
	}
}
