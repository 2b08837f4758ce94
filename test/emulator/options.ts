/** Options of `startEmulator()` and their defaults. */
import type { ClockMode } from './clock';
import type { ErrorTypeStyle } from './errors';
import type { QuotasOption } from './quotas';
import type { AwsCredentialSet } from './sigv4';
import { DEFAULT_ACTIVE_SPEAKER_SEARCH_TASK_LIMIT, type DenialRule } from './speaker-search';
import type { FaultRule } from './types';

/** A fixed duration for every task of a service: total ms, or explicit phases. Not multiplied by timeScale. */
export type FixedDuration =
	| number
	| { queuedMs?: number; initializingMs?: number; runningMs?: number };

/** How Polly writes `OutputUri` (the object is always also served by the emulator's /s3 endpoint). */
export type OutputUriStyle =
	| 'regional' // https://s3.{region}.amazonaws.com/{bucket}/{key}  (documented Polly form; default)
	| 'global' // https://s3.amazonaws.com/{bucket}/{key}
	| 'dash' // https://s3-{region}.amazonaws.com/{bucket}/{key}
	| 'virtual-hosted' // https://{bucket}.s3.{region}.amazonaws.com/{key}
	| 's3' // s3://{bucket}/{key}
	| 'emulator'; // {emulator.endpoints.s3}/{bucket}/{key}

