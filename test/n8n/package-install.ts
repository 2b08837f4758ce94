/**
 * The package as a self-hosted user gets it: `npm pack` of the built package, then `npm install <tarball>` in
 * `~/.n8n/nodes` (here `$N8N_USER_FOLDER/.n8n/nodes`), the folder n8n scans for community packages at start.
 * `--omit=peer` keeps npm from installing a second n8n-workflow next to it, as n8n's own installer does
 * (it strips peerDependencies before `npm install`); the package then resolves n8n's copy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { log, timing } from './report';
import { runChecked } from './processes';
import { PACKAGE, REPO_ROOT } from './workflows';

export interface PackedPackage {
	tarball: string;
	version: string;
	files: number;
}

export async function packPackage(outDir: string): Promise<PackedPackage> {
	const started = Date.now();
	const distEntry = path.join(
		REPO_ROOT,
		'dist',
		'nodes',
		'WaitUntilComplete',
		'WaitUntilComplete.node.js',
	);
	if (!fs.existsSync(distEntry))
		throw new Error(`${distEntry} is missing: run npm run build first (npm run test:n8n does)`);
	const dest = path.join(outDir, 'pack');
	fs.mkdirSync(dest, { recursive: true });
	const npm =
		process.env.npm_execpath && process.env.npm_execpath.endsWith('.js')
			? [process.execPath, process.env.npm_execpath]
			: ['npm'];
	const result = await runChecked(
		npm[0],
		[...npm.slice(1), 'pack', '--pack-destination', dest, '--json', '--loglevel=error'],
		{
			cwd: REPO_ROOT,
			timeoutMs: 5 * 60000,
		},
	);
	const info = (
		JSON.parse(result.stdout) as Array<{ filename: string; version: string; entryCount: number }>
	)[0];
	const tarball = path.join(dest, path.basename(info.filename));
	timing('npm pack', Date.now() - started);
	log(`packed ${tarball} (${info.entryCount} files)`);
	return { tarball, version: info.version, files: info.entryCount };
}

/** npm install <tarball> into <userFolder>/.n8n/nodes; returns the installed package folder. */
export async function installIntoUserFolder(
	tarball: string,
	userFolder: string,
	env: NodeJS.ProcessEnv,
	npmCli: string,
	nodeBin: string,
): Promise<string> {
	const started = Date.now();
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	await runChecked(
		nodeBin,
		[
			npmCli,
			'install',
			tarball,
			'--omit=peer',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{
			cwd: nodesDir,
			env,
			timeoutMs: 10 * 60000,
		},
	);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE);
	const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
		n8n?: { nodes?: string[] };
	};
	for (const file of manifest.n8n?.nodes ?? []) {
		if (!fs.existsSync(path.join(installed, file)))
			throw new Error(`installed package lacks ${file}`);
	}
	if (fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow'))) {
		throw new Error(
			'npm installed its own n8n-workflow next to the package (peer dependency); n8n would not share its copy',
		);
	}
	timing('npm install <tarball> into ~/.n8n/nodes', Date.now() - started);
	return installed;
}
