/**
 * Child process of the memory benchmark: one download per process so that RSS readings don't interfere.
 * Modes:
 *   node-fs      Wait Until Complete (Download Audio) in n8n-core's WorkflowExecute, filesystem binary data
 *   node-memory  the same with in-memory binary data (BinaryDataService not initialised, as mode `default`)
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
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { oneNode } from './emulator-setup';

export type MemoryMode = 'node-fs' | 'node-memory' | 'buffer';

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
	stored?: 'file' | 'memory';
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

async function measure(job: ChildRequest): Promise<ChildResult> {
	storage =
		job.mode === 'node-fs' ? mkdtempSync(join(tmpdir(), 'speech-tasks-bench-bin-')) : undefined;
	const binary = storage ? await initFilesystemBinaryData(storage) : undefined;
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
			if (storage) rmSync(storage, { recursive: true, force: true });
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
