/** Small statistics and table helpers shared by the benchmarks. */

/** Nearest-rank percentile (p in 0..100) of unsorted numbers. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const median = (values: readonly number[]) => percentile(values, 50);
export const mean = (values: readonly number[]) =>
	values.reduce((sum, v) => sum + v, 0) / (values.length || 1);
export const max = (values: readonly number[]) =>
	values.reduce((m, v) => (v > m ? v : m), -Infinity);
export const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

/** Seeded PRNG (mulberry32): every benchmark workload is reproducible. */
export { seededRandom } from '../emulator/random';

export function fixed(value: number, digits = 1): string {
	return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** `0.42×` style ratio. */
export function ratio(value: number, baseline: number, digits = 2): string {
	if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return '–';
	return `${(value / baseline).toFixed(digits)}×`;
}

export function mb(bytes: number, digits = 1): string {
	return `${(bytes / 1024 / 1024).toFixed(digits)} MB`;
}

/** A plain-text table, columns padded; numbers right-aligned. */
export function table(headers: string[], rows: string[][]): string {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const numeric = headers.map((_, i) =>
		rows.every((r) => /^[-+]?[\d.,]+(×|%| ?[a-zA-Z/]+)?$|^–$/.test(r[i] ?? '')),
	);
	const line = (cells: string[]) =>
		`| ${cells.map((c, i) => (numeric[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join(' | ')} |`;
	const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
	return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Collects WRONG results: the bench exits non-zero when any was recorded (never because of speed). */
export class Verdicts {
	readonly wrong: string[] = [];

	check(ok: boolean, message: string): boolean {
		if (!ok) this.wrong.push(message);
		return ok;
	}
}
