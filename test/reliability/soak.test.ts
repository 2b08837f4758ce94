// Soak: 2,000 items through Wait Until Complete against the emulator with a 10% mixed fault rate, in a child
// process (soak/child.ts) so that memory, open handles and the process's own exit are measured without jest in
// the way. Most of its time is the tail of each execution: an item whose requests hit two or three faults in a
// row backs off 1, 2, 4 s (downloads 2, 4, 8 s) before it completes. Asserted: every item accounted for exactly once and completed (every fault injected is one Wait
// Until Complete recovers from), memory flat from the first execution to the last, no timer or socket left,
// no secret in any output or log line, and the child exits by itself.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { TS_CHILD_HOOK as HOOK } from './support/ts-child';

// Two executions of 1,000 items take about 110 s alone; a loaded CI machine (two jest workers) needs more.
jest.setTimeout(310_000);

interface Report {
	soak: boolean;
	error?: string;
	totals: Record<string, number>;
	requests: number;
	faultsInjected: number;
	faultCounts: Record<string, number>;
	elapsedMs: number;
	memory: {
		baseline: { heapUsed: number; rss: number };
		executions: Array<{
			items: number;
			elapsedMs: number;
			afterGc: { heapUsed: number; rss: number };
		}>;
		samples: Array<{ t: number; heapUsed: number; rss: number }>;
	};
	secrets: { values: number; logLines: number; comparisons: number; hits: number };
	resources: { before: Record<string, number>; after: Record<string, number> };
	endedAt: number;
}

const MB = 1024 * 1024;

it('2,000 items, 10% faults: all accounted for, memory flat, nothing left open, the process exits by itself', async () => {
	const root = join(__dirname, '..', '..');
	const child = spawn(process.execPath, ['--expose-gc', '-e', HOOK], {
		cwd: root,
		env: { ...process.env, TS_CHILD: join(__dirname, 'soak', 'child.ts'), NODE_OPTIONS: '' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exit = await new Promise<{
		code: number | null;
		signal: NodeJS.Signals | null;
		at: number;
	}>((resolve) => {
		const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
		child.on('exit', (code, signal) => {
			clearTimeout(killer);
			resolve({ code, signal, at: Date.now() });
		});
	});

	const line = stdout.split('\n').find((l) => l.startsWith('{"soak"'));
	if (!line)
		throw new Error(
			`No soak report. stderr:\n${stderr.slice(-3000)}\nstdout:\n${stdout.slice(-2000)}`,
		);
	const report = JSON.parse(line) as Report;
	if (!report.soak) throw new Error(report.error);

	const { totals, memory } = report;
	const first = memory.executions[0].afterGc;
	const last = memory.executions[memory.executions.length - 1].afterGc;
	const peak = memory.samples.reduce(
		(p, x) => ({ heapUsed: Math.max(p.heapUsed, x.heapUsed), rss: Math.max(p.rss, x.rss) }),
		{ heapUsed: 0, rss: 0 },
	);
	const mb = (bytes: number) => (bytes / MB).toFixed(1);
	console.log(
		[
			`Soak: ${totals.items} items in ${memory.executions.length} executions (${memory.executions.map((e) => `${e.items} in ${(e.elapsedMs / 1000).toFixed(1)} s`).join(', ')}), ${report.requests} requests, ${report.faultsInjected} faults (${((100 * report.faultsInjected) / report.requests).toFixed(1)}%) ${JSON.stringify(report.faultCounts)}`,
			`  completed ${totals.completed}, failed ${totals.failed}, timed out ${totals.timedOut}, errors ${totals.errors}; audio ${totals.withAudio}/${totals.audioExpected}`,
			`  heap after GC: baseline ${mb(memory.baseline.heapUsed)} MB, after each execution ${memory.executions.map((e) => mb(e.afterGc.heapUsed)).join(' / ')} MB; during the run (${memory.samples.length} samples) peak ${mb(peak.heapUsed)} MB`,
			`  RSS: baseline ${mb(memory.baseline.rss)} MB, after each execution ${memory.executions.map((e) => mb(e.afterGc.rss)).join(' / ')} MB, peak ${mb(peak.rss)} MB`,
			`  secrets: ${report.secrets.values} values × (${totals.items} output items + ${report.secrets.logLines} log lines) = ${report.secrets.comparisons} comparisons, ${report.secrets.hits} hits`,
			`  resources before ${JSON.stringify(report.resources.before)}, after ${JSON.stringify(report.resources.after)}; exited ${exit.at - report.endedAt} ms after the report, code ${exit.code}`,
		].join('\n'),
	);

	// Every item exactly once, and every one completed: all injected faults are ones Wait Until Complete recovers from.
	expect(totals.items).toBe(2000);
	expect(totals.once).toBe(2000);
	expect(totals.completed).toBe(2000);
	expect(totals.withAudio).toBe(totals.audioExpected);
	// The fault rate is what was asked for (10% of the status and download requests, give or take chance).
	expect(report.faultsInjected / report.requests).toBeGreaterThan(0.07);
	expect(report.faultsInjected / report.requests).toBeLessThan(0.13);

	// Memory flat: what stays after an execution does not grow from one execution to the next (a leak of
	// 3 KB per item would), and stays near the baseline taken after the warm-up.
	expect(last.heapUsed - first.heapUsed).toBeLessThan(3 * MB);
	expect(last.heapUsed - memory.baseline.heapUsed).toBeLessThan(12 * MB);
	expect(last.rss - first.rss).toBeLessThan(64 * MB);
	expect(peak.heapUsed).toBeLessThan(400 * MB);

	// No secret anywhere.
	expect(report.secrets.comparisons).toBeGreaterThan(0);
	expect(report.secrets.hits).toBe(0);

	// Nothing left open: no more timers, sockets or servers than before the emulator started.
	for (const kind of ['Timeout', 'TCPSocketWrap', 'TCPServerWrap', 'Immediate']) {
		expect(report.resources.after[kind] ?? 0).toBeLessThanOrEqual(
			report.resources.before[kind] ?? 0,
		);
	}
	// And the process ended by itself (it never calls process.exit), promptly.
	expect(exit.signal).toBeNull();
	expect(exit.code).toBe(0);
	expect(exit.at - report.endedAt).toBeLessThan(5000);
});
