/** Polly DescribeVoices and SynthesizeSpeech through @aws-sdk/client-polly, and the voice table behind both. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	DescribeVoicesCommand,
	type DescribeVoicesCommandInput,
	StartSpeechSynthesisTaskCommand,
	SynthesizeSpeechCommand,
	type SynthesizeSpeechCommandInput,
	type Voice,
} from '@aws-sdk/client-polly';
import { type Emulator, startEmulator } from '../emulator';
import { POLLY_LANGUAGE_CODES, POLLY_VOICES } from '../emulator/services/polly';
import {
	POLLY_ENGINES,
	POLLY_LANGUAGE_NAMES,
	POLLY_VOICE_TABLE,
} from '../emulator/services/polly-voices';
import { parseOgg, rms16, walkMp3 } from './audio-validators';
import { bodyBytes, errorOf, pollyClient, signedRawRequest } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TEXT =
	'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs!';
const speech: SynthesizeSpeechCommandInput = { OutputFormat: 'mp3', Text: TEXT, VoiceId: 'Joanna' };

/** The pinned model, read at test time, so the table is checked against AWS's enums rather than itself. */
const model = JSON.parse(
	readFileSync(
		join(__dirname, '../../../shared/api-models/polly-2016-06-10.service-2.json'),
		'utf8',
	),
) as { shapes: Record<string, { enum?: string[] }> };

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.clearFaults());

async function describe_(input: DescribeVoicesCommandInput = {}) {
	return pollyClient(emulator).send(new DescribeVoicesCommand(input));
}

async function synthesize(input: Partial<SynthesizeSpeechCommandInput> = {}) {
	const out = await pollyClient(emulator).send(
		new SynthesizeSpeechCommand({ ...speech, ...input }),
	);
	return { out, bytes: await bodyBytes(out.AudioStream) };
}

const ids = (voices: Voice[] | undefined) => (voices ?? []).map((v) => v.Id!).sort();

describe('the voice table', () => {
	test('lists each VoiceId of the model once, with model language codes and engines', () => {
		const modelVoices = model.shapes.VoiceId.enum!;
		expect(POLLY_VOICE_TABLE.map((v) => v.Id).sort()).toEqual([...modelVoices].sort());
		expect([...POLLY_VOICES].sort()).toEqual([...modelVoices].sort());
		expect([...POLLY_LANGUAGE_CODES].sort()).toEqual([...model.shapes.LanguageCode.enum!].sort());
		expect([...POLLY_ENGINES].sort()).toEqual([...model.shapes.Engine.enum!].sort());
		for (const v of POLLY_VOICE_TABLE) {
			expect(model.shapes.LanguageCode.enum).toContain(v.LanguageCode);
			expect(POLLY_LANGUAGE_NAMES[v.LanguageCode]).toBeTruthy();
			expect(v.LanguageName).toBe(POLLY_LANGUAGE_NAMES[v.LanguageCode]);
			expect(model.shapes.Gender.enum).toContain(v.Gender);
			expect(v.SupportedEngines.length).toBeGreaterThan(0);
			for (const e of v.SupportedEngines) expect(model.shapes.Engine.enum).toContain(e);
			for (const l of v.AdditionalLanguageCodes ?? [])
				expect(model.shapes.LanguageCode.enum).toContain(l);
		}
	});

	test('covers every engine and many languages, with bilingual voices', () => {
		for (const engine of POLLY_ENGINES)
			expect(
				POLLY_VOICE_TABLE.filter((v) => v.SupportedEngines.includes(engine)).length,
			).toBeGreaterThanOrEqual(engine === 'long-form' ? 3 : 20);
		expect(
			POLLY_VOICE_TABLE.filter((v) => v.SupportedEngines.includes('long-form'))
				.map((v) => v.Id)
				.sort(),
		).toEqual(['Danielle', 'Gregory', 'Ruth']);
		expect(new Set(POLLY_VOICE_TABLE.map((v) => v.LanguageCode)).size).toBeGreaterThanOrEqual(35);
		expect(POLLY_VOICE_TABLE.filter((v) => v.AdditionalLanguageCodes).map((v) => v.Id)).toEqual([
			'Aditi',
			'Kajal',
		]);
	});
});

