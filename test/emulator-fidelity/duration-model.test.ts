/** The pure duration model (used by the emulator and by benchmarks simulating thousands of tasks). */
import {
	asposeTaskDurationMs,
	asposeTaskPhasesMs,
	chimeSpeakerSearchDurationMs,
	chimeSpeakerSearchPhasesMs,
	jitterFactor,
	pollyTaskDurationMs,
	pollyTaskPhasesMs,
	speechAudioDurationMs,
} from '../emulator/duration-model';
import { startEmulator } from '../emulator';

describe('pollyTaskDurationMs', () => {
	test('a few seconds of queueing plus time per character', () => {
		const empty = pollyTaskPhasesMs({ characters: 0, engine: 'standard' });
		expect(empty.queuedMs).toBeGreaterThanOrEqual(1_000);
		expect(empty.queuedMs).toBeLessThanOrEqual(10_000);
		const sizes = [100, 1_000, 10_000, 100_000];
		const durations = sizes.map((characters) =>
			pollyTaskDurationMs({ characters, engine: 'neural' }),
		);
		for (let i = 1; i < durations.length; i++)
			expect(durations[i]).toBeGreaterThan(durations[i - 1]);
		// 100,000 characters take minutes, not hours
		expect(durations[3]).toBeGreaterThan(60_000);
		expect(durations[3]).toBeLessThan(30 * 60_000);
	});

	test('standard < neural < generative < long-form; speech marks are cheaper than audio', () => {
		const at = (engine: string, outputFormat = 'mp3') =>
			pollyTaskDurationMs({ characters: 20_000, engine, outputFormat });
		expect(at('standard')).toBeLessThan(at('neural'));
		expect(at('neural')).toBeLessThan(at('generative'));
		expect(at('generative')).toBeLessThan(at('long-form'));
		expect(at('neural', 'json')).toBeLessThan(at('neural'));
		expect(at('unknown-engine')).toBe(at('standard'));
	});

	test('seeded jitter is deterministic and bounded (±15 %)', () => {
		const base = pollyTaskDurationMs({ characters: 5_000, engine: 'neural' });
		const a = pollyTaskDurationMs({ characters: 5_000, engine: 'neural', seed: 99 });
		expect(pollyTaskDurationMs({ characters: 5_000, engine: 'neural', seed: 99 })).toBe(a);
		const spread = Array.from(
			{ length: 500 },
			(_, seed) => pollyTaskDurationMs({ characters: 5_000, engine: 'neural', seed }) / base,
		);
		expect(Math.min(...spread)).toBeGreaterThanOrEqual(0.85 - 1e-9);
		expect(Math.max(...spread)).toBeLessThanOrEqual(1.15 + 1e-9);
		expect(new Set(spread.map((x) => x.toFixed(3))).size).toBeGreaterThan(100);
		expect(jitterFactor(undefined, 0.15)).toBe(1);
	});

	test('cheap enough to simulate 100,000 tasks', () => {
		const t0 = Date.now();
		let total = 0;
		for (let i = 0; i < 100_000; i++)
			total += pollyTaskDurationMs({
				characters: 500 + (i % 5_000),
				engine: i % 2 ? 'neural' : 'standard',
				seed: i,
			});
		expect(total).toBeGreaterThan(0);
		expect(Date.now() - t0).toBeLessThan(5_000);
	});
});

describe('Aspose and Chime models', () => {
	test('asposeTaskDurationMs grows with the text', () => {
		expect(asposeTaskDurationMs(10)).toBeLessThan(asposeTaskDurationMs(500));
		const p = asposeTaskPhasesMs(500);
		expect(p.totalMs).toBe(p.queuedMs + p.runningMs);
		expect(asposeTaskDurationMs(500, 3)).toBe(asposeTaskDurationMs(500, 3));
	});

	test('chimeSpeakerSearchDurationMs: queue, initialization and ~10 s of audio analysis', () => {
		const p = chimeSpeakerSearchPhasesMs();
		expect(p.totalMs).toBe(p.queuedMs + p.initializingMs + p.runningMs);
		expect(chimeSpeakerSearchDurationMs()).toBe(p.totalMs);
		expect(p.runningMs).toBeGreaterThanOrEqual(8_000);
		expect(chimeSpeakerSearchDurationMs(1)).not.toBe(chimeSpeakerSearchDurationMs(2));
	});

	test('speechAudioDurationMs: about 16 characters per second, at least half a second', () => {
		expect(speechAudioDurationMs(0)).toBe(500);
		expect(speechAudioDurationMs(1_600)).toBe(96_000);
	});
});

test('the emulator uses the model × timeScale', async () => {
	const e = await startEmulator({ clock: 'manual', timeScale: 0.5 });
	try {
		const task = e.createPollyTask({
			OutputFormat: 'mp3',
			OutputS3BucketName: 'speech-tasks-output',
			Text: 'z'.repeat(10_000),
			VoiceId: 'Joanna',
		});
		const max = pollyTaskDurationMs({ characters: 10_000, engine: 'standard' }) * 1.15 * 0.5;
		const min = pollyTaskDurationMs({ characters: 10_000, engine: 'standard' }) * 0.85 * 0.5;
		e.advance(min - 10);
		expect(e.getPollyTask(String(task.TaskId))!.TaskStatus).toBe('inProgress');
		e.advance(max - min + 20);
		expect(e.getPollyTask(String(task.TaskId))!.TaskStatus).toBe('completed');
		const aspose = e.createAsposeTask('hello');
		e.advance(asposeTaskDurationMs(5) * 1.15 * 0.5 + 1);
		expect(e.getAsposeTask(aspose).taskStatus).toBe('Completed');
	} finally {
		await e.close();
	}
});
