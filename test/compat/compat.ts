/**
 * Compatibility runs: the engine suites (test/nodes, test/e2e) under jest with n8n-core and n8n-workflow of
 * another n8n release substituted for the project's own (test/compat/jest.config.js, resolver.js), and the
 * versions jest really loaded checked in every test file (loaded-versions.ts).
 *
 * The oldest supported pair is pinned in test/compat/package.json + package-lock.json and installed with
 * `npm install --ignore-scripts` into the cache folder of `npm run test:n8n` (~/.cache/n8n-nodes-speech-tasks/
 * compat/…), outside this package's node_modules, keyed by a hash of both files. Other pairs (bisecting) are
 * installed the same way from a generated package.json. The current pair is the project's own node_modules.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runChecked, runCommand, tail } from '../n8n/processes';
import { log, seconds, timing } from '../n8n/report';
import { N8N_VERSION, cacheRoot, findNpmCli } from '../n8n/toolchain';

/**
 * The n8n release that ships the pair pinned in test/compat/package.json (n8n 2.34.4: n8n-core 2.34.2 +
 * n8n-workflow 2.34.2). Older n8n fails the engine tests: before n8n-workflow 2.34, `sleep(ms, signal)` ignores
 * the signal, so cancelling an execution does not end Wait Until Complete's waits (test/compat/README.md).
 */
export const OLDEST_N8N = '2.34.4';
/** The suites run against each pair: every test that runs the package in n8n's engine. */
export const DEFAULT_SUITES = ['test/nodes', 'test/e2e'];

export interface Pair {
	/** For people: "n8n 2.11". */
	label: string;
	core: string;
	workflow: string;
}

export interface InstalledPair extends Pair {
	/** Folder whose node_modules holds n8n-core and n8n-workflow (N8N_COMPAT_DIR). */
	dir: string;
}

export interface LoadedVersions {
	testPath: string;
	core: { version: string; entry: string };
	workflow: { version: string; entry: string };
	workflowOfCore: { version: string; entry: string };
	workflowOfNodes: { version: string; entry: string };
	problems: string[];
}

export interface CompatResult {
	pair: InstalledPair;
	passed: boolean;
	ms: number;
	suites: string[];
	tests: { total: number; passed: number; failed: number; skipped: number };
	files: number;
	/** Failed tests and suites, one line each ("file › test: first line of the error"). */
	failures: string[];
	/** What every test file loaded (from loaded-versions.ts). */
	loaded: LoadedVersions[];
	/** Problems with the run itself (versions not proven, jest crashed). */
	problems: string[];
	logFile: string;
}

/** This package's folder, from the compiled file (.output/test/compat, beside a copy of package.json) or the source. */
export function projectRoot(): string {
	let dir = __dirname;
	for (;;) {
		if (fs.existsSync(path.join(dir, 'test', 'compat', 'jest.config.js'))) return dir;
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`test/compat/jest.config.js not found above ${__dirname}`);
		dir = parent;
	}
}

function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

interface PackageJson {
	name?: string;
	version?: string;
	dependencies?: Record<string, string>;
	engines?: Record<string, string>;
}

/** The oldest supported pair, as pinned in test/compat/package.json. */
export function oldestPair(): Pair {
	const pkg = readJson<PackageJson>(path.join(projectRoot(), 'test', 'compat', 'package.json'));
	return {
		label: `n8n ${OLDEST_N8N}`,
		core: pkg.dependencies!['n8n-core'],
		workflow: pkg.dependencies!['n8n-workflow'],
	};
}

/** The pair in this project's node_modules (its devDependencies), installed by `npm install`. */
export function currentPair(): InstalledPair {
	const root = projectRoot();
	const version = (name: string) =>
		readJson<PackageJson>(path.join(root, 'node_modules', name, 'package.json')).version!;
	const core = version('n8n-core');
	const minor = (v: string) => v.split('.').slice(0, 2).join('.');
	return {
		// test:n8n runs n8n N8N_VERSION itself, which ships this n8n-core.
		label: `n8n ${minor(N8N_VERSION) === minor(core) ? N8N_VERSION : minor(core)}`,
		core,
		workflow: version('n8n-workflow'),
		// Real path: jest reports modules by their real path (node_modules may be a symbolic link).
		dir: path.dirname(fs.realpathSync(path.join(root, 'node_modules'))),
	};
}