export interface EmulatorOptions {
	/** Interface to listen on (default 127.0.0.1). */
	host?: string;
	/** Port (default 0 = chosen by the OS). */
	port?: number;
	/** Default region (default us-east-1): OutputUri region, seeded resources, accepted scope region. */
	region?: string;
	/** Regions accepted in SigV4 credential scopes for Polly, Chime and STS (default [region]); `*` = any. */
	acceptedRegions?: string[] | '*';
	/** AWS credentials every request must be signed with (default: the fixed test pair below). */
	credentials?: AwsCredentialSet;
	/** More accepted AWS credentials (e.g. a second user). */
	extraCredentials?: AwsCredentialSet[];
	accountId?: string;
	/** IAM user name shown by GetCallerIdentity (default speech-tasks-emulator). */
	userName?: string;
	/**
	 * IAM roles that STS AssumeRole may assume (default none: every AssumeRole → 403 AccessDenied). Their
	 * temporary credentials are accepted by every service until they expire on the emulator clock.
	 */
	roles?: RoleOption[];
	/** Regions in which STS is not activated: AssumeRole signed for them → 403 RegionDisabledException. */
	stsDisabledRegions?: string[];
	asposeClientId?: string;
	asposeClientSecret?: string;
	/** Lifetime of issued Aspose bearer tokens (default 3600 s), on the emulator clock. */
	asposeTokenLifetimeSeconds?: number;
	/** `real` (default) or `manual` (moves only with `advance(ms)`). */
	clock?: ClockMode;
	/** Start time of a manual clock (default now). */
	startTime?: number | Date;
	/** Multiplier applied to every modelled duration and retention window (default 1; 0.01 = 100× faster). */
	timeScale?: number;
	/** Fixed task durations per service (override the duration model; not scaled). */
	durations?: {
		polly?: FixedDuration;
		aspose?: FixedDuration;
		chimeVoice?: FixedDuration;
		chimeMediaPipeline?: FixedDuration;
	};
	/** Fault rules active from the start. */
	faults?: FaultRule[];
	/** Seed of all emulator randomness (fault rates, generated audio) (default 42). */
	seed?: number;
	/** SigV4 `x-amz-date` tolerance (default 15 min). */
	maxClockSkewMs?: number;
	/** Offset of the emulator's signature clock from the machine clock (also sent in the `Date` header), to test real skew. */
	clockOffsetMs?: number;
	/** `x-amzn-ErrorType` style per service (default: polly `coral`, chime `plain`). */
	errorTypeStyle?: {
		polly?: ErrorTypeStyle;
		chimeMediaPipeline?: ErrorTypeStyle;
		chimeVoice?: ErrorTypeStyle;
	};
	/** Form of Polly's OutputUri (default `regional`). */
	outputUriStyle?: OutputUriStyle;
	/** Percent-encode key characters in OutputUri (default false: the key appears as written). */
	outputUriEncodeKey?: boolean;
	/** Pre-existing S3 buckets (default: `speech-tasks-output` in `region`). */
	buckets?: Array<string | { name: string; region?: string }>;
	/** Polly writing to an unknown bucket creates it in the request's region (default true); if false the task fails. */
	autoCreateBuckets?: boolean;
	/** Polly output file extension per OutputFormat (default mp3→mp3, ogg_*→ogg, pcm→pcm, json→marks, mulaw→mulaw, alaw→alaw). */
	pollyExtensions?: Partial<Record<string, string>>;
	/** Every Polly output object gets exactly this size (bytes), generated on the fly. */
	pollyOutputSizeBytes?: number;
	/** Polly lexicons that exist (default ['EmulatorLexicon']). */
	pollyLexicons?: string[];
	/** How long Polly tasks stay retrievable (default 72 h, scaled by timeScale). */
	pollyRetentionMs?: number;
	/**
	 * Order of ListSpeechSynthesisTasks (default `newestFirst`). AWS documents "ordered by their creation date" without
	 * the direction, so clients can be tested against both.
	 */
	pollyListOrder?: 'newestFirst' | 'oldestFirst';
	/** DescribeVoices page size (default 0 = every voice on one page, no NextToken). */
	pollyVoicesPageSize?: number;
	/** How long Aspose results stay retrievable (default 24 h, scaled by timeScale). */
	asposeRetentionMs?: number;
	/** Trial endpoint: max text length (default 500). */
	asposeTrialMaxCharacters?: number;
	/** Trial endpoint: calls per client IP per emulator day (default unlimited; the real service allows 10). */
	asposeTrialDailyLimit?: number;
	/** Submit answers the task id JSON-quoted (`"…"`) instead of bare text (default false; the real form is unconfirmed). */
	asposeQuotedTaskId?: boolean;
	/**
	 * How submit writes the task id in its text/plain body (default `plain`, or `quoted` with asposeQuotedTaskId):
	 * `plain` `id`, `quoted` `"id"`, `padded` ` id\r\n`, `quoted-padded` `"id"\n`. The real form is unconfirmed.
	 */
	asposeTaskIdFormat?: AsposeTaskIdFormat;
	/** WAV sample rate of Aspose results (default 16000). */
	asposeSampleRate?: number;
	/** Chime SDK Voice connector IDs that exist (default two fixed IDs). */
	voiceConnectorIds?: string[];
	/** Voice profile IDs returned as speaker search matches. */
	voiceProfileIds?: string[];
	/** Media insights pipelines that exist: IDs (ARNs are derived) (default two fixed IDs). */
	mediaInsightsPipelineIds?: string[];
	/**
	 * Media pipelines of other kinds (capture, concatenation, live connector, stream) that ListMediaPipelines lists
	 * after the media insights pipelines, with `media-pipeline/{id}` ARNs; speaker searches on them → NotFoundException
	 * (default none).
	 */
	otherMediaPipelineIds?: string[];
	/**
	 * Voice profile domains that exist (IDs; Media Pipelines takes `arn:aws:chime:{region}:{accountId}:voice-profile-domain/{id}`).
	 * Default: every domain exists (except names containing `no-such-domain`). Start with another → NotFoundException.
	 */
	voiceProfileDomainIds?: string[];
	/**
	 * Most speaker search tasks active at once per Region, both APIs together (default 25, the published quota
	 * "Active speaker search tasks per region"). A Start beyond it → 400 ResourceLimitExceededException.
	 */
	activeSpeakerSearchTaskLimit?: number;
	/**
	 * Which Voice Connector calls (TransactionIds) exist: `any` (default) — every TransactionId is an active call
	 * unless ended with `endVoiceCall()`; `declared` — only the calls in `voiceCalls` / `startVoiceCall()`
	 * (others → 422 UnprocessableEntityException).
	 */
	voiceTransactions?: 'any' | 'declared';
	/** Active Voice Connector calls at start (and after `reset()`): TransactionIds, optionally tied to a connector. */
	voiceCalls?: Array<string | { transactionId: string; voiceConnectorId?: string }>;
	/** IAM-like denials of Chime routes (403 ForbiddenException / AccessDeniedException, 401 UnauthorizedClientException). */
	denials?: DenialRule[];
	/** Max request log entries kept (default 100000). */
	requestLogLimit?: number;
	/** Largest accepted request body (default 1 MiB; Polly text can be 200k characters). */
	maxBodyBytes?: number;
	/**
	 * Request-rate quotas per account and Region, as AWS documents them (see quotas.ts): `true` for the documented
	 * rates, an object to change some. Default off. Over a quota: Polly 400 ThrottlingException, Chime 429
	 * ThrottledClientException.
	 */
	quotas?: QuotasOption;
}

export type AsposeTaskIdFormat = 'plain' | 'quoted' | 'padded' | 'quoted-padded';

