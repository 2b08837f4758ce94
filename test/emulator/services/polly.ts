/**
 * Amazon Polly (restJson1): the asynchronous synthesis tasks (StartSpeechSynthesisTask, GetSpeechSynthesisTask,
 * ListSpeechSynthesisTasks), DescribeVoices and the synchronous SynthesizeSpeech. Task states are computed lazily
 * from the clock:
 *   scheduled (queuedMs) → inProgress (runningMs) → completed | failed.
 * On completion the output object appears in the emulated S3 bucket under `<prefix>.<TaskId>.<ext>`
 * (or `<TaskId>.<ext>` without a prefix) — see `outputKey()` for why there is a dot. Tasks disappear after the
 * retention window (72 h × timeScale). Voices, engines and languages all come from `polly-voices.ts`.
 *
 * Triggers (in Text): `[[fail]]` → failed; `[[hang]]` → stays inProgress; `[[size=N]]` → output object of N
 * bytes (suffix k/m/g = KiB/MiB/GiB); `[[duration=N]]` → the task takes N clock-ms in total.
 * SynthesizeSpeech: `[[size=N]]` → an answer of N bytes; `[[fail]]` → 500 ServiceFailureException.
 * Bucket triggers: `fail-bucket` → failed (S3 write error); `denied-bucket` → written, but GetObject is denied.
 */
import { pollyOutputSource, POLLY_CONTENT_TYPES } from '../audio';
import type { SpeechMarkType } from '../audio/speech-marks';
import { awsFaultReply, verifyAwsRequest, type AwsServiceProfile } from '../aws-auth';
import { pollyTaskPhasesMs } from '../duration-model';
import { jsonReply, restJsonError } from '../errors';
import { phasesFor } from '../options';
import { hashSeed, uuid } from '../random';
import {
	filterVoices,
	POLLY_ENGINES,
	pollyVoice,
	voiceSpeaks,
	voiceSupportsEngine,
} from './polly-voices';
import {
	type Env,
	type HandlerContext,
	type RouteMatch,
	type ServiceHandler,
	decodeSegments,
	queryValue,
} from '../service';
import type { FaultName, FaultRule, Reply } from '../types';

export const POLLY_VOICES = [
	'Aditi',
	'Amy',
	'Astrid',
	'Bianca',
	'Brian',
	'Camila',
	'Carla',
	'Carmen',
	'Celine',
	'Chantal',
	'Conchita',
	'Cristiano',
	'Dora',
	'Emma',
	'Enrique',
	'Ewa',
	'Filiz',
	'Gabrielle',
	'Geraint',
	'Giorgio',
	'Gwyneth',
	'Hans',
	'Ines',
	'Ivy',
	'Jacek',
	'Jan',
	'Joanna',
	'Joey',
	'Justin',
	'Karl',
	'Kendra',
	'Kevin',
	'Kimberly',
	'Lea',
	'Liv',
	'Lotte',
	'Lucia',
	'Lupe',
	'Mads',
	'Maja',
	'Marlene',
	'Mathieu',
	'Matthew',
	'Maxim',
	'Mia',
	'Miguel',
	'Mizuki',
	'Naja',
	'Nicole',
	'Olivia',
	'Penelope',
	'Raveena',
	'Ricardo',
	'Ruben',
	'Russell',
	'Salli',
	'Seoyeon',
	'Takumi',
	'Tatyana',
	'Vicki',
	'Vitoria',
	'Zeina',
	'Zhiyu',
	'Aria',
	'Ayanda',
	'Arlet',
	'Hannah',
	'Arthur',
	'Daniel',
	'Liam',
	'Pedro',
	'Kajal',
	'Hiujin',
	'Laura',
	'Elin',
	'Ida',
	'Suvi',
	'Ola',
	'Hala',
	'Andres',
	'Sergio',
	'Remi',
	'Adriano',
	'Thiago',
	'Ruth',
	'Stephen',
	'Kazuha',
	'Tomoko',
	'Niamh',
	'Sofie',
	'Lisa',
	'Isabelle',
	'Zayd',
	'Danielle',
	'Gregory',
	'Burcu',
	'Jitka',
	'Sabrina',
	'Jasmine',
	'Jihye',
	'Ambre',
	'Beatrice',
	'Florian',
	'Lennart',
	'Lorenzo',
	'Tiffany',
];
export const POLLY_LANGUAGE_CODES = [
	'arb',
	'cmn-CN',
	'cy-GB',
	'da-DK',
	'de-DE',
	'en-AU',
	'en-GB',
	'en-GB-WLS',
	'en-IN',
	'en-US',
	'es-ES',
	'es-MX',
	'es-US',
	'fr-CA',
	'fr-FR',
	'is-IS',
	'it-IT',
	'ja-JP',
	'hi-IN',
	'ko-KR',
	'nb-NO',
	'nl-NL',
	'pl-PL',
	'pt-BR',
	'pt-PT',
	'ro-RO',
	'ru-RU',
	'sv-SE',
	'tr-TR',
	'en-NZ',
	'en-ZA',
	'ca-ES',
	'de-AT',
	'yue-CN',
	'ar-AE',
	'fi-FI',
	'en-IE',
	'nl-BE',
	'fr-BE',
	'cs-CZ',
	'de-CH',
	'en-SG',
];
const ENGINES: readonly string[] = POLLY_ENGINES;
const OUTPUT_FORMATS = ['json', 'mp3', 'ogg_opus', 'ogg_vorbis', 'pcm', 'mulaw', 'alaw'];
const TEXT_TYPES = ['ssml', 'text'];
const SPEECH_MARK_TYPES = ['sentence', 'ssml', 'viseme', 'word'];
const TASK_STATUSES = ['scheduled', 'inProgress', 'completed', 'failed'];

