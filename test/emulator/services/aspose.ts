/**
 * Aspose.OCR Cloud text to speech (API v5.0), mounted under `/aspose`; paths match case-insensitively:
 *   POST   /connect/token                          OAuth2 client credentials → { access_token, expires_in, token_type }
 *   POST   /v5.0/ocr/ConvertTextToSpeech           (bearer) { text, settings: { language, resultType } } → text/plain task id
 *   GET    /v5.0/ocr/ConvertTextToSpeech?id=       (bearer) TTSResponse
 *   DELETE /v5.0/ocr/ConvertTextToSpeech?id=       (bearer) 200, empty
 *   GET    /v5.0/ocr/Utilities/GetTaskStatus?id=   (bearer) status only (no results)
 *   POST|GET|DELETE /v5.0/ocr/ConvertTextToSpeechTrial[?id=]   no Authorization; text ≤ 500 characters
 * States (lazy): Pending → Processing → Completed (results[0] = { type: "WavFile", data: base64 WAV }) | Error;
 * NotExist for unknown, deleted, or older-than-retention ids (24 h × timeScale).
 * Triggers in text: `[[fail]]` → Error, `[[hang]]` → stays Processing.
 */
import { asposeWav } from '../audio';
import { asposeTaskPhasesMs } from '../duration-model';
import { oauthError, problemDetails } from '../errors';
import { type AsposeTaskIdFormat, phasesFor } from '../options';
import { hashSeed, uuid } from '../random';
import {
	type Env,
	type HandlerContext,
	type RouteMatch,
	type ServiceHandler,
	queryValue,
} from '../service';
import type { FaultName, FaultRule, Reply, RouteName } from '../types';

export type AsposeOutcome = 'succeed' | 'fail' | 'hang';

export interface AsposeTaskOptions {
	trial?: boolean;
	outcome?: AsposeOutcome;
	/** Total (clock ms) or phases; overrides the model and `durations.aspose`. */
	durationMs?: number | { queuedMs?: number; runningMs?: number };
}

interface AsposeTask {
	id: string;
	text: string;
	trial: boolean;
	createdAt: number;
	queuedMs: number;
	runningMs: number;
	outcome: AsposeOutcome;
	deleted: boolean;
	seed: number;
	wavBase64?: string;
}

/** The task id as submit writes it (the real service's quoting/whitespace is unconfirmed). */
export function formatTaskId(id: string, format: AsposeTaskIdFormat): string {
	switch (format) {
		case 'quoted':
			return JSON.stringify(id);
		case 'padded':
			return ` ${id}\r\n`;
		case 'quoted-padded':
			return `${JSON.stringify(id)}\n`;
		default:
			return id;
	}
}

const TTS_PATH = '/v5.0/ocr/converttexttospeech';
const TRIAL_PATH = '/v5.0/ocr/converttexttospeechtrial';
const STATUS_PATH = '/v5.0/ocr/utilities/gettaskstatus';

export class AsposeService implements ServiceHandler {
	readonly name = 'aspose' as const;
	private readonly tasks = new Map<string, AsposeTask>();
	private readonly trialCalls = new Map<string, { day: number; calls: number }>();

	constructor(private readonly env: Env) {}

	match(method: string, subPath: string): RouteMatch | undefined {
		const path = subPath.toLowerCase().replace(/\/+$/, '');
		const route = (name: RouteName, handle: RouteMatch['handle']): RouteMatch => ({
			route: name,
			params: {},
			handle,
		});
		if (path === '/connect/token' && method === 'POST')
			return route('aspose.token', (ctx) => this.token(ctx));
		if (path === TTS_PATH) {
			if (method === 'POST') return route('aspose.submit', (ctx) => this.submit(ctx, false));
			if (method === 'GET') return route('aspose.fetch', (ctx) => this.fetch(ctx, false, true));
			if (method === 'DELETE') return route('aspose.delete', (ctx) => this.remove(ctx, false));
		}
		if (path === TRIAL_PATH) {
			if (method === 'POST') return route('aspose.trial.submit', (ctx) => this.submit(ctx, true));
			if (method === 'GET')
				return route('aspose.trial.fetch', (ctx) => this.fetch(ctx, true, true));
			if (method === 'DELETE') return route('aspose.trial.delete', (ctx) => this.remove(ctx, true));
		}
		if (path === STATUS_PATH && method === 'GET')
			return route('aspose.status', (ctx) => this.fetch(ctx, false, false));
		return undefined;
	}

