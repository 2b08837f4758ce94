/**
 * What the end-to-end run needs outside this package, installed on first use and reused afterwards:
 *   - Node 24 from the npm registry (`node-<platform>-<arch>` package: bin/node and headers), because every
 *     n8n since 2.36 refuses older Node;
 *   - n8n 2.41.1 and playwright-core from test/n8n/package.json + package-lock.json, installed with Node 24
 *     into a cache folder outside this package's node_modules (keyed by a hash of both files), then
 *     `npm rebuild sqlite3` against Node 24's headers (its prebuilt download is unreachable here);
 *   - Debian's chromium, redis-server and postgresql, via apt-get when missing (root only).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { log, note, timing } from './report';
import { runChecked, runCommand, tail } from './processes';

export const NODE_VERSION = '24.21.0';
export const N8N_VERSION = '2.41.1';

export interface Toolchain {
	/** Node 24 folder (bin/node, include/node). */
	nodeDir: string;
	nodeBin: string;
	/** The n8n install (node_modules/n8n, node_modules/playwright-core). */
	n8nDir: string;
	n8nBin: string;
	npmCli: string;
	/** PATH with Node 24 first. */
	env: NodeJS.ProcessEnv;
}

export function cacheRoot(): string {
	if (process.env.N8N_E2E_CACHE_DIR) return path.resolve(process.env.N8N_E2E_CACHE_DIR);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-speech-tasks');
}

/** npm's own CLI script, so that npm can be run with Node 24 (npm_execpath is set by `npm run`). */
export function findNpmCli(): string {
	const candidates = [
		process.env.npm_execpath,
		path.join(
			path.dirname(process.execPath),
			'..',
			'lib',
			'node_modules',
			'npm',
			'bin',
			'npm-cli.js',
		),
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	];
	for (const candidate of candidates) {
		if (candidate && candidate.endsWith('.js') && fs.existsSync(candidate)) return candidate;
	}
	throw new Error(`cannot find npm-cli.js (tried ${candidates.filter(Boolean).join(', ')})`);
}

