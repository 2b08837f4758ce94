/**
 * Writes the committed polling workloads (test/bench/workloads/*.csv) that do NOT come from the emulator's
 * duration model: Polly at speeds ×0.3 to ×3 of the built-in guess, and services without size information
 * with lognormal durations. Its own seeded random, so every file is reproducible:
 *   npx tsc -p tsconfig.scripts.json && node .output/test/bench/make-workloads.js
 * See test/bench/workloads/README.md for what each file holds.
 */
import { join } from 'node:path';

import { pollyAdapter } from '../../nodes/common/adapters/polly';
import { formatWorkload } from './workload-csv';
import type { WorkloadService, WorkloadTask } from './workload-csv';
import { pollyWorkload } from './workload';

import { writeFileSync } from 'node:fs';

type Row = Omit<WorkloadTask, 'index'>;

/** xorshift128+-like generator of its own (not the emulator's mulberry32), seeded per file. */
function generator(seed: number): () => number {
	let a = seed >>> 0 || 1;
	let b = (seed * 2654435761) >>> 0 || 2;
	return () => {
		let x = a;
		const y = b;
		a = y;
		x ^= x << 11;
		x ^= x >>> 8;
		b = (x ^ y ^ (y >>> 19)) >>> 0;
		return ((a + b) >>> 0) / 4294967296;
	};
}