/**
 * SynthesizeSpeech answers with these Content-Types, as its model documents for each OutputFormat
 * (SynthesizeSpeechOutput.ContentType in polly-2016-06-10.service-2.json). mu-law / a-law differ from the
 * S3 object types in POLLY_CONTENT_TYPES.
 */
export const SYNTHESIZE_CONTENT_TYPES: Readonly<Record<string, string>> = {
	mp3: 'audio/mpeg',
	ogg_vorbis: 'audio/ogg',
	ogg_opus: 'audio/ogg',
	pcm: 'audio/pcm',
	mulaw: 'audio/mulaw',
	alaw: 'audio/alaw',
	json: 'application/x-json-stream',
};

const TASK_ID_PATTERN = /^[a-zA-Z0-9_-]{1,100}$/;
const BUCKET_PATTERN = /^[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]$/;
const KEY_PREFIX_PATTERN = /^[0-9a-zA-Z/!\-_.*'():;$@=+,?&]{0,800}$/;
const SNS_PATTERN =
	/^arn:aws(-(cn|iso(-b)?|us-gov))?:sns:[a-z0-9_-]{1,50}:\d{12}:[a-zA-Z0-9_-]{1,251}([a-zA-Z0-9_-]{0,5}|\.fifo)$/;
const LEXICON_PATTERN = /^[0-9A-Za-z]{1,20}$/;

export type TaskOutcome = 'succeed' | 'fail' | 'hang';

export interface StartSynthesisInput {
	Engine?: string;
	LanguageCode?: string;
	LexiconNames?: string[];
	OutputFormat?: string;
	OutputS3BucketName?: string;
	OutputS3KeyPrefix?: string;
	SampleRate?: string;
	SnsTopicArn?: string;
	SpeechMarkTypes?: string[];
	Text?: string;
	TextType?: string;
	VoiceId?: string;
}

/** Extras for `emulator.createPollyTask()`. */
export interface PollyTaskExtras {
	outcome?: TaskOutcome;
	/** Reason shown when failed. */
	failureReason?: string;
	/** Total duration (clock ms) or phases; overrides the model and `durations.polly`. */
	durationMs?: number | { queuedMs?: number; runningMs?: number };
	/** Exact size of the output object. */
	outputSizeBytes?: number;
	/** Signing region the task was started in (default: emulator region). */
	region?: string;
}

interface PollyTask {
	taskId: string;
	/** Creation order: breaks creation-time ties so list cursors never skip or repeat a task. */
	seq: number;
	input: StartSynthesisInput;
	engine: string;
	outputFormat: string;
	sampleRate: number;
	textType: string;
	bucket: string;
	key: string;
	outputUri: string;
	createdAt: number;
	queuedMs: number;
	runningMs: number;
	requestCharacters: number;
	outcome: TaskOutcome;
	failureReason?: string;
	sizeBytes?: number;
	seed: number;
	region: string;
	written: boolean;
}

export class PollyValidationError extends Error {
	constructor(
		readonly errorName: string,
		message: string,
		readonly status = 400,
	) {
		super(message);
		this.name = errorName;
	}
}

function defaultSampleRate(format: string, engine: string): number {
	if (format === 'pcm') return 16000;
	if (format === 'ogg_opus') return 48000;
	if (format === 'mulaw' || format === 'alaw') return 8000;
	return engine === 'standard' ? 22050 : 24000;
}

/** SampleRate values per OutputFormat, from the SampleRate docs of StartSpeechSynthesisTaskInput. */
const TASK_RATES: Record<string, string[]> = {
	mp3: ['8000', '16000', '22050', '24000'],
	ogg_vorbis: ['8000', '16000', '22050', '24000'],
	ogg_opus: ['48000'],
	pcm: ['8000', '16000'],
	mulaw: ['8000'],
	alaw: ['8000'],
	json: ['8000', '16000', '22050', '24000'],
};
/** SynthesizeSpeechInput's SampleRate docs also allow 44100 and 48000 for mp3 and ogg_vorbis. */
const SPEECH_RATES: Record<string, string[]> = {
	...TASK_RATES,
	mp3: [...TASK_RATES.mp3, '44100', '48000'],
	ogg_vorbis: [...TASK_RATES.ogg_vorbis, '44100', '48000'],
};

/** What a synchronous SynthesizeSpeech request carries (StartSpeechSynthesisTask minus the output members). */
export type SynthesizeSpeechInput = Omit<
	StartSynthesisInput,
	'OutputS3BucketName' | 'OutputS3KeyPrefix' | 'SnsTopicArn'
>;

/** A request that passed validation, normalized. */
interface ValidSynthesis {
	format: string;
	engine: string;
	textType: string;
	marks: string[];
	lexicons: string[];
	text: string;
	billed: number;
	sampleRate: number;
}

/** Limits of the Text member: total characters and billed characters (TextLengthExceededException docs). */
const TEXT_LIMITS = {
	task: { total: 200_000, billed: 100_000 },
	speech: { total: 6_000, billed: 3_000 },
};

/**
 * The object key of a task's output. AWS inserts a dot between OutputS3KeyPrefix and the task id: the developer
 * guide's CLI example answers `…/your-bucket-name/optional/prefix/path/file.<task_id>.mp3` for the prefix
 * `optional/prefix/path/file` (https://docs.aws.amazon.com/polly/latest/dg/longer-cli.html), and a user with a
 * prefix ending in `/` got objects named `.<TaskId>.mp3` (https://github.com/aws/aws-sdk-net/issues/1880).
 */
export function outputKey(prefix: string | undefined, taskId: string, ext: string): string {
	return prefix ? `${prefix}.${taskId}.${ext}` : `${taskId}.${ext}`;
}

/** Characters Polly bills: SSML tags are not counted. */
export function billedCharacters(text: string, textType: string): number {
	return textType === 'ssml' ? text.replace(/<[^>]*>/g, '').length : text.length;
}

function parseSize(value: string): number | undefined {
	const m = /^(\d+)\s*([kmg]i?b?)?$/i.exec(value.trim());
	if (!m) return undefined;
	const unit = (m[2] ?? '').toLowerCase()[0];
	const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
	return Number(m[1]) * factor;
}

function enumError(field: string, value: unknown, values: string[]): PollyValidationError {
	return new PollyValidationError(
		'ValidationException',
		`1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
	);
}

export class PollyService implements ServiceHandler {
	readonly name = 'polly' as const;
	private readonly tasks = new Map<string, PollyTask>();
	private readonly pending = new Set<PollyTask>();
	private readonly profile: AwsServiceProfile;
	private nextSeq = 0;

	constructor(private readonly env: Env) {
		this.profile = {
			protocol: 'restJson',
			signingName: 'polly',
			errorStyle: env.options.errorTypeStyle.polly,
		};
	}

	match(method: string, subPath: string): RouteMatch | undefined {
		const segments = decodeSegments(subPath);
		if (segments?.length === 2 && segments[0] === 'v1') {
			if (segments[1] === 'voices' && method === 'GET')
				return { route: 'polly.voices', params: {}, handle: (ctx) => this.voices(ctx) };
			if (segments[1] === 'speech' && method === 'POST')
				return { route: 'polly.synthesize', params: {}, handle: (ctx) => this.synthesize(ctx) };
		}
		if (!segments || segments[0] !== 'v1' || segments[1] !== 'synthesisTasks') return undefined;
		if (segments.length === 2 && method === 'POST')
			return { route: 'polly.start', params: {}, handle: (ctx) => this.start(ctx) };
		if (segments.length === 2 && method === 'GET')
			return { route: 'polly.list', params: {}, handle: (ctx) => this.list(ctx) };
		if (segments.length === 3 && method === 'GET')
			return {
				route: 'polly.get',
				params: { taskId: segments[2] },
				handle: (ctx, p) => this.get(ctx, p.taskId),
			};
		return undefined;
	}

	authenticate(ctx: HandlerContext): Promise<Reply | undefined> {
		return verifyAwsRequest(this.env, ctx, this.profile);
	}

	appliesFault(fault: FaultName): boolean {
		return fault !== 's3Redirect';
	}

	faultReply(rule: FaultRule, ctx: HandlerContext): Reply {
		const retry =
			rule.retryAfterSeconds !== undefined ? { 'Retry-After': rule.retryAfterSeconds } : undefined;
		return (
			awsFaultReply(this.env, this.profile, rule, ctx, {
				throttle: () =>
					this.error(400, 'ThrottlingException', rule.message ?? 'Rate exceeded', retry),
				error500: () =>
					this.error(
						500,
						'ServiceFailureException',
						rule.message ?? 'An unknown condition has caused a service failure.',
					),
				error503: () =>
					this.error(503, 'ServiceUnavailableException', rule.message ?? 'Service Unavailable'),
			}) ?? this.error(500, 'ServiceFailureException', 'fault')
		);
	}

	unknownRoute(ctx: HandlerContext): Reply {
		return this.error(
			404,
			'UnknownOperationException',
			`No operation matches ${ctx.method} ${ctx.subPath}`,
		);
	}

	reset(): void {
		this.tasks.clear();
		this.pending.clear();
		this.nextSeq = 0;
	}

	error(
		status: number,
		name: string,
		message: string,
		headers?: Record<string, string | number>,
	): Reply {
		return restJsonError({
			status,
			name,
			message,
			style: this.profile.errorStyle ?? 'coral',
			namespace: 'com.amazonaws.polly.v1',
			body: 'message',
			headers,
		});
	}

	// ---- operations -------------------------------------------------------------------------------------------

	/** The JSON object of a request body, or the SerializationException reply. */
	private jsonBody<T>(ctx: HandlerContext): { input: T } | { reply: Reply } {
		try {
			const text = ctx.body.toString('utf8');
			const input: unknown = text.trim() ? JSON.parse(text) : {};
			if (!input || typeof input !== 'object' || Array.isArray(input))
				throw new Error('not an object');
			return { input: input as T };
		} catch {
			return {
				reply: this.error(
					400,
					'SerializationException',
					'Start of structure or map found where not expected.',
				),
			};
		}
	}

	private start(ctx: HandlerContext): Reply {
		const body = this.jsonBody<StartSynthesisInput>(ctx);
		if ('reply' in body) return body.reply;
		const input = body.input;
		try {
			const task = this.createTask(input, { region: ctx.aws?.region });
			return jsonReply(200, { SynthesisTask: this.describe(task) });
		} catch (error) {
			if (error instanceof PollyValidationError)
				return this.error(error.status, error.errorName, error.message);
			throw error;
		}
	}

	private get(ctx: HandlerContext, taskId: string): Reply {
		void ctx;
		if (!TASK_ID_PATTERN.test(taskId))
			return this.error(
				400,
				'InvalidTaskIdException',
				'Provided Task ID is not valid. Please provide a valid Task ID and try again.',
			);
		const task = this.lookup(taskId);
		if (!task)
			return this.error(
				400,
				'SynthesisTaskNotFoundException',
				'The Speech Synthesis task with requested Task ID cannot be found.',
			);
		return jsonReply(200, { SynthesisTask: this.describe(task) });
	}

	private list(ctx: HandlerContext): Reply {
		const maxRaw = queryValue(ctx.query, 'MaxResults');
		const status = queryValue(ctx.query, 'Status');
		const token = queryValue(ctx.query, 'NextToken');
		let max = 100;
		if (maxRaw !== undefined) {
			max = Number(maxRaw);
			if (!Number.isInteger(max) || max < 1 || max > 100)
				return this.error(
					400,
					'ValidationException',
					`1 validation error detected: Value '${maxRaw}' at 'maxResults' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`,
				);
		}
		if (status !== undefined && !TASK_STATUSES.includes(status))
			return this.error(
				400,
				'ValidationException',
				enumError('status', status, TASK_STATUSES).message,
			);
		let after: { c: number; s: number } | undefined;
		if (token !== undefined && token !== '') {
			try {
				after = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
				if (!after || typeof after.c !== 'number' || typeof after.s !== 'number')
					throw new Error('bad token');
			} catch {
				return this.error(400, 'InvalidNextTokenException', 'The NextToken is invalid.');
			}
		}
		const now = this.env.clock.now();
		// Keyset paging on (CreationTime, creation order): a cursor stays valid while tasks are added — with
		// newestFirst they land before it, with oldestFirst after it — so no task is skipped or listed twice.
		const sign = this.env.options.pollyListOrder === 'oldestFirst' ? 1 : -1;
		const compare = (a: { c: number; s: number }, b: { c: number; s: number }) =>
			sign * (a.c - b.c || a.s - b.s);
		const key = (t: PollyTask) => ({ c: t.createdAt, s: t.seq });
		const all = [...this.tasks.values()]
			.filter((t) => !this.expired(t, now))
			.filter((t) => !status || this.statusOf(t, now).status === status)
			.sort((a, b) => compare(key(a), key(b)));
		const rest = after ? all.filter((t) => compare(key(t), after!) > 0) : all;
		const page = rest.slice(0, max);
		const body: Record<string, unknown> = { SynthesisTasks: page.map((t) => this.describe(t)) };
		if (rest.length > max) {
			const last = page[page.length - 1];
			body.NextToken = Buffer.from(JSON.stringify(key(last))).toString('base64');
		}
		return jsonReply(200, body);
	}

	private voices(ctx: HandlerContext): Reply {
		const engine = queryValue(ctx.query, 'Engine');
		const languageCode = queryValue(ctx.query, 'LanguageCode');
		const include = queryValue(ctx.query, 'IncludeAdditionalLanguageCodes');
		const token = queryValue(ctx.query, 'NextToken');
		if (engine !== undefined && !ENGINES.includes(engine))
			return this.error(
				400,
				'ValidationException',
				enumError('engine', engine, [...ENGINES]).message,
			);
		if (languageCode !== undefined && !POLLY_LANGUAGE_CODES.includes(languageCode))
			return this.error(
				400,
				'ValidationException',
				enumError('languageCode', languageCode, POLLY_LANGUAGE_CODES).message,
			);
		if (include !== undefined && include !== 'true' && include !== 'false')
			return this.error(
				400,
				'SerializationException',
				`Value '${include}' at 'includeAdditionalLanguageCodes' is not a boolean`,
			);
		const voices = filterVoices({
			engine,
			languageCode,
			includeAdditionalLanguageCodes: include === 'true',
		});
		let offset = 0;
		if (token !== undefined && token !== '') {
			const decoded = /^v(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
			offset = decoded ? Number(decoded[1]) : -1;
			if (offset <= 0 || offset >= voices.length)
				return this.error(400, 'InvalidNextTokenException', 'The NextToken is invalid.');
		}
		const size = this.env.options.pollyVoicesPageSize;
		const page = size > 0 ? voices.slice(offset, offset + size) : voices.slice(offset);
		const body: Record<string, unknown> = { Voices: page };
		if (offset + page.length < voices.length)
			body.NextToken = Buffer.from(`v${offset + page.length}`).toString('base64');
		return jsonReply(200, body);
	}

	private synthesize(ctx: HandlerContext): Reply {
		const body = this.jsonBody<SynthesizeSpeechInput>(ctx);
		if ('reply' in body) return body.reply;
		const input = body.input;
		let valid: ValidSynthesis;
		try {
			valid = this.validate(input, 'speech');
		} catch (error) {
			if (error instanceof PollyValidationError)
				return this.error(error.status, error.errorName, error.message);
			throw error;
		}
		if (valid.text.includes('[[fail]]'))
			return this.error(
				500,
				'ServiceFailureException',
				'An unknown condition has caused a service failure.',
			);
		const sizeTrigger = /\[\[size=([^\]]+)\]\]/.exec(valid.text);
		const source = pollyOutputSource({
			outputFormat: valid.format,
			sampleRate: valid.sampleRate,
			text: valid.text,
			spokenCharacters: valid.billed,
			textType: valid.textType,
			speechMarkTypes: valid.marks as SpeechMarkType[],
			sizeBytes: sizeTrigger ? parseSize(sizeTrigger[1]) : undefined,
			seed: hashSeed(input.VoiceId ?? '', valid.engine, valid.text),
		});
		return {
			status: 200,
			headers: {
				'Content-Type': SYNTHESIZE_CONTENT_TYPES[valid.format],
				'x-amzn-RequestCharacters': String(valid.billed),
			},
			body: source,
		};
	}

	// ---- model ------------------------------------------------------------------------------------------------

	/**
	 * The checks StartSpeechSynthesisTask (`task`) and SynthesizeSpeech (`speech`) share, in one order: required
	 * members, enums and patterns, (task only) bucket / prefix / SNS topic, text length, SSML, speech marks, sample
	 * rate, then the voice table (engine, language) and lexicons. Throws PollyValidationError.
	 */
	private validate(input: StartSynthesisInput, op: 'task' | 'speech'): ValidSynthesis {
		const required =
			op === 'task'
				? ([
						['OutputFormat', 'outputFormat'],
						['OutputS3BucketName', 'outputS3BucketName'],
						['Text', 'text'],
						['VoiceId', 'voiceId'],
					] as const)
				: ([
						['OutputFormat', 'outputFormat'],
						['Text', 'text'],
						['VoiceId', 'voiceId'],
					] as const);
		for (const [field, name] of required) {
			if (input[field] === undefined || input[field] === null)
				throw new PollyValidationError(
					'ValidationException',
					`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
				);
			if (typeof input[field] !== 'string')
				throw new PollyValidationError(
					'SerializationException',
					`Unexpected value type for ${field}`,
				);
		}
		const format = input.OutputFormat!;
		if (!OUTPUT_FORMATS.includes(format)) throw enumError('outputFormat', format, OUTPUT_FORMATS);
		if (!POLLY_VOICES.includes(input.VoiceId!))
			throw enumError('voiceId', input.VoiceId, POLLY_VOICES);
		const engine = input.Engine ?? 'standard';
		if (!ENGINES.includes(engine)) throw enumError('engine', engine, [...ENGINES]);
		const textType = input.TextType ?? 'text';
		if (!TEXT_TYPES.includes(textType)) throw enumError('textType', textType, TEXT_TYPES);
		if (input.LanguageCode !== undefined && !POLLY_LANGUAGE_CODES.includes(input.LanguageCode))
			throw enumError('languageCode', input.LanguageCode, POLLY_LANGUAGE_CODES);
		const marks = input.SpeechMarkTypes ?? [];
		if (!Array.isArray(marks))
			throw new PollyValidationError('SerializationException', 'SpeechMarkTypes must be a list');
		if (marks.length > 4)
			throw new PollyValidationError(
				'ValidationException',
				"1 validation error detected: Value at 'speechMarkTypes' failed to satisfy constraint: Member must have length less than or equal to 4",
			);
		for (const mark of marks)
			if (!SPEECH_MARK_TYPES.includes(mark))
				throw enumError('speechMarkTypes', mark, SPEECH_MARK_TYPES);
		const lexicons = input.LexiconNames ?? [];
		if (!Array.isArray(lexicons) || lexicons.length > 5)
			throw new PollyValidationError(
				'ValidationException',
				"1 validation error detected: Value at 'lexiconNames' failed to satisfy constraint: Member must have length less than or equal to 5",
			);
		for (const lexicon of lexicons)
			if (!LEXICON_PATTERN.test(lexicon))
				throw new PollyValidationError(
					'ValidationException',
					`1 validation error detected: Value '${lexicon}' at 'lexiconNames' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z]{1,20}`,
				);
		if (op === 'task') this.validateOutput(input);
		const text = input.Text!;
		const billed = billedCharacters(text, textType);
		const limits = TEXT_LIMITS[op];
		if (text.length > limits.total || billed > limits.billed)
			throw new PollyValidationError(
				'TextLengthExceededException',
				'Maximum text length has been exceeded',
			);
		if (text.length === 0)
			throw new PollyValidationError(
				'ValidationException',
				"1 validation error detected: Value '' at 'text' failed to satisfy constraint: Member must have length greater than or equal to 1",
			);
		if (textType === 'ssml' && !/^\s*<speak(\s[^>]*)?>[\s\S]*<\/speak>\s*$/.test(text))
			throw new PollyValidationError('InvalidSsmlException', 'Invalid SSML request');
		if (format === 'json' && marks.length === 0)
			throw new PollyValidationError(
				'ValidationException',
				'SpeechMarkTypes must be specified when OutputFormat is json',
			);
		if (format !== 'json' && marks.length > 0)
			throw new PollyValidationError(
				'MarksNotSupportedForFormatException',
				'Speech marks are only supported with the json output format',
			);
		if (marks.includes('ssml') && textType !== 'ssml')
			throw new PollyValidationError(
				'SsmlMarksNotSupportedForTextTypeException',
				'SSML speech marks are not supported for plain text-type input',
			);
		const rates = (op === 'task' ? TASK_RATES : SPEECH_RATES)[format] ?? [];
		if (input.SampleRate !== undefined && !rates.includes(String(input.SampleRate)))
			throw new PollyValidationError(
				'InvalidSampleRateException',
				`Invalid SampleRate ${String(input.SampleRate)} for OutputFormat ${format}`,
			);
		const voice = pollyVoice(input.VoiceId!);
		// Every VoiceId of the model is in the table (checked by the fidelity tests); a miss is an emulator bug.
		if (!voice) throw new Error(`voice ${input.VoiceId} missing from the voice table`);
		if (!voiceSupportsEngine(voice, engine))
			throw new PollyValidationError(
				'EngineNotSupportedException',
				`This voice does not support the selected engine: ${engine}`,
			);
		// Emulator assumption: a LanguageCode the voice does not speak (its own or, for bilingual voices, an
		// additional one) is refused; AWS only documents the exception as "not supported in this capacity".
		if (input.LanguageCode !== undefined && !voiceSpeaks(voice, input.LanguageCode))
			throw new PollyValidationError(
				'LanguageNotSupportedException',
				`Voice ${voice.Id} does not support the language ${input.LanguageCode}. The language specified is not currently supported by Amazon Polly in this capacity.`,
			);
		for (const lexicon of lexicons)
			if (!this.env.options.pollyLexicons.includes(lexicon))
				throw new PollyValidationError(
					'LexiconNotFoundException',
					`Lexicon not found: ${lexicon}`,
					404,
				);
		return {
			format,
			engine,
			textType,
			marks,
			lexicons,
			text,
			billed,
			sampleRate: input.SampleRate ? Number(input.SampleRate) : defaultSampleRate(format, engine),
		};
	}

	/** StartSpeechSynthesisTask's output members: bucket name, key prefix, SNS topic. */
	private validateOutput(input: StartSynthesisInput): void {
		if (!BUCKET_PATTERN.test(input.OutputS3BucketName!))
			throw new PollyValidationError(
				'InvalidS3BucketException',
				'Provided Amazon S3 bucket name is invalid. Please check your input with S3 bucket naming requirements and try again.',
			);
		const prefix = input.OutputS3KeyPrefix;
		if (prefix !== undefined && (typeof prefix !== 'string' || !KEY_PREFIX_PATTERN.test(prefix)))
			throw new PollyValidationError(
				'InvalidS3KeyException',
				'Provided Amazon S3 prefix is invalid. Please provide a valid S3 object key name.',
			);
		if (input.SnsTopicArn !== undefined && !SNS_PATTERN.test(input.SnsTopicArn))
			throw new PollyValidationError(
				'InvalidSnsTopicArnException',
				'Provided SNS topic ARN is invalid. Please provide a valid SNS topic ARN and try again.',
			);
	}

	/** Validates like the service and creates a task. Throws PollyValidationError. */
	createTask(input: StartSynthesisInput, extras: PollyTaskExtras = {}): PollyTask {
		const opts = this.env.options;
		const { format, engine, textType, sampleRate, billed } = this.validate(input, 'task');
		const bucket = input.OutputS3BucketName!;
		const prefix = input.OutputS3KeyPrefix;
		const text = input.Text!;
		const taskId = uuid();
		const ext = opts.pollyExtensions[format] ?? format;
		const key = outputKey(prefix, taskId, ext);
		const region = extras.region ?? opts.region;
		const now = this.env.clock.now();
		const seed = hashSeed(taskId);
		const requestCharacters = billed;

		let outcome: TaskOutcome = extras.outcome ?? 'succeed';
		let failureReason = extras.failureReason;
		if (!extras.outcome) {
			if (text.includes('[[hang]]')) outcome = 'hang';
			if (text.includes('[[fail]]')) {
				outcome = 'fail';
				failureReason ??=
					'An internal error occurred while synthesizing the speech. Please try again.';
			}
			if (
				bucket === 'fail-bucket' ||
				(!opts.autoCreateBuckets && !this.env.store.buckets.has(bucket))
			) {
				outcome = 'fail';
				failureReason ??=
					'Error occurred while trying to upload file to S3. Please verify that the bucket exists in this region and you have permission to write objects to the specified bucket.';
			}
		}
		if (outcome === 'fail') failureReason ??= 'Speech synthesis failed.';
		const sizeTrigger = /\[\[size=([^\]]+)\]\]/.exec(text);
		const sizeBytes =
			extras.outputSizeBytes ??
			(sizeTrigger ? parseSize(sizeTrigger[1]) : undefined) ??
			opts.pollyOutputSizeBytes;
		const durationTrigger = /\[\[duration=(\d+)\]\]/.exec(text);
		const fixed =
			extras.durationMs ??
			(durationTrigger ? Number(durationTrigger[1]) : undefined) ??
			opts.durations.polly;
		const phases = phasesFor(
			fixed,
			pollyTaskPhasesMs({ characters: requestCharacters, engine, outputFormat: format, seed }),
			opts.timeScale,
		);

		const task: PollyTask = {
			taskId,
			seq: this.nextSeq++,
			input: { ...input, Engine: engine, TextType: textType },
			engine,
			outputFormat: format,
			sampleRate,
			textType,
			bucket,
			key,
			outputUri: this.outputUri(bucket, key, region),
			createdAt: now,
			queuedMs: phases.queuedMs,
			runningMs: phases.initializingMs + phases.runningMs,
			requestCharacters,
			outcome,
			failureReason,
			sizeBytes,
			seed,
			region,
			written: false,
		};
		this.tasks.set(taskId, task);
		if (outcome === 'succeed') this.pending.add(task);
		return task;
	}

	/** The SynthesisTask JSON of a task id (undefined if unknown or expired). */
	describeById(taskId: string): Record<string, unknown> | undefined {
		const task = this.lookup(taskId);
		return task && this.describe(task);
	}

	describe(task: PollyTask): Record<string, unknown> {
		const { status } = this.statusOf(task, this.env.clock.now());
		const out: Record<string, unknown> = {
			Engine: task.engine,
			TaskId: task.taskId,
			TaskStatus: status,
		};
		if (status === 'failed') out.TaskStatusReason = task.failureReason;
		out.OutputUri = task.outputUri;
		out.CreationTime = task.createdAt / 1000;
		out.RequestCharacters = task.requestCharacters;
		if (task.input.SnsTopicArn) out.SnsTopicArn = task.input.SnsTopicArn;
		if (task.input.LexiconNames?.length) out.LexiconNames = task.input.LexiconNames;
		out.OutputFormat = task.outputFormat;
		if (task.input.SampleRate) out.SampleRate = String(task.input.SampleRate);
		if (task.input.SpeechMarkTypes?.length) out.SpeechMarkTypes = task.input.SpeechMarkTypes;
		out.TextType = task.textType;
		out.VoiceId = task.input.VoiceId;
		if (task.input.LanguageCode) out.LanguageCode = task.input.LanguageCode;
		return out;
	}

	/** Writes the objects of tasks that completed by now (called before S3 looks up an object). */
	settle(): void {
		if (this.pending.size === 0) return;
		const now = this.env.clock.now();
		for (const task of this.pending) {
			if (task.outcome !== 'succeed') {
				this.pending.delete(task);
				continue;
			}
			if (now - task.createdAt >= task.queuedMs + task.runningMs) {
				this.write(task);
				this.pending.delete(task);
			}
		}
	}

	private write(task: PollyTask): void {
		if (task.written) return;
		const store = this.env.store;
		if (!store.buckets.has(task.bucket)) store.createBucket(task.bucket, task.region);
		const spokenCharacters = billedCharacters(task.input.Text ?? '', task.textType);
		store.put({
			bucket: task.bucket,
			key: task.key,
			contentType: POLLY_CONTENT_TYPES[task.outputFormat] ?? 'application/octet-stream',
			source: pollyOutputSource({
				outputFormat: task.outputFormat,
				sampleRate: task.sampleRate,
				text: task.input.Text ?? '',
				spokenCharacters,
				textType: task.textType,
				speechMarkTypes: task.input.SpeechMarkTypes as SpeechMarkType[] | undefined,
				sizeBytes: task.sizeBytes,
				seed: task.seed,
			}),
			lastModified: task.createdAt + task.queuedMs + task.runningMs,
			fingerprint: `${task.taskId}/${task.outputFormat}/${task.sizeBytes ?? ''}`,
		});
		task.written = true;
	}

	private lookup(taskId: string): PollyTask | undefined {
		const task = this.tasks.get(taskId);
		if (!task) return undefined;
		if (this.expired(task, this.env.clock.now())) {
			this.tasks.delete(taskId);
			this.pending.delete(task);
			return undefined;
		}
		return task;
	}

	private expired(task: PollyTask, now: number): boolean {
		return now - task.createdAt >= this.env.clock.scaled(this.env.options.pollyRetentionMs);
	}

	private statusOf(task: PollyTask, now: number): { status: string } {
		const elapsed = now - task.createdAt;
		if (elapsed < task.queuedMs) return { status: 'scheduled' };
		if (task.outcome === 'hang' || elapsed < task.queuedMs + task.runningMs)
			return { status: 'inProgress' };
		if (task.outcome === 'fail') return { status: 'failed' };
		if (!task.written) {
			this.write(task);
			this.pending.delete(task);
		}
		return { status: 'completed' };
	}

	private outputUri(bucket: string, key: string, region: string): string {
		const opts = this.env.options;
		const path = opts.outputUriEncodeKey ? key.split('/').map(encodeURIComponent).join('/') : key;
		const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
		switch (opts.outputUriStyle) {
			case 'global':
				return `https://s3.${suffix}/${bucket}/${path}`;
			case 'dash':
				return `https://s3-${region}.${suffix}/${bucket}/${path}`;
			case 'virtual-hosted':
				return `https://${bucket}.s3.${region}.${suffix}/${path}`;
			case 's3':
				return `s3://${bucket}/${path}`;
			case 'emulator':
				return `${this.env.baseUrl()}/s3/${bucket}/${path}`;
			default:
				return `https://s3.${region}.${suffix}/${bucket}/${path}`;
		}
	}
}
