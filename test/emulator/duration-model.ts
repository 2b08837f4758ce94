/**
 * Duration model of the emulated services: pure functions, no I/O, no clock.
 *
 * All values are "emulated" milliseconds (what the real service would take). The emulator multiplies them by
 * `timeScale`; benchmarks can call these functions directly to simulate thousands of tasks.
 *
 * Sources of the shape (not of exact numbers, which AWS and Aspose do not publish): Polly async tasks queue for a
 * few seconds, then run roughly proportionally to the text length; neural voices are slower than standard ones,
 * generative slower still and long-form the slowest. Speaker search needs ~10 s of call audio.
 *
 * Pass `seed` to get a deterministic ±`POLLY_MODEL.jitter` variation per task (same seed → same duration).
 */

export type PollyEngineName = 'standard' | 'neural' | 'long-form' | 'generative';
export type PollyOutputFormatName =
	| 'json'
	| 'mp3'
	| 'ogg_opus'
	| 'ogg_vorbis'
	| 'pcm'
	| 'mulaw'
	| 'alaw';

export interface TaskPhasesMs {
	/** Time in the first state (Polly `scheduled`, Aspose `Pending`, Chime `IN_QUEUE` / `NotStarted`). */
	queuedMs: number;
	/** Chime Media Pipelines only: time in `Initializing` (0 elsewhere; counted as running for Chime Voice). */
	initializingMs: number;
	/** Time in the working state (Polly `inProgress`, Aspose `Processing`, Chime `IN_PROGRESS` / `InProgress`). */
	runningMs: number;
	/** queuedMs + initializingMs + runningMs: when the terminal state is reached. */
	totalMs: number;
}

export const POLLY_MODEL = {
	queueMs: { standard: 2_000, neural: 3_000, generative: 4_000, 'long-form': 5_000 } as Record<
		PollyEngineName,
		number
	>,
	perCharacterMs: { standard: 0.6, neural: 1.5, generative: 3, 'long-form': 4 } as Record<
		PollyEngineName,
		number
	>,
	/** Speech marks are cheaper to produce than audio. */
	speechMarksFactor: 0.3,
	minRunningMs: 1_000,
	jitter: 0.15,
};

export const ASPOSE_MODEL = {
	queueMs: 1_500,
	minRunningMs: 1_000,
	perCharacterMs: 8,
	jitter: 0.15,
};

export const CHIME_SPEAKER_SEARCH_MODEL = {
	queueMs: 1_500,
	initializingMs: 2_000,
	runningMs: 10_000,
	jitter: 0.15,
};

/** Length of the synthesised audio: about 16 characters per second of speech. */
export const SPEECH_MS_PER_CHARACTER = 60;

/** Deterministic factor in [1 - spread, 1 + spread] from an integer seed (pure; splitmix-style hash). */
export function jitterFactor(seed: number | undefined, spread: number, salt = 0): number {
	if (seed === undefined || spread <= 0) return 1;
	let x = (Math.trunc(seed) ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
	x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
	x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
	x = (x ^ (x >>> 16)) >>> 0;
	return 1 - spread + (2 * spread * x) / 0xffffffff;
}

function engineOf(engine: string | undefined): PollyEngineName {
	return engine === 'neural' || engine === 'long-form' || engine === 'generative'
		? engine
		: 'standard';
}

export function pollyTaskPhasesMs(input: {
	characters: number;
	engine?: PollyEngineName | string;
	outputFormat?: PollyOutputFormatName | string;
	seed?: number;
}): TaskPhasesMs {
	const engine = engineOf(input.engine);
	const characters = Math.max(0, input.characters || 0);
	const perChar =
		POLLY_MODEL.perCharacterMs[engine] *
		(input.outputFormat === 'json' ? POLLY_MODEL.speechMarksFactor : 1);
	const queuedMs = Math.round(
		POLLY_MODEL.queueMs[engine] * jitterFactor(input.seed, POLLY_MODEL.jitter, 1),
	);
	const runningMs = Math.round(
		Math.max(POLLY_MODEL.minRunningMs, characters * perChar) *
			jitterFactor(input.seed, POLLY_MODEL.jitter, 2),
	);
	return { queuedMs, initializingMs: 0, runningMs, totalMs: queuedMs + runningMs };
}

/** Time from StartSpeechSynthesisTask until `completed`, in emulated ms. Grows with the text length. */
export function pollyTaskDurationMs(input: {
	characters: number;
	engine?: PollyEngineName | string;
	outputFormat?: PollyOutputFormatName | string;
	seed?: number;
}): number {
	return pollyTaskPhasesMs(input).totalMs;
}

export function asposeTaskPhasesMs(characters: number, seed?: number): TaskPhasesMs {
	const queuedMs = Math.round(ASPOSE_MODEL.queueMs * jitterFactor(seed, ASPOSE_MODEL.jitter, 3));
	const runningMs = Math.round(
		Math.max(ASPOSE_MODEL.minRunningMs, Math.max(0, characters) * ASPOSE_MODEL.perCharacterMs) *
			jitterFactor(seed, ASPOSE_MODEL.jitter, 4),
	);
	return { queuedMs, initializingMs: 0, runningMs, totalMs: queuedMs + runningMs };
}

/** Time from ConvertTextToSpeech until `Completed`, in emulated ms. */
export function asposeTaskDurationMs(characters: number, seed?: number): number {
	return asposeTaskPhasesMs(characters, seed).totalMs;
}

export function chimeSpeakerSearchPhasesMs(seed?: number): TaskPhasesMs {
	const m = CHIME_SPEAKER_SEARCH_MODEL;
	const queuedMs = Math.round(m.queueMs * jitterFactor(seed, m.jitter, 5));
	const initializingMs = Math.round(m.initializingMs * jitterFactor(seed, m.jitter, 6));
	const runningMs = Math.round(m.runningMs * jitterFactor(seed, m.jitter, 7));
	return { queuedMs, initializingMs, runningMs, totalMs: queuedMs + initializingMs + runningMs };
}

/** Time from StartSpeakerSearchTask until a terminal state (both Chime APIs), in emulated ms. */
export function chimeSpeakerSearchDurationMs(seed?: number): number {
	return chimeSpeakerSearchPhasesMs(seed).totalMs;
}

/** Playing time of the audio synthesised from `characters` characters (at least half a second). */
export function speechAudioDurationMs(characters: number): number {
	return Math.max(500, Math.round(Math.max(0, characters) * SPEECH_MS_PER_CHARACTER));
}
