/** Step results, checks and timings of the end-to-end run, printed as they happen and summed up at the end. */

export type StepStatus = 'passed' | 'failed' | 'impossible' | 'skipped';

export interface StepResult {
	name: string;
	status: StepStatus;
	/** Why it failed, could not run on this machine, or was skipped. */
	reason?: string;
	ms: number;
}

/** Thrown when a step cannot work on this machine (not a failure of the package or of n8n). */
export class ImpossibleStep extends Error {}

const timings: Array<{ what: string; ms: number }> = [];
const notes: string[] = [];
let failures = 0;

export function log(message: string): void {
	const time = new Date().toISOString().slice(11, 19);
	process.stdout.write(`[${time}] ${message}\n`);
}

export function timing(what: string, ms: number): void {
	timings.push({ what, ms });
	log(`⏱  ${what}: ${seconds(ms)}`);
}

export function seconds(ms: number): string {
	return ms >= 60000
		? `${Math.floor(ms / 60000)} min ${((ms % 60000) / 1000).toFixed(1)} s`
		: `${(ms / 1000).toFixed(1)} s`;
}

/** Something worth knowing that is not a failure (shown again in the summary). */
export function note(message: string): void {
	notes.push(message);
	log(`NOTE: ${message}`);
}

/** A passed check. */
export function ok(message: string): void {
	log(`  ✔ ${message}`);
}

/**
 * A failed check: logged at once and counted, without stopping the step (so one run shows every problem).
 * Steps call `assertNoFailures` at their end.
 */
export function fail(message: string): void {
	failures++;
	log(`  ✘ ${message}`);
}

export function check(condition: unknown, message: string, detail?: () => string): boolean {
	if (condition) ok(message);
	else fail(detail ? `${message}: ${detail()}` : message);
	return Boolean(condition);
}

export function failureCount(): number {
	return failures;
}

export async function runStep(name: string, body: () => Promise<void>): Promise<StepResult> {
	log(`━━━ ${name} ━━━`);
	const started = Date.now();
	const before = failures;
	try {
		await body();
		const failed = failures - before;
		const result: StepResult = failed
			? {
					name,
					status: 'failed',
					reason: `${failed} check(s) failed (marked ✘ above)`,
					ms: Date.now() - started,
				}
			: { name, status: 'passed', ms: Date.now() - started };
		log(`━━━ ${name}: ${result.status.toUpperCase()} (${seconds(result.ms)}) ━━━`);
		return result;
	} catch (error) {
		const impossible = error instanceof ImpossibleStep;
		if (!impossible) failures++;
		const reason =
			(error as Error).stack && !impossible
				? String((error as Error).stack)
				: String((error as Error).message ?? error);
		const result: StepResult = {
			name,
			status: impossible ? 'impossible' : 'failed',
			reason,
			ms: Date.now() - started,
		};
		log(
			`━━━ ${name}: ${impossible ? 'CANNOT RUN ON THIS MACHINE' : 'FAILED'} (${seconds(result.ms)}) ━━━\n${reason}`,
		);
		return result;
	}
}

export function summary(results: StepResult[]): string {
	const lines = ['', '════════ n8n end-to-end summary ════════'];
	for (const r of results) {
		const label = {
			passed: 'PASS',
			failed: 'FAIL',
			impossible: 'CANNOT RUN HERE',
			skipped: 'SKIPPED',
		}[r.status];
		lines.push(`${label.padEnd(16)} ${r.name} (${seconds(r.ms)})`);
		if (r.reason && r.status !== 'passed')
			lines.push(`                 ${r.reason.split('\n')[0]}`);
	}
	lines.push('', 'Timings:');
	for (const t of timings) lines.push(`  ${t.what.padEnd(58)} ${seconds(t.ms)}`);
	if (notes.length) {
		lines.push('', 'Notes:');
		for (const n of notes) lines.push(`  - ${n}`);
	}
	return lines.join('\n');
}