async function ensureNode(root: string, npmCli: string): Promise<string> {
	const spec = `node-${process.platform}-${process.arch}@${NODE_VERSION}`;
	const dir = path.join(root, `node-v${NODE_VERSION}-${process.platform}-${process.arch}`);
	const bin = path.join(dir, 'bin', 'node');
	if (fs.existsSync(bin)) {
		const version = await runCommand(bin, ['-v']);
		if (version.stdout.trim() === `v${NODE_VERSION}`) {
			log(`Node ${NODE_VERSION}: cached in ${dir}`);
			return dir;
		}
	}
	const started = Date.now();
	log(`Node ${NODE_VERSION}: npm pack ${spec} …`);
	const tmp = fs.mkdtempSync(path.join(root, '.node-download-'));
	try {
		const packed = await runChecked(
			process.execPath,
			[npmCli, 'pack', spec, '--pack-destination', tmp, '--json', '--loglevel=error'],
			{
				timeoutMs: 15 * 60000,
			},
		);
		const filename = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename;
		const unpacked = path.join(tmp, 'unpacked');
		fs.mkdirSync(unpacked);
		await runChecked('tar', [
			'-xzf',
			path.join(tmp, path.basename(filename)),
			'-C',
			unpacked,
			'--strip-components=1',
		]);
		const version = await runChecked(path.join(unpacked, 'bin', 'node'), ['-v']);
		if (version.stdout.trim() !== `v${NODE_VERSION}`)
			throw new Error(`${spec} printed ${version.stdout.trim()}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(unpacked, dir);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	timing(`Node ${NODE_VERSION} download + unpack (npm registry)`, Date.now() - started);
	return dir;
}

function lockKey(): { key: string; packageJson: string; lockFile: string } {
	const packageJson = path.join(__dirname, '..', '..', '..', 'test', 'n8n', 'package.json');
	const lockFile = path.join(path.dirname(packageJson), 'package-lock.json');
	if (!fs.existsSync(packageJson) || !fs.existsSync(lockFile)) {
		throw new Error(
			`test/n8n/package.json or package-lock.json is missing (looked in ${path.dirname(packageJson)})`,
		);
	}
	const hash = createHash('sha256');
	hash.update(fs.readFileSync(packageJson));
	hash.update(fs.readFileSync(lockFile));
	hash.update(`${NODE_VERSION} ${process.platform} ${process.arch} recipe-1`);
	return { key: hash.digest('hex').slice(0, 12), packageJson, lockFile };
}

async function ensureN8n(
	root: string,
	nodeDir: string,
	npmCli: string,
	env: NodeJS.ProcessEnv,
): Promise<string> {
	const { key, packageJson, lockFile } = lockKey();
	const name = `n8n-${N8N_VERSION}-${key}`;
	const dir = path.join(root, name);
	const marker = path.join(dir, '.installed.json');
	const nodeBin = path.join(nodeDir, 'bin', 'node');
	const started = Date.now();
	if (fs.existsSync(marker)) {
		await verifyN8n(dir, nodeBin, env);
		timing('n8n install (warm: cache reused, version checked)', Date.now() - started);
		log(`n8n ${N8N_VERSION}: cached in ${dir}`);
		return dir;
	}
	log(
		`n8n ${N8N_VERSION}: installing into ${dir} (cold: npm install ≈ 4–8 min, sqlite3 build ≈ 2–3 min) …`,
	);
	const tmp = `${dir}.tmp-${process.pid}`;
	fs.rmSync(tmp, { recursive: true, force: true });
	fs.mkdirSync(tmp, { recursive: true });
	fs.copyFileSync(packageJson, path.join(tmp, 'package.json'));
	fs.copyFileSync(lockFile, path.join(tmp, 'package-lock.json'));
	const logFile = path.join(root, `${name}.install.log`);
	fs.writeFileSync(logFile, '');
	try {
		const ci = Date.now();
		// `npm install` from the lockfile, not `npm ci`: this registry lacks some other platforms' optional packages
		// (e.g. @msgpackr-extract/msgpackr-extract-darwin-arm64@3.0.7), which npm leaves out of the lockfile and
		// `npm ci` then rejects as "missing from lock file".
		// --ignore-scripts: several dependencies download from the internet in their scripts (kafka, agent-browser,
		// @scarf/scarf, prebuild-install); the only native module n8n needs at run time is sqlite3, built next.
		await runChecked(
			nodeBin,
			[npmCli, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'],
			{
				cwd: tmp,
				env,
				timeoutMs: 45 * 60000,
				logFile,
			},
		);
		timing('n8n install: npm install --ignore-scripts from the lockfile (cold)', Date.now() - ci);
		const rebuild = Date.now();
		await runChecked(
			nodeBin,
			[
				npmCli,
				'rebuild',
				'sqlite3',
				'--ignore-scripts=false',
				'--foreground-scripts',
				'--loglevel=warn',
			],
			{
				cwd: tmp,
				env,
				timeoutMs: 30 * 60000,
				logFile,
			},
		);
		timing('n8n install: npm rebuild sqlite3 against Node 24 headers (cold)', Date.now() - rebuild);
		await verifyN8n(tmp, nodeBin, env);
		fs.writeFileSync(
			path.join(tmp, '.installed.json'),
			JSON.stringify({ at: new Date().toISOString(), ms: Date.now() - started }),
		);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(tmp, dir);
	} catch (error) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw new Error(`${(error as Error).message}\n(full install log: ${logFile})`);
	}
	timing('n8n install (cold: npm install + sqlite3 build + checks)', Date.now() - started);
	// Older installs (another lockfile) are 3 GB each.
	for (const entry of fs.readdirSync(root)) {
		if (
			entry.startsWith('n8n-') &&
			entry !== name &&
			entry !== `${name}.install.log` &&
			!entry.includes('.tmp-')
		) {
			log(`removing stale n8n install ${entry}`);
			fs.rmSync(path.join(root, entry), { recursive: true, force: true });
		}
	}
	return dir;
}

async function verifyN8n(dir: string, nodeBin: string, env: NodeJS.ProcessEnv): Promise<void> {
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const version = await runChecked(nodeBin, [n8nBin, '--version'], {
		cwd: dir,
		env,
		timeoutMs: 120000,
	});
	if (!version.stdout.includes(N8N_VERSION))
		throw new Error(`n8n --version printed ${version.stdout.trim()}`);
	await runChecked(nodeBin, ['-e', "require('sqlite3'); require('playwright-core')"], {
		cwd: dir,
		env,
		timeoutMs: 60000,
	});
}

export async function ensureToolchain(): Promise<Toolchain> {
	if (process.platform !== 'linux')
		throw new Error(
			`n8n from the npm registry with Debian packages needs Linux (this is ${process.platform})`,
		);
	const root = cacheRoot();
	fs.mkdirSync(root, { recursive: true });
	log(`cache folder: ${root}`);
	const npmCli = findNpmCli();
	const nodeDir = await ensureNode(root, npmCli);
	const nodeBin = path.join(nodeDir, 'bin', 'node');
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: nodeDir,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
	// `npm run` exports its own config (npm_config_*) to scripts; the install must not inherit this project's settings.
	for (const key of Object.keys(env)) {
		if (/^npm_(config_(ignore_scripts|prefix|global|omit|include|workspaces?)|package_)/i.test(key))
			delete env[key];
	}
	const n8nDir = await ensureN8n(root, nodeDir, npmCli, env);
	return {
		nodeDir,
		nodeBin,
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		npmCli,
		env,
	};
}

export interface SystemTools {
	chromium?: string;
	redisServer?: string;
	/** Folder with postgres, initdb, pg_ctl. */
	postgresBin?: string;
	/** Why a tool is missing, if it is. */
	missing: Record<string, string>;
}

function findPostgresBin(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter(
			(v) =>
				fs.existsSync(path.join(base, v, 'bin', 'postgres')) &&
				fs.existsSync(path.join(base, v, 'bin', 'initdb')),
		)
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

function which(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '')
		.split(path.delimiter)
		.concat(['/usr/bin', '/usr/sbin', '/bin', '/sbin'])) {
		const file = path.join(dir, name);
		if (dir && fs.existsSync(file)) return file;
	}
	return undefined;
}

function probeSystem(): SystemTools {
	const tools: SystemTools = { missing: {} };
	tools.chromium = fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
	tools.redisServer = which('redis-server');
	tools.postgresBin = findPostgresBin();
	return tools;
}

/** Debian's chromium, redis-server and postgresql; installed with apt-get when missing and we are root. */
export async function ensureSystemTools(): Promise<SystemTools> {
	let tools = probeSystem();
	const wanted: Array<[string, boolean]> = [
		['chromium', !tools.chromium],
		['redis-server', !tools.redisServer],
		['postgresql', !tools.postgresBin],
	];
	const packages = wanted.filter(([, missing]) => missing).map(([name]) => name);
	if (packages.length === 0) {
		log('Debian packages: chromium, redis-server and postgresql are installed');
		return tools;
	}
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const aptGet = which('apt-get');
	if (!isRoot || !aptGet) {
		const why = !aptGet
			? 'apt-get is not available (not Debian?)'
			: 'not running as root, so apt-get cannot install it';
		for (const name of packages)
			tools.missing[name] = `Debian package ${name} is not installed and ${why}`;
		return tools;
	}
	const started = Date.now();
	log(`apt-get install ${packages.join(' ')} …`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const update = await runCommand(aptGet, ['update'], { env, timeoutMs: 15 * 60000 });
	if (update.code !== 0) note(`apt-get update exited ${update.code}: ${tail(update.stderr, 5)}`);
	const install = await runCommand(aptGet, ['install', '-y', ...packages], {
		env,
		timeoutMs: 30 * 60000,
	});
	timing(`apt-get install ${packages.join(' ')}`, Date.now() - started);
	// Package scripts may start the distribution's own services; this run uses private instances instead.
	const service = which('service');
	if (service) {
		if (packages.includes('redis-server'))
			await runCommand(service, ['redis-server', 'stop'], { timeoutMs: 60000 });
		if (packages.includes('postgresql'))
			await runCommand(service, ['postgresql', 'stop'], { timeoutMs: 60000 });
	}
	tools = probeSystem();
	const after: Array<[string, boolean]> = [
		['chromium', !tools.chromium],
		['redis-server', !tools.redisServer],
		['postgresql', !tools.postgresBin],
	];
	for (const [name, missing] of after) {
		if (missing)
			tools.missing[name] =
				`apt-get install ${name} did not install it (exit ${install.code}): ${tail(install.stderr || install.stdout, 5)}`;
	}
	return tools;
}
