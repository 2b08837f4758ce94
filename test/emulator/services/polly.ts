/**
 * Amazon Polly asynchronous synthesis tasks (restJson1): StartSpeechSynthesisTask, GetSpeechSynthesisTask,
 * ListSpeechSynthesisTasks. Task states are computed lazily from the clock:
 *   scheduled (queuedMs) → inProgress (runningMs) → completed | failed.
 * On completion the output object appears in the emulated S3 bucket under `<prefix>.<TaskId>.<ext>`
 * (or `<TaskId>.<ext>` without a prefix). Tasks disappear after the retention window (72 h × timeScale).
 *
 * Triggers (in Text): `[[fail]]` → failed; `[[hang]]` → stays inProgress; `[[size=N]]` → output object of N
 * bytes (suffix k/m/g = KiB/MiB/GiB); `[[duration=N]]` → the task takes N clock-ms in total.
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
const ENGINES = ['standard', 'neural', 'long-form', 'generative'];
const OUTPUT_FORMATS = ['json', 'mp3', 'ogg_opus', 'ogg_vorbis', 'pcm', 'mulaw', 'alaw'];
const TEXT_TYPES = ['ssml', 'text'];
const SPEECH_MARK_TYPES = ['sentence', 'ssml', 'viseme', 'word'];
const TASK_STATUSES = ['scheduled', 'inProgress', 'completed', 'failed'];
/** Voices without a standard engine (a subset, enough for EngineNotSupportedException). */
const NEURAL_ONLY = new Set([
	'Ruth',
	'Stephen',
	'Kajal',
	'Hiujin',
	'Danielle',
	'Gregory',
	'Niamh',
	'Ayanda',
	'Arlet',
	'Adriano',
	'Thiago',
	'Tiffany',
]);
const LONG_FORM = new Set(['Danielle', 'Gregory', 'Ivy', 'Ruth', 'Joanna', 'Matthew']);
const GENERATIVE = new Set([
	'Ruth',
	'Matthew',
	'Amy',
	'Danielle',
	'Joanna',
	'Stephen',
	'Olivia',
	'Ayanda',
	'Lupe',
	'Pedro',
	'Lea',
	'Remi',
	'Bianca',
	'Lucia',
	'Sergio',
	'Mia',
	'Andres',
	'Vicki',
	'Daniel',
	'Kajal',
	'Tiffany',
	'Ines',
	'Salli',
	'Kendra',
	'Kimberly',
	'Joey',
	'Justin',
	'Kevin',
	'Brian',
]);

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

