import { WAV_FORMAT } from './wav';
import type { WavFormatCode } from './wav';

/** How raw samples are wrapped into a playable WAV file. */
export interface WavWrapping {
	format: WavFormatCode;
	bitsPerSample: 8 | 16;
	/** Used when the task names no (valid) SampleRate. */
	defaultSampleRate: number;
}

export interface AudioFormat {
	/** The Polly OutputFormat, lower-cased ('' when unknown). */
	outputFormat: string;
	mimeType: string;
	/** File extension without the dot. */
	extension: string;
	/** Set for headerless sample formats (pcm, mulaw, alaw): the bytes need a WAV header. */
	wav?: WavWrapping;
	/** Set for `json`: the file is newline-delimited speech marks. */
	speechMarks?: boolean;
}

const FORMATS: Readonly<Record<string, Omit<AudioFormat, 'outputFormat'>>> = {
	mp3: { mimeType: 'audio/mpeg', extension: 'mp3' },
	ogg_vorbis: { mimeType: 'audio/ogg', extension: 'ogg' },
	ogg_opus: { mimeType: 'audio/ogg', extension: 'ogg' },
	pcm: {
		mimeType: 'audio/wav',
		extension: 'wav',
		// Polly PCM: signed 16-bit little-endian, mono; 16000 Hz unless SampleRate says 8000.
		wav: { format: WAV_FORMAT.pcm, bitsPerSample: 16, defaultSampleRate: 16000 },
	},
	mulaw: {
		mimeType: 'audio/wav',
		extension: 'wav',
		wav: { format: WAV_FORMAT.mulaw, bitsPerSample: 8, defaultSampleRate: 8000 },
	},
	alaw: {
		mimeType: 'audio/wav',
		extension: 'wav',
		wav: { format: WAV_FORMAT.alaw, bitsPerSample: 8, defaultSampleRate: 8000 },
	},
	json: { mimeType: 'application/x-ndjson', extension: 'ndjson', speechMarks: true },
};

const UNKNOWN = { mimeType: 'application/octet-stream', extension: 'bin' };

/** MIME type, file extension and wrapping for a Polly OutputFormat; unknown formats are opaque bytes. */
export function audioFormat(outputFormat: unknown): AudioFormat {
	const name = typeof outputFormat === 'string' ? outputFormat.trim().toLowerCase() : '';
	const known = Object.prototype.hasOwnProperty.call(FORMATS, name) ? FORMATS[name] : undefined;
	return { outputFormat: name, ...(known ?? UNKNOWN) };
}

// Extensions Polly gives output objects (the key ends in `<TaskId>.<ext>`).
const BY_EXTENSION: Readonly<Record<string, string>> = {
	mp3: 'mp3',
	ogg: 'ogg_vorbis',
	pcm: 'pcm',
	marks: 'json',
	json: 'json',
};

/** The OutputFormat a key's extension suggests, for tasks that do not say; undefined when unclear. */
export function formatFromKey(key: string): string | undefined {
	const match = /\.([A-Za-z0-9]{1,8})$/.exec(key);
	return match ? BY_EXTENSION[match[1].toLowerCase()] : undefined;
}
