/**
 * `npm run test:n8n`: this package inside the real n8n product (2.41.1 on Node 24), against the local
 * speech-cloud emulator. See test/n8n/README.md.
 *
 *   1. CLI: import the credentials and the examples/ workflows, `n8n execute` each, check the JSON
 *      (task statuses, audio binary, the Aspose token fetched and refreshed by n8n's credentials helper).
 *   2. Editor: `n8n start`, owner through the REST API, Debian Chromium + playwright-core: canvas and
 *      parameter panels of our nine nodes (the Voice list and the Task ID picker loading from the emulator),
 *      screenshots; the README's panel pictures in docs/panels (written with UPDATE_SCREENSHOTS=1).
 *   3. Queue mode: Redis + PostgreSQL, one main and two workers, 50 Wait Until Complete executions at once.
 *
 * First, independent of the rest (this machine's Node, no n8n product): the engine tests against the oldest
 * supported n8n-core / n8n-workflow pair and against the project's own (test/compat/README.md).
 *
 * Environment: N8N_E2E_STEPS=compat,cli,browser,queue (default: all), N8N_E2E_OUTPUT_DIR (screenshots, logs;
 * default a folder under the OS temp dir), N8N_E2E_CACHE_DIR (default $XDG_CACHE_HOME or ~/.cache, /n8n-nodes-speech-tasks).
 * Exit code 0 only if every step passed or could not run on this machine (said so in the summary).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type Emulator, startEmulator } from '../emulator';
import { type Instance, instanceEnv } from './n8n';
import { installIntoUserFolder, packPackage } from './package-install';
import { killAllNow, stopAll } from './processes';
import { type StepResult, failureCount, log, runStep, summary, timing } from './report';
import { OLDEST_N8N, oldestPair } from '../compat/compat';
import { browserStep } from './step-browser';
import { EXAMPLE_WORKFLOW_IDS, cliStep } from './step-cli';
import { compatStep } from './step-compat';
import { queueStep } from './step-queue';
import {
	N8N_VERSION,
	NODE_VERSION,
	type SystemTools,
	type Toolchain,
	ensureSystemTools,
	ensureToolchain,
} from './toolchain';

const DEFAULT_OUTPUT_PARENT = path.join(os.tmpdir(), 'n8n-nodes-speech-tasks-e2e');

function outputDir(): string {
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const dir = process.env.N8N_E2E_OUTPUT_DIR
		? path.resolve(process.env.N8N_E2E_OUTPUT_DIR)
		: path.join(DEFAULT_OUTPUT_PARENT, stamp);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** n8n copies its editor (≈ 50 MB) into each user folder's .cache; not an artefact. Old default runs go too (5 are kept). */
function tidy(outDir: string): void {
	const userFolders = [
		path.join(outDir, 'n8n-user'),
		...['main', 'worker-1', 'worker-2'].map((n) => path.join(outDir, 'queue', n)),
	];
	for (const folder of userFolders)
		fs.rmSync(path.join(folder, '.cache'), { recursive: true, force: true });
	if (path.dirname(outDir) !== DEFAULT_OUTPUT_PARENT) return;
	const runs = fs.readdirSync(DEFAULT_OUTPUT_PARENT).sort().reverse();
	for (const old of runs.slice(5))
		fs.rmSync(path.join(DEFAULT_OUTPUT_PARENT, old), { recursive: true, force: true });
}

