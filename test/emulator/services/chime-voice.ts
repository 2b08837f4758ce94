/**
 * Amazon Chime SDK Voice speaker search (restJson1, signing name `chime`):
 *   StartSpeakerSearchTask `POST /voice-connectors/{VoiceConnectorId}/speaker-search-tasks` → 201
 *   GetSpeakerSearchTask   `GET  /voice-connectors/{VoiceConnectorId}/speaker-search-tasks/{SpeakerSearchTaskId}`
 *   StopSpeakerSearchTask  `POST /voice-connectors/{VoiceConnectorId}/speaker-search-tasks/{id}?operation=stop` → 204
 *   ListVoiceConnectors     `GET  /voice-connectors?max-results=&next-token=` → 200 `{ VoiceConnectors, NextToken? }`
 *   ListVoiceProfileDomains `GET  /voice-profile-domains?max-results=&next-token=` → 200 `{ VoiceProfileDomains, NextToken? }`
 * Lists page as `../paging.ts` says (max-results 1–100, else 400 BadRequestException; a foreign or made-up
 * next-token → 400). Voice connectors are the `voiceConnectorIds` option's, named and dated deterministically;
 * voice profile domains are the `voiceProfileDomainIds` option's, else two seeded domains.
 * States (lazy, from the clock): IN_QUEUE → IN_PROGRESS → SUCCEEDED | PARTIAL_SUCCESS | FAILED | STOPPED.
 * Outcome triggers in TransactionId (case-insensitive substring): `fail`, `partial`, `stopped`, `hang`.
 * Calls: with `voiceTransactions: 'any'` (default) every TransactionId is an active call until `endVoiceCall()`;
 * with `'declared'` only the calls of `voiceCalls` / `startVoiceCall()` exist. Triggers: `call-ended` → the call
 * has ended, `unknown-call` → no such call.
 * Start errors, in the order they are checked: 400 BadRequestException (Coral-style validation of every member),
 * 404 NotFoundException (unknown voice connector), 409 ConflictException (ClientRequestToken reused with other
 * parameters; the same parameters give back the same task), 404 NotFoundException (unknown voice profile domain:
 * see `voiceProfileDomainIds`, or `no-such-domain` in the ID), 410 GoneException (the call has ended),
 * 422 UnprocessableEntityException (no such active call on this connector), 400 ResourceLimitExceededException
 * (a search is already active for the TransactionId — quota 1 — or active searches in the Region ≥
 * `activeSpeakerSearchTaskLimit`). Denials (403/401) come after the signature check.
 */
import { type AwsServiceProfile, awsFaultReply, verifyAwsRequest } from '../aws-auth';
import { chimeSpeakerSearchPhasesMs } from '../duration-model';
import { jsonReply, restJsonError } from '../errors';
import { DEFAULT_VOICE_PROFILE_DOMAINS, phasesFor } from '../options';
import { pageOf } from '../paging';
import { hashSeed, seededRandom, uuid } from '../random';
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

const DAY_MS = 86_400_000;
const CONNECTOR_NAMES = ['Contact center', 'Sales line', 'Support escalations', 'Branch offices'];

/** A plausible name per seeded connector: the list, then numbered. */
function connectorName(index: number): string {
	const base = CONNECTOR_NAMES[index % CONNECTOR_NAMES.length];
	const round = Math.floor(index / CONNECTOR_NAMES.length);
	return round === 0 ? base : `${base} ${round + 1}`;
}

export type VoiceOutcome = 'SUCCEEDED' | 'PARTIAL_SUCCESS' | 'FAILED' | 'STOPPED' | 'hang';

