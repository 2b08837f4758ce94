/** S3 GetObject/HeadObject through @aws-sdk/client-s3 (path style) and the bytes of every Polly OutputFormat. */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { type Emulator, startEmulator } from '../emulator';
import { parseOgg, rms16, walkMp3 } from './audio-validators';
import { bodyBytes, errorOf, s3Client } from './helpers';

const BUCKET = 'speech-tasks-output';
const TEXT =
	'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs!';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

/** Creates a task that is already complete and downloads its object through the SDK. */
async function synthesize(
	input: Record<string, unknown>,
	extras: { outputSizeBytes?: number } = {},
) {
	const task = emulator.createPollyTask(
		{ OutputS3BucketName: BUCKET, VoiceId: 'Joanna', Text: TEXT, OutputFormat: 'mp3', ...input },
		{ durationMs: 0, ...extras },
	);
	const key = String(task.OutputUri).split(`/${BUCKET}/`)[1];
	const out = await s3Client(emulator).send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
	return { task, key, out, bytes: await bodyBytes(out.Body) };
}

describe('objects Polly writes', () => {
	test('mp3: a Layer III frame sequence at the requested sample rate, as long as the speech', async () => {
		const { out, bytes } = await synthesize({ OutputFormat: 'mp3' });
		expect(out.$metadata.httpStatusCode).toBe(200);
		expect(out.ContentType).toBe('audio/mpeg');
		expect(out.ContentLength).toBe(bytes.length);
		expect(out.ETag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
		expect(out.LastModified).toBeInstanceOf(Date);
		const mp3 = walkMp3(bytes);
		expect(mp3).toMatchObject({
			sampleRate: 22050,
			version: 'MPEG-2',
			layer: 3,
			channelMode: 3,
			trailingBytes: 0,
		});
		// ~60 ms of speech per character
		expect(mp3.durationMs).toBeGreaterThan(TEXT.length * 55);
		expect(mp3.durationMs).toBeLessThan(TEXT.length * 65);
		const neural = await synthesize({ OutputFormat: 'mp3', Engine: 'neural' });
		expect(walkMp3(neural.bytes).sampleRate).toBe(24000);
		const eight = await synthesize({ OutputFormat: 'mp3', SampleRate: '8000' });
		expect(walkMp3(eight.bytes)).toMatchObject({ sampleRate: 8000, version: 'MPEG-2.5' });
	});

	test('size grows with the text', async () => {
		const short = await synthesize({ Text: 'Short.' });
		const long = await synthesize({ Text: 'A much longer sentence. '.repeat(40) });
		expect(long.bytes.length).toBeGreaterThan(short.bytes.length * 20);
	});

	test('ogg_opus: Ogg pages with OpusHead/OpusTags, CRCs, granules, EOS', async () => {
		const { out, bytes } = await synthesize({ OutputFormat: 'ogg_opus' });
		expect(out.ContentType).toBe('audio/ogg');
		expect(bytes.subarray(0, 4).toString('latin1')).toBe('OggS');
		const { pages, packets } = parseOgg(bytes);
		expect(packets[0].subarray(0, 8).toString('latin1')).toBe('OpusHead');
		expect(packets[0][9]).toBe(1); // channels
		expect(packets[1].subarray(0, 8).toString('latin1')).toBe('OpusTags');
		expect(pages[0].packets).toHaveLength(1);
		const last = pages[pages.length - 1];
		const preSkip = packets[0].readUInt16LE(10);
		const seconds = Number(last.granule - BigInt(preSkip)) / 48000;
		expect(seconds * 1000).toBeGreaterThan(TEXT.length * 55);
		for (const packet of packets.slice(2)) expect(packet[0]).toBe(0xf8); // TOC: CELT fullband 20 ms, mono
	});

	test('ogg_vorbis: Ogg pages with the Vorbis identification, comment and setup headers', async () => {
		const { bytes } = await synthesize({ OutputFormat: 'ogg_vorbis', SampleRate: '16000' });
		const { packets } = parseOgg(bytes);
		expect(packets[0][0]).toBe(1);
		expect(packets[0].subarray(1, 7).toString('latin1')).toBe('vorbis');
		expect(packets[0].readUInt32LE(12)).toBe(16000);
		expect(packets[1].subarray(0, 7).toString('latin1')).toBe('\x03vorbis');
		expect(packets[2].subarray(0, 7).toString('latin1')).toBe('\x05vorbis');
	});

	test('pcm: 16-bit little-endian mono samples at SampleRate, audible', async () => {
		const { out, bytes } = await synthesize({ OutputFormat: 'pcm', SampleRate: '8000' });
		expect(out.ContentType).toBe('audio/pcm');
		expect(bytes.length % 2).toBe(0);
		const seconds = bytes.length / 2 / 8000;
		expect(seconds * 1000).toBeGreaterThan(TEXT.length * 55);
		expect(rms16(bytes)).toBeGreaterThan(0.05);
		const pcm16k = await synthesize({ OutputFormat: 'pcm' });
		expect(pcm16k.bytes.length).toBeCloseTo(bytes.length * 2, -2);
	});

	test('mulaw / alaw: 8-bit G.711 at 8 kHz', async () => {
		const mulaw = await synthesize({ OutputFormat: 'mulaw' });
		const alaw = await synthesize({ OutputFormat: 'alaw' });
		expect(mulaw.bytes.length).toBe(alaw.bytes.length);
		expect(mulaw.bytes.length / 8000).toBeCloseTo((TEXT.length * 60) / 1000, 0);
		expect(new Set(mulaw.bytes).size).toBeGreaterThan(20);
	});

	test('json: newline-delimited speech marks with byte offsets into the text', async () => {
		const { out, bytes, key } = await synthesize({
			OutputFormat: 'json',
			SpeechMarkTypes: ['sentence', 'word', 'viseme'],
		});
		expect(key).toMatch(/\.marks$/);
		expect(out.ContentType).toBe('application/x-json-stream');
		const text = bytes.toString('utf8');
		expect(text.endsWith('\n')).toBe(true);
		const marks = text
			.trimEnd()
			.split('\n')
			.map((line) => JSON.parse(line));
		const sentences = marks.filter((m) => m.type === 'sentence');
		expect(sentences.map((m) => m.value)).toEqual([
			'The quick brown fox jumps over the lazy dog.',
			'Pack my box with five dozen liquor jugs!',
		]);
		const words = marks.filter((m) => m.type === 'word');
		expect(words).toHaveLength(17);
		for (const w of words)
			expect(Buffer.from(TEXT).subarray(w.start, w.end).toString()).toBe(w.value);
		expect(marks[0]).toEqual({
			time: 0,
			type: 'sentence',
			start: 0,
			end: 44,
			value: 'The quick brown fox jumps over the lazy dog.',
		});
		expect(marks.some((m) => m.type === 'viseme' && m.start === undefined)).toBe(true);
		const times = marks.map((m) => m.time);
		expect([...times].sort((a, b) => a - b)).toEqual(times);
	});

	test('ssml speech marks come from <mark> tags', async () => {
		const ssml = '<speak>Hello <mark name="here"/>world.</speak>';
		const { bytes } = await synthesize({
			OutputFormat: 'json',
			TextType: 'ssml',
			Text: ssml,
			SpeechMarkTypes: ['ssml', 'word'],
		});
		const marks = bytes
			.toString()
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(marks.find((m) => m.type === 'ssml')).toMatchObject({
			value: 'here',
			start: ssml.indexOf('<mark'),
		});
		expect(marks.filter((m) => m.type === 'word').map((m) => m.value)).toEqual(['Hello', 'world']);
	});
});

describe('requested sizes, streamed', () => {
	test('a 24 MiB mp3 is streamed with an exact Content-Length and valid frames', async () => {
		const size = 24 * 1024 * 1024;
		const task = emulator.createPollyTask(
			{ OutputS3BucketName: BUCKET, VoiceId: 'Joanna', Text: 'big', OutputFormat: 'mp3' },
			{ durationMs: 0, outputSizeBytes: size },
		);
		const key = `${task.TaskId}.mp3`;
		const out = await s3Client(emulator).send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
		expect(out.ContentLength).toBe(size);
		expect(out.ETag).toMatch(/^"[0-9a-f]{32}-\d+"$/);
		let received = 0;
		let first: Buffer | undefined;
		for await (const chunk of out.Body as AsyncIterable<Buffer>) {
			first ??= Buffer.from(chunk.subarray(0, 4096));
			received += chunk.length;
		}
		expect(received).toBe(size);
		expect(walkMp3(first!, 4096).frames).toBeGreaterThan(10);
	});

	test.each([
		['ogg_opus', 3_000_017],
		['ogg_vorbis', 1_234_567],
		['pcm', 1_000_001],
		['json', 777_777],
		['mp3', 5_000],
	])('%s of exactly %i bytes', async (format, size) => {
		const extra = format === 'json' ? { SpeechMarkTypes: ['word'] } : {};
		const { bytes, out } = await synthesize(
			{ OutputFormat: format, ...extra },
			{ outputSizeBytes: size },
		);
		expect(bytes.length).toBe(size);
		expect(out.ContentLength).toBe(size);
		if (format.startsWith('ogg')) parseOgg(bytes);
		if (format === 'json')
			for (const line of bytes.toString().trimEnd().split('\n')) JSON.parse(line);
		if (format === 'mp3') expect(walkMp3(bytes).trailingBytes).toBe(0);
	});

	test('the [[size=N]] trigger sets the object size', async () => {
		const { bytes } = await synthesize({ Text: 'sized [[size=64k]]', OutputFormat: 'pcm' });
		expect(bytes.length).toBe(64 * 1024);
	});
});

describe('GetObject features and errors', () => {
	let key: string;
	let full: Buffer;
	beforeAll(async () => {
		const r = await synthesize({ OutputFormat: 'mp3' });
		key = r.key;
		full = r.bytes;
	});

	test('Range requests return 206 with Content-Range', async () => {
		const s3 = s3Client(emulator);
		const part = await s3.send(
			new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=100-199' }),
		);
		expect(part.$metadata.httpStatusCode).toBe(206);
		expect(part.ContentRange).toBe(`bytes 100-199/${full.length}`);
		expect(await bodyBytes(part.Body)).toEqual(full.subarray(100, 200));
		const suffix = await s3.send(
			new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=-10' }),
		);
		expect(await bodyBytes(suffix.Body)).toEqual(full.subarray(full.length - 10));
		const bad = await errorOf(() =>
			s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: `bytes=${full.length}-` })),
		);
		expect(bad.name).toBe('InvalidRange');
		expect(bad.$metadata.httpStatusCode).toBe(416);
	});

	test('HeadObject and conditional GETs', async () => {
		const s3 = s3Client(emulator);
		const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
		expect(head.ContentLength).toBe(full.length);
		expect(head.ContentType).toBe('audio/mpeg');
		expect(head.AcceptRanges).toBe('bytes');
		const notModified = await errorOf(() =>
			s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, IfNoneMatch: head.ETag })),
		);
		expect(notModified.$metadata.httpStatusCode).toBe(304);
		const failed = await errorOf(() =>
			s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, IfMatch: '"nope"' })),
		);
		expect(failed.name).toBe('PreconditionFailed');
		expect(failed.$metadata.httpStatusCode).toBe(412);
		const typed = await s3.send(
			new GetObjectCommand({
				Bucket: BUCKET,
				Key: key,
				ResponseContentType: 'application/octet-stream',
				ResponseContentDisposition: 'attachment',
			}),
		);
		expect(typed.ContentType).toBe('application/octet-stream');
		expect(typed.ContentDisposition).toBe('attachment');
		await bodyBytes(typed.Body);
	});

	test('NoSuchKey, NoSuchBucket, AccessDenied and HEAD NotFound through the SDK', async () => {
		const s3 = s3Client(emulator);
		const noKey = await errorOf(() =>
			s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing.mp3' })),
		);
		expect(noKey.name).toBe('NoSuchKey');
		expect(noKey.$metadata.httpStatusCode).toBe(404);
		expect(noKey.message).toBe('The specified key does not exist.');
		expect(noKey.Key).toBe('missing.mp3');
		expect(noKey.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
		expect(noKey.$metadata.extendedRequestId).toBeTruthy();
		const noBucket = await errorOf(() =>
			s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'a.mp3' })),
		);
		expect(noBucket.name).toBe('NoSuchBucket');
		expect(noBucket.$metadata.httpStatusCode).toBe(404);
		emulator.putObject('denied-bucket', 'x.mp3', 'abc');
		const denied = await errorOf(() =>
			s3.send(new GetObjectCommand({ Bucket: 'denied-bucket', Key: 'x.mp3' })),
		);
		expect(denied.name).toBe('AccessDenied');
		expect(denied.$metadata.httpStatusCode).toBe(403);
		const head = await errorOf(() =>
			s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.mp3' })),
		);
		expect(head.name).toBe('NotFound');
		expect(head.$metadata.httpStatusCode).toBe(404);
	});

	test('keys with spaces, plus signs and parentheses are signed and served (single URI encoding)', async () => {
		emulator.putObject(BUCKET, 'dir/a b+c(1)&.txt', 'hello', { contentType: 'text/plain' });
		const out = await s3Client(emulator).send(
			new GetObjectCommand({ Bucket: BUCKET, Key: 'dir/a b+c(1)&.txt' }),
		);
		expect((await bodyBytes(out.Body)).toString()).toBe('hello');
		expect(emulator.requests[emulator.requests.length - 1]).toMatchObject({
			route: 's3.get',
			status: 200,
			signatureOk: true,
		});
	});

	test('the object appears only when the task completes (manual clock)', async () => {
		const e = await startEmulator({ clock: 'manual' });
		try {
			const task = e.createPollyTask(
				{ OutputS3BucketName: BUCKET, VoiceId: 'Joanna', Text: 'later', OutputFormat: 'mp3' },
				{ durationMs: 1_000 },
			);
			const s3 = s3Client(e);
			const early = await errorOf(() =>
				s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${task.TaskId}.mp3` })),
			);
			expect(early.name).toBe('NoSuchKey');
			e.advance(1_000);
			const late = await s3.send(
				new GetObjectCommand({ Bucket: BUCKET, Key: `${task.TaskId}.mp3` }),
			);
			expect(Math.floor(late.LastModified!.getTime() / 1000)).toBe(Math.floor(e.now() / 1000));
			await bodyBytes(late.Body);
		} finally {
			await e.close();
		}
	});
});