async function main(): Promise<number> {
	const runStarted = Date.now();
	const wanted = new Set(
		(process.env.N8N_E2E_STEPS ?? 'compat,cli,browser,queue').split(',').map((s) => s.trim()),
	);
	const outDir = outputDir();
	const shotsDir = path.join(outDir, 'screenshots');
	log(
		`n8n ${N8N_VERSION} on Node ${NODE_VERSION} end-to-end run; output (logs, screenshots): ${outDir}`,
	);
	const results: StepResult[] = [];

	const oldest = oldestPair();
	const compatName = `Compatibility: engine tests on n8n ${OLDEST_N8N} (n8n-core ${oldest.core} + n8n-workflow ${oldest.workflow}, oldest supported) and on ${N8N_VERSION}`;
	if (!wanted.has('compat'))
		results.push({ name: compatName, status: 'skipped', reason: 'not in N8N_E2E_STEPS', ms: 0 });
	else results.push(await runStep(compatName, () => compatStep(outDir)));

	let tools: Toolchain | undefined;
	let system: SystemTools | undefined;
	results.push(
		await runStep(
			`Install: Node ${NODE_VERSION} + n8n ${N8N_VERSION} (cache), Debian chromium / redis-server / postgresql`,
			async () => {
				tools = await ensureToolchain();
				system = await ensureSystemTools();
				for (const [name, why] of Object.entries(system.missing)) log(`  missing ${name}: ${why}`);
			},
		),
	);
	if (!tools || !system) {
		for (const name of ['CLI executions', 'Editor in Chromium', 'Queue mode'])
			results.push({ name, status: 'skipped', reason: 'the install step failed', ms: 0 });
		process.stdout.write(summary(results) + '\n');
		return 1;
	}
	const toolchain = tools;
	const systemTools = system;

	let emulator: Emulator | undefined;
	let instance: Instance | undefined;
	try {
		results.push(
			await runStep(
				'Package: npm pack, npm install <tarball> in ~/.n8n/nodes, emulator',
				async () => {
					const userFolder = path.join(outDir, 'n8n-user');
					fs.mkdirSync(userFolder, { recursive: true });
					const packed = await packPackage(outDir);
					await installIntoUserFolder(
						packed.tarball,
						userFolder,
						toolchain.env,
						toolchain.npmCli,
						toolchain.nodeBin,
					);
					instance = {
						userFolder,
						env: await instanceEnv(toolchain, userFolder),
						logDir: path.join(outDir, 'logs'),
					};
					fs.mkdirSync(instance.logDir, { recursive: true });
					const started = Date.now();
					emulator = await startEmulator({ timeScale: 0.01 });
					timing('emulator start', Date.now() - started);
					log(`emulator on ${emulator.url}`);
				},
			),
		);
		const ready = emulator && instance;
		const skip = (name: string, reason: string) =>
			results.push({ name, status: 'skipped', reason, ms: 0 });

		if (!wanted.has('cli')) skip('CLI executions', 'not in N8N_E2E_STEPS');
		else if (!ready) skip('CLI executions', 'the package step failed');
		else
			results.push(
				await runStep(
					'CLI executions: import:credentials, import:workflow, execute (examples/)',
					() => cliStep({ tools: toolchain, instance: instance!, emulator: emulator!, outDir }),
				),
			);

		if (!wanted.has('browser')) skip('Editor in Chromium', 'not in N8N_E2E_STEPS');
		else if (!ready) skip('Editor in Chromium', 'the package step failed');
		else if (!wanted.has('cli'))
			skip('Editor in Chromium', 'needs the workflows imported by the CLI step');
		else
			results.push(
				await runStep('Editor in Chromium: n8n start, owner, canvas + parameter panels', () =>
					browserStep({
						tools: toolchain,
						system: systemTools,
						instance: instance!,
						outDir,
						shotsDir,
						workflows: EXAMPLE_WORKFLOW_IDS,
						emulator: emulator!,
					}),
				),
			);

		if (!wanted.has('queue')) skip('Queue mode', 'not in N8N_E2E_STEPS');
		else if (!ready) skip('Queue mode', 'the package step failed');
		else
			results.push(
				await runStep(
					'Queue mode: Redis + PostgreSQL, 1 main + 2 workers, 50 executions at once',
					() =>
						queueStep({
							tools: toolchain,
							system: systemTools,
							emulator: emulator!,
							outDir,
							installedNodesDir: path.join(instance!.userFolder, '.n8n', 'nodes'),
						}),
				),
			);
	} finally {
		await stopAll();
		await emulator?.close().catch(() => undefined);
	}

	tidy(outDir);
	timing('whole run', Date.now() - runStarted);
	process.stdout.write(summary(results) + '\n');
	process.stdout.write(`\nOutput (logs, screenshots, n8n's JSON): ${outDir}\n`);
	if (fs.existsSync(shotsDir)) process.stdout.write(`Screenshots: ${shotsDir}\n`);
	const failed = results.some((r) => r.status === 'failed') || failureCount() > 0;
	const impossible = results.filter((r) => r.status === 'impossible');
	if (impossible.length && !failed) {
		process.stdout.write(
			`\n${impossible.length} step(s) could not run on this machine (see above); everything else passed.\n`,
		);
	}
	return failed ? 1 : 0;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping every process this run started …`);
		void stopAll(true).finally(() => process.exit(130));
	});
}
process.on('exit', () => killAllNow());

main().then(
	(code) => {
		process.exitCode = code;
		// Keep-alive sockets must not hold the run open.
		setTimeout(() => process.exit(code), 3000).unref();
	},
	async (error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		await stopAll();
		process.exitCode = 1;
	},
);
