/** Seeded randomness and identifiers used across the emulator. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** mulberry32: a tiny deterministic PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A stable 32-bit number derived from any string (for per-task seeds). */
export function hashSeed(...parts: Array<string | number>): number {
	const digest = createHash('sha256').update(parts.join('\u0000')).digest();
	return digest.readUInt32LE(0);
}

export function uuid(): string {
	return randomUUID();
}

/** AWS JSON services: a UUID. */
export function awsRequestId(): string {
	return randomUUID();
}

/** S3 `x-amz-request-id`: 16 upper-case hex characters. */
export function s3RequestId(): string {
	return randomBytes(8).toString('hex').toUpperCase();
}

/** S3 `x-amz-id-2`: an opaque base64 string. */
export function s3HostId(): string {
	return randomBytes(57).toString('base64');
}

export function base64Url(data: Buffer | string): string {
	return Buffer.from(data)
		.toString('base64')
		.replace(/=+$/, '')
		.replace(/\+/g, '-')
		.replace(/\//g, '_');
}
