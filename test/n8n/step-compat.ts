/**
 * Step "compat" of `npm run test:n8n`: the engine suites (test/nodes, test/e2e) in jest against the oldest
 * supported n8n-core / n8n-workflow pair (installed into the cache) and against the project's own pair
 * (n8n 2.41), with the versions jest loaded proven in every test file. See test/compat/README.md.
 */
import * as path from 'node:path';

import {
	type CompatResult,
	currentPair,
	describeLoaded,
	ensurePair,
	oldestPair,
	runSuites,
	verdict,
} from '../compat/compat';
import { check, log, note, timing } from './report';

function report(result: CompatResult): void {
	for (const line of describeLoaded(result)) log(`  ${line}`);
	for (const problem of result.problems) check(false, problem);
	for (const failure of result.failures) check(false, failure);
	check(result.passed, verdict(result), () => `jest output: ${result.logFile}`);
	note(verdict(result));
}

export async function compatStep(outDir: string): Promise<void> {
	const dir = path.join(outDir, 'compat');
	const install = Date.now();
	const oldest = await ensurePair(oldestPair());
	timing(
		`compat: n8n-core ${oldest.core} + n8n-workflow ${oldest.workflow} ready`,
		Date.now() - install,
	);
	const results = [
		await runSuites(oldest, { outDir: dir }),
		await runSuites(currentPair(), { outDir: dir }),
	];
	for (const result of results) {
		timing(`compat: jest against ${result.pair.label}`, result.ms);
		report(result);
	}
}
