/**
 * Amazon Chime SDK Media Pipelines speaker search (restJson1, signing name `chime`):
 *   StartSpeakerSearchTask `POST /media-insights-pipelines/{identifier}/speaker-search-tasks?operation=start` → 201
 *   GetSpeakerSearchTask   `GET  /media-insights-pipelines/{identifier}/speaker-search-tasks/{speakerSearchTaskId}`
 *   StopSpeakerSearchTask  `POST /media-insights-pipelines/{identifier}/speaker-search-tasks/{id}?operation=stop` → 204
 *   ListMediaPipelines     `GET  /sdk-media-pipelines?max-results=&next-token=` → 200 `{ MediaPipelines, NextToken? }`
 * `identifier` is a pipeline ID or its ARN (percent-encoded as one path segment).
 * ListMediaPipelines lists every media pipeline of the account and Region, whatever its kind, with only its ID and
 * ARN (MediaPipelineSummary): the media insights pipelines, then the `otherMediaPipelineIds` (capture,
 * concatenation, … pipelines, on which speaker searches answer NotFound). Paging as `../paging.ts` says.
 * States (lazy): NotStarted → Initializing → InProgress → Stopped (finished) | Failed; Stop → Stopping → Stopped.
 * Outcome triggers in VoiceProfileDomainArn (substring): `fail` → Failed, `hang` → stays InProgress.
 * Start errors, in the order they are checked: 400 BadRequestException (Coral-style validation of every member),
 * 404 NotFoundException (unknown pipeline), 409 ConflictException (ClientRequestToken reused with other parameters;
 * the same parameters give back the same task), 404 NotFoundException (unknown voice profile domain: see
 * `voiceProfileDomainIds`, or `no-such-domain` in the ARN), 400 ResourceLimitExceededException (active speaker
 * searches in the Region ≥ `activeSpeakerSearchTaskLimit`). Denials (403/401) come after the signature check.
 */
import { type AwsServiceProfile, awsFaultReply, verifyAwsRequest } from '../aws-auth';
import { chimeSpeakerSearchPhasesMs } from '../duration-model';
import { jsonReply, restJsonError } from '../errors';
import { phasesFor } from '../options';
import { pageOf } from '../paging';
import { hashSeed, uuid } from '../random';
import {
	ChimeApiError,
	Violations,
	badRequest,
	conflict,
	denialError,
	notFound,
	resourceLimitExceeded,
	voiceProfileDomainExists,
} from '../speaker-search';
import {
	type Env,
	type HandlerContext,
	type RouteMatch,
	type ServiceHandler,
	decodeSegments,
	iso,
	queryValue,
} from '../service';
import type { FaultName, FaultRule, Reply, RouteName } from '../types';

export type MediaPipelineOutcome = 'Stopped' | 'Failed' | 'hang';

const GUID = /^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$/;
const NON_EMPTY = /^.*\S.*$/;
const ARN = /^arn[/:\-_.a-zA-Z0-9]+$/;
const STREAM_ARN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+\/[a-zA-Z0-9_.-]+\/[0-9]+$/;
const FRAGMENT_NUMBER = /^[0-9]+$/;
const CLIENT_TOKEN = /^[-_a-zA-Z0-9]*$/;
const DOMAIN_ARN = /^arn:aws[a-z-]*:chime:([a-z0-9-]+):(\d{12}):voice-profile-domain\/(.+)$/;
const KVS = 'kinesisVideoStreamSourceTaskConfiguration';
/** States that count against the per-Region quota of active speaker search tasks. */
const ACTIVE = new Set(['NotStarted', 'Initializing', 'InProgress', 'Stopping']);
/** Time a stopped task spends in `Stopping` (emulated ms, × timeScale). */
const STOPPING_MS = 1_000;

export interface MediaPipelineTaskInput {
	/** Pipeline ID or ARN (default: the first seeded pipeline). */
	identifier?: string;
	voiceProfileDomainArn?: string;
	kinesisVideoStreamSourceTaskConfiguration?: {
		StreamArn: string;
		ChannelId: number;
		FragmentNumber?: string;
	};
	clientRequestToken?: string;
	outcome?: MediaPipelineOutcome;
	/** Total (clock ms) or phases; overrides the model and `durations.chimeMediaPipeline`. */
	durationMs?: number | { queuedMs?: number; initializingMs?: number; runningMs?: number };
}

