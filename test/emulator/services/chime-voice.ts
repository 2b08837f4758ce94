/**
 * Amazon Chime SDK Voice speaker search (restJson1, signing name `chime`):
 *   StartSpeakerSearchTask `POST /voice-connectors/{VoiceConnectorId}/speaker-search-tasks` → 201
 *   GetSpeakerSearchTask   `GET  /voice-connectors/{VoiceConnectorId}/speaker-search-tasks/{SpeakerSearchTaskId}`
 *   StopSpeakerSearchTask  `POST /voice-connectors/{VoiceConnectorId}/speaker-search-tasks/{id}?operation=stop` → 204
 * States (lazy, from the clock): IN_QUEUE → IN_PROGRESS → SUCCEEDED | PARTIAL_SUCCESS | FAILED | STOPPED.
 * Outcome triggers in TransactionId (case-insensitive substring): `fail`, `partial`, `stopped`, `hang`.
 */
import { type AwsServiceProfile, awsFaultReply, verifyAwsRequest } from '../aws-auth';
import { chimeSpeakerSearchPhasesMs } from '../duration-model';
import { jsonReply, restJsonError } from '../errors';
import { phasesFor } from '../options';
import { hashSeed, seededRandom, uuid } from '../random';
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

export type VoiceOutcome = 'SUCCEEDED' | 'PARTIAL_SUCCESS' | 'FAILED' | 'STOPPED' | 'hang';

