/**
 * Benchmark 3 — memory of the audio hand-off: a 20 MB and a 200 MB Polly output object (mp3, generated and
 * streamed by the emulator, never held in memory there) downloaded by Wait Until Complete with n8n's filesystem
 * binary data mode (n8n 2.x's default in regular mode), against the baseline of downloading the same object
 * into a Buffer; also the node with in-memory binary data (N8N_DEFAULT_BINARY_DATA_MODE=default), for reference;
 * with n8n's S3 binary data against a loopback bucket (s3-binary-data.ts, s3-sink.ts; BENCH_MEMORY_S3=0 skips it);
 * and with n8n's database binary data (queue mode's default in n8n 2.x) on PostgreSQL and SQLite, through n8n's own
 * DatabaseManager from the n8n 2.41.1 install of `npm run test:n8n` (memory-db.ts, database-binary-data.ts;
 * BENCH_MEMORY_DB=postgres|sqlite|none). Each case runs in its own child process
 * (memory-child.ts); the emulator runs in this process. The stored bytes are checked (size and SHA-256)
 * against the object as the AWS SDK's S3 client reads it from the emulator.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';

import type { Emulator } from '../emulator';
import { BUCKET, credentialFor, emulator } from './emulator-setup';
import type { ChildRequest, ChildResult, ChildTask, MemoryMode } from './memory-child';
import { N8N_VERSION } from '../n8n/toolchain';
import { type DatabaseCase, type DatabaseCases, prepareDatabaseCases } from './memory-db';
import { type S3Sink, startS3Sink } from './s3-sink';
import { keyOf, objectDigest, referenceS3 } from './s3-reference';
import { fixed, mb, ratio, table, Verdicts } from './stats';

const SIZES_MB = (process.env.BENCH_MEMORY_SIZES_MB ?? '20,200').split(',').map(Number);
interface Case {
	mode: MemoryMode;
	label: string;
	key: string;
	db?: DatabaseCase;
	/** Another Node binary for the child (the SQLite case and its filesystem reference run on Node 24). */
	execPath?: string;
	/** Extra environment for the child. */
	env?: NodeJS.ProcessEnv;
}
const MODES: Case[] = [
	{ mode: 'buffer', key: 'buffer', label: 'GET into a Buffer (baseline)' },
	{ mode: 'node-fs', key: 'node-fs', label: 'Wait Until Complete, filesystem binary data' },
	{ mode: 'node-memory', key: 'node-memory', label: 'Wait Until Complete, in-memory binary data' },
];

function completedTask(emu: Emulator, bytes: number): ChildTask {
	const task = emu.createPollyTask(
		{
			OutputS3BucketName: BUCKET,
			VoiceId: 'Joanna',
			OutputFormat: 'mp3',
			Text: 'A long recording, streamed from the emulator.',
		},
		{ durationMs: 0, outputSizeBytes: bytes },
	);
	const done = emu.getPollyTask(String(task.TaskId))!; // completed: the object is written now
	return {
		task: done,
		url: `${emu.endpoints.s3}/${BUCKET}/${keyOf(done.OutputUri, BUCKET).split('/').map(encodeURIComponent).join('/')}`,
	};
}