describe('DescribeVoices', () => {
	test('returns the whole table in one page, in the Voice shape', async () => {
		const out = await describe_();
		expect(out.$metadata.httpStatusCode).toBe(200);
		expect(out.$metadata.requestId).toMatch(UUID);
		expect(out.NextToken).toBeUndefined();
		expect(out.Voices).toHaveLength(POLLY_VOICE_TABLE.length);
		expect(out.Voices).toEqual(POLLY_VOICE_TABLE);
		expect(out.Voices!.find((v) => v.Id === 'Celine')).toEqual({
			Gender: 'Female',
			Id: 'Celine',
			LanguageCode: 'fr-FR',
			LanguageName: 'French',
			Name: 'Céline',
			SupportedEngines: ['standard'],
		});
		expect(out.Voices!.find((v) => v.Id === 'Aditi')).toMatchObject({
			LanguageCode: 'en-IN',
			AdditionalLanguageCodes: ['hi-IN'],
		});
	});

	test.each(['standard', 'neural', 'long-form', 'generative'] as const)(
		'Engine=%s keeps exactly the voices that support it',
		async (engine) => {
			const out = await describe_({ Engine: engine });
			expect(out.Voices!.length).toBeGreaterThan(0);
			for (const v of out.Voices!) expect(v.SupportedEngines).toContain(engine);
			expect(ids(out.Voices)).toEqual(
				POLLY_VOICE_TABLE.filter((v) => v.SupportedEngines.includes(engine))
					.map((v) => v.Id)
					.sort(),
			);
		},
	);

	test('LanguageCode filters by default language; IncludeAdditionalLanguageCodes adds bilingual voices', async () => {
		expect(ids((await describe_({ LanguageCode: 'en-IN' })).Voices)).toEqual([
			'Aditi',
			'Kajal',
			'Raveena',
		]);
		expect((await describe_({ LanguageCode: 'hi-IN' })).Voices).toEqual([]);
		expect(
			(await describe_({ LanguageCode: 'hi-IN', IncludeAdditionalLanguageCodes: false })).Voices,
		).toEqual([]);
		const hindi = await describe_({ LanguageCode: 'hi-IN', IncludeAdditionalLanguageCodes: true });
		expect(ids(hindi.Voices)).toEqual(['Aditi', 'Kajal']);
		for (const v of hindi.Voices!) {
			expect(v.LanguageCode).toBe('en-IN');
			expect(v.AdditionalLanguageCodes).toEqual(['hi-IN']);
		}
		// A voice's own language is matched with or without the flag.
		expect(
			ids(
				(await describe_({ LanguageCode: 'en-IN', IncludeAdditionalLanguageCodes: true })).Voices,
			),
		).toEqual(['Aditi', 'Kajal', 'Raveena']);
		// Filters combine.
		expect(
			ids(
				(
					await describe_({
						LanguageCode: 'hi-IN',
						IncludeAdditionalLanguageCodes: true,
						Engine: 'neural',
					})
				).Voices,
			),
		).toEqual(['Kajal']);
		expect(ids((await describe_({ LanguageCode: 'en-US', Engine: 'long-form' })).Voices)).toEqual([
			'Danielle',
			'Gregory',
			'Ruth',
		]);
		expect((await describe_({ LanguageCode: 'fr-FR', Engine: 'long-form' })).Voices).toEqual([]);
	});

	test('invalid Engine / LanguageCode → ValidationException; a bad NextToken → InvalidNextTokenException', async () => {
		const engine = await errorOf(() => describe_({ Engine: 'turbo' as never }));
		expect(engine.name).toBe('ValidationException');
		expect(engine.$metadata.httpStatusCode).toBe(400);
		expect(engine.message).toMatch(
			/'engine'.*enum value set: \[standard, neural, long-form, generative\]/,
		);
		const language = await errorOf(() => describe_({ LanguageCode: 'xx-XX' as never }));
		expect(language.name).toBe('ValidationException');
		expect(language.message).toMatch(/'languageCode'/);
		const token = await errorOf(() => describe_({ NextToken: 'not-a-token' }));
		expect(token.name).toBe('InvalidNextTokenException');
		expect(token.$metadata.httpStatusCode).toBe(400);
		const raw = await signedRawRequest(emulator, {
			service: 'polly',
			path: '/polly/v1/voices',
			query: { IncludeAdditionalLanguageCodes: 'maybe' },
		});
		expect(raw.status).toBe(400);
		expect(String(raw.headers['x-amzn-errortype'])).toMatch(/^SerializationException:/);
	});

	test('pollyVoicesPageSize pages with NextToken through every voice once', async () => {
		const paged = await startEmulator({ pollyVoicesPageSize: 10 });
		try {
			const polly = pollyClient(paged);
			const seen: string[] = [];
			let token: string | undefined;
			let pages = 0;
			do {
				const out = await polly.send(
					new DescribeVoicesCommand({ Engine: 'neural', NextToken: token }),
				);
				pages++;
				expect(out.Voices!.length).toBeLessThanOrEqual(10);
				seen.push(...out.Voices!.map((v) => v.Id!));
				token = out.NextToken;
			} while (token);
			const neural = POLLY_VOICE_TABLE.filter((v) => v.SupportedEngines.includes('neural'));
			expect(seen).toEqual(neural.map((v) => v.Id));
			expect(pages).toBe(Math.ceil(neural.length / 10));
		} finally {
			await paged.close();
		}
	});

	test('goes through faults and the request log as polly.voices', async () => {
		emulator.addFault({ route: 'polly.voices', fault: 'throttle', count: 1 });
		const throttled = await errorOf(() => describe_());
		expect(throttled.name).toBe('ThrottlingException');
		expect(throttled.$metadata.httpStatusCode).toBe(400);
		await describe_();
		const entries = emulator.requestsFor('polly').filter((e) => e.route === 'polly.voices');
		expect(entries.slice(-2).map((e) => [e.method, e.status, e.fault])).toEqual([
			['GET', 400, 'throttle'],
			['GET', 200, undefined],
		]);
		expect(entries[entries.length - 1].signatureOk).toBe(true);
	});
});

