import { NodeApiError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import {
	asposeAudio,
	base64DecodedLength,
	decodeWavBase64,
	pickAudioPayload,
	stripAudioPayload,
} from '../../../../../nodes/common/audio/aspose-audio';
import { WAV_FORMAT, wavHeader } from '../../../../../nodes/common/audio/wav';
import { fakeContext } from './fake-context';

const ID = 'TTS01232-9d40-4f2d-8eda-f1fc0b12bce6';
const SAMPLES = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const WAV = Buffer.concat([
	wavHeader({ sampleRate: 22050, channels: 1, bitsPerSample: 16, dataBytes: 12 }),
	SAMPLES,
]);
const WAV64 = WAV.toString('base64');

function task(results: unknown): IDataObject {
	return {
		id: ID,
		responseStatusCode: 'Ok',
		taskStatus: 'Completed',
		results: results as IDataObject[],
		error: null,
	};
}

describe('decodeWavBase64', () => {
	it('test data: 76 base64 characters, one of them padding', () => {
		expect(WAV64).toHaveLength(76);
		expect(WAV64.replace(/=+$/, '')).toHaveLength(75);
	});

	it('decodes a padded WAV payload', () => {
		expect(decodeWavBase64(WAV64).equals(WAV)).toBe(true);
		expect(WAV64.endsWith('=')).toBe(true);
	});

	it('accepts an unpadded payload', () => {
		expect(decodeWavBase64(WAV64.replace(/=+$/, '')).equals(WAV)).toBe(true);
	});

	it('accepts an exactly 44-byte WAV (no samples)', () => {
		const empty = wavHeader({
			sampleRate: 8000,
			channels: 1,
			bitsPerSample: 8,
			dataBytes: 0,
			format: WAV_FORMAT.mulaw,
		});
		expect(decodeWavBase64(empty.toString('base64'))).toHaveLength(44);
	});

	it('accepts streamed WAVs whose RIFF size is 0 or 0xFFFFFFFF', () => {
		for (const size of [0, 0xffffffff]) {
			const streamed = Buffer.from(WAV);
			streamed.writeUInt32LE(size, 4);
			expect(decodeWavBase64(streamed.toString('base64'))).toHaveLength(WAV.length);
		}
	});

	const truncatedHeader = Buffer.from(WAV);
	truncatedHeader.writeUInt32LE(36 + 1000, 4);
	const cases: Array<[string, unknown, RegExp]> = [
		['empty string', '', /empty/],
		['null', null, /empty/],
		['a number', 42, /empty/],
		['spaces', `${WAV64.slice(0, 8)} ${WAV64.slice(8)}`, /not base64/],
		['line breaks', `${WAV64.slice(0, 76)}\r\n${WAV64.slice(76)}`, /not base64/],
		[
			'base64url alphabet',
			WAV64.replace(/\+/g, '-').replace(/\//g, '_').replace(/^./, '-'),
			/not base64/,
		],
		['padding in the middle', `${WAV64.slice(0, 8)}=${WAV64.slice(9)}`, /not base64/],
		['three padding characters', `${WAV64.replace(/=+$/, '')}===`, /not base64/],
		['a data: URL', `data:audio/wav;base64,${WAV64}`, /not base64/],
		['a length that is 1 mod 4', `${WAV64.replace(/=+$/, '')}AA`, /length/],
		['padding with a wrong length', `${WAV64.replace(/=+$/, '')}==`, /length/],
		[
			'a short WAV header',
			Buffer.from('RIFF\0\0\0\0WAVEfmt ').toString('base64'),
			/too few for a WAV file/,
		],
		['43 bytes', WAV.subarray(0, 43).toString('base64'), /too few/],
		[
			'not WAV (mp3)',
			Buffer.concat([Buffer.from('ID3\u0004\0\0\0\0\0\0'), Buffer.alloc(60)]).toString('base64'),
			/not a WAV file/,
		],
		['zeros', Buffer.alloc(64).toString('base64'), /not a WAV file/],
		['truncated WAV', truncatedHeader.toString('base64'), /truncated/],
	];
	it.each(cases)('refuses %s', (_label, data, problem) => {
		expect(() => decodeWavBase64(data)).toThrow(problem);
	});
});

describe('base64DecodedLength', () => {
	it.each([
		['', 0],
		['QQ==', 1],
		['QUI=', 2],
		['QUJD', 3],
		['QUJDRA', 4],
		[WAV64, WAV.length],
	])('%s', (data, bytes) => {
		expect(base64DecodedLength(data)).toBe(bytes);
	});
});

describe('pickAudioPayload', () => {
	it('prefers the WavFile entry', () => {
		expect(
			pickAudioPayload(
				task([
					{ type: 'TextFile', data: 'QUJD' },
					{ type: 'WavFile', data: WAV64 },
				]),
			),
		).toEqual({ type: 'WavFile', data: WAV64 });
	});
	it('falls back to the first entry with data', () => {
		expect(
			pickAudioPayload(
				task([
					{ type: 'WavFile', data: '' },
					{ type: null, data: WAV64 },
				]),
			),
		).toEqual({
			type: null,
			data: WAV64,
		});
	});
	it.each([[null], [[]], [[{ type: 'WavFile', data: null }]], ['nope'], [[null, 3]]])(
		'none in %j',
		(results) => {
			expect(pickAudioPayload(task(results))).toBeUndefined();
		},
	);
});

describe('asposeAudio', () => {
	it('stores the WAV as <id>.wav, audio/wav', async () => {
		const { context, stored } = fakeContext([]);
		const result = await asposeAudio(
			task([{ type: 'WavFile', data: WAV64 }]),
			{ taskId: ID },
			context,
		);
		expect(stored).toHaveLength(1);
		expect(stored[0].bytes.equals(WAV)).toBe(true);
		expect(stored[0]).toMatchObject({ fileName: `${ID}.wav`, mimeType: 'audio/wav' });
		expect(result.binary).toMatchObject({
			fileName: `${ID}.wav`,
			mimeType: 'audio/wav',
			fileExtension: 'wav',
		});
	});

	it('names the file after the parameter ID when the answer has none', async () => {
		const { context, stored } = fakeContext([]);
		await asposeAudio(
			{ taskStatus: 'Completed', results: [{ type: 'WavFile', data: WAV64 }] },
			{ taskId: 'abc' },
			context,
		);
		expect(stored[0].fileName).toBe('abc.wav');
	});

	it.each([
		['no results', null, /sent no audio/, 'EmptyAudio'],
		['empty data', [{ type: 'WavFile', data: '' }], /sent no audio/, 'EmptyAudio'],
		['garbage', [{ type: 'WavFile', data: 'not*base64' }], /corrupt or empty/, 'CorruptAudio'],
		[
			'not a WAV',
			[{ type: 'WavFile', data: Buffer.alloc(60, 1).toString('base64') }],
			/corrupt or empty/,
			'CorruptAudio',
		],
		[
			'too short',
			[{ type: 'WavFile', data: 'UklGRiQAAABXQVZF' }],
			/corrupt or empty/,
			'CorruptAudio',
		],
	])('%s → NodeApiError, nothing stored', async (_label, results, message, code) => {
		const { context, stored } = fakeContext([]);
		const error = await asposeAudio(task(results), { taskId: ID }, context).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(message);
		expect((error as NodeApiError).description).toMatch(/Fetch the result again/);
		expect((error as NodeApiError).description).toMatch(/contact Aspose support/);
		expect((error as NodeApiError).description).toContain(ID);
		expect((error as NodeApiError).context.itemIndex).toBe(3);
		expect(JSON.stringify((error as NodeApiError).errorResponse)).toContain(code);
		expect(stored).toHaveLength(0);
	});
});

describe('stripAudioPayload', () => {
	it('drops data, keeps type and other fields, adds bytes, leaves the task alone', () => {
		const original = task([
			{ type: 'WavFile', data: WAV64, extra: 1 },
			{ type: 'TextFile' },
			'odd',
		]);
		const copy = JSON.parse(JSON.stringify(original));
		const stripped = stripAudioPayload(original);
		expect(stripped).toEqual({
			...original,
			results: [{ type: 'WavFile', extra: 1, bytes: WAV.length }, { type: 'TextFile' }, 'odd'],
		});
		expect(original).toEqual(copy);
		expect(JSON.stringify(stripped)).not.toContain(WAV64.slice(0, 20));
	});

	it('adds type: null when the entry had none', () => {
		expect(stripAudioPayload(task([{ data: 'QUJD' }])).results).toEqual([{ type: null, bytes: 3 }]);
	});

	it('copies tasks without results', () => {
		const original = { id: ID, taskStatus: 'Pending', results: null };
		const stripped = stripAudioPayload(original);
		expect(stripped).toEqual(original);
		expect(stripped).not.toBe(original);
	});
});
