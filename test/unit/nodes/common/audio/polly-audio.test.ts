import { Readable } from 'node:stream';

import { NodeApiError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import {
	parseSpeechMarks,
	pollyAudio,
	sampleRateOf,
	wavFile,
	wrapAsWav,
} from '../../../../../nodes/common/audio/polly-audio';
import { audioFormat } from '../../../../../nodes/common/audio/formats';
import { isRetryableDownloadError } from '../../../../../nodes/common/s3/get-object';
import { fakeContext, s3Error, stream } from './fake-context';

const TASK_ID = '70b61c0f-57ce-4715-a247-cae8729dcce9';
const PCM = audioFormat('pcm').wav!;
const MULAW = audioFormat('mulaw').wav!;

function task(format: string, extra: object = {}) {
	const ext =
		format === 'json'
			? 'marks'
			: format === 'pcm'
				? 'pcm'
				: format.startsWith('ogg')
					? 'ogg'
					: 'mp3';
	return {
		TaskId: TASK_ID,
		TaskStatus: 'completed',
		OutputFormat: format,
		OutputUri: `https://s3.us-east-1.amazonaws.com/my-bucket/${TASK_ID}.${ext}`,
		...extra,
	};
}

async function drain(iterable: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of iterable) chunks.push(chunk);
	return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	return error as NodeApiError;
}