function normal(random: () => number): number {
	const u = Math.max(1e-12, random());
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const EPOCH = Date.UTC(2025, 5, 1);
const ENGINES: Array<[string, number]> = [
	['standard', 0.35],
	['neural', 0.35],
	['generative', 0.15],
	['long-form', 0.15],
];
const QUEUE_GUESS: Record<string, number> = {
	standard: 2000,
	neural: 3000,
	generative: 4000,
	'long-form': 5000,
};

function pick<T>(random: () => number, weighted: Array<[T, number]>): T {
	let r = random();
	for (const [value, weight] of weighted) {
		if (r < weight) return value;
		r -= weight;
	}
	return weighted[weighted.length - 1][0];
}

interface PollyShape {
	/** Speed relative to the guess, per engine: durations are guess ÷ speed. */
	speed: (engine: string) => number;
	/** ±spread per task, uniform. */
	spread: number;
	/** When true, only the per-character part follows the speed; the queue time stays as guessed. */
	queueAsGuessed?: boolean;
	/** Fewest billed characters of a task (default 100; the most is always Polly's 100,000). */
	minCharacters?: number;
}

function pollyTask(
	random: () => number,
	shape: PollyShape,
): Omit<Row, 'execution' | 'createdAtMs' | 'startOffsetMs'> {
	const engine = pick(random, ENGINES);
	const least = Math.log(shape.minCharacters ?? 100);
	const characters = Math.round(Math.exp(least + random() * (Math.log(100_000) - least)));
	const outputFormat =
		random() < 0.1
			? 'json'
			: pick(random, [
					['mp3', 0.7],
					['ogg_vorbis', 0.2],
					['pcm', 0.1],
				] as Array<[string, number]>);
	const guess = pollyAdapter.task.expectedDurationMs!({
		Engine: engine,
		OutputFormat: outputFormat,
		RequestCharacters: characters,
	})!;
	const speed = shape.speed(engine);
	const noise = 1 + shape.spread * (2 * random() - 1);
	const queueGuess = QUEUE_GUESS[engine];
	const queued = (queueGuess / (shape.queueAsGuessed ? 1 : speed)) * noise;
	const total = shape.queueAsGuessed
		? queueGuess * noise + ((guess - queueGuess) / speed) * noise
		: (guess / speed) * noise;
	return {
		service: 'polly',
		engine,
		outputFormat,
		characters,
		queuedMs: Math.min(queued, total),
		totalMs: total,
	};
}

interface NoSizeShape {
	service: WorkloadService;
	medianMs: number;
	sigma: number;
}

function noSizeTask(random: () => number, shape: NoSizeShape) {
	const total = Math.max(500, shape.medianMs * Math.exp(shape.sigma * normal(random)));
	return { service: shape.service, queuedMs: Math.min(total, 1500), totalMs: total };
}

type TaskMaker = (random: () => number) => Omit<Row, 'execution' | 'createdAtMs' | 'startOffsetMs'>;

/**
 * Many-item executions: a workflow starts `items` tasks 150 ms apart, then Wait Until Complete checks them
 * all about a second after the last start; the next execution comes 5–15 min later.
 */
function manyItem(random: () => number, executions: number, items: number, make: TaskMaker): Row[] {
	const rows: Row[] = [];
	let at = EPOCH;
	for (let e = 0; e < executions; e++) {
		const start = at + items * 150 + 500 + random() * 1000;
		for (let i = 0; i < items; i++) {
			const createdAtMs = at + i * 150;
			rows.push({
				execution: `e${e}`,
				createdAtMs,
				startOffsetMs: start - createdAtMs,
				...make(random),
			});
		}
		at += 300_000 + random() * 600_000;
	}
	return rows;
}

/** One-item executions: one task per execution, checked 0.2–2 s after it starts; 0–4 min apart (they overlap). */
function oneItem(random: () => number, executions: number, make: TaskMaker): Row[] {
	const rows: Row[] = [];
	let at = EPOCH;
	for (let e = 0; e < executions; e++) {
		rows.push({
			execution: `s${e}`,
			createdAtMs: at,
			startOffsetMs: 200 + random() * 1800,
			...make(random),
		});
		at += random() * 240_000;
	}
	return rows;
}

const polly =
	(shape: PollyShape): TaskMaker =>
	(random) =>
		pollyTask(random, shape);
const noSize =
	(shape: NoSizeShape): TaskMaker =>
	(random) =>
		noSizeTask(random, shape);
const allEngines = (factor: number) => () => factor;

const FILES: Array<[string, number, (random: () => number) => Row[]]> = [
	[
		'polly-x0.3-many',
		11,
		(r) => manyItem(r, 20, 50, polly({ speed: allEngines(0.3), spread: 0.2 })),
	],
	['polly-x0.3-single', 12, (r) => oneItem(r, 800, polly({ speed: allEngines(0.3), spread: 0.2 }))],
	[
		'polly-x0.5-many',
		13,
		(r) => manyItem(r, 20, 50, polly({ speed: allEngines(0.5), spread: 0.2 })),
	],
	['polly-x0.5-single', 14, (r) => oneItem(r, 800, polly({ speed: allEngines(0.5), spread: 0.2 }))],
	['polly-x2-many', 15, (r) => manyItem(r, 20, 50, polly({ speed: allEngines(2), spread: 0.2 }))],
	['polly-x2-single', 16, (r) => oneItem(r, 800, polly({ speed: allEngines(2), spread: 0.2 }))],
	['polly-x3-many', 17, (r) => manyItem(r, 20, 50, polly({ speed: allEngines(3), spread: 0.2 }))],
	['polly-x3-single', 18, (r) => oneItem(r, 800, polly({ speed: allEngines(3), spread: 0.2 }))],
	[
		'polly-per-engine-single',
		19,
		// Each engine off by its own factor, and only the per-character part follows it.
		(r) =>
			oneItem(
				r,
				800,
				polly({
					speed: (engine) =>
						({ standard: 3, neural: 0.5, generative: 0.3, 'long-form': 2 })[engine] ?? 1,
					spread: 0.2,
					queueAsGuessed: true,
				}),
			),
	],
	// Texts above SynthesizeSpeech's 3,000 billed characters, where the asynchronous task is the only way.
	...([0.3, 0.5, 2, 3] as const).map(
		(speed, i): [string, number, (random: () => number) => Row[]] => [
			`polly-long-x${speed}-single`,
			26 + i,
			(r) => oneItem(r, 800, polly({ speed: allEngines(speed), spread: 0.2, minCharacters: 3000 })),
		],
	),
	[
		'nosize-aspose-s0.4-many',
		21,
		(r) => manyItem(r, 20, 50, noSize({ service: 'aspose', medianMs: 20_000, sigma: 0.4 })),
	],
	[
		'nosize-aspose-s0.8-single',
		22,
		(r) => oneItem(r, 800, noSize({ service: 'aspose', medianMs: 20_000, sigma: 0.8 })),
	],
	[
		'nosize-chime-s0.4-single',
		23,
		(r) => oneItem(r, 800, noSize({ service: 'chimeVoice', medianMs: 14_000, sigma: 0.4 })),
	],
	[
		'nosize-chime-s0.8-many',
		24,
		(r) =>
			manyItem(r, 20, 50, noSize({ service: 'chimeMediaPipeline', medianMs: 30_000, sigma: 0.8 })),
	],
	[
		'mixed',
		25,
		(r) => {
			const makers: Array<[TaskMaker, number]> = [
				[
					polly({
						speed: (engine) => (engine === 'standard' ? 2 : engine === 'neural' ? 0.6 : 0.4),
						spread: 0.2,
					}),
					0.6,
				],
				[noSize({ service: 'aspose', medianMs: 25_000, sigma: 0.6 }), 0.2],
				[noSize({ service: 'chimeVoice', medianMs: 15_000, sigma: 0.5 }), 0.2],
			];
			const maker: TaskMaker = (random) => pick(random, makers)(random);
			return [
				...manyItem(r, 10, 40, maker),
				...oneItem(r, 400, maker).map((row) => ({
					...row,
					createdAtMs: row.createdAtMs + 86_400_000,
				})),
			];
		},
	],
];

/** The emulator-model workload the bench used to generate: each task its own execution. */
function emulatorModel(): Row[] {
	return pollyWorkload(2000).map((task) => ({
		execution: `m${task.index}`,
		service: 'polly',
		engine: task.engine,
		outputFormat: task.outputFormat,
		characters: task.characters,
		createdAtMs: task.createdAt,
		queuedMs: task.queuedMs,
		totalMs: task.totalMs,
		startOffsetMs: task.startOffsetMs,
	}));
}

export const WORKLOAD_DIR = join(__dirname, '..', '..', '..', 'test', 'bench', 'workloads');

function main() {
	for (const [name, seed, make] of FILES) {
		writeFileSync(join(WORKLOAD_DIR, `${name}.csv`), formatWorkload(make(generator(seed))));
	}
	writeFileSync(join(WORKLOAD_DIR, 'emulator-model.csv'), formatWorkload(emulatorModel()));
	console.log(`wrote ${FILES.length + 1} workloads to ${WORKLOAD_DIR}`);
}

if (require.main === module) main();
