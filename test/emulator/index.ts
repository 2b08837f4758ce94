/**
 * Local speech-cloud emulator (test-only, never shipped): a real HTTP server on 127.0.0.1 that speaks the wire
 * protocols of STS, Polly, Chime SDK Media Pipelines, Chime SDK Voice, S3 (GetObject) and Aspose.OCR Cloud TTS,
 * each mounted under a path prefix. See README.md in this folder.
 *
 *   const emulator = await startEmulator({ timeScale: 0.01 });
 *   new PollyClient({ region: 'us-east-1', endpoint: emulator.endpoints.polly, credentials: emulator.credentials });
 *   …
 *   await emulator.close();
 */
import { Clock } from './clock';
import { FaultInjector } from './faults';
import { ObjectStore } from './object-store';
import { type EmulatorOptions, type ResolvedOptions, resolveOptions } from './options';
import { quotasFor } from './quotas';
import { RequestLog } from './request-log';
import { EmulatorServer } from './server';
import type { Env, ServiceHandler } from './service';
import { AsposeService, type AsposeTaskOptions } from './services/aspose';
import {
	ChimeMediaPipelineService,
	type MediaPipelineTaskInput,
} from './services/chime-media-pipeline';
import { ChimeVoiceService, type VoiceTaskInput } from './services/chime-voice';
import {
	PollyService,
	type PollyTaskExtras,
	PollyValidationError,
	type StartSynthesisInput,
} from './services/polly';
import { S3Service } from './services/s3';
import { type IssuedRoleSession, StsService } from './services/sts';
import type { AwsCredentialSet } from './sigv4';
import { type DenialRule, Denials } from './speaker-search';
import { BearerTokens } from './tokens';
import type { FaultName, FaultRule, RequestLogEntry, ServiceName } from './types';
import { type ContentSource, bufferSource } from './audio/source';

export type {
	AsposeTaskIdFormat,
	EmulatorOptions,
	FixedDuration,
	OutputUriStyle,
	RoleOption,
} from './options';
export type { IssuedRoleSession } from './services/sts';
export type { DenialError, DenialRule } from './speaker-search';
export { DEFAULT_ACTIVE_SPEAKER_SEARCH_TASK_LIMIT, DENIAL_ERRORS } from './speaker-search';
export type {
	FaultName,
	FaultRule,
	RequestLogEntry,
	RouteName,
	RoutePattern,
	ServiceName,
} from './types';
export { FAULT_NAMES, SERVICE_PREFIXES } from './types';
export type { AwsCredentialSet } from './sigv4';
export type { PollyEngine, QuotaOptions, QuotasOption } from './quotas';
export type { StartSynthesisInput, PollyTaskExtras } from './services/polly';
export type { VoiceTaskInput, VoiceOutcome } from './services/chime-voice';
export type { MediaPipelineTaskInput, MediaPipelineOutcome } from './services/chime-media-pipeline';
export type { AsposeTaskOptions, AsposeOutcome } from './services/aspose';
export {
	DEFAULT_CREDENTIALS,
	DEFAULT_ASPOSE,
	DEFAULT_BUCKET,
	DEFAULT_VOICE_CONNECTOR_IDS,
	DEFAULT_PIPELINE_IDS,
	DEFAULT_VOICE_PROFILE_IDS,
} from './options';
export * as durationModel from './duration-model';

export interface EmulatorEndpoints {
	polly: string;
	chimeMediaPipeline: string;
	chimeVoice: string;
	s3: string;
	sts: string;
	aspose: string;
}

export interface EmulatorCredentials extends AwsCredentialSet {
	asposeClientId: string;
	asposeClientSecret: string;
}

