import { audioFormat, formatFromKey } from '../../../../../nodes/common/audio/formats';
import { isWav, WAV_FORMAT, wavHeader } from '../../../../../nodes/common/audio/wav';

/** Reads the 44-byte header back field by field. */
function fields(header: Buffer) {
	return {
		riff: header.toString('ascii', 0, 4),
		riffSize: header.readUInt32LE(4),
		wave: header.toString('ascii', 8, 12),
		fmt: header.toString('ascii', 12, 16),
		fmtSize: header.readUInt32LE(16),
		format: header.readUInt16LE(20),
		channels: header.readUInt16LE(22),
		sampleRate: header.readUInt32LE(24),
		byteRate: header.readUInt32LE(28),
		blockAlign: header.readUInt16LE(32),
		bitsPerSample: header.readUInt16LE(34),
		data: header.toString('ascii', 36, 40),
		dataSize: header.readUInt32LE(40),
	};
}

describe('wavHeader', () => {
	it('PCM 16000 Hz, mono, 16-bit: every byte', () => {
		const header = wavHeader({
			sampleRate: 16000,
			channels: 1,
			bitsPerSample: 16,
			dataBytes: 32000,
		});
		// Written out by hand: RIFF, 36 + 32000, WAVE, "fmt ", 16, PCM 1, 1 channel, 16000 Hz, 32000 B/s, align 2, 16 bits, data, 32000.
		expect(header.toString('hex')).toBe(
			'52494646' +
				'247d0000' +
				'57415645' +
				'666d7420' +
				'10000000' +
				'0100' +
				'0100' +
				'803e0000' +
				'007d0000' +
				'0200' +
				'1000' +
				'64617461' +
				'007d0000',
		);
		expect(header).toHaveLength(44);
	});

	it('PCM 16000 Hz field by field', () => {
		expect(
			fields(
				wavHeader({
					sampleRate: 16000,
					channels: 1,
					bitsPerSample: 16,
					dataBytes: 1000,
					format: WAV_FORMAT.pcm,
				}),
			),
		).toEqual({
			riff: 'RIFF',
			riffSize: 1036,
			wave: 'WAVE',
			fmt: 'fmt ',
			fmtSize: 16,
			format: 1,
			channels: 1,
			sampleRate: 16000,
			byteRate: 32000,
			blockAlign: 2,
			bitsPerSample: 16,
			data: 'data',
			dataSize: 1000,
		});
	});

	it('PCM 8000 Hz field by field', () => {
		expect(
			fields(wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: 16000 })),
		).toMatchObject({
			riffSize: 16036,
			format: 1,
			channels: 1,
			sampleRate: 8000,
			byteRate: 16000,
			blockAlign: 2,
			bitsPerSample: 16,
			dataSize: 16000,
		});
	});

	it('µ-law 8000 Hz: format 7, 8 bits', () => {
		expect(
			fields(
				wavHeader({
					sampleRate: 8000,
					channels: 1,
					bitsPerSample: 8,
					dataBytes: 8000,
					format: WAV_FORMAT.mulaw,
				}),
			),
		).toEqual({
			riff: 'RIFF',
			riffSize: 8036,
			wave: 'WAVE',
			fmt: 'fmt ',
			fmtSize: 16,
			format: 7,
			channels: 1,
			sampleRate: 8000,
			byteRate: 8000,
			blockAlign: 1,
			bitsPerSample: 8,
			data: 'data',
			dataSize: 8000,
		});
	});

	it('A-law 8000 Hz: format 6, 8 bits', () => {
		expect(
			fields(
				wavHeader({
					sampleRate: 8000,
					channels: 1,
					bitsPerSample: 8,
					dataBytes: 4000,
					format: WAV_FORMAT.alaw,
				}),
			),
		).toMatchObject({
			riffSize: 4036,
			format: 6,
			sampleRate: 8000,
			byteRate: 8000,
			blockAlign: 1,
			bitsPerSample: 8,
			dataSize: 4000,
		});
	});

	it('stereo PCM doubles block align and byte rate', () => {
		expect(
			fields(wavHeader({ sampleRate: 22050, channels: 2, bitsPerSample: 16, dataBytes: 4 })),
		).toMatchObject({
			channels: 2,
			blockAlign: 4,
			byteRate: 88200,
		});
	});

	it('counts the RIFF pad byte for an odd data length', () => {
		const header = fields(
			wavHeader({
				sampleRate: 8000,
				channels: 1,
				bitsPerSample: 8,
				dataBytes: 7,
				format: WAV_FORMAT.mulaw,
			}),
		);
		expect(header.riffSize).toBe(36 + 7 + 1);
		expect(header.dataSize).toBe(7);
	});

	it('an empty data chunk is still a valid header', () => {
		expect(
			fields(wavHeader({ sampleRate: 16000, channels: 1, bitsPerSample: 16, dataBytes: 0 }))
				.riffSize,
		).toBe(36);
	});

	it.each([
		[{ sampleRate: 0, channels: 1, bitsPerSample: 16, dataBytes: 0 }, /sample rate/],
		[{ sampleRate: 16000.5, channels: 1, bitsPerSample: 16, dataBytes: 0 }, /sample rate/],
		[{ sampleRate: 16000, channels: 0, bitsPerSample: 16, dataBytes: 0 }, /channel count/],
		[{ sampleRate: 16000, channels: 1, bitsPerSample: 12, dataBytes: 0 }, /8, 16, 24 or 32/],
		[{ sampleRate: 16000, channels: 1, bitsPerSample: 16, dataBytes: -1 }, /data length/],
		[{ sampleRate: 16000, channels: 1, bitsPerSample: 16, dataBytes: 2 ** 32 }, /data length/],
		[
			{ sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: 0, format: WAV_FORMAT.mulaw },
			/8 bits/,
		],
		[
			{ sampleRate: 8000, channels: 1, bitsPerSample: 8, dataBytes: 0, format: 3 as 1 },
			/format code 3/,
		],
	])('refuses %j', (spec, problem) => {
		expect(() => wavHeader(spec)).toThrow(problem);
	});
});