/** A role of the `roles` option: its trust policy and session limit, as far as AssumeRole checks them. */
export interface RoleOption {
	arn: string;
	/** The trust policy's sts:ExternalId condition: AssumeRole without this exact value → AccessDenied. */
	externalId?: string;
	/** The role's MaxSessionDuration (default 3600; 3600–43200). */
	maxSessionSeconds?: number;
	/** Access key IDs the trust policy allows (default: every accepted key). */
	trustedAccessKeyIds?: string[];
	/** AssumeRole of this role answers this documented error (session policies and tags of the caller). */
	error?: 'MalformedPolicyDocument' | 'PackedPolicyTooLarge';
}

export const DEFAULT_CREDENTIALS: AwsCredentialSet = {
	accessKeyId: 'AKIAEMULATOR00000001',
	secretAccessKey: 'emulatorSecretKey/0000000000000000000000',
};

export const DEFAULT_ASPOSE = {
	clientId: 'emulator-client-id',
	clientSecret: 'emulator-client-secret',
};

export const DEFAULT_VOICE_CONNECTOR_IDS = ['abcdef1ghijkl2mnopqrs3', 'voiceconnector00000001'];
export const DEFAULT_VOICE_PROFILE_IDS = [
	'9a8b7c6d-1111-4aaa-8bbb-0123456789ab',
	'9a8b7c6d-2222-4aaa-8bbb-0123456789ab',
	'9a8b7c6d-3333-4aaa-8bbb-0123456789ab',
];
export const DEFAULT_PIPELINE_IDS = [
	'11111111-2222-4333-8444-555555555555',
	'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
];
/** The voice profile domains ListVoiceProfileDomains lists when `voiceProfileDomainIds` is not set. */
export const DEFAULT_VOICE_PROFILE_DOMAINS = [
	{
		id: 'emulator-voice-profile-domain',
		name: 'Customers',
		description: 'Voice profiles of callers who agreed to voice identification',
	},
	{ id: 'emulator-domain', name: 'Agents', description: 'Voice profiles of contact center agents' },
];
export const DEFAULT_BUCKET = 'speech-tasks-output';

export const DEFAULT_POLLY_EXTENSIONS: Record<string, string> = {
	mp3: 'mp3',
	ogg_vorbis: 'ogg',
	ogg_opus: 'ogg',
	pcm: 'pcm',
	json: 'marks',
	mulaw: 'mulaw',
	alaw: 'alaw',
};

export type ResolvedOptions = Required<
	Omit<
		EmulatorOptions,
		| 'startTime'
		| 'pollyOutputSizeBytes'
		| 'buckets'
		| 'errorTypeStyle'
		| 'durations'
		| 'pollyExtensions'
		| 'faults'
		| 'asposeTrialDailyLimit'
		| 'voiceProfileDomainIds'
		| 'voiceCalls'
		| 'denials'
		| 'asposeQuotedTaskId'
	>