/** npm's environment without the settings `npm run` exports to scripts (they must not steer this install). */
function npmEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
	for (const key of Object.keys(env)) {
		if (/^npm_(config_(ignore_scripts|prefix|global|omit|include|workspaces?)|package_)/i.test(key))
			delete env[key];
	}
	return env;
}

/**
 * Installs a pair into the cache (or reuses it): the pinned oldest pair from test/compat/package.json and its
 * lockfile, any other pair from a generated package.json. `--ignore-scripts`: no dependency's install script
 * is needed to run the engine (n8n-core 2.41's isolated-vm would not even build on Node 20).
 */
export async function ensurePair(pair: Pair): Promise<InstalledPair> {
	const root = projectRoot();
	const pinnedDir = path.join(root, 'test', 'compat');
	const pinned = readJson<PackageJson>(path.join(pinnedDir, 'package.json'));
	const isPinned =
		pinned.dependencies?.['n8n-core'] === pair.core &&
		pinned.dependencies?.['n8n-workflow'] === pair.workflow;
	const packageJson = isPinned
		? fs.readFileSync(path.join(pinnedDir, 'package.json'), 'utf8')
		: `${JSON.stringify(
				{
					name: 'n8n-nodes-speech-tasks-compat-adhoc',
					private: true,
					dependencies: { 'n8n-core': pair.core, 'n8n-workflow': pair.workflow },
				},
				null,
				'\t',
			)}\n`;
	const lockFile = isPinned ? path.join(pinnedDir, 'package-lock.json') : undefined;
	const hash = createHash('sha256');
	hash.update(packageJson);
	if (lockFile && fs.existsSync(lockFile)) hash.update(fs.readFileSync(lockFile));
	hash.update(`${process.platform} ${process.arch} compat-recipe-1`);
	const prefix = isPinned ? 'oldest' : 'pair';
	const name = `${prefix}-core-${pair.core}-workflow-${pair.workflow}-${hash.digest('hex').slice(0, 10)}`;
	const compatRoot = path.join(cacheRoot(), 'compat');
	const dir = path.join(compatRoot, name);
	const marker = path.join(dir, '.installed.json');
	fs.mkdirSync(compatRoot, { recursive: true });
	const started = Date.now();

	if (!fs.existsSync(marker)) {
		log(`n8n-core ${pair.core} + n8n-workflow ${pair.workflow}: installing into ${dir} …`);
		const tmp = `${dir}.tmp-${process.pid}`;
		fs.rmSync(tmp, { recursive: true, force: true });
		fs.mkdirSync(tmp, { recursive: true });
		fs.writeFileSync(path.join(tmp, 'package.json'), packageJson);
		if (lockFile && fs.existsSync(lockFile))
			fs.copyFileSync(lockFile, path.join(tmp, 'package-lock.json'));
		const logFile = path.join(compatRoot, `${name}.install.log`);
		fs.writeFileSync(logFile, '');
		try {
			// `npm install` from the lockfile rather than `npm ci`: this registry lacks some other platforms'
			// optional packages, which `npm ci` rejects as missing from the lockfile (see test/n8n/toolchain.ts).
			await runChecked(
				process.execPath,
				[findNpmCli(), 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'],
				{ cwd: tmp, env: npmEnv(), timeoutMs: 30 * 60000, logFile },
			);
			checkInstalled(tmp, pair);
			fs.writeFileSync(
				path.join(tmp, '.installed.json'),
				JSON.stringify({ at: new Date().toISOString(), ms: Date.now() - started }),
			);
			fs.rmSync(dir, { recursive: true, force: true });
			fs.renameSync(tmp, dir);
		} catch (error) {
			fs.rmSync(tmp, { recursive: true, force: true });
			throw new Error(`${(error as Error).message}\n(install log: ${logFile})`);
		}
		timing(
			`n8n-core ${pair.core} + n8n-workflow ${pair.workflow} install (cold, npm registry)`,
			Date.now() - started,
		);
		if (isPinned) {
			// An older pin (another lockfile) is ≈ 400 MB.
			for (const entry of fs.readdirSync(compatRoot)) {
				if (entry.startsWith('oldest-') && !entry.startsWith(name) && !entry.includes('.tmp-')) {
					log(`removing stale compat install ${entry}`);
					fs.rmSync(path.join(compatRoot, entry), { recursive: true, force: true });
				}
			}
		}
	} else {
		checkInstalled(dir, pair);
		log(`n8n-core ${pair.core} + n8n-workflow ${pair.workflow}: cached in ${dir}`);
	}
	return { ...pair, dir };
}

/** The install holds exactly the pair, and n8n-core was built against that n8n-workflow. */
function checkInstalled(dir: string, pair: Pair): void {
	const modules = path.join(dir, 'node_modules');
	const core = readJson<PackageJson>(path.join(modules, 'n8n-core', 'package.json'));
	const workflow = readJson<PackageJson>(path.join(modules, 'n8n-workflow', 'package.json'));
	if (core.version !== pair.core || workflow.version !== pair.workflow)
		throw new Error(
			`${dir} holds n8n-core ${core.version} + n8n-workflow ${workflow.version}, not ${pair.core} + ${pair.workflow}`,
		);
	const wanted = core.dependencies?.['n8n-workflow'];
	if (wanted !== pair.workflow)
		throw new Error(
			`n8n-core ${pair.core} depends on n8n-workflow ${wanted}, not ${pair.workflow}: not a pair n8n shipped`,
		);
}

/** Runs the suites under test/compat/jest.config.js against an installed pair. */
export async function runSuites(
	pair: InstalledPair,
	options: { suites?: string[]; outDir: string },
): Promise<CompatResult> {
	const root = projectRoot();
	const suites = options.suites ?? DEFAULT_SUITES;
	const tag = `core-${pair.core}-workflow-${pair.workflow}`;
	fs.mkdirSync(options.outDir, { recursive: true });
	const jsonFile = path.join(options.outDir, `jest-${tag}.json`);
	const reportFile = path.join(options.outDir, `loaded-${tag}.jsonl`);
	const logFile = path.join(options.outDir, `jest-${tag}.log`);
	for (const file of [jsonFile, reportFile]) fs.rmSync(file, { force: true });
	const jestBin = require.resolve('jest/bin/jest', { paths: [root] });
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_COMPAT_DIR: pair.dir,
		N8N_COMPAT_EXPECT: JSON.stringify({ core: pair.core, workflow: pair.workflow }),
		N8N_COMPAT_REPORT: reportFile,
	};
	delete env.N8N_USER_FOLDER; // test/setup/env.ts makes a temp one per run
	log(
		`${pair.label} (n8n-core ${pair.core} + n8n-workflow ${pair.workflow}): jest ${suites.join(' ')} …`,
	);
	const started = Date.now();
	const run = await runCommand(
		process.execPath,
		[
			jestBin,
			'--config',
			path.join(root, 'test', 'compat', 'jest.config.js'),
			'--ci',
			// Some older n8n-core (2.11.1, 2.8.1) leave a timer running after the last test: jest would never exit in band.
			'--forceExit',
			'--json',
			'--outputFile',
			jsonFile,
			...suites,
		],
		{ cwd: root, env, timeoutMs: 20 * 60000, logFile },
	);
	const ms = Date.now() - started;

	const problems: string[] = [];
	const failures: string[] = [];
	const tests = { total: 0, passed: 0, failed: 0, skipped: 0 };
	let files = 0;
	const testFiles = new Set<string>();
	if (fs.existsSync(jsonFile)) {
		const json = readJson<JestJson>(jsonFile);
		tests.total = json.numTotalTests;
		tests.passed = json.numPassedTests;
		tests.failed = json.numFailedTests;
		tests.skipped = json.numPendingTests + json.numTodoTests;
		files = json.numTotalTestSuites;
		for (const file of json.testResults) {
			const rel = path.relative(root, file.name);
			testFiles.add(file.name);
			const failed = file.assertionResults.filter((a) => a.status === 'failed');
			for (const assertion of failed)
				failures.push(`${rel} › ${assertion.fullName}: ${firstLine(assertion.failureMessages[0])}`);
			if (file.status === 'failed' && failed.length === 0)
				failures.push(`${rel}: ${firstLine(file.message)}`);
		}
		if (json.numRuntimeErrorTestSuites > 0)
			problems.push(`${json.numRuntimeErrorTestSuites} test file(s) failed to run`);
	} else {
		problems.push(
			`jest wrote no results (exit ${run.code ?? run.signal ?? 'timeout'}):\n${tail(run.stderr || run.stdout, 30)}`,
		);
	}

	const loaded = fs.existsSync(reportFile)
		? fs
				.readFileSync(reportFile, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line) as LoadedVersions)
		: [];
	// Every test file must have proven its versions; a file without a line ran without loaded-versions.ts.
	const proven = new Set(loaded.map((l) => l.testPath));
	for (const file of testFiles)
		if (!proven.has(file))
			problems.push(`${path.relative(root, file)} did not report the n8n versions it loaded`);
	for (const l of loaded) {
		for (const problem of l.problems)
			problems.push(`${path.relative(root, l.testPath)}: ${problem}`);
		if (l.core.version !== pair.core || l.workflow.version !== pair.workflow)
			problems.push(
				`${path.relative(root, l.testPath)} loaded n8n-core ${l.core.version} + n8n-workflow ${l.workflow.version}`,
			);
	}
	if (files === 0) problems.push('no test file ran');

	const passed =
		run.code === 0 && problems.length === 0 && failures.length === 0 && tests.failed === 0;
	return { pair, passed, ms, suites, tests, files, failures, loaded, problems, logFile };
}