interface MediaPipelineTask {
	id: string;
	pipelineId: string;
	/** Region of the request that started it (the per-Region quota). */
	region: string;
	/** The request parameters, to tell an idempotent repeat from a conflicting reuse of its ClientRequestToken. */
	fingerprint: string;
	voiceProfileDomainArn: string;
	createdAt: number;
	queuedMs: number;
	initializingMs: number;
	runningMs: number;
	outcome: MediaPipelineOutcome;
	stopRequestedAt?: number;
	clientRequestToken?: string;
}

export class ChimeMediaPipelineError extends ChimeApiError {}

export class ChimeMediaPipelineService implements ServiceHandler {
	readonly name = 'chimeMediaPipeline' as const;
	private readonly tasks = new Map<string, MediaPipelineTask>();
	private readonly byToken = new Map<string, MediaPipelineTask>();
	private readonly profile: AwsServiceProfile;

	constructor(private readonly env: Env) {
		this.profile = {
			protocol: 'restJson',
			signingName: 'chime',
			errorStyle: env.options.errorTypeStyle.chimeMediaPipeline,
		};
	}

	/** Seeded pipelines: id → ARN. */
	pipelines(): Array<{ id: string; arn: string }> {
		const { region, accountId, mediaInsightsPipelineIds } = this.env.options;
		return mediaInsightsPipelineIds.map((id) => ({
			id,
			arn: `arn:aws:chime:${region}:${accountId}:media-insights-pipeline/${id}`,
		}));
	}

	match(
		method: string,
		subPath: string,
		query: Record<string, string | string[]>,
	): RouteMatch | undefined {
		const s = decodeSegments(subPath);
		if (s?.length === 1 && method === 'GET' && s[0] === 'sdk-media-pipelines')
			return {
				route: 'chimeMediaPipeline.list',
				params: {},
				handle: (ctx) => this.list(ctx),
			};
		if (
			!s ||
			s[0] !== 'media-insights-pipelines' ||
			s[2] !== 'speaker-search-tasks' ||
			s.length < 3 ||
			s.length > 4
		)
			return undefined;
		const operation = queryValue(query, 'operation');
		if (s.length === 3 && method === 'POST' && operation === 'start')
			return {
				route: 'chimeMediaPipeline.start',
				params: { pipeline: s[1] },
				handle: (ctx, p) => this.start(ctx, p.pipeline),
			};
		if (s.length === 4 && method === 'GET')
			return {
				route: 'chimeMediaPipeline.get',
				params: { pipeline: s[1], task: s[3] },
				handle: (_c, p) => this.get(p.pipeline, p.task),
			};
		if (s.length === 4 && method === 'POST' && operation === 'stop')
			return {
				route: 'chimeMediaPipeline.stop',
				params: { pipeline: s[1], task: s[3] },
				handle: (_c, p) => this.stop(p.pipeline, p.task),
			};
		return undefined;
	}