	private needsBearer(route: RouteName): boolean {
		return (
			route === 'aspose.submit' ||
			route === 'aspose.fetch' ||
			route === 'aspose.delete' ||
			route === 'aspose.status'
		);
	}

	async authenticate(ctx: HandlerContext, route: RouteName): Promise<Reply | undefined> {
		if (route.startsWith('aspose.trial.')) return this.trialQuota(ctx);
		if (!this.needsBearer(route)) return undefined;
		const check = this.env.tokens.check(ctx.headers.authorization);
		ctx.log.tokenOk = check.ok;
		if (check.ok) return undefined;
		return this.unauthorized(ctx, check.reason, check.expiredAt);
	}

	private unauthorized(ctx: HandlerContext, reason: string, expiredAt?: number): Reply {
		let challenge = 'Bearer';
		let detail = 'Authorization has been denied for this request.';
		if (reason === 'expired') {
			const at = new Date(expiredAt ?? this.env.clock.now()).toUTCString();
			challenge = `Bearer error="invalid_token", error_description="The token expired at '${at}'"`;
			detail = `The access token expired at '${at}'. Request a new token from /connect/token.`;
		} else if (reason !== 'missing') {
			challenge = 'Bearer error="invalid_token"';
			detail = 'The access token is invalid.';
		}
		return problemDetails({
			status: 401,
			detail,
			instance: ctx.subPath.split('?')[0],
			headers: { 'WWW-Authenticate': challenge },
		});
	}

	private trialQuota(ctx: HandlerContext): Reply | undefined {
		const limit = this.env.options.asposeTrialDailyLimit;
		if (!Number.isFinite(limit)) return undefined;
		const day = Math.floor(this.env.clock.now() / 86_400_000);
		const entry = this.trialCalls.get(ctx.remoteAddress);
		const record = entry && entry.day === day ? entry : { day, calls: 0 };
		record.calls++;
		this.trialCalls.set(ctx.remoteAddress, record);
		if (record.calls > limit)
			return problemDetails({
				status: 429,
				detail: `The trial allows ${limit} API calls per day per IP address. Please authenticate to the API to remove this limit.`,
			});
		return undefined;
	}

	appliesFault(fault: FaultName, route: RouteName): boolean {
		if (fault === 's3Redirect' || fault === 'clockSkew') return false;
		if (fault === 'expiredToken' || fault === 'signatureRejected') return this.needsBearer(route);
		return true;
	}

	faultReply(rule: FaultRule, ctx: HandlerContext): Reply {
		const retry =
			rule.retryAfterSeconds !== undefined ? { 'Retry-After': rule.retryAfterSeconds } : undefined;
		switch (rule.fault) {
			case 'throttle':
				return problemDetails({
					status: 429,
					detail: rule.message ?? 'Rate limit exceeded. Try again later.',
					headers: retry,
				});
			case 'error500':
				return problemDetails({
					status: 500,
					detail: rule.message ?? 'An unexpected error occurred.',
				});
			case 'error503':
				return problemDetails({
					status: 503,
					detail: rule.message ?? 'The service is temporarily unavailable.',
				});
			case 'expiredToken':
				return this.unauthorized(ctx, 'expired', this.env.clock.now());
			default:
				return this.unauthorized(ctx, 'invalid');
		}
	}