interface JestJson {
	numTotalTests: number;
	numPassedTests: number;
	numFailedTests: number;
	numPendingTests: number;
	numTodoTests: number;
	numTotalTestSuites: number;
	numRuntimeErrorTestSuites: number;
	testResults: Array<{
		name: string;
		status: string;
		message: string;
		assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
	}>;
}

function firstLine(text: string | undefined): string {
	// jest's messages carry ANSI colours and start with blank lines or "●" headers.
	const clean = (text ?? '')
		// eslint-disable-next-line no-control-regex
		.replace(/\u001b\[[0-9;]*m/g, '')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('●'));
	return (clean[0] ?? '').slice(0, 300);
}

/** Where the versions came from, in one line per distinct combination. */
export function describeLoaded(result: CompatResult): string[] {
	const seen = new Map<string, number>();
	for (const l of result.loaded) {
		const key = `n8n-core ${l.core.version} (${l.core.entry}) and n8n-workflow ${l.workflow.version} (${l.workflow.entry})`;
		seen.set(key, (seen.get(key) ?? 0) + 1);
	}
	return [...seen].map(([key, count]) => `${count}/${result.files} test files loaded ${key}`);
}

/** The one line that says it: PASS/FAIL, pair, counts, time. */
export function verdict(result: CompatResult): string {
	const { pair, tests } = result;
	return `COMPAT ${result.passed ? 'PASS' : 'FAIL'}  ${pair.label}: n8n-core ${pair.core} + n8n-workflow ${pair.workflow} — ${tests.passed}/${tests.total} tests passed in ${result.files} files (${result.suites.join(', ')}), ${seconds(result.ms)}`;
}
