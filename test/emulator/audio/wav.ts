/** RIFF/WAVE files (Aspose results): a 44-byte header (RIFF, fmt, data chunks) followed by 16-bit PCM. */
import { type ContentSource, materialize, repeatingSource } from './source';
import { pcmByteLength, pcmSecondBytes } from './pcm';

export function wavHeader(
	dataBytes: number,
	sampleRate: number,
	channels = 1,
	bitsPerSample = 16,
): Buffer {
	const header = Buffer.alloc(44);
	const blockAlign = (channels * bitsPerSample) / 8;
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + dataBytes, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16); // fmt chunk size
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(channels, 22);
	header.writeUInt32LE(sampleRate, 24);
	header.writeUInt32LE(sampleRate * blockAlign, 28);
	header.writeUInt16LE(blockAlign, 32);
	header.writeUInt16LE(bitsPerSample, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(dataBytes, 40);
	return header;
}

export function wavSource(opts: {
	sampleRate: number;
	durationMs?: number;
	sizeBytes?: number;
	seed?: number;
}): ContentSource {
	let dataBytes =
		opts.sizeBytes !== undefined
			? Math.max(0, opts.sizeBytes - 44)
			: pcmByteLength(opts.sampleRate, opts.durationMs ?? 1000);
	dataBytes -= dataBytes % 2;
	return repeatingSource(
		wavHeader(dataBytes, opts.sampleRate),
		pcmSecondBytes(opts.sampleRate, opts.seed),
		44 + dataBytes,
	);
}

export function wavBuffer(opts: { sampleRate: number; durationMs: number; seed?: number }): Buffer {
	return materialize(wavSource(opts));
}