	async authenticate(ctx: HandlerContext, route: RouteName): Promise<Reply | undefined> {
		const failure = await verifyAwsRequest(this.env, ctx, this.profile);
		if (failure) return failure;
		const denial = this.env.denials.find(route, ctx.aws?.accessKeyId);
		return denial && this.fail(denialError(denial, route, this.env.options));
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
					this.error(
						429,
						'ThrottledClientException',
						'Throttling',
						rule.message ?? 'The client exceeded its request rate limit.',
						retry,
					),
				error500: () =>
					this.error(
						500,
						'ServiceFailureException',
						'ServiceFailure',
						rule.message ?? 'The service encountered an unexpected error.',
					),
				error503: () =>
					this.error(
						503,
						'ServiceUnavailableException',
						'ServiceUnavailable',
						rule.message ?? 'The service is currently unavailable.',
					),
			}) ?? this.error(500, 'ServiceFailureException', 'ServiceFailure', 'fault')
		);
	}

	unknownRoute(ctx: HandlerContext): Reply {
		return this.error(
			404,
			'NotFoundException',
			'NotFound',
			`No route for ${ctx.method} ${ctx.subPath}`,
		);
	}

	reset(): void {
		this.tasks.clear();
		this.byToken.clear();
	}

	error(
		status: number,
		name: string,
		code: string,
		message: string,
		headers?: Record<string, string | number>,
	): Reply {
		return restJsonError({
			status,
			name,
			code,
			message,
			style: this.profile.errorStyle ?? 'plain',
			namespace: 'com.amazonaws.chimesdkmediapipelines',
			body: 'chime-with-request-id',
			headers,
		});
	}

	private fail(error: unknown): Reply {
		if (error instanceof ChimeApiError)
			return this.error(error.status, error.errorName, error.code, error.message);
		throw error;
	}

	/** Every media pipeline as ListMediaPipelines summarises it: media insights pipelines first, then the others. */
	summaries(): Array<{ MediaPipelineId: string; MediaPipelineArn: string }> {
		const { region, accountId, otherMediaPipelineIds } = this.env.options;
		return [
			...this.pipelines().map((p) => ({ MediaPipelineId: p.id, MediaPipelineArn: p.arn })),
			...otherMediaPipelineIds.map((id) => ({
				MediaPipelineId: id,
				MediaPipelineArn: `arn:aws:chime:${region}:${accountId}:media-pipeline/${id}`,
			})),
		];
	}

	private list(ctx: HandlerContext): Reply {
		try {
			const { page, nextToken } = pageOf(this.summaries(), ctx.query, 'MediaPipelines');
			return jsonReply(200, {
				MediaPipelines: page,
				...(nextToken ? { NextToken: nextToken } : {}),
			});
		} catch (error) {
			return this.fail(error);
		}
	}

	/** Resolves a pipeline ID or ARN to the ID. */
	private resolvePipeline(identifier: string): string {
		if (!/\S/.test(identifier) || identifier.length > 1024) throw badRequest('Invalid identifier.');
		const pipeline = this.pipelines().find((p) => p.id === identifier || p.arn === identifier);
		if (!pipeline) throw notFound(`Media insights pipeline ${identifier} not found.`);
		return pipeline.id;
	}

	private start(ctx: HandlerContext, identifier: string): Reply {
		let body: Record<string, unknown>;
		try {
			body = ctx.body.length ? JSON.parse(ctx.body.toString('utf8')) : {};
			if (!body || typeof body !== 'object') throw new Error('not an object');
		} catch {
			return this.error(400, 'BadRequestException', 'BadRequest', 'Invalid request body.');
		}
		try {
			// Validated before any default is filled in: an absent VoiceProfileDomainArn is a BadRequest here.
			this.validate({
				identifier,
				voiceProfileDomainArn: body.VoiceProfileDomainArn,
				kinesisVideoStreamSourceTaskConfiguration: body.KinesisVideoStreamSourceTaskConfiguration,
				clientRequestToken: body.ClientRequestToken,
			});
			const task = this.createTask(
				{
					identifier,
					voiceProfileDomainArn: body.VoiceProfileDomainArn as string,
					kinesisVideoStreamSourceTaskConfiguration:
						body.KinesisVideoStreamSourceTaskConfiguration as MediaPipelineTaskInput['kinesisVideoStreamSourceTaskConfiguration'],
					clientRequestToken: (body.ClientRequestToken as string | null | undefined) ?? undefined,
				},
				{ region: ctx.aws?.region ?? this.env.options.region },
			);
			return jsonReply(201, { SpeakerSearchTask: this.describe(task) });
		} catch (error) {
			return this.fail(error);
		}
	}

	private find(identifier: string, taskId: string): MediaPipelineTask {
		const pipelineId = this.resolvePipeline(identifier);
		if (!GUID.test(taskId)) throw badRequest(`Invalid SpeakerSearchTaskId: ${taskId}`);
		const task = this.tasks.get(taskId.toLowerCase());
		if (!task || task.pipelineId !== pipelineId)
			throw notFound(`Speaker search task ${taskId} not found.`);
		return task;
	}

	private get(identifier: string, taskId: string): Reply {
		try {
			return jsonReply(200, { SpeakerSearchTask: this.describe(this.find(identifier, taskId)) });
		} catch (error) {
			return this.fail(error);
		}
	}

	private stop(identifier: string, taskId: string): Reply {
		try {
			const task = this.find(identifier, taskId);
			const status = this.statusOf(task, this.env.clock.now());
			if (status === 'Stopped' || status === 'Failed' || status === 'Stopping')
				return this.error(
					409,
					'ConflictException',
					'Conflict',
					`Speaker search task ${taskId} is ${status}.`,
				);
			task.stopRequestedAt = this.env.clock.now();
			return { status: 204, headers: {} };
		} catch (error) {
			return this.fail(error);
		}
	}

	/** Start's input validation (every member, as the model constrains it) → BadRequestException. */
	private validate(input: {
		identifier: unknown;
		voiceProfileDomainArn: unknown;
		kinesisVideoStreamSourceTaskConfiguration: unknown;
		clientRequestToken: unknown;
	}): void {
		const v = new Violations();
		v.check('identifier', input.identifier, {
			type: 'string',
			required: true,
			max: 1024,
			pattern: NON_EMPTY,
			patternText: '.*\\S.*',
		});
		v.check('voiceProfileDomainArn', input.voiceProfileDomainArn, {
			type: 'string',
			required: true,
			min: 1,
			max: 1024,
			pattern: ARN,
			patternText: '^arn[\\/\\:\\-\\_\\.a-zA-Z0-9]+$',
			sensitive: true,
		});
		const kvs = input.kinesisVideoStreamSourceTaskConfiguration as
			| Record<string, unknown>
			| undefined;
		if (v.check(KVS, kvs, { type: 'object' }) && kvs) {
			v.check(`${KVS}.streamArn`, kvs.StreamArn, {
				type: 'string',
				required: true,
				min: 1,
				max: 1024,
				pattern: STREAM_ARN,
				patternText: 'arn:[a-z\\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+/[a-zA-Z0-9_.-]+/[0-9]+',
			});
			v.check(`${KVS}.channelId`, kvs.ChannelId, {
				type: 'integer',
				required: true,
				min: 0,
				max: 1,
			});
			v.check(`${KVS}.fragmentNumber`, kvs.FragmentNumber, {
				type: 'string',
				min: 1,
				max: 128,
				pattern: FRAGMENT_NUMBER,
				patternText: '^[0-9]+$',
			});
		}
		v.check('clientRequestToken', input.clientRequestToken, {
			type: 'string',
			min: 2,
			max: 64,
			pattern: CLIENT_TOKEN,
			patternText: '[-_a-zA-Z0-9]*',
			sensitive: true,
		});
		v.throwIfAny();
	}

	/** Whether the voice profile domain of an ARN exists (for a Start in `region`). */
	private domainExists(arn: string, region: string): boolean {
		const configured = this.env.options.voiceProfileDomainIds;
		const parsed = DOMAIN_ARN.exec(arn);
		if (!voiceProfileDomainExists(parsed?.[3] ?? arn, configured)) return false;
		if (configured === undefined) return true;
		return parsed !== null && parsed[1] === region && parsed[2] === this.env.options.accountId;
	}

	/** Speaker search tasks of this API active now in a Region. */
	activeCount(region: string): number {
		const now = this.env.clock.now();
		let count = 0;
		for (const task of this.tasks.values())
			if (task.region === region && ACTIVE.has(this.statusOf(task, now))) count++;
		return count;
	}

	/**
	 * Creates a task as StartSpeakerSearchTask does. `request` is set for requests over HTTP: then the voice profile
	 * domain must exist and the per-Region quota applies; the emulator API helpers (no `request`) skip both.
	 */
	createTask(input: MediaPipelineTaskInput, request?: { region: string }): MediaPipelineTask {
		const opts = this.env.options;
		const identifier = input.identifier ?? opts.mediaInsightsPipelineIds[0];
		const domainArn =
			input.voiceProfileDomainArn ??
			`arn:aws:chime:${opts.region}:${opts.accountId}:voice-profile-domain/emulator-domain`;
		const kvs = input.kinesisVideoStreamSourceTaskConfiguration;
		this.validate({
			identifier,
			voiceProfileDomainArn: domainArn,
			kinesisVideoStreamSourceTaskConfiguration: kvs,
			clientRequestToken: input.clientRequestToken,
		});
		const pipelineId = this.resolvePipeline(identifier);
		const fingerprint = JSON.stringify([
			pipelineId,
			domainArn,
			kvs ? [kvs.StreamArn, kvs.ChannelId, kvs.FragmentNumber ?? null] : null,
		]);
		const token = input.clientRequestToken;
		const existing = token === undefined ? undefined : this.byToken.get(token);
		if (existing) {
			if (existing.fingerprint === fingerprint) return existing;
			throw conflict(
				'The ClientRequestToken was already used to start a speaker search task with different parameters.',
			);
		}
		const region = request?.region ?? opts.region;
		if (request) {
			if (!this.domainExists(domainArn, region))
				throw notFound(
					`Voice profile domain ${DOMAIN_ARN.exec(domainArn)?.[3] ?? domainArn} not found.`,
				);
			const limit = opts.activeSpeakerSearchTaskLimit;
			if (this.env.activeSpeakerSearchTasks(region) >= limit)
				throw resourceLimitExceeded(
					`The number of active speaker search tasks in ${region} has reached the limit of ${limit}.`,
				);
		}
		const id = uuid();
		const phases = phasesFor(
			input.durationMs ?? opts.durations.chimeMediaPipeline,
			chimeSpeakerSearchPhasesMs(hashSeed(id)),
			opts.timeScale,
		);
		const lower = domainArn.toLowerCase();
		const task: MediaPipelineTask = {
			id,
			pipelineId,
			region,
			fingerprint,
			voiceProfileDomainArn: domainArn,
			createdAt: this.env.clock.now(),
			queuedMs: phases.queuedMs,
			initializingMs: phases.initializingMs,
			runningMs: phases.runningMs,
			outcome:
				input.outcome ??
				(lower.includes('hang') ? 'hang' : lower.includes('fail') ? 'Failed' : 'Stopped'),
			clientRequestToken: token,
		};
		this.tasks.set(id, task);
		if (token !== undefined) this.byToken.set(token, task);
		return task;
	}

	private statusOf(task: MediaPipelineTask, now: number): string {
		if (task.stopRequestedAt !== undefined) {
			return now - task.stopRequestedAt < this.env.clock.scaled(STOPPING_MS)
				? 'Stopping'
				: 'Stopped';
		}
		const elapsed = now - task.createdAt;
		if (elapsed < task.queuedMs) return 'NotStarted';
		if (elapsed < task.queuedMs + task.initializingMs) return 'Initializing';
		if (task.outcome === 'hang' || elapsed < task.queuedMs + task.initializingMs + task.runningMs)
			return 'InProgress';
		return task.outcome;
	}

	describeById(taskId: string): Record<string, unknown> | undefined {
		const task = this.tasks.get(taskId.toLowerCase());
		return task && this.describe(task);
	}

	describe(task: MediaPipelineTask): Record<string, unknown> {
		const now = this.env.clock.now();
		const status = this.statusOf(task, now);
		const t0 = task.createdAt;
		const changes: Record<string, number> = {
			NotStarted: t0,
			Initializing: t0 + task.queuedMs,
			InProgress: t0 + task.queuedMs + task.initializingMs,
			Stopped:
				task.stopRequestedAt !== undefined
					? task.stopRequestedAt + this.env.clock.scaled(STOPPING_MS)
					: t0 + task.queuedMs + task.initializingMs + task.runningMs,
			Failed: t0 + task.queuedMs + task.initializingMs + task.runningMs,
			Stopping: task.stopRequestedAt ?? t0,
		};
		return {
			SpeakerSearchTaskId: task.id,
			SpeakerSearchTaskStatus: status,
			CreatedTimestamp: iso(t0),
			UpdatedTimestamp: iso(Math.min(now, changes[status] ?? t0)),
		};
	}
}