describe('pollyAudio', () => {
	it('mp3: hands the response stream itself to n8n, named <TaskId>.mp3, audio/mpeg', async () => {
		const body = stream('ID3', Buffer.alloc(1000, 7));
		const { context, sent, stored } = fakeContext([
			{ statusCode: 200, headers: { 'content-length': '1003' }, body },
		]);
		const result = await pollyAudio(task('mp3'), { taskId: TASK_ID }, context);
		expect(sent[0].url).toBe(`https://s3.us-east-1.amazonaws.com/my-bucket/${TASK_ID}.mp3`);
		expect(stored).toHaveLength(1);
		expect(stored[0].input).toBe(body);
		expect(stored[0]).toMatchObject({ fileName: `${TASK_ID}.mp3`, mimeType: 'audio/mpeg' });
		expect(stored[0].bytes).toHaveLength(1003);
		expect(result.binary).toMatchObject({
			fileName: `${TASK_ID}.mp3`,
			fileExtension: 'mp3',
			mimeType: 'audio/mpeg',
		});
		expect(result.json).toBeUndefined();
	});

	it.each(['ogg_vorbis', 'ogg_opus'])('%s → audio/ogg, .ogg', async (format) => {
		const { context, stored } = fakeContext([{ statusCode: 200, body: stream('OggS') }]);
		await pollyAudio(task(format), { taskId: TASK_ID }, context);
		expect(stored[0]).toMatchObject({ fileName: `${TASK_ID}.ogg`, mimeType: 'audio/ogg' });
	});

	it('pcm with Content-Length: streamed through a WAV header, 16000 Hz by default', async () => {
		const samples = Buffer.alloc(3200, 1);
		const { context, stored } = fakeContext([
			{
				statusCode: 200,
				headers: { 'content-length': String(samples.length) },
				body: stream(samples.subarray(0, 1000), samples.subarray(1000)),
			},
		]);
		const result = await pollyAudio(task('pcm'), { taskId: TASK_ID }, context);
		expect(stored[0].input).toBeInstanceOf(Readable);
		expect(stored[0]).toMatchObject({ fileName: `${TASK_ID}.wav`, mimeType: 'audio/wav' });
		const wav = stored[0].bytes;
		expect(wav).toHaveLength(44 + 3200);
		expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
		expect(wav.readUInt16LE(20)).toBe(1);
		expect(wav.readUInt32LE(24)).toBe(16000);
		expect(wav.readUInt16LE(34)).toBe(16);
		expect(wav.readUInt32LE(40)).toBe(3200);
		expect(wav.subarray(44).equals(samples)).toBe(true);
		expect(result.binary.fileExtension).toBe('wav');
	});

	it('pcm at SampleRate 8000', async () => {
		const { context, stored } = fakeContext([
			{ statusCode: 200, headers: { 'content-length': '4' }, body: stream('abcd') },
		]);
		await pollyAudio(task('pcm', { SampleRate: '8000' }), { taskId: TASK_ID }, context);
		expect(stored[0].bytes.readUInt32LE(24)).toBe(8000);
		expect(stored[0].bytes.readUInt32LE(28)).toBe(16000);
	});

	it('pcm without Content-Length is streamed; a file that ends within the hold gets its exact length', async () => {
		const { context, stored } = fakeContext([{ statusCode: 200, body: stream('ab', 'cd') }]);
		await pollyAudio(task('pcm'), { taskId: TASK_ID }, context);
		expect(Buffer.isBuffer(stored[0].input)).toBe(false);
		expect(stored[0].bytes.readUInt32LE(4)).toBe(36 + 4);
		expect(stored[0].bytes.readUInt32LE(40)).toBe(4);
		expect(stored[0].bytes.subarray(44).toString()).toBe('abcd');
	});

	it('pcm of unknown length beyond the hold: the streaming header ("length unknown"), every byte kept', async () => {
		const chunks = ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'].map((text) => Buffer.from(text));
		const wrapping = audioFormat('pcm').wav!;
		const out: Buffer[] = [];
		for await (const chunk of wrapAsWav(Readable.from(chunks), wrapping, 16000, undefined, 4))
			out.push(chunk);
		const wav = Buffer.concat(out);
		expect(wav.readUInt32LE(4)).toBe(0xffffffff);
		expect(wav.readUInt32LE(40)).toBe(0xffffffff);
		expect(wav.subarray(44).toString()).toBe('aaaaaaaabbbbbbbbcccccccc');
	});

	it('pcm with a gzip Content-Encoding does not trust Content-Length', async () => {
		const { context, stored } = fakeContext([
			{
				statusCode: 200,
				headers: { 'content-length': '2', 'content-encoding': 'gzip' },
				body: stream('abcd'),
			},
		]);
		await pollyAudio(task('pcm'), { taskId: TASK_ID }, context);
		expect(stored[0].bytes.readUInt32LE(40)).toBe(4);
		expect(stored[0].bytes.subarray(44).toString()).toBe('abcd');
	});

	it('pcm whose bytes overrun Content-Length (a server that compressed anyway): retried without trusting it', async () => {
		const { context, stored } = fakeContext([
			{ statusCode: 200, headers: { 'content-length': '2' }, body: stream('abcd') },
			{ statusCode: 200, headers: { 'content-length': '2' }, body: stream('abcd') },
		]);
		const first = await failure(pollyAudio(task('pcm'), { taskId: TASK_ID }, context));
		expect(isRetryableDownloadError(first)).toBe(true);
		expect(context.lengthUnreliable).toBe(true);
		await pollyAudio(task('pcm'), { taskId: TASK_ID }, context);
		const wav = stored[stored.length - 1].bytes;
		expect(wav.readUInt32LE(40)).toBe(4);
		expect(wav.subarray(44).toString()).toBe('abcd');
	});

	it('mulaw → WAV format 7, 8-bit, 8000 Hz; alaw → format 6', async () => {
		for (const [format, code] of [
			['mulaw', 7],
			['alaw', 6],
		] as const) {
			const { context, stored } = fakeContext([
				{ statusCode: 200, headers: { 'content-length': '3' }, body: stream('xyz') },
			]);
			await pollyAudio(task(format), { taskId: TASK_ID }, context);
			const wav = stored[0].bytes;
			expect(wav.readUInt16LE(20)).toBe(code);
			expect(wav.readUInt32LE(24)).toBe(8000);
			expect(wav.readUInt16LE(34)).toBe(8);
			expect(wav.readUInt32LE(40)).toBe(3);
			expect(wav.readUInt32LE(4)).toBe(36 + 3 + 1);
			expect(wav).toHaveLength(44 + 3 + 1);
		}
	});

	it('pcm that ends early fails the stream: retryable NodeApiError', async () => {
		const { context } = fakeContext([
			{ statusCode: 200, headers: { 'content-length': '100' }, body: stream('short') },
		]);
		const error = await failure(pollyAudio(task('pcm'), { taskId: TASK_ID }, context));
		expect(error.message).toMatch(/ended after 5 of 100 bytes/);
		expect(isRetryableDownloadError(error)).toBe(true);
	});

	it('a stream error while storing becomes a network error', async () => {
		const broken = new Readable({
			read() {
				this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
			},
		});
		const { context } = fakeContext([{ statusCode: 200, body: broken }]);
		const error = await failure(pollyAudio(task('mp3'), { taskId: TASK_ID }, context));
		expect(error.message).toBe(
			'Could not reach S3 to download the Polly output (connection reset)',
		);
		expect(error.description).toContain('[ECONNRESET]');
		expect(isRetryableDownloadError(error)).toBe(true);
	});

	it('json: speech marks parsed into json.speechMarks and stored as NDJSON', async () => {
		const marks =
			'{"time":6,"type":"sentence","start":0,"end":23,"value":"Mary had a little lamb."}\n' +
			'{"time":6,"type":"word","start":0,"end":4,"value":"Mary"}\n';
		const { context, stored } = fakeContext([
			{ statusCode: 200, body: stream(marks.slice(0, 30), marks.slice(30)) },
		]);
		const result = await pollyAudio(task('json'), { taskId: TASK_ID }, context);
		expect(result.json).toEqual({
			speechMarks: [
				{ time: 6, type: 'sentence', start: 0, end: 23, value: 'Mary had a little lamb.' },
				{ time: 6, type: 'word', start: 0, end: 4, value: 'Mary' },
			],
		});
		expect(stored[0]).toMatchObject({
			fileName: `${TASK_ID}.ndjson`,
			mimeType: 'application/x-ndjson',
		});
		expect(stored[0].bytes.toString()).toBe(marks);
	});

	it('malformed speech marks → NodeApiError, nothing stored', async () => {
		const { context, stored } = fakeContext([
			{ statusCode: 200, body: stream('{"time":1}\n{oops\n') },
		]);
		const error = await failure(pollyAudio(task('json'), { taskId: TASK_ID }, context));
		expect(error.message).toMatch(/speech marks file is malformed/);
		expect(error.description).toMatch(/line 2/);
		expect(stored).toHaveLength(0);
	});

	it('no OutputFormat: the key extension decides', async () => {
		const { context, stored } = fakeContext([{ statusCode: 200, body: stream('x') }]);
		const rest: IDataObject = { ...task('mp3') };
		delete rest.OutputFormat;
		await pollyAudio(rest, { taskId: TASK_ID }, context);
		expect(stored[0].mimeType).toBe('audio/mpeg');
	});

	it('an unknown OutputFormat is stored as opaque bytes', async () => {
		const { context, stored } = fakeContext([{ statusCode: 200, body: stream('x') }]);
		await pollyAudio(task('flac'), { taskId: TASK_ID }, context);
		expect(stored[0]).toMatchObject({
			fileName: `${TASK_ID}.bin`,
			mimeType: 'application/octet-stream',
		});
	});

	it('no OutputUri', async () => {
		const { context, sent } = fakeContext([]);
		const error = await failure(
			pollyAudio({ TaskId: TASK_ID, OutputFormat: 'mp3' }, { taskId: TASK_ID }, context),
		);
		expect(error.message).toMatch(/names no output file/);
		expect(sent).toHaveLength(0);
	});

	it.each([
		'https://169.254.169.254/latest/meta-data/iam/x',
		'https://evil.example/my-bucket/k.mp3',
		'https://s3.cn-north-1.amazonaws.com.cn/my-bucket/k.mp3',
	])('a refused OutputUri sends nothing: %s', async (uri) => {
		const { context, sent } = fakeContext([]);
		const error = await failure(
			pollyAudio(task('mp3', { OutputUri: uri }), { taskId: TASK_ID }, context),
		);
		expect(error.message).toBe('Refused to download the Polly output');
		expect(error.description).toMatch(/custom S3 endpoint/);
		expect(error.description).not.toMatch(/^Refused the Polly output location/);
		expect(sent).toHaveLength(0);
	});

	it('S3 errors propagate from the download', async () => {
		const { context, stored } = fakeContext([
			{ statusCode: 404, body: stream(s3Error('NoSuchKey', 'gone')) },
		]);
		const error = await failure(pollyAudio(task('mp3'), { taskId: TASK_ID }, context));
		expect(error.message).toMatch(/Polly output file \(mp3\) is no longer in S3/);
		expect(stored).toHaveLength(0);
	});

	it('a task ID that is not file-name safe falls back to a fixed name', async () => {
		const { context, stored } = fakeContext([{ statusCode: 200, body: stream('x') }]);
		await pollyAudio(task('mp3', { TaskId: '../../etc/passwd' }), { taskId: '../x' }, context);
		expect(stored[0].fileName).toBe('polly-output.mp3');
	});
});

