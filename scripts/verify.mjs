// The verification gate n8n applies to community packages (`@n8n/scan-community-package`), run locally:
// the scanner's rules on the source and on the packed tarball, and no inline eslint-disable in
// nodes/ or credentials/ (the scanner ignores them, so they would only hide problems here).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
let failed = false;

function report(name, result) {
	console.log(
		`${result.passed ? 'PASS' : 'FAIL'} ${name}${result.message ? `: ${result.message}` : ''}`,
	);
	if (!result.passed) {
		failed = true;
		if (result.details) console.log(result.details);
	}
}

function* walk(dir) {
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) yield* walk(path);
		else yield path;
	}
}

const disables = [];
for (const folder of ['nodes', 'credentials']) {
	for (const file of walk(join(root, folder))) {
		if (/\.(ts|js)$/.test(file) && /eslint-disable/.test(readFileSync(file, 'utf8')))
			disables.push(file);
	}
}
report('no inline eslint-disable in nodes/ or credentials/', {
	passed: disables.length === 0,
	message: disables.length ? disables.join(', ') : undefined,
});

report('scanner rules on the source', await analyzePackage(root, SOURCE_FILE_PATTERNS));

const packDir = mkdtempSync(join(tmpdir(), 'speech-tasks-pack-'));
try {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const [{ filename, files }] = JSON.parse(output);
	execFileSync('tar', ['-xzf', join(packDir, filename), '-C', packDir]);
	const unpacked = join(packDir, 'package');
	const shipped = files.map((f) => f.path);
	const leaks = shipped.filter(
		(p) => !p.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(p),
	);
	report(`tarball holds only dist/, README, LICENSE and package.json (${shipped.length} files)`, {
		passed: leaks.length === 0 && shipped.some((p) => p.startsWith('dist/nodes/')),
		message: leaks.length ? `unexpected: ${leaks.join(', ')}` : undefined,
	});
	report(
		'scanner rules on the packed tarball',
		await analyzePackage(unpacked, ['**/*.js', 'package.json']),
	);
} finally {
	rmSync(packDir, { recursive: true, force: true });
}

if (failed) {
	console.log('Verification gate: FAILED');
	process.exit(1);
}
console.log('Verification gate: passed');