function runChild(
	request: ChildRequest,
	options: { execPath?: string; env?: NodeJS.ProcessEnv; quiet?: boolean } = {},
): Promise<ChildResult> {
	return new Promise((resolve, reject) => {
		const child = fork(join(__dirname, 'memory-child.js'), [], {
			// quiet: n8n's migrations trigger a pg@8 deprecation warning on every run; not ours, and noise here.
			execArgv: options.quiet ? ['--expose-gc', '--no-deprecation'] : ['--expose-gc'],
			execPath: options.execPath ?? process.execPath,
			env: { ...process.env, ...options.env },
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		let result: ChildResult | undefined;
		child.once('message', (message) => (result = message as ChildResult));
		child.once('error', reject);
		child.once('exit', (code) =>
			result
				? resolve(result)
				: reject(new Error(`memory child (${request.mode}) exited with ${code} and no result`)),
		);
		child.send(request);
	});
}

export async function runMemoryBench(verdicts: Verdicts): Promise<string> {
	const emu = await emulator();
	const rows: string[][] = [];
	const growth = new Map<string, number>();
	const notes: string[] = [];
	let databases: DatabaseCases | undefined;
	let sink: S3Sink | undefined;
	try {
		databases = await prepareDatabaseCases();
		notes.push(...databases.skipped);
		// n8n's S3 mode against a loopback bucket in this process (BENCH_MEMORY_S3=0 skips it).
		sink = process.env.BENCH_MEMORY_S3 === '0' ? undefined : await startS3Sink();
	} catch (error) {
		await emu.close();
		await databases?.stop();
		throw error;
	}
	const cases: Case[] = [...MODES];
	if (sink)
		cases.push({
			mode: 'node-s3',
			key: 'node-s3',
			label: 'Wait Until Complete, S3 binary data (loopback bucket)',
			env: {
				N8N_EXTERNAL_STORAGE_S3_HOST: sink.host,
				N8N_EXTERNAL_STORAGE_S3_PROTOCOL: 'http',
				N8N_EXTERNAL_STORAGE_S3_BUCKET_NAME: sink.bucket,
				N8N_EXTERNAL_STORAGE_S3_BUCKET_REGION: 'us-east-1',
				N8N_EXTERNAL_STORAGE_S3_ACCESS_KEY: 'bench',
				N8N_EXTERNAL_STORAGE_S3_ACCESS_SECRET: 'bench-secret',
			},
		});
	for (const db of databases.cases) {
		if (db.execPath !== process.execPath)
			// The same node in filesystem mode on the same Node binary, so the database row has a like-for-like reference.
			cases.push({
				mode: 'node-fs',
				key: `node-fs-${db.nodeVersion}`,
				label: `Wait Until Complete, filesystem binary data (Node ${db.nodeVersion.replace(/^v/, '').split('.')[0]}, reference)`,
				execPath: db.execPath,
			});
		cases.push({
			mode: 'node-db',
			key: `node-db-${db.kind}`,
			label: `Wait Until Complete, ${db.label}`,
			db,
			execPath: db.execPath,
		});
	}
	const described = new Set<string>();
	try {
		const credential = credentialFor(emu);
		const s3 = referenceS3(emu);
		const warmUp = completedTask(emu, 256 * 1024);
		for (const sizeMb of SIZES_MB) {
			const bytes = sizeMb * 1024 * 1024;
			const measured = completedTask(emu, bytes);
			const reference = await objectDigest(s3, BUCKET, keyOf(measured.task.OutputUri, BUCKET));
			verdicts.check(
				reference.size === bytes,
				`memory ${sizeMb} MB: the emulator served ${reference.size} bytes`,
			);
			let baseline = NaN;
			for (const { mode, label, key, db, execPath, env } of cases) {
				const result = await runChild(
					{ mode, credential, warmUp, measured, database: db?.target },
					{ execPath, env: db ? db.env(sizeMb) : env, quiet: Boolean(db) },
				);
				const where = `memory ${sizeMb} MB, ${label}`;
				if (!verdicts.check(result.error === undefined, `${where}: ${result.error}`)) {
					rows.push([`${sizeMb} MB`, label, '–', '–', '–', '–', 'ERROR']);
					continue;
				}
				const bytesOk =
					result.size === reference.size &&
					result.sha256 === reference.sha256 &&
					(result.reportedBytes ?? result.size) === result.size;
				verdicts.check(
					bytesOk,
					`${where}: stored ${result.size} bytes (binary.bytes ${result.reportedBytes}), sha256 ${result.sha256.slice(0, 12)}…; the object is ${reference.size} bytes, ${reference.sha256.slice(0, 12)}…`,
				);
				if (mode === 'node-fs')
					verdicts.check(
						result.stored === 'file',
						`${where}: the audio was not stored in the filesystem binary data store`,
					);
				if (mode === 'node-s3') {
					const object = [...(sink?.objects.values() ?? [])].find(
						(o) => o.size === reference.size && o.sha256 === reference.sha256,
					);
					verdicts.check(
						result.stored === 's3' && object !== undefined && object.md5Ok !== false,
						`${where}: the audio did not arrive in the S3 bucket intact (stored: ${result.stored}, object ${object ? `${object.size} bytes, Content-MD5 ${object.md5Ok}` : 'missing'})`,
					);
				}
				if (mode === 'node-db') {
					verdicts.check(
						result.stored === 'database' && result.database?.rowFileSize === reference.size,
						`${where}: the audio was not stored in the database (stored: ${result.stored}, row file_size ${result.database?.rowFileSize})`,
					);
					if (db && result.database && !described.has(key)) {
						described.add(key);
						notes.push(
							`${label}: n8n ${N8N_VERSION}'s DatabaseManager, TypeORM driver \`${result.database.driver}\`, child on Node ${db.nodeVersion}, N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE ${result.database.maxFileSizeMb} MiB${db.kind === 'postgres' ? "; the PostgreSQL server's own memory is not in the child's RSS" : ''}.`,
						);
					}
				}
				const grew = result.peakRss - result.rssBefore;
				growth.set(`${key}/${sizeMb}`, grew);
				if (mode === 'buffer') baseline = grew;
				rows.push([
					`${sizeMb} MB`,
					label,
					mb(grew),
					ratio(grew, bytes),
					ratio(grew, baseline),
					fixed(result.ms / 1000, 2),
					bytesOk ? 'ok' : 'WRONG',
				]);
			}
		}
		s3.destroy();
	} finally {
		await emu.close();
		await sink?.close();
		await databases.stop();
	}
	const flat =
		SIZES_MB.length >= 2
			? growth.get(`node-fs/${SIZES_MB[SIZES_MB.length - 1]}`)! /
				growth.get(`node-fs/${SIZES_MB[0]}`)!
			: NaN;
	return [
		'Peak RSS growth of a child process over its RSS after warm-up and GC, while one Polly output object (mp3) is downloaded from the emulator (running in the parent).',
		'',
		table(
			[
				'object',
				'case',
				'peak RSS growth',
				'÷ object size',
				'× Buffer baseline',
				'time s',
				'bytes (size + SHA-256)',
			],
			rows,
		),
		'',
		SIZES_MB.length >= 2
			? `Filesystem mode: growth at ${SIZES_MB[SIZES_MB.length - 1]} MB is ${fixed(flat, 2)}× the growth at ${SIZES_MB[0]} MB (flat = about 1×).`
			: '',
		...notes,
	].join('\n');
}
