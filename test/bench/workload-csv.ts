/**
 * External polling workloads as CSV: one row per task,
 * `execution,service,engine,outputFormat,characters,createdAtMs,queuedMs,totalMs,startOffsetMs`.
 * `queuedMs` / `totalMs` count from `createdAtMs`; an item's first check is at `createdAtMs + startOffsetMs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type WorkloadService = 'polly' | 'aspose' | 'chimeVoice' | 'chimeMediaPipeline';

export interface WorkloadTask {
	index: number;
	execution: string;
	service: WorkloadService;
	engine?: string;
	outputFormat?: string;
	characters?: number;
	createdAtMs: number;
	queuedMs: number;
	totalMs: number;
	startOffsetMs: number;
}

export const CSV_HEADER =
	'execution,service,engine,outputFormat,characters,createdAtMs,queuedMs,totalMs,startOffsetMs';

const SERVICES: WorkloadService[] = ['polly', 'aspose', 'chimeVoice', 'chimeMediaPipeline'];

export function parseWorkload(text: string, source = 'workload'): WorkloadTask[] {
	const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
	if (lines[0]?.trim() !== CSV_HEADER)
		throw new Error(`${source}: the first line must be the header ${CSV_HEADER}`);
	return lines.slice(1).map((line, i) => {
		const cells = line.split(',').map((cell) => cell.trim());
		const where = `${source}, line ${i + 2}`;
		if (cells.length !== 9) throw new Error(`${where}: 9 columns expected, found ${cells.length}`);
		const [execution, service, engine, outputFormat, characters, created, queued, total, offset] =
			cells;
		if (!SERVICES.includes(service as WorkloadService))
			throw new Error(`${where}: service must be one of ${SERVICES.join(', ')}`);
		const number = (value: string, name: string, optional = false) => {
			if (optional && value === '') return undefined;
			const parsed = Number(value);
			if (value === '' || !Number.isFinite(parsed))
				throw new Error(`${where}: ${name} is not a number`);
			return parsed;
		};
		const task: WorkloadTask = {
			index: i,
			execution,
			service: service as WorkloadService,
			engine: engine || undefined,
			outputFormat: outputFormat || undefined,
			characters: number(characters, 'characters', true),
			createdAtMs: number(created, 'createdAtMs')!,
			queuedMs: number(queued, 'queuedMs')!,
			totalMs: number(total, 'totalMs')!,
			startOffsetMs: number(offset, 'startOffsetMs')!,
		};
		if (
			!(task.totalMs > 0) ||
			task.queuedMs < 0 ||
			task.queuedMs > task.totalMs ||
			task.startOffsetMs < 0
		)
			throw new Error(`${where}: need 0 ≤ queuedMs ≤ totalMs, totalMs > 0 and startOffsetMs ≥ 0`);
		return task;
	});
}

export function readWorkload(path: string): WorkloadTask[] {
	return parseWorkload(readFileSync(path, 'utf8'), path);
}

export function formatWorkload(tasks: readonly Omit<WorkloadTask, 'index'>[]): string {
	const rows = tasks.map((t) =>
		[
			t.execution,
			t.service,
			t.engine ?? '',
			t.outputFormat ?? '',
			t.characters ?? '',
			Math.round(t.createdAtMs),
			Math.round(t.queuedMs),
			Math.round(t.totalMs),
			Math.round(t.startOffsetMs),
		].join(','),
	);
	return `${CSV_HEADER}\n${rows.join('\n')}\n`;
}

export function writeWorkload(path: string, tasks: readonly Omit<WorkloadTask, 'index'>[]): void {
	writeFileSync(path, formatWorkload(tasks));
}
