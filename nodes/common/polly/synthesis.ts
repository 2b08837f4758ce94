/**
 * What Start Polly Synthesis Task and Synthesize Polly Speech send, read from the node's parameters and
 * checked against Polly's rules before any request: a refusal names the field and the fix.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parameterError } from '../errors/node-errors';
import { badParameter } from '../errors/wording';
import { readChoice, readText } from '../parameters';

export const ENGINES = ['generative', 'long-form', 'neural', 'standard'] as const;
export const OUTPUT_FORMATS = [
	'alaw',
	'json',
	'mp3',
	'mulaw',
	'ogg_opus',
	'ogg_vorbis',
	'pcm',
] as const;
export const TEXT_TYPES = ['ssml', 'text'] as const;
export const SPEECH_MARK_TYPES = ['sentence', 'ssml', 'viseme', 'word'] as const;

export type Engine = (typeof ENGINES)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Sample rates Polly accepts per output format (API reference, SampleRate); SynthesizeSpeech also takes
 * 44,100 and 48,000 Hz for MP3 and Ogg Vorbis.
 */
const TASK_SAMPLE_RATES: Record<OutputFormat, string[]> = {
	mp3: ['8000', '16000', '22050', '24000'],
	ogg_vorbis: ['8000', '16000', '22050', '24000'],
	json: ['8000', '16000', '22050', '24000'],
	ogg_opus: ['48000'],
	pcm: ['8000', '16000'],
	mulaw: ['8000'],
	alaw: ['8000'],
};

export function sampleRates(kind: 'task' | 'speech', format: OutputFormat): string[] {
	const rates = TASK_SAMPLE_RATES[format];
	return kind === 'speech' && (format === 'mp3' || format === 'ogg_vorbis')
		? [...rates, '44100', '48000']
		: rates;
}

/**
 * Polly's size limits ("Quotas in Amazon Polly"): billed characters leave SSML tags out; the total
 * counts everything.
 */
export const LIMITS = {
	task: { billed: 100_000, total: 200_000 },
	speech: { billed: 3_000, total: 6_000 },
} as const;

export interface SynthesisRequest {
	text: string;
	textType: (typeof TEXT_TYPES)[number];
	engine: Engine;
	voiceId: string;
	outputFormat: OutputFormat;
	languageCode?: string;
	lexiconNames: string[];
	sampleRate?: string;
	speechMarkTypes: string[];
	outputS3BucketName?: string;
	outputS3KeyPrefix?: string;
	snsTopicArn?: string;
}

// Patterns from Polly's API model.
const BUCKET = /^[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]$/;
const KEY_PREFIX = /^[0-9a-zA-Z/!\-_.*'():;$@=+,?&]{0,800}$/;
const SNS_TOPIC =
	/^arn:aws(-(cn|iso(-b)?|us-gov))?:sns:[a-z0-9_-]{1,50}:\d{12}:[a-zA-Z0-9_-]{1,251}([a-zA-Z0-9_-]{0,5}|\.fifo)$/;
const LEXICON = /^[0-9A-Za-z]{1,20}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2}(-[A-Z]{3})?)?$/;
const VOICE = /^[A-Z][A-Za-z]{1,30}$/;
const SSML = /^<speak(\s[^>]*)?>[\s\S]*<\/speak>$/;

/** The characters Polly bills: SSML tags are not counted. */
export function billedCharacters(text: string, ssml: boolean): number {
	return ssml ? text.replace(/<[^>]*>/g, '').length : text.length;
}

type Limits = (typeof LIMITS)[keyof typeof LIMITS];

interface Reader {
	fail(displayName: string, name: string, problem: string, rule: string): Error;
	param(name: string, fallback?: unknown): unknown;
	options: IDataObject;
}

function readerFor(ctx: IExecuteFunctions, itemIndex: number): Reader {
	return {
		fail: (displayName, name, problem, rule) =>
			parameterError(
				ctx.getNode(),
				badParameter(
					`The ${displayName} ${problem}`,
					`Parameter "${displayName}" (${name}) ${rule}`,
				),
				itemIndex,
			),
		param: (name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback),
		options: (ctx.getNodeParameter('additionalFields', itemIndex, {}) ?? {}) as IDataObject,
	};
}