export interface Emulator {
	/** e.g. http://127.0.0.1:41234 */
	readonly url: string;
	readonly port: number;
	readonly region: string;
	readonly accountId: string;
	/** Full base URLs including the service prefixes. */
	readonly endpoints: EmulatorEndpoints;
	/** AWS key pair (+ session token if configured) and Aspose client credentials. Passable as SDK `credentials`. */
	readonly credentials: EmulatorCredentials;
	/** Just the AWS part of `credentials`. */
	readonly awsCredentials: AwsCredentialSet;
	/** Seeded resources. */
	readonly resources: {
		voiceConnectorIds: string[];
		mediaInsightsPipelines: Array<{ id: string; arn: string }>;
		/** Voice profile domains ListVoiceProfileDomains lists. */
		voiceProfileDomains: Array<{ id: string; arn: string; name: string }>;
		buckets: string[];
		voiceProfileIds: string[];
	};
	/** The live request log (oldest first). */
	readonly requests: RequestLogEntry[];
	/** Requests of one service (or all when omitted), newest last. */
	requestsFor(service?: ServiceName): RequestLogEntry[];
	/** Replace all fault rules (validated; throws on bad rules). */
	setFaults(rules: FaultRule[]): void;
	addFault(rule: FaultRule): void;
	clearFaults(): void;
	/** How many faults of each kind were injected since start / reset. */
	faultCounts(): Partial<Record<FaultName, number>>;
	/** How many requests each quota throttled since start / reset (option `quotas`), e.g. `{ 'polly:GetList': 3 }`. */
	quotaCounts(): Record<string, number>;
	/** Every Aspose bearer token issued so far becomes expired. Returns how many were live. */
	expireTokens(): number;
	/** The role sessions STS AssumeRole issued since start / reset (temporary credentials, expiry, role). */
	roleSessions(): IssuedRoleSession[];
	/** Replace the IAM-like denials of Chime routes (validated; throws on bad rules). */
	setDenials(rules: DenialRule[]): void;
	addDenial(rule: DenialRule): void;
	clearDenials(): void;
	/** Declare an active Voice Connector call (needed with `voiceTransactions: 'declared'`). */
	startVoiceCall(transactionId: string, options?: { voiceConnectorId?: string }): void;
	/** End a Voice Connector call: a later StartSpeakerSearchTask for it answers 410 GoneException. */
	endVoiceCall(transactionId: string): void;
	/** Speaker search tasks active now (both Chime APIs) in a Region (default `region`): what the quota counts. */
	activeSpeakerSearchTasks(region?: string): number;
	/**
	 * Forget tasks, objects (re-creating seeded buckets), tokens, faults, denials, declared Voice calls (re-seeding
	 * `voiceCalls`) and the request log.
	 */
	reset(): void;
	/** Current emulator time (ms). */
	now(): number;
	/** Manual clock only: move time forward. */
	advance(ms: number): number;
	/** Create a Polly task without an SDK (same validation; throws an Error whose `name` is the AWS error). */
	createPollyTask(input: StartSynthesisInput, extras?: PollyTaskExtras): Record<string, unknown>;
	/** The current SynthesisTask JSON of a task (undefined if unknown/expired). */
	getPollyTask(taskId: string): Record<string, unknown> | undefined;
	/** Create an Aspose TTS task; returns its id. */
	createAsposeTask(text: string, options?: AsposeTaskOptions): string;
	/** The TTSResponse JSON of an Aspose task. */
	getAsposeTask(id: string, options?: { trial?: boolean }): Record<string, unknown>;
	createVoiceSpeakerSearchTask(input?: VoiceTaskInput): Record<string, unknown>;
	getVoiceSpeakerSearchTask(taskId: string): Record<string, unknown> | undefined;
	createMediaPipelineSpeakerSearchTask(input?: MediaPipelineTaskInput): Record<string, unknown>;
	getMediaPipelineSpeakerSearchTask(taskId: string): Record<string, unknown> | undefined;
	/** Put an object into the emulated S3 (bucket created if missing, in `region` or the default region). */
	putObject(
		bucket: string,
		key: string,
		body: Buffer | string | ContentSource,
		options?: { contentType?: string; region?: string },
	): void;
	/** The bytes of an object in the emulated S3, or undefined when there is none (small objects only). */
	objectBytes(bucket: string, key: string): Buffer | undefined;
	/** Issue an Aspose bearer token directly. */
	issueAsposeToken(): string;
	close(): Promise<void>;
}

