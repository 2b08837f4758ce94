/**
 * Raw 16-bit little-endian mono PCM (Polly `pcm`), plus G.711 mu-law / A-law (Polly `mulaw`, `alaw`).
 * The signal is an audible "speech-like" tone: a carrier whose loudness pulses at syllable rate, periodic over
 * one second so that any length can be produced by repeating a one-second pattern.
 */
import { type ContentSource, repeatingSource } from './source';

const CARRIERS_HZ = [220, 247, 262, 294, 330, 349, 392, 440];

/** One second of samples (Int16) for a sample rate; the carrier is chosen from the seed. */
export function toneSecond(sampleRate: number, seed = 0): Int16Array {
	const carrier = CARRIERS_HZ[Math.abs(seed) % CARRIERS_HZ.length];
	const samples = new Int16Array(sampleRate);
	for (let i = 0; i < sampleRate; i++) {
		const t = i / sampleRate;
		// 4 syllables per second: raised-cosine envelope between 0.1 and 1.
		const envelope = 0.1 + 0.9 * (0.5 - 0.5 * Math.cos(2 * Math.PI * 4 * t));
		const value =
			0.3 *
			envelope *
			(Math.sin(2 * Math.PI * carrier * t) + 0.3 * Math.sin(2 * Math.PI * 2 * carrier * t));
		samples[i] = Math.max(-32768, Math.min(32767, Math.round(value * 32767)));
	}
	return samples;
}

export function pcmSecondBytes(sampleRate: number, seed = 0): Buffer {
	const samples = toneSecond(sampleRate, seed);
	const buffer = Buffer.alloc(samples.length * 2);
	for (let i = 0; i < samples.length; i++) buffer.writeInt16LE(samples[i], i * 2);
	return buffer;
}

export function pcmByteLength(sampleRate: number, durationMs: number): number {
	return Math.round((durationMs * sampleRate) / 1000) * 2;
}

/** 16-bit LE mono PCM; `sizeBytes` (exact) wins over `durationMs`. */
export function pcmSource(opts: {
	sampleRate: number;
	durationMs?: number;
	sizeBytes?: number;
	seed?: number;
}): ContentSource {
	const size = opts.sizeBytes ?? pcmByteLength(opts.sampleRate, opts.durationMs ?? 1000);
	return repeatingSource(Buffer.alloc(0), pcmSecondBytes(opts.sampleRate, opts.seed), size);
}

const SEG_U_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const SEG_A_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(value: number, table: number[]): number {
	for (let i = 0; i < table.length; i++) if (value <= table[i]) return i;
	return table.length;
}

/** ITU-T G.711 mu-law encoding of one 16-bit sample (classic Sun reference algorithm). */
export function linearToMulaw(sample: number): number {
	let value = sample >> 2;
	let mask: number;
	if (value < 0) {
		value = -value;
		mask = 0x7f;
	} else {
		mask = 0xff;
	}
	if (value > 8159) value = 8159;
	value += 0x84 >> 2;
	const seg = segment(value, SEG_U_END);
	if (seg >= 8) return 0x7f ^ mask;
	return ((seg << 4) | ((value >> (seg + 1)) & 0x0f)) ^ mask;
}

/** ITU-T G.711 A-law encoding of one 16-bit sample (classic Sun reference algorithm). */
export function linearToAlaw(sample: number): number {
	let value = sample >> 3;
	let mask: number;
	if (value >= 0) {
		mask = 0xd5;
	} else {
		mask = 0x55;
		value = -value - 1;
	}
	const seg = segment(value, SEG_A_END);
	if (seg >= 8) return 0x7f ^ mask;
	let encoded = seg << 4;
	encoded |= seg < 2 ? (value >> 1) & 0x0f : (value >> seg) & 0x0f;
	return encoded ^ mask;
}

/** 8-bit G.711 (mu-law or A-law) mono at `sampleRate` (Polly uses 8000). */
export function g711Source(opts: {
	law: 'mulaw' | 'alaw';
	sampleRate: number;
	durationMs?: number;
	sizeBytes?: number;
	seed?: number;
}): ContentSource {
	const samples = toneSecond(opts.sampleRate, opts.seed);
	const encode = opts.law === 'mulaw' ? linearToMulaw : linearToAlaw;
	const second = Buffer.alloc(samples.length);
	for (let i = 0; i < samples.length; i++) second[i] = encode(samples[i]);
	const size = opts.sizeBytes ?? Math.round(((opts.durationMs ?? 1000) * opts.sampleRate) / 1000);
	return repeatingSource(Buffer.alloc(0), second, size);
}