/** An optional text field of Additional Fields, trimmed; undefined when empty. */
function optionalText(reader: Reader, name: string, displayName: string): string | undefined {
	const raw = reader.options[name];
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (typeof raw !== 'string')
		throw reader.fail(displayName, name, 'is not text', 'must be text (check the expression).');
	return raw.trim() || undefined;
}

function readTextToSpeak(
	ctx: IExecuteFunctions,
	itemIndex: number,
	reader: Reader,
	ssml: boolean,
	limits: Limits,
	tooLongHint: string,
): string {
	const text = readText(ctx, 'text', 'Text', itemIndex);
	const billed = billedCharacters(text, ssml);
	if (billed > limits.billed || text.length > limits.total) {
		const counted =
			billed > limits.billed
				? `${billed} billed characters long (Polly takes at most ${limits.billed}${ssml ? ', SSML tags not counted' : ''})`
				: `${text.length} characters long with its SSML tags (Polly takes at most ${limits.total})`;
		throw reader.fail('Text', 'text', `is ${counted}`, `must be shorter. ${tooLongHint}`);
	}
	if (ssml && !SSML.test(text.trim())) {
		throw reader.fail(
			'Text',
			'text',
			'is not SSML: it must start with <speak> and end with </speak>',
			'must be wrapped in <speak>…</speak> when Text Type is SSML, such as <speak>Hello <break time="1s"/> world</speak>. Or set Text Type to Plain Text.',
		);
	}
	return text;
}

function readVoice(reader: Reader): string {
	const raw = reader.param('voiceId', '');
	const voice = typeof raw === 'string' ? raw.trim() : '';
	if (!VOICE.test(voice)) {
		throw reader.fail(
			'Voice',
			'voiceId',
			voice === '' ? 'is empty' : `is not a Polly voice ID: ${JSON.stringify(raw)?.slice(0, 40)}`,
			'must be a voice ID such as Joanna or Matthew. Pick one from the list, which shows the voices of the chosen engine and language.',
		);
	}
	return voice;
}

function readSampleRate(
	reader: Reader,
	format: OutputFormat,
	kind: 'task' | 'speech',
): string | undefined {
	const raw = reader.options.sampleRate;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const rate = String(raw).trim();
	const allowed = sampleRates(kind, format);
	if (!allowed.includes(rate)) {
		throw reader.fail(
			'Sample Rate',
			'sampleRate',
			`${rate} Hz does not work with the output format ${format}`,
			`must be one of ${allowed.map((r) => `${r} Hz`).join(', ')} for ${format}, or left out for Polly's default.`,
		);
	}
	return rate;
}

function readSpeechMarks(reader: Reader, format: OutputFormat, ssml: boolean): string[] {
	const raw = reader.options.speechMarkTypes ?? [];
	const types = Array.isArray(raw) ? raw.map(String) : [String(raw)];
	const unknown = types.find((t) => !(SPEECH_MARK_TYPES as readonly string[]).includes(t));
	if (unknown !== undefined) {
		throw reader.fail(
			'Speech Mark Types',
			'speechMarkTypes',
			`include one Polly does not know: ${JSON.stringify(unknown).slice(0, 40)}`,
			`must be chosen from ${SPEECH_MARK_TYPES.join(', ')}.`,
		);
	}
	if (format === 'json' && types.length === 0) {
		throw reader.fail(
			'Speech Mark Types',
			'speechMarkTypes',
			'are not set, but the output format is speech marks',
			'must name at least one type (such as word or sentence) when Output Format is Speech Marks (JSON). Or choose an audio format.',
		);
	}
	if (format !== 'json' && types.length > 0) {
		throw reader.fail(
			'Speech Mark Types',
			'speechMarkTypes',
			`are set, but the output format is ${format}, which is audio`,
			'works only with Output Format Speech Marks (JSON): choose that format, or remove Speech Mark Types.',
		);
	}
	if (types.includes('ssml') && !ssml) {
		throw reader.fail(
			'Speech Mark Types',
			'speechMarkTypes',
			'include ssml, but the text is plain text',
			'may include ssml only when Text Type is SSML.',
		);
	}
	return [...new Set(types)];
}

function readLexicons(reader: Reader): string[] {
	const raw = optionalText(reader, 'lexiconNames', 'Lexicon Names');
	if (raw === undefined) return [];
	const names = raw
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const bad = names.find((name) => !LEXICON.test(name));
	if (bad !== undefined || names.length > 5) {
		throw reader.fail(
			'Lexicon Names',
			'lexiconNames',
			bad !== undefined
				? `include a name Polly does not allow: ${bad.slice(0, 40)}`
				: `list ${names.length} lexicons`,
			'must be up to 5 lexicon names, separated by commas, each 1 to 20 letters or digits, such as W3C,Acronyms.',
		);
	}
	return names;
}