> & {
	startTime: number;
	pollyOutputSizeBytes?: number;
	buckets: Array<{ name: string; region: string }>;
	errorTypeStyle: {
		polly: ErrorTypeStyle;
		chimeMediaPipeline: ErrorTypeStyle;
		chimeVoice: ErrorTypeStyle;
	};
	durations: NonNullable<EmulatorOptions['durations']>;
	pollyExtensions: Record<string, string>;
	faults: FaultRule[];
	asposeTrialDailyLimit: number;
	voiceProfileDomainIds?: string[];
	voiceCalls: Array<{ transactionId: string; voiceConnectorId?: string }>;
	denials: DenialRule[];
};

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
	const region = options.region ?? 'us-east-1';
	const start = options.startTime instanceof Date ? options.startTime.getTime() : options.startTime;
	return {
		host: options.host ?? '127.0.0.1',
		port: options.port ?? 0,
		region,
		acceptedRegions: options.acceptedRegions ?? [region],
		credentials: options.credentials ?? DEFAULT_CREDENTIALS,
		extraCredentials: options.extraCredentials ?? [],
		accountId: options.accountId ?? '123456789012',
		userName: options.userName ?? 'speech-tasks-emulator',
		roles: options.roles ?? [],
		stsDisabledRegions: options.stsDisabledRegions ?? [],
		asposeClientId: options.asposeClientId ?? DEFAULT_ASPOSE.clientId,
		asposeClientSecret: options.asposeClientSecret ?? DEFAULT_ASPOSE.clientSecret,
		asposeTokenLifetimeSeconds: options.asposeTokenLifetimeSeconds ?? 3600,
		clock: options.clock ?? 'real',
		startTime: start ?? Date.now(),
		timeScale: options.timeScale ?? 1,
		durations: options.durations ?? {},
		faults: options.faults ?? [],
		seed: options.seed ?? 42,
		maxClockSkewMs: options.maxClockSkewMs ?? 15 * 60_000,
		clockOffsetMs: options.clockOffsetMs ?? 0,
		errorTypeStyle: {
			polly: options.errorTypeStyle?.polly ?? 'coral',
			chimeMediaPipeline: options.errorTypeStyle?.chimeMediaPipeline ?? 'plain',
			chimeVoice: options.errorTypeStyle?.chimeVoice ?? 'plain',
		},
		outputUriStyle: options.outputUriStyle ?? 'regional',
		outputUriEncodeKey: options.outputUriEncodeKey ?? false,
		buckets: (options.buckets ?? [DEFAULT_BUCKET]).map((b) =>
			typeof b === 'string' ? { name: b, region } : { name: b.name, region: b.region ?? region },
		),
		autoCreateBuckets: options.autoCreateBuckets ?? true,
		pollyExtensions: {
			...DEFAULT_POLLY_EXTENSIONS,
			...(options.pollyExtensions as Record<string, string> | undefined),
		},
		pollyOutputSizeBytes: options.pollyOutputSizeBytes,
		pollyLexicons: options.pollyLexicons ?? ['EmulatorLexicon'],
		pollyRetentionMs: options.pollyRetentionMs ?? 72 * 3_600_000,
		pollyListOrder: options.pollyListOrder ?? 'newestFirst',
		pollyVoicesPageSize: options.pollyVoicesPageSize ?? 0,
		asposeRetentionMs: options.asposeRetentionMs ?? 24 * 3_600_000,
		asposeTrialMaxCharacters: options.asposeTrialMaxCharacters ?? 500,
		asposeTrialDailyLimit: options.asposeTrialDailyLimit ?? Number.POSITIVE_INFINITY,
		asposeSampleRate: options.asposeSampleRate ?? 16000,
		asposeTaskIdFormat:
			options.asposeTaskIdFormat ?? (options.asposeQuotedTaskId ? 'quoted' : 'plain'),
		voiceConnectorIds: options.voiceConnectorIds ?? DEFAULT_VOICE_CONNECTOR_IDS,
		voiceProfileIds: options.voiceProfileIds ?? DEFAULT_VOICE_PROFILE_IDS,
		mediaInsightsPipelineIds: options.mediaInsightsPipelineIds ?? DEFAULT_PIPELINE_IDS,
		otherMediaPipelineIds: options.otherMediaPipelineIds ?? [],
		voiceProfileDomainIds: options.voiceProfileDomainIds,
		activeSpeakerSearchTaskLimit:
			options.activeSpeakerSearchTaskLimit ?? DEFAULT_ACTIVE_SPEAKER_SEARCH_TASK_LIMIT,
		voiceTransactions: options.voiceTransactions ?? 'any',
		voiceCalls: (options.voiceCalls ?? []).map((c) =>
			typeof c === 'string' ? { transactionId: c } : { ...c },
		),
		denials: options.denials ?? [],
		requestLogLimit: options.requestLogLimit ?? 100_000,
		maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
		quotas: options.quotas ?? false,
	};
}

/** Phases (clock ms) for a task: a fixed duration if configured, else the model's phases × timeScale. */
export function phasesFor(
	fixed: FixedDuration | undefined,
	model: { queuedMs: number; initializingMs: number; runningMs: number },
	timeScale: number,
): { queuedMs: number; initializingMs: number; runningMs: number; totalMs: number } {
	let queuedMs: number;
	let initializingMs: number;
	let runningMs: number;
	if (fixed === undefined) {
		queuedMs = model.queuedMs * timeScale;
		initializingMs = model.initializingMs * timeScale;
		runningMs = model.runningMs * timeScale;
	} else if (typeof fixed === 'number') {
		const total = model.queuedMs + model.initializingMs + model.runningMs || 1;
		queuedMs = (fixed * model.queuedMs) / total;
		initializingMs = (fixed * model.initializingMs) / total;
		runningMs = fixed - queuedMs - initializingMs;
	} else {
		queuedMs = fixed.queuedMs ?? 0;
		initializingMs = fixed.initializingMs ?? 0;
		runningMs = fixed.runningMs ?? 0;
	}
	return { queuedMs, initializingMs, runningMs, totalMs: queuedMs + initializingMs + runningMs };
}
