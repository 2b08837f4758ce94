/**
 * `npm run bench`: the README's performance claims measured side by side, each against a named baseline in
 * the same run. Exits non-zero only when a result is WRONG (an item missing, audio bytes wrong, a signature
 * mismatch, request counts not adding up) — never because something is slow.
 */
import { createdUserFolder } from './env';

import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

import n8nCorePackage from 'n8n-core/package.json';

import { initFilesystemBinaryData } from '../harness/binary-data';
import { runConcurrencyBench } from './concurrency';
import { runMemoryBench } from './memory';
import { runPerItemBench } from './per-item';
import { runPollingPolicyBench } from './polling-policy';
import { runQuotaBench } from './quota';
import { runSigningBench } from './signing';
import { Verdicts } from './stats';

function machine(): string {
	const list = cpus();
	const n8nCore = n8nCorePackage.version;
	return `Machine: ${list[0]?.model.trim() ?? 'unknown CPU'}, ${list.length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ${process.platform}/${process.arch}; n8n-core ${n8nCore}`;
}

async function main(): Promise<number> {
	const started = Date.now();
	const verdicts = new Verdicts();
	console.log(machine());
	const only = process.env.BENCH_ONLY?.split(',');
	// Machine-readable results, printed last so that the run's last line is the summary.
	const finalLines: string[] = [];
	// n8n's binary data service is process-wide: initialised once, for every section that needs it.
	let binary: ReturnType<typeof initFilesystemBinaryData> | undefined;
	const binaryData = async () => await (binary ??= initFilesystemBinaryData());
	const sections: Array<[string, string, () => Promise<string>]> = [
		[
			'polling',
			'1. Polling policy (virtual clock)',
			async () => {
				const result = await runPollingPolicyBench(verdicts);
				finalLines.push(...result.jsonLines);
				return result.text;
			},
		],
		['signing', '4. Signing', async () => await runSigningBench(verdicts)],
		[
			'per-item',
			'5. Per-item overhead: Get Polly Synthesis Task',
			async () => await runPerItemBench(verdicts),
		],
		[
			'concurrency',
			'2. Concurrency: Wait Until Complete in the n8n engine',
			async () => {
				return await runConcurrencyBench(verdicts, await binaryData());
			},
		],
		['memory', '3. Memory of the audio hand-off', async () => await runMemoryBench(verdicts)],
		[
			'quota',
			'6. Waiting within the Polly quota',
			async () => {
				const result = await runQuotaBench(verdicts, await binaryData());
				finalLines.push(result.jsonLine);
				return result.text;
			},
		],
	];
	for (const [key, title, run] of sections) {
		// `policy` is the section's former name.
		if (only && !only.includes(key) && !(key === 'polling' && only.includes('policy'))) continue;
		const t0 = Date.now();
		const before = verdicts.wrong.length;
		console.log(`\n## ${title}\n`);
		try {
			console.log(await run());
		} catch (error) {
			verdicts.check(false, `${title}: crashed: ${(error as Error)?.stack ?? String(error)}`);
		}
		const wrong = verdicts.wrong.length - before;
		console.log(
			`\n(${((Date.now() - t0) / 1000).toFixed(1)} s${wrong ? `, ${wrong} WRONG result${wrong === 1 ? '' : 's'}` : ', all results correct'})`,
		);
	}
	if (binary) rmSync((await binary).storagePath, { recursive: true, force: true });
	if (createdUserFolder) rmSync(createdUserFolder, { recursive: true, force: true });
	console.log(`\nTotal: ${((Date.now() - started) / 1000).toFixed(1)} s.`);
	if (verdicts.wrong.length > 0) {
		console.log(`\n${verdicts.wrong.length} WRONG result(s):`);
		for (const message of verdicts.wrong.slice(0, 50)) console.log(`  - ${message}`);
		if (verdicts.wrong.length > 50) console.log(`  … and ${verdicts.wrong.length - 50} more`);
		for (const line of finalLines) console.log(line);
		return 1;
	}
	console.log('All results correct.');
	for (const line of finalLines) console.log(line);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(2);
	},
);