const CONNECTOR_PATTERN =
	/^([a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const CLIENT_TOKEN_PATTERN = /^[-_a-zA-Z0-9]{2,64}$/;

export interface VoiceTaskInput {
	voiceConnectorId?: string;
	transactionId?: string;
	voiceProfileDomainId?: string;
	callLeg?: 'Caller' | 'Callee';
	clientRequestToken?: string;
	/** Forces the final state (else derived from TransactionId triggers, default SUCCEEDED). */
	outcome?: VoiceOutcome;
	/** Total (clock ms) or phases; overrides the model and `durations.chimeVoice`. */
	durationMs?: number | { queuedMs?: number; runningMs?: number };
}

interface VoiceTask {
	id: string;
	voiceConnectorId: string;
	transactionId: string;
	voiceProfileDomainId: string;
	callLeg: 'Caller' | 'Callee';
	clientRequestToken?: string;
	createdAt: number;
	queuedMs: number;
	runningMs: number;
	outcome: VoiceOutcome;
	stoppedAt?: number;
	seed: number;
}

export class ChimeVoiceError extends Error {
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

export class ChimeVoiceService implements ServiceHandler {
	readonly name = 'chimeVoice' as const;
	private readonly tasks = new Map<string, VoiceTask>();
	private readonly byToken = new Map<string, VoiceTask>();
	private readonly profile: AwsServiceProfile;

	constructor(private readonly env: Env) {
		this.profile = {
			protocol: 'restJson',
			signingName: 'chime',
			errorStyle: env.options.errorTypeStyle.chimeVoice,
		};
	}

	match(
		method: string,
		subPath: string,
		query: Record<string, string | string[]>,
	): RouteMatch | undefined {
		const s = decodeSegments(subPath);
		if (
			!s ||
			s[0] !== 'voice-connectors' ||
			s[2] !== 'speaker-search-tasks' ||
			s.length < 3 ||
			s.length > 4
		)
			return undefined;
		if (s.length === 3 && method === 'POST')
			return {
				route: 'chimeVoice.start',
				params: { connector: s[1] },
				handle: (ctx, p) => this.start(ctx, p.connector),
			};
		if (s.length === 4 && method === 'GET')
			return {
				route: 'chimeVoice.get',
				params: { connector: s[1], task: s[3] },
				handle: (_ctx, p) => this.get(p.connector, p.task),
			};
		if (s.length === 4 && method === 'POST' && queryValue(query, 'operation') === 'stop')
			return {
				route: 'chimeVoice.stop',
				params: { connector: s[1], task: s[3] },
				handle: (_ctx, p) => this.stop(p.connector, p.task),
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
						'Throttled',
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
			namespace: 'com.amazonaws.chimesdkvoice',
			body: 'chime',
			headers,
		});
	}

	private fail(error: unknown): Reply {
		if (error instanceof ChimeVoiceError)
			return this.error(error.status, error.errorName, error.code, error.message);
		throw error;
	}

	private start(ctx: HandlerContext, connector: string): Reply {
		let body: Record<string, unknown>;
		try {
			body = ctx.body.length ? JSON.parse(ctx.body.toString('utf8')) : {};
			if (!body || typeof body !== 'object') throw new Error('not an object');
		} catch {
			return this.error(400, 'BadRequestException', 'BadRequest', 'Invalid request body.');
		}
		try {
			const task = this.createTask({
				voiceConnectorId: connector,
				transactionId: body.TransactionId as string | undefined,
				voiceProfileDomainId: body.VoiceProfileDomainId as string | undefined,
				callLeg: body.CallLeg as 'Caller' | 'Callee' | undefined,
				clientRequestToken: body.ClientRequestToken as string | undefined,
			});
			return jsonReply(201, { SpeakerSearchTask: this.describe(task) });
		} catch (error) {
			return this.fail(error);
		}
	}

	private get(connector: string, taskId: string): Reply {
		try {
			this.checkConnector(connector);
			const task = this.tasks.get(taskId);
			if (!task || task.voiceConnectorId !== connector)
				return this.error(
					404,
					'NotFoundException',
					'NotFound',
					`Speaker search task ${taskId} not found.`,
				);
			return jsonReply(200, { SpeakerSearchTask: this.describe(task) });
		} catch (error) {
			return this.fail(error);
		}
	}

	private stop(connector: string, taskId: string): Reply {
		try {
			this.checkConnector(connector);
			const task = this.tasks.get(taskId);
			if (!task || task.voiceConnectorId !== connector)
				return this.error(
					404,
					'NotFoundException',
					'NotFound',
					`Speaker search task ${taskId} not found.`,
				);
			const now = this.env.clock.now();
			const status = this.statusOf(task, now);
			if (['SUCCEEDED', 'PARTIAL_SUCCESS', 'FAILED', 'STOPPED'].includes(status))
				return this.error(
					409,
					'ConflictException',
					'Conflict',
					`Speaker search task ${taskId} is already ${status}.`,
				);
			task.stoppedAt = now;
			return { status: 204, headers: {} };
		} catch (error) {
			return this.fail(error);
		}
	}

	private checkConnector(connector: string): void {
		if (!CONNECTOR_PATTERN.test(connector))
			throw new ChimeVoiceError(
				400,
				'BadRequestException',
				'BadRequest',
				`Invalid VoiceConnectorId: ${connector}`,
			);
		if (!this.env.options.voiceConnectorIds.includes(connector))
			throw new ChimeVoiceError(
				404,
				'NotFoundException',
				'NotFound',
				`Voice connector ${connector} not found.`,
			);
	}

	createTask(input: VoiceTaskInput): VoiceTask {
		const opts = this.env.options;
		const connector = input.voiceConnectorId ?? opts.voiceConnectorIds[0];
		this.checkConnector(connector);
		const transactionId = input.transactionId ?? uuid();
		if (typeof transactionId !== 'string' || transactionId.length < 1 || transactionId.length > 256)
			throw new ChimeVoiceError(
				400,
				'BadRequestException',
				'BadRequest',
				'TransactionId is required (1-256 characters).',
			);
		const domain = input.voiceProfileDomainId ?? 'emulator-voice-profile-domain';
		if (typeof domain !== 'string' || domain.length < 1 || domain.length > 256)
			throw new ChimeVoiceError(
				400,
				'BadRequestException',
				'BadRequest',
				'VoiceProfileDomainId is required (1-256 characters).',
			);
		if (input.callLeg !== undefined && input.callLeg !== 'Caller' && input.callLeg !== 'Callee')
			throw new ChimeVoiceError(
				400,
				'BadRequestException',
				'BadRequest',
				'CallLeg must be Caller or Callee.',
			);
		if (input.clientRequestToken !== undefined) {
			if (!CLIENT_TOKEN_PATTERN.test(input.clientRequestToken))
				throw new ChimeVoiceError(
					400,
					'BadRequestException',
					'BadRequest',
					'Invalid ClientRequestToken.',
				);
			const existing = this.byToken.get(input.clientRequestToken);
			if (existing) return existing;
		}
		const lower = transactionId.toLowerCase();
		const outcome: VoiceOutcome =
			input.outcome ??
			(lower.includes('hang')
				? 'hang'
				: lower.includes('partial')
					? 'PARTIAL_SUCCESS'
					: lower.includes('stopped')
						? 'STOPPED'
						: lower.includes('fail')
							? 'FAILED'
							: 'SUCCEEDED');
		const id = uuid();
		const seed = hashSeed(id);
		const phases = phasesFor(
			input.durationMs ?? opts.durations.chimeVoice,
			chimeSpeakerSearchPhasesMs(seed),
			opts.timeScale,
		);
		const task: VoiceTask = {
			id,
			voiceConnectorId: connector,
			transactionId,
			voiceProfileDomainId: domain,
			callLeg: input.callLeg ?? 'Caller',
			clientRequestToken: input.clientRequestToken,
			createdAt: this.env.clock.now(),
			queuedMs: phases.queuedMs,
			runningMs: phases.initializingMs + phases.runningMs,
			outcome,
			seed,
		};
		this.tasks.set(id, task);
		if (input.clientRequestToken) this.byToken.set(input.clientRequestToken, task);
		return task;
	}

	private statusOf(task: VoiceTask, now: number): string {
		if (task.stoppedAt !== undefined && now >= task.stoppedAt) return 'STOPPED';
		const elapsed = now - task.createdAt;
		if (elapsed < task.queuedMs) return 'IN_QUEUE';
		if (task.outcome === 'hang' || elapsed < task.queuedMs + task.runningMs) return 'IN_PROGRESS';
		return task.outcome;
	}

	describeById(taskId: string): Record<string, unknown> | undefined {
		const task = this.tasks.get(taskId);
		return task && this.describe(task);
	}

	describe(task: VoiceTask): Record<string, unknown> {
		const now = this.env.clock.now();
		const status = this.statusOf(task, now);
		const startedAt = task.createdAt + task.queuedMs;
		const doneAt = task.createdAt + task.queuedMs + task.runningMs;
		const updated =
			status === 'IN_QUEUE'
				? task.createdAt
				: status === 'IN_PROGRESS'
					? startedAt
					: status === 'STOPPED' && task.stoppedAt !== undefined
						? task.stoppedAt
						: doneAt;
		const out: Record<string, unknown> = {
			SpeakerSearchTaskId: task.id,
			SpeakerSearchTaskStatus: status,
			CallDetails: {
				VoiceConnectorId: task.voiceConnectorId,
				TransactionId: task.transactionId,
				IsCaller: task.callLeg === 'Caller',
			},
		};
		if (status === 'SUCCEEDED' || status === 'PARTIAL_SUCCESS' || status === 'FAILED') {
			out.SpeakerSearchDetails =
				status === 'FAILED'
					? { Results: [], VoiceprintGenerationStatus: 'VoiceprintGenerationFailure' }
					: {
							Results: this.results(task),
							VoiceprintGenerationStatus:
								status === 'SUCCEEDED'
									? 'VoiceprintGenerationSuccess'
									: 'VoiceprintGenerationFailure',
						};
		}
		out.CreatedTimestamp = iso(task.createdAt);
		out.UpdatedTimestamp = iso(Math.min(updated, now));
		if (
			status !== 'IN_QUEUE' &&
			!(status === 'STOPPED' && task.stoppedAt !== undefined && task.stoppedAt < startedAt)
		)
			out.StartedTimestamp = iso(startedAt);
		const messages: Record<string, string> = {
			FAILED:
				'Speaker search failed: the call audio did not contain enough speech to generate a voiceprint.',
			PARTIAL_SUCCESS:
				'Speaker search completed, but the voiceprint of the caller could not be generated.',
			STOPPED: 'Speaker search task was stopped.',
		};
		if (messages[status]) out.StatusMessage = messages[status];
		return out;
	}

	private results(task: VoiceTask): Array<{ ConfidenceScore: number; VoiceProfileId: string }> {
		const random = seededRandom(task.seed);
		const profiles = [...this.env.options.voiceProfileIds];
		const count = Math.min(
			profiles.length,
			1 + Math.floor(random() * Math.min(3, profiles.length)),
		);
		const picked: Array<{ ConfidenceScore: number; VoiceProfileId: string }> = [];
		for (let i = 0; i < count; i++) {
			const index = Math.floor(random() * profiles.length);
			const [profile] = profiles.splice(index, 1);
			const score = i === 0 ? 0.8 + random() * 0.19 : 0.1 + random() * 0.5;
			picked.push({ ConfidenceScore: Math.round(score * 1000) / 1000, VoiceProfileId: profile });
		}
		return picked.sort((a, b) => b.ConfidenceScore - a.ConfidenceScore);
	}
}