describe('wrapAsWav and wavFile', () => {
	it('passes a body that is already WAV through unchanged', async () => {
		const wav = wavFile(Buffer.from('abcd'), PCM, 16000);
		const out = await drain(
			wrapAsWav(stream(wav.subarray(0, 5), wav.subarray(5)), PCM, 16000, wav.length),
		);
		expect(out.equals(wav)).toBe(true);
		expect(wavFile(wav, PCM, 16000)).toBe(wav);
	});

	it('fails when the body runs past the announced length', async () => {
		await expect(drain(wrapAsWav(stream('abcdef'), PCM, 16000, 4))).rejects.toThrow(
			/more bytes than it announced/,
		);
	});

	it('releases the response stream when the consumer stops early', async () => {
		const body = stream(Buffer.alloc(100), Buffer.alloc(100), Buffer.alloc(100));
		const generator = wrapAsWav(body, PCM, 16000, 300);
		await generator.next();
		await generator.return(undefined);
		await new Promise((resolve) => setImmediate(resolve));
		expect(body.destroyed).toBe(true);
	});

	it('an empty body with length 0 is a header only', async () => {
		const out = await drain(wrapAsWav(stream(), MULAW, 8000, 0));
		expect(out).toHaveLength(44);
	});

	it('adds the pad byte for an odd length', () => {
		expect(wavFile(Buffer.from('abc'), MULAW, 8000)).toHaveLength(48);
	});
});

