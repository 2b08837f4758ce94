/**
 * Amazon Chime SDK Media Pipelines speaker search (restJson1, signing name `chime`):
 *   StartSpeakerSearchTask `POST /media-insights-pipelines/{identifier}/speaker-search-tasks?operation=start` → 201
 *   GetSpeakerSearchTask   `GET  /media-insights-pipelines/{identifier}/speaker-search-tasks/{speakerSearchTaskId}`
 *   StopSpeakerSearchTask  `POST /media-insights-pipelines/{identifier}/speaker-search-tasks/{id}?operation=stop` → 204
 * `identifier` is a pipeline ID or its ARN (percent-encoded as one path segment).
 * States (lazy): NotStarted → Initializing → InProgress → Stopped (finished) | Failed; Stop → Stopping → Stopped.
 * Outcome triggers in VoiceProfileDomainArn (substring): `fail` → Failed, `hang` → stays InProgress.
 */
import { type AwsServiceProfile, awsFaultReply, verifyAwsRequest } from '../aws-auth';
import { chimeSpeakerSearchPhasesMs } from '../duration-model';
import { jsonReply, restJsonError } from '../errors';
import { phasesFor } from '../options';
import { hashSeed, uuid } from '../random';
import {
	type Env,
	type HandlerContext,
	type RouteMatch,
	type ServiceHandler,
	decodeSegments,
	iso,
	queryValue,
} from '../service';
import type { FaultName, FaultRule, Reply } from '../types';

export type MediaPipelineOutcome = 'Stopped' | 'Failed' | 'hang';

const GUID = /^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$/;
const ARN = /^arn[/:\-_.a-zA-Z0-9]+$/;
const CLIENT_TOKEN = /^[-_a-zA-Z0-9]{2,64}$/;
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
	voiceProfileDomainArn: string;
	createdAt: number;
	queuedMs: number;
	initializingMs: number;
	runningMs: number;
	outcome: MediaPipelineOutcome;
	stopRequestedAt?: number;
	clientRequestToken?: string;
}

export class ChimeMediaPipelineError extends Error {
	constructor(
		readonly status: number,
		readonly errorName: string,
		readonly code: string,
		message: string,
	) {
		super(message);
		this.name = errorName;
	}
}

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
		if (error instanceof ChimeMediaPipelineError)
			return this.error(error.status, error.errorName, error.code, error.message);
		throw error;
	}

	/** Resolves a pipeline ID or ARN to the ID. */
	private resolvePipeline(identifier: string): string {
		if (!/\S/.test(identifier) || identifier.length > 1024)
			throw new ChimeMediaPipelineError(
				400,
				'BadRequestException',
				'BadRequest',
				'Invalid identifier.',
			);
		const pipeline = this.pipelines().find((p) => p.id === identifier || p.arn === identifier);
		if (!pipeline)
			throw new ChimeMediaPipelineError(
				404,
				'NotFoundException',
				'NotFound',
				`Media insights pipeline ${identifier} not found.`,
			);
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
			const task = this.createTask({
				identifier,
				voiceProfileDomainArn: body.VoiceProfileDomainArn as string | undefined,
				kinesisVideoStreamSourceTaskConfiguration:
					body.KinesisVideoStreamSourceTaskConfiguration as MediaPipelineTaskInput['kinesisVideoStreamSourceTaskConfiguration'],
				clientRequestToken: body.ClientRequestToken as string | undefined,
			});
			return jsonReply(201, { SpeakerSearchTask: this.describe(task) });
		} catch (error) {
			return this.fail(error);
		}
	}

	private find(identifier: string, taskId: string): MediaPipelineTask {
		const pipelineId = this.resolvePipeline(identifier);
		if (!GUID.test(taskId))
			throw new ChimeMediaPipelineError(
				400,
				'BadRequestException',
				'BadRequest',
				`Invalid SpeakerSearchTaskId: ${taskId}`,
			);
		const task = this.tasks.get(taskId.toLowerCase());
		if (!task || task.pipelineId !== pipelineId)
			throw new ChimeMediaPipelineError(
				404,
				'NotFoundException',
				'NotFound',
				`Speaker search task ${taskId} not found.`,
			);
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

	createTask(input: MediaPipelineTaskInput): MediaPipelineTask {
		const opts = this.env.options;
		const pipelineId = this.resolvePipeline(input.identifier ?? opts.mediaInsightsPipelineIds[0]);
		const domainArn =
			input.voiceProfileDomainArn ??
			`arn:aws:chime:${opts.region}:${opts.accountId}:voice-profile-domain/emulator-domain`;
		if (typeof domainArn !== 'string' || !ARN.test(domainArn) || domainArn.length > 1024)
			throw new ChimeMediaPipelineError(
				400,
				'BadRequestException',
				'BadRequest',
				'VoiceProfileDomainArn is required and must be an ARN.',
			);
		const kvs = input.kinesisVideoStreamSourceTaskConfiguration;
		if (
			kvs !== undefined &&
			(typeof kvs !== 'object' ||
				typeof kvs.StreamArn !== 'string' ||
				typeof kvs.ChannelId !== 'number')
		)
			throw new ChimeMediaPipelineError(
				400,
				'BadRequestException',
				'BadRequest',
				'KinesisVideoStreamSourceTaskConfiguration needs StreamArn and ChannelId.',
			);
		if (input.clientRequestToken !== undefined) {
			if (!CLIENT_TOKEN.test(input.clientRequestToken))
				throw new ChimeMediaPipelineError(
					400,
					'BadRequestException',
					'BadRequest',
					'Invalid ClientRequestToken.',
				);
			const existing = this.byToken.get(input.clientRequestToken);
			if (existing) return existing;
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
			voiceProfileDomainArn: domainArn,
			createdAt: this.env.clock.now(),
			queuedMs: phases.queuedMs,
			initializingMs: phases.initializingMs,
			runningMs: phases.runningMs,
			outcome:
				input.outcome ??
				(lower.includes('hang') ? 'hang' : lower.includes('fail') ? 'Failed' : 'Stopped'),
			clientRequestToken: input.clientRequestToken,
		};
		this.tasks.set(id, task);
		if (input.clientRequestToken) this.byToken.set(input.clientRequestToken, task);
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