describe('SynthesizeSpeech', () => {
	test('mp3: audio/mpeg, RequestCharacters, Layer III frames at the default or requested rate', async () => {
		const { out, bytes } = await synthesize();
		expect(out.$metadata.httpStatusCode).toBe(200);
		expect(out.$metadata.requestId).toMatch(UUID);
		expect(out.ContentType).toBe('audio/mpeg');
		expect(out.RequestCharacters).toBe(TEXT.length);
		const mp3 = walkMp3(bytes);
		expect(mp3).toMatchObject({ sampleRate: 22050, version: 'MPEG-2', trailingBytes: 0 });
		expect(mp3.durationMs).toBeGreaterThan(TEXT.length * 55);
		expect(mp3.durationMs).toBeLessThan(TEXT.length * 65);
		expect(walkMp3((await synthesize({ Engine: 'neural' })).bytes).sampleRate).toBe(24000);
		// SynthesizeSpeech (unlike StartSpeechSynthesisTask) documents 44100 and 48000 for mp3.
		expect(walkMp3((await synthesize({ SampleRate: '44100' })).bytes)).toMatchObject({
			sampleRate: 44100,
			version: 'MPEG-1',
		});
	});

	test('ogg_vorbis and ogg_opus: audio/ogg with valid Ogg pages and codec headers', async () => {
		const vorbis = await synthesize({ OutputFormat: 'ogg_vorbis', SampleRate: '16000' });
		expect(vorbis.out.ContentType).toBe('audio/ogg');
		const v = parseOgg(vorbis.bytes);
		expect(v.packets[0].subarray(1, 7).toString('latin1')).toBe('vorbis');
		expect(v.packets[0].readUInt32LE(12)).toBe(16000);
		const opus = await synthesize({ OutputFormat: 'ogg_opus' });
		expect(opus.out.ContentType).toBe('audio/ogg');
		const o = parseOgg(opus.bytes);
		expect(o.packets[0].subarray(0, 8).toString('latin1')).toBe('OpusHead');
		expect(o.packets[1].subarray(0, 8).toString('latin1')).toBe('OpusTags');
	});

	test('pcm: audio/pcm, signed 16-bit little-endian mono at 16 kHz by default', async () => {
		const { out, bytes } = await synthesize({ OutputFormat: 'pcm' });
		expect(out.ContentType).toBe('audio/pcm');
		expect(bytes.length % 2).toBe(0);
		expect((bytes.length / 2 / 16000) * 1000).toBeGreaterThan(TEXT.length * 55);
		expect(rms16(bytes)).toBeGreaterThan(0.05);
		const eight = await synthesize({ OutputFormat: 'pcm', SampleRate: '8000' });
		expect(eight.bytes.length).toBeCloseTo(bytes.length / 2, -2);
	});

	test('mulaw / alaw: audio/mulaw and audio/alaw (as the model documents), 8-bit at 8 kHz', async () => {
		const mulaw = await synthesize({ OutputFormat: 'mulaw' });
		const alaw = await synthesize({ OutputFormat: 'alaw' });
		expect(mulaw.out.ContentType).toBe('audio/mulaw');
		expect(alaw.out.ContentType).toBe('audio/alaw');
		expect(mulaw.bytes.length).toBe(alaw.bytes.length);
		expect(mulaw.bytes.length / 8000).toBeCloseTo((TEXT.length * 60) / 1000, 0);
		expect(mulaw.bytes.equals(alaw.bytes)).toBe(false);
	});

	test('json: application/x-json-stream speech marks (NDJSON) with byte offsets', async () => {
		const { out, bytes } = await synthesize({
			OutputFormat: 'json',
			SpeechMarkTypes: ['sentence', 'word'],
		});
		expect(out.ContentType).toBe('application/x-json-stream');
		expect(out.RequestCharacters).toBe(TEXT.length);
		const marks = bytes
			.toString('utf8')
			.trimEnd()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(new Set(marks.map((m) => m.type))).toEqual(new Set(['sentence', 'word']));
		for (const m of marks)
			expect(Buffer.from(TEXT).subarray(m.start, m.end).toString()).toBe(m.value);
	});

	test('SSML: tags are not billed; ssml marks come back for <mark>', async () => {
		const text = '<speak>Hello <mark name="here"/>world <break time="1s"/></speak>';
		const audio = await synthesize({ Text: text, TextType: 'ssml' });
		expect(audio.out.RequestCharacters).toBe('Hello world '.length);
		const marks = await synthesize({
			Text: text,
			TextType: 'ssml',
			OutputFormat: 'json',
			SpeechMarkTypes: ['ssml'],
		});
		expect(marks.bytes.toString()).toContain('"type":"ssml"');
	});

	test('bilingual voices speak their additional language; the engine must be theirs', async () => {
		expect(
			(await synthesize({ VoiceId: 'Aditi', LanguageCode: 'hi-IN' })).out.$metadata.httpStatusCode,
		).toBe(200);
		expect(
			(await synthesize({ VoiceId: 'Kajal', LanguageCode: 'hi-IN', Engine: 'neural' })).out
				.ContentType,
		).toBe('audio/mpeg');
		const raveena = await errorOf(() => synthesize({ VoiceId: 'Raveena', LanguageCode: 'hi-IN' }));
		expect(raveena.name).toBe('LanguageNotSupportedException');
	});

	test('the 3,000 billed-character limit: 3,000 is accepted, 3,001 is not (Start takes both)', async () => {
		expect((await synthesize({ Text: 'a'.repeat(3000) })).out.RequestCharacters).toBe(3000);
		const over = await errorOf(() => synthesize({ Text: 'a'.repeat(3001) }));
		expect(over.name).toBe('TextLengthExceededException');
		expect(over.$metadata.httpStatusCode).toBe(400);
		const task = await pollyClient(emulator).send(
			new StartSpeechSynthesisTaskCommand({
				OutputFormat: 'mp3',
				OutputS3BucketName: 'speech-tasks-output',
				Text: 'a'.repeat(3001),
				VoiceId: 'Joanna',
			}),
		);
		expect(task.SynthesisTask!.RequestCharacters).toBe(3001);
		// 6,000 characters in total at most, even when the tags keep the billed count low.
		const padded = `<speak>${'<break time="1ms"/>'.repeat(320)}short</speak>`;
		expect(padded.length).toBeGreaterThan(6000);
		const tags = await errorOf(() => synthesize({ Text: padded, TextType: 'ssml' }));
		expect(tags.name).toBe('TextLengthExceededException');
	});

	test.each([
		[
			'EngineNotSupportedException',
			400,
			{ Engine: 'long-form', VoiceId: 'Joey' },
			/engine: long-form/,
		],
		['EngineNotSupportedException', 400, { Engine: 'neural', VoiceId: 'Aditi' }, /engine: neural/],
		['EngineNotSupportedException', 400, { VoiceId: 'Ruth' }, /engine: standard/],
		['InvalidSampleRateException', 400, { OutputFormat: 'pcm', SampleRate: '22050' }, /SampleRate/],
		[
			'InvalidSampleRateException',
			400,
			{ OutputFormat: 'ogg_opus', SampleRate: '24000' },
			/SampleRate/,
		],
		[
			'MarksNotSupportedForFormatException',
			400,
			{ SpeechMarkTypes: ['word'] },
			/json output format/,
		],
		[
			'SsmlMarksNotSupportedForTextTypeException',
			400,
			{ OutputFormat: 'json', SpeechMarkTypes: ['ssml'] },
			/SSML speech marks/,
		],
		['InvalidSsmlException', 400, { TextType: 'ssml', Text: '<speak>unclosed' }, /Invalid SSML/],
		['LanguageNotSupportedException', 400, { LanguageCode: 'fr-FR' }, /fr-FR/],
		['LexiconNotFoundException', 404, { LexiconNames: ['Missing'] }, /Lexicon not found/],
		['ValidationException', 400, { VoiceId: 'Nobody' as never }, /voiceId.*enum value set/],
		['ValidationException', 400, { OutputFormat: 'wav' as never }, /outputFormat/],
		['ValidationException', 400, { Engine: 'turbo' as never }, /engine/],
		['ValidationException', 400, { OutputFormat: 'json' }, /SpeechMarkTypes/],
	] as Array<[string, number, Partial<SynthesizeSpeechCommandInput>, RegExp]>)(
		'%s (%i) through the SDK',
		async (name, status, input, message) => {
			const error = await errorOf(() => synthesize(input));
			expect(error.name).toBe(name);
			expect(error.$metadata.httpStatusCode).toBe(status);
			expect(error.$fault).toBe('client');
			expect(error.message).toMatch(message);
			expect(error.$metadata.requestId).toMatch(UUID);
		},
	);

	test('[[fail]] → 500 ServiceFailureException (a server fault); [[size=N]] → exactly N bytes', async () => {
		const failed = await errorOf(() => synthesize({ Text: 'please [[fail]]' }));
		expect(failed.name).toBe('ServiceFailureException');
		expect(failed.$metadata.httpStatusCode).toBe(500);
		expect(failed.$fault).toBe('server');
		const sized = await synthesize({ Text: 'big [[size=300k]]' });
		expect(sized.bytes.length).toBe(300 * 1024);
		expect(walkMp3(sized.bytes, 4096).sampleRate).toBe(22050);
	});

	test('an engine is accepted exactly when DescribeVoices lists it for the voice (Start agrees)', async () => {
		const { Voices } = await describe_();
		const polly = pollyClient(emulator);
		const checks = Voices!.flatMap((v) =>
			POLLY_ENGINES.map(async (engine) => {
				const supported = v.SupportedEngines!.includes(engine);
				const sync = await polly
					.send(
						new SynthesizeSpeechCommand({
							OutputFormat: 'json',
							SpeechMarkTypes: ['sentence'],
							Text: 'Hi.',
							VoiceId: v.Id,
							Engine: engine,
						}),
					)
					.then(
						() => 'ok',
						(e: Error) => e.name,
					);
				let task: string;
				try {
					emulator.createPollyTask({
						OutputFormat: 'mp3',
						OutputS3BucketName: 'speech-tasks-output',
						Text: 'Hi.',
						VoiceId: v.Id,
						Engine: engine,
						LanguageCode: v.LanguageCode,
					});
					task = 'ok';
				} catch (e) {
					task = (e as Error).name;
				}
				const expected = supported ? 'ok' : 'EngineNotSupportedException';
				return { voice: v.Id, engine, sync, task, expected };
			}),
		);
		const results = await Promise.all(checks);
		expect(results.filter((r) => r.sync !== r.expected || r.task !== r.expected)).toEqual([]);
		expect(results).toHaveLength(POLLY_VOICE_TABLE.length * 4);
	});

	test('goes through faults and the request log as polly.synthesize', async () => {
		emulator.addFault({ route: 'polly.synthesize', fault: 'error503', count: 1 });
		const unavailable = await errorOf(() => synthesize());
		expect(unavailable.$metadata.httpStatusCode).toBe(503);
		const { bytes } = await synthesize();
		const entries = emulator.requestsFor('polly').filter((e) => e.route === 'polly.synthesize');
		const last = entries[entries.length - 1];
		expect(entries[entries.length - 2]).toMatchObject({ status: 503, fault: 'error503' });
		expect(last).toMatchObject({ method: 'POST', status: 200, signatureOk: true });
		expect(last.bytesSent).toBe(bytes.length);
	});
});