	unknownRoute(ctx: HandlerContext): Reply {
		return problemDetails({
			status: 404,
			detail: `No endpoint ${ctx.method} ${ctx.subPath.split('?')[0]}`,
		});
	}

	reset(): void {
		this.tasks.clear();
		this.trialCalls.clear();
	}

	// ---- token ------------------------------------------------------------------------------------------------

	private token(ctx: HandlerContext): Reply {
		const type = String(ctx.headers['content-type'] ?? '');
		if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
			return oauthError(
				400,
				'invalid_request',
				'Content-Type must be application/x-www-form-urlencoded',
			);
		const form = new URLSearchParams(ctx.body.toString('utf8'));
		let clientId = form.get('client_id') ?? undefined;
		let clientSecret = form.get('client_secret') ?? undefined;
		const basic = /^Basic\s+(\S+)$/i.exec(String(ctx.headers.authorization ?? ''));
		if (basic && clientId === undefined) {
			const [id, ...secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
			clientId = decodeURIComponent(id);
			clientSecret = decodeURIComponent(secret.join(':'));
		}
		const grant = form.get('grant_type');
		if (!grant) return oauthError(400, 'invalid_request');
		if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');
		const opts = this.env.options;
		if (clientId !== opts.asposeClientId || clientSecret !== opts.asposeClientSecret)
			return oauthError(400, 'invalid_client');
		const token = this.env.tokens.issue(clientId);
		return {
			status: 200,
			headers: {
				'Content-Type': 'application/json; charset=UTF-8',
				'Cache-Control': 'no-store, no-cache, max-age=0',
				Pragma: 'no-cache',
			},
			body: Buffer.from(JSON.stringify({ ...token, scope: 'api.platform api.products' })),
		};
	}

	// ---- tasks ------------------------------------------------------------------------------------------------

	private submit(ctx: HandlerContext, trial: boolean): Reply {
		let body: unknown;
		try {
			body = JSON.parse(ctx.body.toString('utf8'));
		} catch {
			return problemDetails({
				status: 400,
				title: 'One or more validation errors occurred.',
				extensions: { errors: { body: ['The request body is not valid JSON.'] } },
			});
		}
		const errors: Record<string, string[]> = {};
		const b = body as {
			text?: unknown;
			settings?: { language?: unknown; resultType?: unknown };
		} | null;
		if (!b || typeof b !== 'object' || Array.isArray(b))
			errors.body = ['A TTSBody object is required.'];
		else {
			for (const key of Object.keys(b))
				if (key !== 'text' && key !== 'settings')
					errors[key] = [`Could not find member '${key}' on object of type 'TTSBody'.`];
			if (typeof b.text !== 'string' || b.text.length < 1)
				errors.text = ['The text field is required.'];
			if (!b.settings || typeof b.settings !== 'object')
				errors.settings = ['The settings field is required.'];
			else {
				if (b.settings.language !== 'English')
					errors['settings.language'] = [
						`Error converting value ${JSON.stringify(b.settings.language)} to type 'LanguageTTS'.`,
					];
				if (b.settings.resultType !== 'Wav')
					errors['settings.resultType'] = [
						`Error converting value ${JSON.stringify(b.settings.resultType)} to type 'ResultTypeTTS'.`,
					];
			}
		}
		if (Object.keys(errors).length)
			return problemDetails({
				status: 400,
				title: 'One or more validation errors occurred.',
				extensions: { errors },
			});
		const text = (b as { text: string }).text;
		const max = this.env.options.asposeTrialMaxCharacters;
		if (trial && text.length > max)
			return problemDetails({
				status: 400,
				detail: `In trial mode the text may be at most ${max} characters long (got ${text.length}). Please authenticate to the API to remove this limit.`,
			});
		const task = this.createTask(text, { trial });
		const id = formatTaskId(task.id, this.env.options.asposeTaskIdFormat);
		return {
			status: 200,
			headers: { 'Content-Type': 'text/plain; charset=utf-8' },
			body: Buffer.from(id),
		};
	}

	createTask(text: string, options: AsposeTaskOptions = {}): AsposeTask {
		const opts = this.env.options;
		const id = uuid();
		const seed = hashSeed(id);
		const phases = phasesFor(
			options.durationMs ?? opts.durations.aspose,
			asposeTaskPhasesMs(text.length, seed),
			opts.timeScale,
		);
		const task: AsposeTask = {
			id,
			text,
			trial: options.trial ?? false,
			createdAt: this.env.clock.now(),
			queuedMs: phases.queuedMs,
			runningMs: phases.initializingMs + phases.runningMs,
			outcome:
				options.outcome ??
				(text.includes('[[hang]]') ? 'hang' : text.includes('[[fail]]') ? 'fail' : 'succeed'),
			deleted: false,
			seed,
		};
		this.tasks.set(id, task);
		return task;
	}

	private taskFor(id: string | undefined, trial: boolean): AsposeTask | undefined {
		if (!id) return undefined;
		const task = this.tasks.get(id.trim());
		if (!task || task.deleted || task.trial !== trial) return undefined;
		if (
			this.env.clock.now() - task.createdAt >=
			this.env.clock.scaled(this.env.options.asposeRetentionMs)
		) {
			this.tasks.delete(task.id);
			return undefined;
		}
		return task;
	}

	private statusOf(task: AsposeTask): 'Pending' | 'Processing' | 'Completed' | 'Error' {
		const elapsed = this.env.clock.now() - task.createdAt;
		if (elapsed < task.queuedMs) return 'Pending';
		if (task.outcome === 'hang' || elapsed < task.queuedMs + task.runningMs) return 'Processing';
		return task.outcome === 'fail' ? 'Error' : 'Completed';
	}

	/** TTSResponse JSON for an id as the (trial) fetch endpoint would return it. */
	response(id: string, trial: boolean, withResults = true): Record<string, unknown> {
		const task = this.taskFor(id, trial);
		if (!task)
			return {
				id,
				responseStatusCode: 'TaskNotFound',
				taskStatus: 'NotExist',
				results: null,
				error: {
					messages: [`Task ${id} does not exist or its results have expired.`],
					warnings: [],
				},
			};
		const status = this.statusOf(task);
		if (status === 'Error')
			return {
				id,
				responseStatusCode: 'Error',
				taskStatus: 'Error',
				results: [],
				error: { messages: ['Text to speech conversion failed.'], warnings: [] },
			};
		if (status !== 'Completed' || !withResults)
			return { id, responseStatusCode: 'Ok', taskStatus: status, results: [], error: null };
		task.wavBase64 ??= asposeWav(task.text, this.env.options.asposeSampleRate, task.seed).toString(
			'base64',
		);
		return {
			id,
			responseStatusCode: 'Ok',
			taskStatus: 'Completed',
			results: [{ type: 'WavFile', data: task.wavBase64 }],
			error: null,
		};
	}

	private fetch(ctx: HandlerContext, trial: boolean, withResults: boolean): Reply {
		const id = queryValue(ctx.query, 'id');
		if (!id)
			return problemDetails({
				status: 400,
				title: 'One or more validation errors occurred.',
				extensions: { errors: { id: ['The id field is required.'] } },
			});
		return {
			status: 200,
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
			body: Buffer.from(JSON.stringify(this.response(id, trial, withResults))),
		};
	}

	private remove(ctx: HandlerContext, trial: boolean): Reply {
		const id = queryValue(ctx.query, 'id');
		if (!id)
			return problemDetails({
				status: 400,
				title: 'One or more validation errors occurred.',
				extensions: { errors: { id: ['The id field is required.'] } },
			});
		const task = this.taskFor(id, trial);
		if (task) {
			task.deleted = true;
			task.wavBase64 = undefined;
		}
		return { status: 200, headers: { 'Content-Length': 0 } };
	}
}