describe('sampleRateOf', () => {
	it.each([
		[{ SampleRate: '8000' }, 8000],
		[{ SampleRate: '16000' }, 16000],
		[{ SampleRate: 22050 }, 22050],
		[{}, 16000],
		[{ SampleRate: '' }, 16000],
		[{ SampleRate: 'fast' }, 16000],
		[{ SampleRate: '-8000' }, 16000],
		[{ SampleRate: '8000.5' }, 16000],
		[{ SampleRate: '99999999' }, 16000],
	])('%j → %s', (taskFields, rate) => {
		expect(sampleRateOf(taskFields, PCM)).toBe(rate);
	});
	it('µ-law defaults to 8000', () => {
		expect(sampleRateOf({}, MULAW)).toBe(8000);
	});
});

describe('parseSpeechMarks', () => {
	it('skips blank lines, CRLF and a BOM', () => {
		expect(parseSpeechMarks('\uFEFF{"a":1}\r\n\r\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
	});
	it.each(['[1]', '1', 'null', '"x"', '{'])('refuses a line %s', (line) => {
		expect(() => parseSpeechMarks(`{"a":1}\n${line}`)).toThrow(/line 2/);
	});
	it('an empty file has no marks', () => {
		expect(parseSpeechMarks('')).toEqual([]);
	});
});