const ALLOWED_RATES: Record<string, string[]> = {
	mp3: ['8000', '16000', '22050', '24000'],
	ogg_vorbis: ['8000', '16000', '22050', '24000'],
	ogg_opus: ['48000'],
	pcm: ['8000', '16000'],
	mulaw: ['8000'],
	alaw: ['8000'],
	json: ['8000', '16000', '22050', '24000'],
};

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

	constructor(private readonly env: Env) {
		this.profile = {
			protocol: 'restJson',
			signingName: 'polly',
			errorStyle: env.options.errorTypeStyle.polly,
		};
	}

	match(method: string, subPath: string): RouteMatch | undefined {
		const segments = decodeSegments(subPath);
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

	private start(ctx: HandlerContext): Reply {
		let input: StartSynthesisInput;
		try {
			const text = ctx.body.toString('utf8');
			input = text.trim() ? JSON.parse(text) : {};
			if (!input || typeof input !== 'object' || Array.isArray(input))
				throw new Error('not an object');
		} catch {
			return this.error(
				400,
				'SerializationException',
				'Start of structure or map found where not expected.',
			);
		}
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
		let after: { c: number; i: string } | undefined;
		if (token !== undefined && token !== '') {
			try {
				after = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
				if (!after || typeof after.c !== 'number' || typeof after.i !== 'string')
					throw new Error('bad token');
			} catch {
				return this.error(400, 'InvalidNextTokenException', 'The NextToken is invalid.');
			}
		}
		const now = this.env.clock.now();
		// Newest first; ties broken by TaskId, so the keyset token is stable while tasks are added.
		const all = [...this.tasks.values()]
			.filter((t) => !this.expired(t, now))
			.filter((t) => !status || this.statusOf(t, now).status === status)
			.sort(
				(a, b) =>
					b.createdAt - a.createdAt || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0),
			);
		const startIndex = after
			? all.findIndex(
					(t) => t.createdAt < after!.c || (t.createdAt === after!.c && t.taskId > after!.i),
				)
			: 0;
		const page = startIndex < 0 ? [] : all.slice(startIndex, startIndex + max);
		const body: Record<string, unknown> = { SynthesisTasks: page.map((t) => this.describe(t)) };
		if (startIndex >= 0 && startIndex + max < all.length) {
			const last = page[page.length - 1];
			body.NextToken = Buffer.from(JSON.stringify({ c: last.createdAt, i: last.taskId })).toString(
				'base64',
			);
		}
		return jsonReply(200, body);
	}

	// ---- model ------------------------------------------------------------------------------------------------

	/** Validates like the service and creates a task. Throws PollyValidationError. */
	createTask(input: StartSynthesisInput, extras: PollyTaskExtras = {}): PollyTask {
		const opts = this.env.options;
		for (const [field, name] of [
			['OutputFormat', 'outputFormat'],
			['OutputS3BucketName', 'outputS3BucketName'],
			['Text', 'text'],
			['VoiceId', 'voiceId'],
		] as const) {
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
		if (!ENGINES.includes(engine)) throw enumError('engine', engine, ENGINES);
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
		const bucket = input.OutputS3BucketName!;
		if (!BUCKET_PATTERN.test(bucket))
			throw new PollyValidationError(
				'InvalidS3BucketException',
				'Provided Amazon S3 bucket name is invalid. Please check your input with S3 bucket naming requirements and try again.',
			);
		const prefix = input.OutputS3KeyPrefix;
		if (prefix !== undefined && !KEY_PREFIX_PATTERN.test(prefix))
			throw new PollyValidationError(
				'InvalidS3KeyException',
				'Provided Amazon S3 prefix is invalid. Please provide a valid S3 object key name.',
			);
		if (input.SnsTopicArn !== undefined && !SNS_PATTERN.test(input.SnsTopicArn))
			throw new PollyValidationError(
				'InvalidSnsTopicArnException',
				'Provided SNS topic ARN is invalid. Please provide a valid SNS topic ARN and try again.',
			);
		const text = input.Text!;
		if (text.length > 200_000 || billedCharacters(text, textType) > 100_000)
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
		if (
			input.SampleRate !== undefined &&
			!(ALLOWED_RATES[format] ?? []).includes(String(input.SampleRate))
		)
			throw new PollyValidationError(
				'InvalidSampleRateException',
				`Invalid SampleRate ${String(input.SampleRate)} for OutputFormat ${format}`,
			);
		const voice = input.VoiceId!;
		if (
			(engine === 'standard' && NEURAL_ONLY.has(voice)) ||
			(engine === 'long-form' && !LONG_FORM.has(voice)) ||
			(engine === 'generative' && !GENERATIVE.has(voice))
		)
			throw new PollyValidationError(
				'EngineNotSupportedException',
				`This voice does not support the selected engine: ${engine}`,
			);
		for (const lexicon of lexicons)
			if (!opts.pollyLexicons.includes(lexicon))
				throw new PollyValidationError(
					'LexiconNotFoundException',
					`Lexicon not found: ${lexicon}`,
					404,
				);

		const taskId = uuid();
		const ext = opts.pollyExtensions[format] ?? format;
		const key = prefix ? `${prefix}.${taskId}.${ext}` : `${taskId}.${ext}`;
		const region = extras.region ?? opts.region;
		const now = this.env.clock.now();
		const seed = hashSeed(taskId);
		const requestCharacters = billedCharacters(text, textType);

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
			input: { ...input, Engine: engine, TextType: textType },
			engine,
			outputFormat: format,
			sampleRate: input.SampleRate ? Number(input.SampleRate) : defaultSampleRate(format, engine),
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