function seedBuckets(store: ObjectStore, options: ResolvedOptions): void {
	for (const bucket of options.buckets) store.createBucket(bucket.name, bucket.region);
	store.createBucket('denied-bucket', options.region);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const opts = resolveOptions(options);
	const clock = new Clock(opts.clock, opts.timeScale, opts.startTime);
	const store = new ObjectStore();
	seedBuckets(store, opts);
	const log = new RequestLog(opts.requestLogLimit);
	const faults = new FaultInjector(opts.seed);
	faults.set(opts.faults);
	const tokens = new BearerTokens(clock, opts.asposeTokenLifetimeSeconds);
	const denials = new Denials();
	denials.set(opts.denials);
	let baseUrl = '';
	const env: Env = {
		options: opts,
		clock,
		signatureNow: () => Date.now() + opts.clockOffsetMs,
		credentials: [opts.credentials, ...opts.extraCredentials],
		store,
		tokens,
		faults,
		log,
		// Only called while serving requests, after `polly` below is initialised.
		settleOutputs: () => polly.settle(),
		baseUrl: () => baseUrl,
		denials,
		// Only called while serving requests, after both Chime services below are initialised.
		activeSpeakerSearchTasks: (region) =>
			mediaPipelines.activeCount(region) + voice.activeCount(region),
	};
	const polly = new PollyService(env);
	const mediaPipelines = new ChimeMediaPipelineService(env);
	const voice = new ChimeVoiceService(env);
	const aspose = new AsposeService(env);
	const sts = new StsService(env);
	const services = new Map<ServiceName, ServiceHandler>([
		['sts', sts],
		['polly', polly],
		['chimeMediaPipeline', mediaPipelines],
		['chimeVoice', voice],
		['s3', new S3Service(env)],
		['aspose', aspose],
	]);
	const quotas = quotasFor(opts.quotas, opts.accountId, () => clock.now());
	const server = new EmulatorServer(env, services, quotas);
	const port = await server.listen(opts.port, opts.host);
	const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
	baseUrl = `http://${host}:${port}`;

	const pollyTask = polly;
	const emulator: Emulator = {
		url: baseUrl,
		port,
		region: opts.region,
		accountId: opts.accountId,
		endpoints: {
			polly: `${baseUrl}/polly`,
			chimeMediaPipeline: `${baseUrl}/chimeMediaPipeline`,
			chimeVoice: `${baseUrl}/chimeVoice`,
			s3: `${baseUrl}/s3`,
			sts: `${baseUrl}/sts`,
			aspose: `${baseUrl}/aspose`,
		},
		credentials: {
			...opts.credentials,
			asposeClientId: opts.asposeClientId,
			asposeClientSecret: opts.asposeClientSecret,
		},
		awsCredentials: { ...opts.credentials },
		resources: {
			voiceConnectorIds: [...opts.voiceConnectorIds],
			mediaInsightsPipelines: mediaPipelines.pipelines(),
			voiceProfileDomains: voice.domainList().map((d) => ({
				id: String(d.VoiceProfileDomainId),
				arn: String(d.VoiceProfileDomainArn),
				name: String(d.Name),
			})),
			buckets: opts.buckets.map((b) => b.name),
			voiceProfileIds: [...opts.voiceProfileIds],
		},
		requests: log.entries,
		requestsFor: (service) => (service ? log.byService(service) : [...log.entries]),
		setFaults: (rules) => faults.set(rules),
		addFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		faultCounts: () => faults.counts(),
		quotaCounts: () => quotas?.counts() ?? {},
		expireTokens: () => tokens.expireAll(),
		roleSessions: () => sts.issuedSessions(),
		setDenials: (rules) => denials.set(rules),
		addDenial: (rule) => denials.add(rule),
		clearDenials: () => denials.clear(),
		startVoiceCall: (transactionId, o) => voice.startCall(transactionId, o?.voiceConnectorId),
		endVoiceCall: (transactionId) => voice.endCall(transactionId),
		activeSpeakerSearchTasks: (region = opts.region) => env.activeSpeakerSearchTasks(region),
		reset() {
			for (const service of services.values()) service.reset();
			store.clear();
			seedBuckets(store, opts);
			tokens.clear();
			faults.clear();
			faults.resetCounts();
			quotas?.reset();
			denials.clear();
			log.clear();
		},
		now: () => clock.now(),
		advance: (ms) => clock.advance(ms),
		createPollyTask(input, extras) {
			try {
				return pollyTask.describe(pollyTask.createTask(input, extras));
			} catch (error) {
				if (error instanceof PollyValidationError) {
					const e = new Error(error.message);
					e.name = error.errorName;
					throw e;
				}
				throw error;
			}
		},
		getPollyTask: (taskId) => pollyTask.describeById(taskId),
		createAsposeTask: (text, taskOptions) => aspose.createTask(text, taskOptions).id,
		getAsposeTask: (id, o) => aspose.response(id, o?.trial ?? false),
		createVoiceSpeakerSearchTask: (input = {}) => voice.describe(voice.createTask(input)),
		getVoiceSpeakerSearchTask: (taskId) => voice.describeById(taskId),
		createMediaPipelineSpeakerSearchTask: (input = {}) =>
			mediaPipelines.describe(mediaPipelines.createTask(input)),
		getMediaPipelineSpeakerSearchTask: (taskId) => mediaPipelines.describeById(taskId),
		putObject(bucket, key, body, o = {}) {
			if (!store.buckets.has(bucket)) store.createBucket(bucket, o.region ?? opts.region);
			const source =
				typeof body === 'string'
					? bufferSource(Buffer.from(body))
					: Buffer.isBuffer(body)
						? bufferSource(body)
						: body;
			store.put({
				bucket,
				key,
				contentType: o.contentType ?? 'application/octet-stream',
				source,
				lastModified: clock.now(),
			});
		},
		objectBytes(bucket, key) {
			const object = store.get(bucket, key);
			return object ? Buffer.concat([...object.source.chunks()]) : undefined;
		},
		issueAsposeToken: () => tokens.issue(opts.asposeClientId).access_token,
		close: () => server.close(),
	};
	return emulator;
}
