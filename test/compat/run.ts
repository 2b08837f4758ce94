/**
 * The engine suites against the oldest supported n8n and against the project's own (see test/compat/README.md).
 *
 *   node .output/test/compat/run.js                       oldest pair, then the current one (what test:n8n runs)
 *   node .output/test/compat/run.js --oldest | --current  only one of them
 *   node .output/test/compat/run.js --n8n 2.8.4           the pair that n8n release ships (asks the registry)
 *   node .output/test/compat/run.js --core 2.8.1 --workflow 2.8.0
 *   … --suites test/nodes,test/e2e,test/unit              other suites (default: test/nodes, test/e2e)
 *   … --out <folder>                                      jest logs and JSON (default: a temp folder)
 *
 * Exit code 0 only if every pair passed with the versions proven in every test file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runChecked } from '../n8n/processes';
import { log } from '../n8n/report';
import { findNpmCli } from '../n8n/toolchain';
import {
	type CompatResult,
	type Pair,
	currentPair,
	describeLoaded,
	ensurePair,
	oldestPair,
	runSuites,
	verdict,
} from './compat';

function arg(name: string): string | undefined {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? undefined : process.argv[at + 1];
}

const flag = (name: string) => process.argv.includes(`--${name}`);

/** n8n-core and n8n-workflow of an n8n release, from the registry's metadata of `n8n@<version>`. */
async function pairOfRelease(version: string): Promise<Pair> {
	const view = await runChecked(
		process.execPath,
		[
			findNpmCli(),
			'view',
			`n8n@${version}`,
			'dependencies.n8n-core',
			'dependencies.n8n-workflow',
			'--json',
		],
		{ timeoutMs: 120000 },
	);
	const deps = JSON.parse(view.stdout) as Record<string, string>;
	return {
		label: `n8n ${version}`,
		core: deps['dependencies.n8n-core'],
		workflow: deps['dependencies.n8n-workflow'],
	};
}

export function printResult(result: CompatResult): void {
	for (const line of describeLoaded(result)) log(`  ${line}`);
	for (const problem of result.problems) log(`  ✘ ${problem}`);
	for (const failure of result.failures.slice(0, 40)) log(`  ✘ ${failure}`);
	if (result.failures.length > 40) log(`  … and ${result.failures.length - 40} more`);
	log(`  jest output: ${result.logFile}`);
	log(verdict(result));
}

async function main(): Promise<number> {
	const outDir = path.resolve(
		arg('out') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-speech-tasks-compat-')),
	);
	const suites = arg('suites')
		?.split(',')
		.map((s) => s.trim());
	const core = arg('core');
	const workflow = arg('workflow');
	const release = arg('n8n');

	const legs: Array<() => Promise<CompatResult>> = [];
	const installed = (pair: Pair) => async () =>
		await runSuites(await ensurePair(pair), { suites, outDir });
	if (core || workflow) {
		if (!core || !workflow) throw new Error('--core and --workflow go together');
		legs.push(installed({ label: `n8n-core ${core}`, core, workflow }));
	} else if (release) {
		const pair = await pairOfRelease(release);
		legs.push(installed(pair));
	} else {
		if (!flag('current')) legs.push(installed(oldestPair()));
		if (!flag('oldest')) legs.push(async () => await runSuites(currentPair(), { suites, outDir }));
	}

	const results: CompatResult[] = [];
	for (const leg of legs) {
		const result = await leg();
		printResult(result);
		results.push(result);
	}
	process.stdout.write(`\n${results.map(verdict).join('\n')}\nOutput: ${outDir}\n`);
	return results.every((r) => r.passed) ? 0 : 1;
}

if (require.main === module) {
	main().then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			process.stderr.write(`${(error as Error).stack ?? error}\n`);
			process.exitCode = 1;
		},
	);
}
