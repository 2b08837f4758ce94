/**
 * Child process of the memory benchmark: one download per process so that RSS readings don't interfere.
 * Modes:
 *   node-fs      Wait Until Complete (Download Audio) in n8n-core's WorkflowExecute, filesystem binary data
 *   node-memory  the same with in-memory binary data (BinaryDataService not initialised, as mode `default`)
 *   node-db      the same with n8n's database binary data: n8n's own DatabaseManager (from the `n8n` package) on a
 *                real PostgreSQL or SQLite database, plugged into n8n-core's BinaryDataService as n8n does
 *                (database-binary-data.ts); the database comes from the environment the parent sets (DB_TYPE, …)
 *   node-s3      the same with n8n's S3 binary data: n8n-core's BinaryDataBlobManager over @n8n/blob-storage's
 *                S3ByteStore and ObjectStoreService (s3-binary-data.ts), writing to the parent's loopback bucket
 *                (s3-sink.ts; N8N_EXTERNAL_STORAGE_S3_* in the environment)
 *   buffer       baseline: one signed GET with node:http, the body collected into a Buffer
 * Everything is loaded and warmed up on a small object first; then, after a forced GC, RSS is sampled every
 * 5 ms while the big object is downloaded. Peak = the kernel's high-water mark (getrusage maxrss) when it rose
 * during the download, else the highest sample.
 */
import './env';

import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IBinaryData, ICredentialDataDecryptedObject } from 'n8n-workflow';

import { signRequest } from '../../credentials/common/aws/signer';
import { initFilesystemBinaryData } from '../harness/binary-data';
import { type DatabaseTarget, initDatabaseBinaryData } from './database-binary-data';
import { initS3BinaryData } from './s3-binary-data';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { oneNode } from './emulator-setup';

export type MemoryMode = 'node-fs' | 'node-memory' | 'node-db' | 'node-s3' | 'buffer';

export interface ChildTask {
	/** The SynthesisTask JSON (completed) whose OutputUri names the object. */
	task: Record<string, unknown>;
	/** Path-style S3 URL of the object at the emulator. */
	url: string;
}

export interface ChildRequest {
	mode: MemoryMode;
	credential: ICredentialDataDecryptedObject;
	warmUp: ChildTask;
	measured: ChildTask;
	/** node-db: the n8n install and the database type (its connection settings are in the environment). */
	database?: DatabaseTarget;
}

export interface ChildResult {
	mode: MemoryMode;
	rssBefore: number;
	peakRss: number;
	/** Bytes the download produced (file size or Buffer length) and their SHA-256. */
	size: number;
	sha256: string;
	/** What binary.bytes says (node modes). */
	reportedBytes?: number;
	stored?: 'file' | 'memory' | 'database' | 's3';
	/** node-db: TypeORM driver and n8n's N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE (MiB). */
	database?: { driver: string; maxFileSizeMb: number; rowFileSize: number };
	ms: number;
	error?: string;
}

async function hashFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

async function viaNode(credential: ICredentialDataDecryptedObject, job: ChildTask) {
	const { outputs, error } = await runWorkflow(
		oneNode(
			credential,
			TYPES.waitUntilComplete,
			{
				service: 'auto',
				downloadAudio: true,
				binaryPropertyName: 'data',
				options: { timeout: 300 },
			},
			[{ json: job.task as never }],
			'Wait Until Complete',
		),
	);
	if (error) throw new Error(`the run failed: ${error.message}`);
	const item = outputs['Wait Until Complete']?.[0]?.[0];
	const data = item?.binary?.data as IBinaryData | undefined;
	if (!data) throw new Error('no binary data in the Completed output');
	return data;
}

