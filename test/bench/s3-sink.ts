/**
 * A minimal S3-compatible bucket on loopback for the memory benchmark's S3 binary-data case: just what n8n's
 * `ObjectStoreService` (@n8n/blob-storage) sends in that case — HeadBucket at start-up, PutObject, HeadObject and
 * GetObject. Objects go to files in a temp folder (this process's memory is not what is measured: the child is).
 * PutObject bodies may come plain or `aws-chunked` (the SDK's trailing checksums); `Content-MD5` is checked when
 * present. Signatures are not checked: this stands in for the storage service, not for its access control.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3Sink {
	/** host:port for N8N_EXTERNAL_STORAGE_S3_HOST. */
	host: string;
	bucket: string;
	/** Objects stored so far: key → size, SHA-256 and whether Content-MD5 matched. */
	objects: Map<string, { size: number; sha256: string; md5Ok: boolean | undefined }>;
	close(): Promise<void>;
}

/** Decodes `aws-chunked` framing (`<hex size>[;ext]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n`) as it streams. */
class AwsChunkedDecoder {
	private buffer: Buffer = Buffer.alloc(0);
	private remaining = 0;
	private state: 'size' | 'data' | 'crlf' | 'done' = 'size';

	push(chunk: Buffer, out: (data: Buffer) => void): void {
		this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
		for (;;) {
			if (this.state === 'done') return;
			if (this.state === 'size') {
				const eol = this.buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = this.buffer.subarray(0, eol).toString('latin1');
				this.buffer = this.buffer.subarray(eol + 2);
				this.remaining = parseInt(line.split(';')[0], 16);
				if (!Number.isFinite(this.remaining)) throw new Error(`bad aws-chunked size line ${line}`);
				this.state = this.remaining === 0 ? 'done' : 'data';
				continue;
			}
			if (this.state === 'data') {
				if (this.buffer.length === 0) return;
				const take = Math.min(this.remaining, this.buffer.length);
				out(this.buffer.subarray(0, take));
				this.buffer = this.buffer.subarray(take);
				this.remaining -= take;
				if (this.remaining === 0) this.state = 'crlf';
				continue;
			}
			if (this.buffer.length < 2) return;
			this.buffer = this.buffer.subarray(2);
			this.state = 'size';
		}
	}
}

export async function startS3Sink(bucket = 'n8n-binary-data'): Promise<S3Sink> {
	const dir = mkdtempSync(join(tmpdir(), 'speech-tasks-bench-s3-'));
	const objects: S3Sink['objects'] = new Map();
	const meta = new Map<string, { contentType?: string; fileName?: string; modified: Date }>();
	const fileOf = (key: string) => join(dir, createHash('sha256').update(key).digest('hex'));

	const notFound = (res: ServerResponse, head: boolean) => {
		res.writeHead(404, { 'content-type': 'application/xml' });
		res.end(
			head
				? undefined
				: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>Not found</Message></Error>',
		);
	};

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://sink');
		const [, first, ...rest] = url.pathname.split('/');
		const key = rest.map(decodeURIComponent).join('/');
		if (decodeURIComponent(first ?? '') !== bucket) return notFound(res, req.method === 'HEAD');
		if (!key) {
			// HeadBucket (n8n's start-up check) and anything else on the bucket itself.
			res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1' });
			res.end();
			return;
		}
		if (req.method === 'PUT') {
			const chunked =
				/aws-chunked/i.test(String(req.headers['content-encoding'] ?? '')) ||
				/^STREAMING-/i.test(String(req.headers['x-amz-content-sha256'] ?? ''));
			const decoder = chunked ? new AwsChunkedDecoder() : undefined;
			const sha = createHash('sha256');
			const md5 = createHash('md5');
			const file = createWriteStream(fileOf(key));
			let size = 0;
			const write = (data: Buffer) => {
				sha.update(data);
				md5.update(data);
				size += data.length;
				if (!file.write(data)) req.pause();
			};
			file.on('drain', () => req.resume());
			await new Promise<void>((resolve, reject) => {
				req.on('data', (chunk: Buffer) => (decoder ? decoder.push(chunk, write) : write(chunk)));
				req.on('end', () => file.end(resolve));
				req.on('error', reject);
				file.on('error', reject);
			});
			const md5Base64 = md5.digest('base64');
			const expected = req.headers['content-md5'];
			const md5Ok = expected === undefined ? undefined : expected === md5Base64;
			objects.set(key, { size, sha256: sha.digest('hex'), md5Ok });
			meta.set(key, {
				contentType: req.headers['content-type'],
				fileName: req.headers['x-amz-meta-filename'] as string | undefined,
				modified: new Date(),
			});
			if (md5Ok === false) {
				res.writeHead(400, { 'content-type': 'application/xml' });
				res.end('<Error><Code>BadDigest</Code><Message>Content-MD5 mismatch</Message></Error>');
				return;
			}
			res.writeHead(200, { etag: `"${Buffer.from(md5Base64, 'base64').toString('hex')}"` });
			res.end();
			return;
		}
		if (req.method === 'GET' || req.method === 'HEAD') {
			const stored = objects.get(key);
			const info = meta.get(key);
			if (!stored || !info) return notFound(res, req.method === 'HEAD');
			const headers: Record<string, string> = {
				'content-length': String(statSync(fileOf(key)).size),
				'content-type': info.contentType ?? 'application/octet-stream',
				'last-modified': info.modified.toUTCString(),
				etag: `"${stored.sha256.slice(0, 32)}"`,
			};
			if (info.fileName) headers['x-amz-meta-filename'] = info.fileName;
			res.writeHead(200, headers);
			if (req.method === 'HEAD') {
				res.end();
				return;
			}
			createReadStream(fileOf(key)).pipe(res);
			return;
		}
		res.writeHead(501);
		res.end();
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => {
			if (!res.headersSent) res.writeHead(500);
			res.end(String(error.message));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		host: `127.0.0.1:${port}`,
		bucket,
		objects,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