describe('isWav', () => {
	it.each([
		[wavHeader({ sampleRate: 16000, channels: 1, bitsPerSample: 16, dataBytes: 0 }), true],
		[Buffer.from('RIFF\0\0\0\0WAVE'), true],
		[Buffer.from('RIFF\0\0\0\0AVI '), false],
		[Buffer.from('RIFX\0\0\0\0WAVE'), false],
		[Buffer.from('RIFF\0\0\0\0WAV'), false],
		[Buffer.from('ID3\u0004'), false],
		[Buffer.alloc(0), false],
	])('%#', (buffer, expected) => {
		expect(isWav(buffer)).toBe(expected);
	});

	it('reads a Uint8Array view at an offset', () => {
		const backing = Buffer.concat([Buffer.from('xxxx'), Buffer.from('RIFF\0\0\0\0WAVE')]);
		expect(isWav(new Uint8Array(backing.buffer, backing.byteOffset + 4, 12))).toBe(true);
	});
});

describe('audioFormat', () => {
	it.each([
		['mp3', 'audio/mpeg', 'mp3', undefined, undefined],
		['ogg_vorbis', 'audio/ogg', 'ogg', undefined, undefined],
		['ogg_opus', 'audio/ogg', 'ogg', undefined, undefined],
		[
			'pcm',
			'audio/wav',
			'wav',
			{ format: 1, bitsPerSample: 16, defaultSampleRate: 16000 },
			undefined,
		],
		[
			'mulaw',
			'audio/wav',
			'wav',
			{ format: 7, bitsPerSample: 8, defaultSampleRate: 8000 },
			undefined,
		],
		[
			'alaw',
			'audio/wav',
			'wav',
			{ format: 6, bitsPerSample: 8, defaultSampleRate: 8000 },
			undefined,
		],
		['json', 'application/x-ndjson', 'ndjson', undefined, true],
		['MP3', 'audio/mpeg', 'mp3', undefined, undefined],
		['flac', 'application/octet-stream', 'bin', undefined, undefined],
		['', 'application/octet-stream', 'bin', undefined, undefined],
		[undefined, 'application/octet-stream', 'bin', undefined, undefined],
		['toString', 'application/octet-stream', 'bin', undefined, undefined],
	])('%s', (name, mimeType, extension, wav, speechMarks) => {
		const format = audioFormat(name);
		expect(format.mimeType).toBe(mimeType);
		expect(format.extension).toBe(extension);
		expect(format.wav).toEqual(wav);
		expect(format.speechMarks).toBe(speechMarks);
	});

	it.each([
		['a/b.70b6.mp3', 'mp3'],
		['x.OGG', 'ogg_vorbis'],
		['x.pcm', 'pcm'],
		['x.marks', 'json'],
		['x.wav', undefined],
		['noext', undefined],
	])('formatFromKey(%s)', (key, expected) => {
		expect(formatFromKey(key)).toBe(expected);
	});
});
