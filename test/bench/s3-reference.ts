/** Reference reads of emulated S3 objects through the AWS SDK's own S3 client (independent of our code). */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

import type { Emulator } from '../emulator';

export function referenceS3(emu: Emulator): S3Client {
	return new S3Client({
		region: emu.region,
		endpoint: emu.endpoints.s3,
		forcePathStyle: true,
		credentials: emu.awsCredentials,
		maxAttempts: 1,
	});
}

/** Size and SHA-256 of an object, streamed (never held in memory). */
export async function objectDigest(
	client: S3Client,
	bucket: string,
	key: string,
): Promise<{ size: number; sha256: string }> {
	const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	const hash = createHash('sha256');
	let size = 0;
	for await (const chunk of out.Body as Readable) {
		size += (chunk as Buffer).length;
		hash.update(chunk as Buffer);
	}
	return { size, sha256: hash.digest('hex') };
}

/** The object key of a Polly OutputUri `https://s3.<region>.amazonaws.com/<bucket>/<key>`. */
export function keyOf(outputUri: unknown, bucket: string): string {
	const uri = String(outputUri);
	const at = uri.indexOf(`/${bucket}/`);
	if (at === -1) throw new Error(`unexpected OutputUri ${uri}`);
	return decodeURIComponent(uri.slice(at + bucket.length + 2));
}
