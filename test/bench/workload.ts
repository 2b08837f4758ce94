/**
 * Simulated Polly synthesis tasks whose timings follow the emulator's duration model
 * (test/emulator/duration-model.ts): text lengths log-uniform from 30 to 100,000 billed characters, a mix of
 * engines, some speech-marks tasks, and the node starting to poll 0.2–2 s after the task was created.
 */
import type { IDataObject } from 'n8n-workflow';

import { pollyTaskPhasesMs } from '../emulator/duration-model';
import type { PollyEngineName } from '../emulator/duration-model';
import { seededRandom } from './stats';

export interface SimTask {
	index: number;
	engine: PollyEngineName;
	outputFormat: 'mp3' | 'json';
	characters: number;
	/** Epoch ms the task was created. */
	createdAt: number;
	/** ms after creation when the task leaves `scheduled`. */
	queuedMs: number;
	/** ms after creation when the task is `completed`. */
	totalMs: number;
	/** ms after creation when Wait Until Complete makes its first check. */
	startOffsetMs: number;
}

export const MIN_CHARS = Number(process.env.BENCH_MIN_CHARS ?? 100);

const ENGINE_WEIGHTS: Array<[PollyEngineName, number]> = [
	['standard', 0.35],
	['neural', 0.35],
	['generative', 0.15],
	['long-form', 0.15],
];

function pickEngine(r: number): PollyEngineName {
	let acc = 0;
	for (const [engine, weight] of ENGINE_WEIGHTS) {
		acc += weight;
		if (r < acc) return engine;
	}
	return 'standard';
}

export function pollyWorkload(count: number, seed = 20240601): SimTask[] {
	const random = seededRandom(seed);
	const epoch = Date.UTC(2025, 0, 1);
	const tasks: SimTask[] = [];
	for (let index = 0; index < count; index++) {
		const engine = pickEngine(random());
		const characters = Math.round(
			Math.exp(Math.log(MIN_CHARS) + random() * (Math.log(100_000) - Math.log(MIN_CHARS))),
		);
		const outputFormat = random() < 0.1 ? 'json' : 'mp3';
		const taskSeed = Math.floor(random() * 2 ** 31);
		const phases = pollyTaskPhasesMs({ characters, engine, outputFormat, seed: taskSeed });
		tasks.push({
			index,
			engine,
			outputFormat,
			characters,
			createdAt: epoch + index * 1000,
			queuedMs: phases.queuedMs,
			totalMs: phases.totalMs,
			startOffsetMs: Math.round(200 + random() * 1800),
		});
	}
	return tasks;
}

/** The GetSpeechSynthesisTask JSON of a simulated task at `now`, as the emulator would answer. */
export function taskJson(task: SimTask, now: number): IDataObject {
	const elapsed = now - task.createdAt;
	const status =
		elapsed < task.queuedMs ? 'scheduled' : elapsed < task.totalMs ? 'inProgress' : 'completed';
	return {
		TaskId: `sim-${task.index}`,
		TaskStatus: status,
		Engine: task.engine,
		OutputFormat: task.outputFormat,
		CreationTime: task.createdAt / 1000,
		RequestCharacters: task.characters,
		OutputUri: `https://s3.us-east-1.amazonaws.com/speech-tasks-output/sim-${task.index}.${task.outputFormat === 'json' ? 'marks' : 'mp3'}`,
	};
}
