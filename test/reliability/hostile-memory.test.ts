// Memory stays bounded whatever size a server sends: each case of hostile-memory/child.ts (a huge status
// answer, a compression bomb, an endless body, an Aspose answer with a 300 MB WAV, a 300 MB PCM object
// without Content-Length) runs in its own process, and its peak RSS growth must stay under 256 MB.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { TS_CHILD_HOOK } from './support/ts-child';

jest.setTimeout(240_000);

interface Result {
	name: string;
	baselineMb: number;
	peakGrowthMb: number;
	seconds: number;
	outcome: string;
	binaryBytes: string | null;
}

it('peak RSS growth stays under 256 MB for every size case', async () => {
	const child = spawn(process.execPath, ['--expose-gc', '-e', TS_CHILD_HOOK], {
		cwd: join(__dirname, '..', '..'),
		env: {
			...process.env,
			TS_CHILD: join(__dirname, 'hostile-memory', 'child.ts'),
			NODE_OPTIONS: '',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	await new Promise<void>((resolve) => child.on('exit', () => resolve()));

	const line = stdout.split('\n').find((l) => l.startsWith('{"hostileMemory"'));
	if (!line)
		throw new Error(`No report. stderr:\n${stderr.slice(-3000)}\nstdout:\n${stdout.slice(-2000)}`);
	const report = JSON.parse(line) as { hostileMemory: boolean; error?: string; results: Result[] };
	if (!report.hostileMemory) throw new Error(report.error);
	console.log(
		report.results
			.map(
				(r) =>
					`${r.name}: +${r.peakGrowthMb} MB (baseline ${r.baselineMb} MB), ${r.seconds} s, ${r.outcome}`,
			)
			.join('\n'),
	);

	const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
	expect(report.results).toHaveLength(5);
	for (const result of report.results) expect(result.peakGrowthMb).toBeLessThan(256);
	expect(byName['100 MB status answer (Get Polly Synthesis Task)'].outcome).toBe(
		'The service sent a far larger answer than a status answer can be',
	);
	expect(byName['Aspose answer carrying a 300 MB WAV (Fetch Aspose Audio)'].outcome).toBe(
		'The service sent a far larger answer than a status answer can be',
	);
	// The PCM object is stored whole, streamed: 300 MB of samples plus the 44-byte WAV header.
	const pcm =
		byName[
			'300 MB PCM object without Content-Length (Wait Until Complete, filesystem binary data)'
		];
	expect(pcm.outcome).toBe('completed');
	// 300 MiB + 44 bytes, as n8n writes sizes (decimal MB).
	expect(pcm.binaryBytes).toBe('315 MB');
});