const CONNECTOR_PATTERN =
	/^([a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const CLIENT_TOKEN_PATTERN = /^[-_a-zA-Z0-9]{2,64}$/;
const NON_EMPTY = /^.*\S.*$/;
/** States that count against the speaker search quotas. */
const ACTIVE = new Set(['IN_QUEUE', 'IN_PROGRESS']);

/** A Voice Connector call as the emulator knows it. */
interface VoiceCall {
	voiceConnectorId?: string;
	ended: boolean;
}

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
	/** Region of the request that started it (the per-Region quota). */
	region: string;
	/** The request parameters, to tell an idempotent repeat from a conflicting reuse of its ClientRequestToken. */
	fingerprint: string;
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

export class ChimeVoiceError extends ChimeApiError {}

export class ChimeVoiceService implements ServiceHandler {
	readonly name = 'chimeVoice' as const;
	private readonly tasks = new Map<string, VoiceTask>();
	private readonly byToken = new Map<string, VoiceTask>();
	private readonly calls = new Map<string, VoiceCall>();
	private readonly profile: AwsServiceProfile;

	constructor(private readonly env: Env) {
		this.profile = {
			protocol: 'restJson',
			signingName: 'chime',
			errorStyle: env.options.errorTypeStyle.chimeVoice,
		};
		this.seedCalls();
	}

	private seedCalls(): void {
		for (const call of this.env.options.voiceCalls)
			this.startCall(call.transactionId, call.voiceConnectorId);
	}

	/** Declares an active call (optionally only on one voice connector). */
	startCall(transactionId: string, voiceConnectorId?: string): void {
		if (typeof transactionId !== 'string' || !NON_EMPTY.test(transactionId))
			throw new Error('startVoiceCall needs a TransactionId');
		this.calls.set(transactionId, { voiceConnectorId, ended: false });
	}

	/** Ends a call (declaring it if unknown): a later Start for it answers 410 GoneException. */
	endCall(transactionId: string): void {
		if (typeof transactionId !== 'string' || !NON_EMPTY.test(transactionId))
			throw new Error('endVoiceCall needs a TransactionId');
		const call = this.calls.get(transactionId);
		this.calls.set(transactionId, { voiceConnectorId: call?.voiceConnectorId, ended: true });
	}

	/** Whether a TransactionId is an active call on a connector, a call that has ended, or unknown. */
	callState(transactionId: string, connector: string): 'active' | 'ended' | 'unknown' {
		const lower = transactionId.toLowerCase();
		if (lower.includes('call-ended')) return 'ended';
		if (lower.includes('unknown-call')) return 'unknown';
		const call = this.calls.get(transactionId);
		if (call) {
			if (call.voiceConnectorId !== undefined && call.voiceConnectorId !== connector)
				return 'unknown';
			return call.ended ? 'ended' : 'active';
		}
		return this.env.options.voiceTransactions === 'declared' ? 'unknown' : 'active';
	}

	match(
		method: string,
		subPath: string,
		query: Record<string, string | string[]>,
	): RouteMatch | undefined {
		const s = decodeSegments(subPath);
		if (s?.length === 1 && method === 'GET' && s[0] === 'voice-connectors')
			return {
				route: 'chimeVoice.listConnectors',
				params: {},
				handle: (ctx) => this.list(() => this.connectorList(), ctx, 'VoiceConnectors'),
			};
		if (s?.length === 1 && method === 'GET' && s[0] === 'voice-profile-domains')
			return {
				route: 'chimeVoice.listDomains',
				params: {},
				handle: (ctx) => this.list(() => this.domainList(), ctx, 'VoiceProfileDomains'),
			};
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
		this.calls.clear();
		this.seedCalls();
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
		if (error instanceof ChimeApiError)
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
			// Validated before any default is filled in: absent members are a BadRequest here.
			this.validate({
				voiceConnectorId: connector,
				transactionId: body.TransactionId,
				voiceProfileDomainId: body.VoiceProfileDomainId,
				callLeg: body.CallLeg,
				clientRequestToken: body.ClientRequestToken,
			});
			const task = this.createTask(
				{
					voiceConnectorId: connector,
					transactionId: body.TransactionId as string,
					voiceProfileDomainId: body.VoiceProfileDomainId as string,
					callLeg: body.CallLeg as 'Caller' | 'Callee' | undefined,
					clientRequestToken: (body.ClientRequestToken as string | null | undefined) ?? undefined,
				},
				{ region: ctx.aws?.region ?? this.env.options.region },
			);
			return jsonReply(201, { SpeakerSearchTask: this.describe(task) });
		} catch (error) {
			return this.fail(error);
		}
	}

	/** One page of a list; the list is built per request, from the options and the clock. */
	private list(
		entries: () => Array<Record<string, unknown>>,
		ctx: HandlerContext,
		member: 'VoiceConnectors' | 'VoiceProfileDomains',
	): Reply {
		try {
			const { page, nextToken } = pageOf(entries(), ctx.query, member);
			return jsonReply(200, { [member]: page, ...(nextToken ? { NextToken: nextToken } : {}) });
		} catch (error) {
			return this.fail(error);
		}
	}

	/** The account's voice connectors in the Region, as ListVoiceConnectors describes them. */
	connectorList(): Array<Record<string, unknown>> {
		const { region, accountId, voiceConnectorIds, startTime } = this.env.options;
		return voiceConnectorIds.map((id, index) => {
			const created = startTime - (90 - index) * DAY_MS;
			return {
				VoiceConnectorId: id,
				AwsRegion: region,
				Name: connectorName(index),
				OutboundHostName: `${id}.voiceconnector.chime.aws`,
				RequireEncryption: true,
				CreatedTimestamp: iso(created),
				UpdatedTimestamp: iso(created + DAY_MS),
				VoiceConnectorArn: `arn:aws:chime:${region}:${accountId}:vc/${id}`,
				NetworkType: 'IPV4_ONLY',
			};
		});
	}

	/** The account's voice profile domains, as ListVoiceProfileDomains summarises them. */
	domainList(): Array<Record<string, unknown>> {
		const { region, accountId, voiceProfileDomainIds, startTime } = this.env.options;
		const domains =
			voiceProfileDomainIds?.map((id, index) => ({
				id,
				name: `Voice profile domain ${index + 1}`,
				description: '',
			})) ?? DEFAULT_VOICE_PROFILE_DOMAINS;
		return domains.map((domain, index) => {
			const created = startTime - (60 - index) * DAY_MS;
			return {
				VoiceProfileDomainId: domain.id,
				VoiceProfileDomainArn: `arn:aws:chime:${region}:${accountId}:voice-profile-domain/${domain.id}`,
				Name: domain.name,
				...(domain.description ? { Description: domain.description } : {}),
				CreatedTimestamp: iso(created),
				UpdatedTimestamp: iso(created),
			};
		});
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
			throw badRequest(`Invalid VoiceConnectorId: ${connector}`);
		if (!this.env.options.voiceConnectorIds.includes(connector))
			throw notFound(`Voice connector ${connector} not found.`);
	}

	/** Start's input validation (every member, as the model constrains it) → BadRequestException. */
	private validate(input: {
		voiceConnectorId: unknown;
		transactionId: unknown;
		voiceProfileDomainId: unknown;
		callLeg: unknown;
		clientRequestToken: unknown;
	}): void {
		const v = new Violations();
		v.check('voiceConnectorId', input.voiceConnectorId, {
			type: 'string',
			required: true,
			pattern: CONNECTOR_PATTERN,
			patternText: '([a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})',
		});
		for (const [path, value] of [
			['transactionId', input.transactionId],
			['voiceProfileDomainId', input.voiceProfileDomainId],
		] as const)
			v.check(path, value, {
				type: 'string',
				required: true,
				min: 1,
				max: 256,
				pattern: NON_EMPTY,
				patternText: '.*\\S.*',
			});
		v.check('clientRequestToken', input.clientRequestToken, {
			type: 'string',
			pattern: CLIENT_TOKEN_PATTERN,
			patternText: '^[-_a-zA-Z0-9]*${2,64}$',
		});
		v.check('callLeg', input.callLeg, { type: 'string', enum: ['Caller', 'Callee'] });
		v.throwIfAny();
	}

	/** Speaker search tasks of this API active now in a Region (or, with a TransactionId, on that call). */
	activeCount(region: string, call?: { voiceConnectorId: string; transactionId: string }): number {
		const now = this.env.clock.now();
		let count = 0;
		for (const task of this.tasks.values()) {
			if (call) {
				if (
					task.voiceConnectorId !== call.voiceConnectorId ||
					task.transactionId !== call.transactionId
				)
					continue;
			} else if (task.region !== region) continue;
			if (ACTIVE.has(this.statusOf(task, now))) count++;
		}
		return count;
	}

	/**
	 * Creates a task as StartSpeakerSearchTask does. `request` is set for requests over HTTP: then the voice profile
	 * domain must exist, the call must be active and the quotas apply; the emulator API helpers (no `request`) skip
	 * those checks.
	 */
	createTask(input: VoiceTaskInput, request?: { region: string }): VoiceTask {
		const opts = this.env.options;
		const connector = input.voiceConnectorId ?? opts.voiceConnectorIds[0];
		const transactionId = input.transactionId ?? uuid();
		const domain = input.voiceProfileDomainId ?? 'emulator-voice-profile-domain';
		this.validate({
			voiceConnectorId: connector,
			transactionId,
			voiceProfileDomainId: domain,
			callLeg: input.callLeg,
			clientRequestToken: input.clientRequestToken,
		});
		this.checkConnector(connector);
		const callLeg = input.callLeg ?? 'Caller';
		const fingerprint = JSON.stringify([connector, transactionId, domain, callLeg]);
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
			if (!voiceProfileDomainExists(domain, opts.voiceProfileDomainIds))
				throw notFound(`Voice profile domain ${domain} not found.`);
			const state = this.callState(transactionId, connector);
			if (state === 'ended')
				throw new ChimeApiError(
					410,
					'GoneException',
					'Gone',
					`The call with TransactionId ${transactionId} has ended.`,
				);
			if (state === 'unknown')
				throw new ChimeApiError(
					422,
					'UnprocessableEntityException',
					'Unprocessable',
					`TransactionId ${transactionId} is not an active call on Voice Connector ${connector}.`,
				);
			if (this.activeCount(region, { voiceConnectorId: connector, transactionId }) >= 1)
				throw resourceLimitExceeded(
					`A speaker search task is already active for TransactionId ${transactionId} (at most 1 per call).`,
				);
			const limit = opts.activeSpeakerSearchTaskLimit;
			if (this.env.activeSpeakerSearchTasks(region) >= limit)
				throw resourceLimitExceeded(
					`The number of active speaker search tasks in ${region} has reached the limit of ${limit}.`,
				);
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
			region,
			fingerprint,
			voiceConnectorId: connector,
			transactionId,
			voiceProfileDomainId: domain,
			callLeg,
			clientRequestToken: token,
			createdAt: this.env.clock.now(),
			queuedMs: phases.queuedMs,
			runningMs: phases.initializingMs + phases.runningMs,
			outcome,
			seed,
		};
		this.tasks.set(id, task);
		if (token !== undefined) this.byToken.set(token, task);
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
