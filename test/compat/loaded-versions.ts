/**
 * Setup file of test/compat/jest.config.js: proves, in every test file, which n8n-core and n8n-workflow the
 * tests and the package code really load, and fails the file unless they are the expected ones from
 * N8N_COMPAT_DIR. One JSON line per test file goes to N8N_COMPAT_REPORT for test/compat/run.ts.
 *
 * Checked (through jest's own module resolution, the one the tests and nodes get):
 *   - `n8n-core` and `n8n-workflow` resolve inside N8N_COMPAT_DIR and have the expected versions;
 *   - the `n8n-workflow` that n8n-core itself loads is the same file the package's nodes (nodes/common) and
 *     the tests load, so the engine and the nodes share one copy (its error classes, `NodeConnectionTypes`,
 *     `sleep`).
 */
import { appendFileSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

interface Loaded {
	version: string;
	/** The file `require` loads (the package's main). */
	entry: string;
	/** The package's folder. */
	root: string;
}

function packageOf(entry: string, name: string): Loaded {
	let dir = dirname(entry);
	for (;;) {
		const file = join(dir, 'package.json');
		if (existsSync(file)) {
			const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
			if (json.name === name) return { version: String(json.version), entry, root: dir };
		}
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`no package.json of ${name} above ${entry}`);
		dir = parent;
	}
}

function isInside(file: string, dir: string): boolean {
	const rel = relative(dir, file);
	return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const compatDir = process.env.N8N_COMPAT_DIR
	? realpathSync(resolve(process.env.N8N_COMPAT_DIR))
	: '';
const expected = JSON.parse(process.env.N8N_COMPAT_EXPECT ?? '{}') as {
	core?: string;
	workflow?: string;
};

const core = packageOf(require.resolve('n8n-core'), 'n8n-core');
const workflow = packageOf(require.resolve('n8n-workflow'), 'n8n-workflow');
const workflowOfCore = packageOf(
	require.resolve('n8n-workflow', { paths: [core.root] }),
	'n8n-workflow',
);
const workflowOfNodes = packageOf(
	require.resolve('n8n-workflow', { paths: [join(__dirname, '..', '..', 'nodes', 'common')] }),
	'n8n-workflow',
);

const problems: string[] = [];
if (!compatDir) problems.push('N8N_COMPAT_DIR is not set');
if (!expected.core || !expected.workflow)
	problems.push('N8N_COMPAT_EXPECT does not name both versions');
for (const [label, loaded, want] of [
	['n8n-core', core, expected.core],
	['n8n-workflow', workflow, expected.workflow],
	["n8n-core's n8n-workflow", workflowOfCore, expected.workflow],
	["the nodes' n8n-workflow", workflowOfNodes, expected.workflow],
] as const) {
	if (loaded.version !== want) problems.push(`${label} ${loaded.version} loaded, ${want} expected`);
	if (compatDir && !isInside(loaded.entry, compatDir))
		problems.push(`${label} loaded from ${loaded.entry}, outside ${compatDir}`);
}
for (const other of [workflowOfCore, workflowOfNodes])
	if (other.entry !== workflow.entry)
		problems.push(
			`two copies of n8n-workflow: ${workflow.entry} (tests), ${workflowOfNodes.entry} (nodes), ${workflowOfCore.entry} (n8n-core)`,
		);

const testPath =
	(globalThis as unknown as { expect?: { getState(): { testPath?: string } } }).expect?.getState()
		.testPath ?? 'unknown test file';
const report = process.env.N8N_COMPAT_REPORT;
if (report) {
	appendFileSync(
		report,
		`${JSON.stringify({
			testPath,
			core: { version: core.version, entry: core.entry },
			workflow: { version: workflow.version, entry: workflow.entry },
			workflowOfCore: { version: workflowOfCore.version, entry: workflowOfCore.entry },
			workflowOfNodes: { version: workflowOfNodes.version, entry: workflowOfNodes.entry },
			problems,
		})}\n`,
	);
}
if (problems.length > 0) {
	throw new Error(`test/compat: wrong n8n packages loaded:\n  ${problems.join('\n  ')}`);
}
