/** WAVE format codes of the `fmt ` chunk. */
export const WAV_FORMAT = {
	pcm: 1,
	alaw: 6,
	mulaw: 7,
} as const;

export type WavFormatCode = (typeof WAV_FORMAT)[keyof typeof WAV_FORMAT];

export interface WavSpec {
	sampleRate: number;
	channels: number;
	bitsPerSample: number;
	/**
	 * Length of the sample data that follows the header, in bytes; `undefined` when it is not known
	 * before the data has been streamed: both sizes then hold 0xFFFFFFFF, the streaming convention.
	 */
	dataBytes: number | undefined;
	/** 1 (PCM, the default), 6 (A-law) or 7 (µ-law). */
	format?: WavFormatCode;
}

export const WAV_HEADER_BYTES = 44;

/** The RIFF and data sizes of a WAV file streamed before its length was known. */
const UNKNOWN_SIZE = 0xffffffff;

/** Largest data length a 32-bit RIFF size can describe (with the header and a pad byte). */
export const WAV_MAX_DATA_BYTES = 0xffffffff - 36 - 1;

function checkInteger(name: string, value: number, low: number, high: number): void {
	if (!Number.isInteger(value) || value < low || value > high) {
		throw new RangeError(`WAV ${name} must be a whole number from ${low} to ${high}, got ${value}`);
	}
}

/**
 * The canonical 44-byte RIFF/WAVE header (`RIFF` size `WAVE`, a 16-byte `fmt ` chunk, `data` size) for
 * `dataBytes` of interleaved little-endian samples. A-law and µ-law use 8 bits per sample. When
 * `dataBytes` is odd, RIFF wants one pad byte after the data: the RIFF size counts it, the caller
 * appends it.
 */
export function wavHeader(spec: WavSpec): Buffer {
	const format = spec.format ?? WAV_FORMAT.pcm;
	if (format !== WAV_FORMAT.pcm && format !== WAV_FORMAT.alaw && format !== WAV_FORMAT.mulaw) {
		throw new RangeError(
			`WAV format code ${String(format)} is not supported (1 PCM, 6 A-law, 7 µ-law)`,
		);
	}
	checkInteger('sample rate', spec.sampleRate, 1, 0xffffffff);
	checkInteger('channel count', spec.channels, 1, 0xffff);
	if (spec.dataBytes !== undefined)
		checkInteger('data length', spec.dataBytes, 0, WAV_MAX_DATA_BYTES);
	if (format === WAV_FORMAT.pcm) {
		if (![8, 16, 24, 32].includes(spec.bitsPerSample)) {
			throw new RangeError(
				`PCM WAV needs 8, 16, 24 or 32 bits per sample, got ${spec.bitsPerSample}`,
			);
		}
	} else if (spec.bitsPerSample !== 8) {
		throw new RangeError(`A-law and µ-law WAV use 8 bits per sample, got ${spec.bitsPerSample}`);
	}
	const blockAlign = spec.channels * (spec.bitsPerSample / 8);
	const byteRate = spec.sampleRate * blockAlign;
	if (byteRate > 0xffffffff) throw new RangeError('WAV byte rate does not fit in 32 bits');
	const unknown = spec.dataBytes === undefined;
	const dataBytes = spec.dataBytes ?? 0;
	const pad = dataBytes % 2;

	const header = Buffer.alloc(WAV_HEADER_BYTES);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(unknown ? UNKNOWN_SIZE : 36 + dataBytes + pad, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(format, 20);
	header.writeUInt16LE(spec.channels, 22);
	header.writeUInt32LE(spec.sampleRate, 24);
	header.writeUInt32LE(byteRate, 28);
	header.writeUInt16LE(blockAlign, 32);
	header.writeUInt16LE(spec.bitsPerSample, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(unknown ? UNKNOWN_SIZE : dataBytes, 40);
	return header;
}

/** True when the bytes start with the RIFF/WAVE magic (`RIFF` at 0, `WAVE` at 8). */
export function isWav(buffer: Buffer | Uint8Array): boolean {
	if (buffer.length < 12) return false;
	const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
	return bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WAVE';
}
