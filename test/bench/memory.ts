/**
 * Benchmark 3 — memory of the audio hand-off: a 20 MB and a 200 MB Polly output object (mp3, generated and
 * streamed by the emulator, never held in memory there) downloaded by Wait Until Complete with n8n's filesystem
 * binary data mode (n8n 2.x's default in regular mode), against the baseline of downloading the same object
 * into a Buffer; also the node with in-memory binary data (N8N_DEFAULT_BINARY_DATA_MODE=default), for reference. Each case runs in its own child process
 * (memory-child.ts); the emulator runs in this process. The stored bytes are checked (size and SHA-256)
 * against the object as the AWS SDK's S3 client reads it from the emulator.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';

import type { Emulator } from '../emulator';
import { BUCKET, credentialFor, emulator } from './emulator-setup';
import type { ChildRequest, ChildResult, ChildTask, MemoryMode } from './memory-child';
import { keyOf, objectDigest, referenceS3 } from './s3-reference';
import { fixed, mb, ratio, table, Verdicts } from './stats';

const SIZES_MB = (process.env.BENCH_MEMORY_SIZES_MB ?? '20,200').split(',').map(Number);
const MODES: Array<{ mode: MemoryMode; label: string }> = [
	{ mode: 'buffer', label: 'GET into a Buffer (baseline)' },
	{ mode: 'node-fs', label: 'Wait Until Complete, filesystem binary data' },
	{ mode: 'node-memory', label: 'Wait Until Complete, in-memory binary data' },
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

function runChild(request: ChildRequest): Promise<ChildResult> {
	return new Promise((resolve, reject) => {
		const child = fork(join(__dirname, 'memory-child.js'), [], {
			execArgv: ['--expose-gc'],
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
			for (const { mode, label } of MODES) {
				const result = await runChild({ mode, credential, warmUp, measured });
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
				const grew = result.peakRss - result.rssBefore;
				growth.set(`${mode}/${sizeMb}`, grew);
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
	].join('\n');
}
