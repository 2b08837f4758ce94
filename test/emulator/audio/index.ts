/** Audio and speech-mark generators for the emulated services. */
import { speechAudioDurationMs } from '../duration-model';
import { mp3Source } from './mp3';
import { oggSource } from './ogg';
import { g711Source, pcmSource } from './pcm';
import { type ContentSource, bufferSource } from './source';
import { type SpeechMarkType, sizedSpeechMarksSource, speechMarksText } from './speech-marks';
import { wavBuffer } from './wav';

export * from './source';
export { mp3Source, mpegLayout } from './mp3';
export { oggSource, oggCrc } from './ogg';
export { pcmSource, g711Source } from './pcm';
export { wavBuffer, wavSource, wavHeader } from './wav';
export { speechMarks, speechMarksText, type SpeechMarkType } from './speech-marks';

export const POLLY_CONTENT_TYPES: Record<string, string> = {
	mp3: 'audio/mpeg',
	ogg_vorbis: 'audio/ogg',
	ogg_opus: 'audio/ogg',
	pcm: 'audio/pcm',
	mulaw: 'audio/basic',
	alaw: 'audio/x-alaw-basic',
	json: 'application/x-json-stream',
};

/** The body Polly writes to S3 for a finished task. `sizeBytes` makes an object of exactly that size. */
export function pollyOutputSource(opts: {
	outputFormat: string;
	sampleRate: number;
	text: string;
	spokenCharacters: number;
	textType?: string;
	speechMarkTypes?: SpeechMarkType[];
	sizeBytes?: number;
	seed: number;
}): ContentSource {
	const durationMs = speechAudioDurationMs(opts.spokenCharacters);
	const sizeBytes = opts.sizeBytes;
	switch (opts.outputFormat) {
		case 'mp3':
			return mp3Source({ sampleRate: opts.sampleRate, durationMs, sizeBytes });
		case 'ogg_opus':
			return oggSource({
				codec: 'opus',
				sampleRate: opts.sampleRate,
				durationMs,
				sizeBytes,
				serial: opts.seed,
			});
		case 'ogg_vorbis':
			return oggSource({
				codec: 'vorbis',
				sampleRate: opts.sampleRate,
				durationMs,
				sizeBytes,
				serial: opts.seed,
			});
		case 'pcm':
			return pcmSource({ sampleRate: opts.sampleRate, durationMs, sizeBytes, seed: opts.seed });
		case 'mulaw':
		case 'alaw':
			return g711Source({
				law: opts.outputFormat,
				sampleRate: opts.sampleRate,
				durationMs,
				sizeBytes,
				seed: opts.seed,
			});
		case 'json':
			if (sizeBytes !== undefined) return sizedSpeechMarksSource(sizeBytes);
			return bufferSource(
				Buffer.from(
					speechMarksText(opts.text, opts.speechMarkTypes ?? ['word'], opts.textType === 'ssml'),
				),
			);
		default:
			throw new Error(`Unsupported OutputFormat ${opts.outputFormat}`);
	}
}

/** The WAV an Aspose text-to-speech task produces: longer text → longer audio. */
export function asposeWav(text: string, sampleRate: number, seed: number): Buffer {
	return wavBuffer({ sampleRate, durationMs: speechAudioDurationMs(text.length), seed });
}