function readLanguage(reader: Reader): string | undefined {
	const language = optionalText(reader, 'languageCode', 'Language');
	if (language !== undefined && !LANGUAGE.test(language)) {
		throw reader.fail(
			'Language',
			'languageCode',
			`is not a language code: ${language.slice(0, 40)}`,
			'must be a language code as Polly writes it, such as en-US, hi-IN or arb. Pick one from the list.',
		);
	}
	return language;
}

function readBucket(reader: Reader): string {
	const raw = reader.param('outputS3BucketName', '');
	const bucket = typeof raw === 'string' ? raw.trim() : '';
	if (!BUCKET.test(bucket) || bucket.includes('..')) {
		const problem =
			bucket === ''
				? 'is empty'
				: /^(s3:\/\/|arn:|https?:)/i.test(bucket)
					? 'is a URL or ARN, but the bucket name belongs here'
					: `is not a valid S3 bucket name: ${bucket.slice(0, 70)}`;
		throw reader.fail(
			'S3 Bucket Name',
			'outputS3BucketName',
			problem,
			'must be the name of an S3 bucket: 3 to 63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit, such as my-polly-output.',
		);
	}
	return bucket;
}

function readTaskFields(reader: Reader) {
	const outputS3KeyPrefix = optionalText(reader, 'outputS3KeyPrefix', 'S3 Key Prefix');
	if (outputS3KeyPrefix !== undefined && !KEY_PREFIX.test(outputS3KeyPrefix)) {
		throw reader.fail(
			'S3 Key Prefix',
			'outputS3KeyPrefix',
			'contains characters Polly does not allow',
			"must be at most 800 letters, digits or the characters / ! - _ . * ' ( ) : ; $ @ = + , ? &, such as audio/2026/.",
		);
	}
	const snsTopicArn = optionalText(reader, 'snsTopicArn', 'SNS Topic ARN');
	if (snsTopicArn !== undefined && !SNS_TOPIC.test(snsTopicArn)) {
		throw reader.fail(
			'SNS Topic ARN',
			'snsTopicArn',
			`is not an SNS topic ARN: ${snsTopicArn.slice(0, 70)}`,
			'must be the ARN of an SNS topic, such as arn:aws:sns:us-east-1:111122223333:polly-done.',
		);
	}
	return { outputS3BucketName: readBucket(reader), outputS3KeyPrefix, snsTopicArn };
}

/**
 * Reads and checks one item's synthesis parameters. `task` adds the S3 bucket, key prefix and SNS topic
 * of an asynchronous task; without it the limits are SynthesizeSpeech's.
 */
export function readSynthesis(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: 'task' | 'speech',
): SynthesisRequest {
	const reader = readerFor(ctx, itemIndex);
	const node = ctx.getNode();
	const textType = readChoice(
		node,
		reader.param('textType', 'text'),
		TEXT_TYPES,
		'textType',
		'Text Type',
		itemIndex,
	);
	const ssml = textType === 'ssml';
	const tooLong =
		kind === 'speech'
			? 'For longer text use Start Polly Synthesis Task, which writes the audio to S3, then Wait Until Complete.'
			: 'Split the text over several tasks.';
	const text = readTextToSpeak(ctx, itemIndex, reader, ssml, LIMITS[kind], tooLong);
	const engine = readChoice(
		node,
		reader.param('engine', 'neural'),
		ENGINES,
		'engine',
		'Engine',
		itemIndex,
	);
	const voiceId = readVoice(reader);
	const outputFormat = readChoice(
		node,
		reader.param('outputFormat', 'mp3'),
		OUTPUT_FORMATS,
		'outputFormat',
		'Output Format',
		itemIndex,
	);
	return {
		text,
		textType,
		engine,
		voiceId,
		outputFormat,
		languageCode: readLanguage(reader),
		lexiconNames: readLexicons(reader),
		sampleRate: readSampleRate(reader, outputFormat, kind),
		speechMarkTypes: readSpeechMarks(reader, outputFormat, ssml),
		...(kind === 'task' ? readTaskFields(reader) : {}),
	};
}