function getIntoBuffer(credential: ICredentialDataDecryptedObject, url: string): Promise<Buffer> {
	const target = new URL(url);
	const headers: Record<string, string> = {
		host: target.host,
		'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
	};
	const signed = signRequest(
		{ method: 'GET', url: target, headers },
		{
			accessKeyId: String(credential.accessKeyId),
			secretAccessKey: String(credential.secretAccessKey),
		},
		{ service: 's3', region: String(credential.region), s3: true },
	);
	return new Promise((resolve, reject) => {
		const req = request(
			target,
			{ method: 'GET', headers: { ...headers, ...signed.headers } },
			(res) => {
				if (res.statusCode !== 200) {
					reject(new Error(`S3 answered ${res.statusCode}`));
					res.resume();
					return;
				}
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve(Buffer.concat(chunks)));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end();
	});
}

let storage: string | undefined;
/** Other temp folders to remove when the child ends. */
const scratch: string[] = [];

async function measure(job: ChildRequest): Promise<ChildResult> {
	storage =
		job.mode === 'node-fs' ? mkdtempSync(join(tmpdir(), 'speech-tasks-bench-bin-')) : undefined;
	const binary = storage ? await initFilesystemBinaryData(storage) : undefined;
	if (job.mode === 'node-db' && !job.database) throw new Error('node-db needs a database target');
	const database = job.database ? await initDatabaseBinaryData(job.database) : undefined;
	const s3 = job.mode === 'node-s3' ? await initS3BinaryData() : undefined;
	for (const dir of [database?.fsStoragePath, s3?.fsStoragePath]) if (dir) scratch.push(dir);
	const download = async (task: ChildTask) =>
		job.mode === 'buffer'
			? await getIntoBuffer(job.credential, task.url)
			: await viaNode(job.credential, task);

	await download(job.warmUp);
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	gc?.();
	const rssBefore = process.memoryUsage.rss();
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	let sampled = rssBefore;
	const sampler = setInterval(() => {
		const rss = process.memoryUsage.rss();
		if (rss > sampled) sampled = rss;
	}, 5);
	const started = Date.now();
	let result: Buffer | IBinaryData;
	try {
		result = await download(job.measured);
	} finally {
		clearInterval(sampler);
	}
	const ms = Date.now() - started;
	const maxRssAfter = process.resourceUsage().maxRSS * 1024;
	const peakRss = Math.max(
		sampled,
		process.memoryUsage.rss(),
		maxRssAfter > maxRssBefore ? maxRssAfter : 0,
	);

	if (Buffer.isBuffer(result)) {
		return {
			mode: job.mode,
			rssBefore,
			peakRss,
			ms,
			size: result.length,
			sha256: createHash('sha256').update(result).digest('hex'),
		};
	}
	if (result.id && binary) {
		const path = binary.pathOf(result);
		return {
			mode: job.mode,
			rssBefore,
			peakRss,
			ms,
			size: statSync(path).size,
			sha256: await hashFile(path),
			reportedBytes: result.bytes,
			stored: 'file',
		};
	}
	if (s3) {
		const stored = await s3.bytesOf(result);
		return {
			mode: job.mode,
			rssBefore,
			peakRss,
			ms,
			size: stored.length,
			sha256: createHash('sha256').update(stored).digest('hex'),
			reportedBytes: result.bytes,
			stored: result.id?.startsWith('s3:') ? 's3' : result.id ? 'file' : 'memory',
		};
	}
	if (database) {
		const stored = await database.bytesOf(result);
		return {
			mode: job.mode,
			rssBefore,
			peakRss,
			ms,
			size: stored.length,
			sha256: createHash('sha256').update(stored).digest('hex'),
			reportedBytes: result.bytes,
			stored: result.id?.startsWith('database:') ? 'database' : result.id ? 'file' : 'memory',
			database: {
				driver: database.driver,
				maxFileSizeMb: database.maxFileSizeMb,
				rowFileSize: await database.storedSizeOf(result),
			},
		};
	}
	const bytes = Buffer.from(result.data, 'base64');
	return {
		mode: job.mode,
		rssBefore,
		peakRss,
		ms,
		size: bytes.length,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		reportedBytes: result.bytes,
		stored: result.id ? 'file' : 'memory',
	};
}

process.once('message', (job: ChildRequest) => {
	measure(job)
		.finally(() => {
			for (const dir of [storage, ...scratch])
				if (dir) rmSync(dir, { recursive: true, force: true });
		})
		.then(
			(result) => process.send?.(result, () => process.exit(0)),
			(error: Error) =>
				process.send?.(
					{
						mode: job.mode,
						rssBefore: 0,
						peakRss: 0,
						size: 0,
						sha256: '',
						ms: 0,
						error: String(error?.stack ?? error),
					},
					() => process.exit(0),
				),
		);
});
