/**
 * Request-rate quotas as AWS documents them, per account and Region, as token buckets on the emulator clock
 * (a manual clock refills them only when advanced). Applied by the server to every authenticated request by
 * route name; a request over its quota gets the service's own throttling answer (the `throttle` fault reply:
 * Polly 400 `ThrottlingException` "Rate exceeded", Chime 429 `ThrottledClientException`) and uses no token.
 *
 * Polly ("Quotas in Amazon Polly", docs.aws.amazon.com/polly/latest/dg/limits.html): GetSpeechSynthesisTask and
 * ListSpeechSynthesisTasks together 10/s; StartSpeechSynthesisTask standard 10/s (burst 12), neural 10/s,
 * long-form 1/s, generative 1/s; SynthesizeSpeech standard 80/s (burst 100), neural 8/s (burst 10), long-form
 * 8/s (burst 10), generative 8/s. Chime SDK publishes no per-operation rate: each operation gets `chimePerSecond`.
 * Where no burst is documented the bucket holds one second of its rate.
 */
import type { HandlerContext } from './service';

export type PollyEngine = 'standard' | 'neural' | 'long-form' | 'generative';

export interface QuotaOptions {
	/** GetSpeechSynthesisTask + ListSpeechSynthesisTasks per second (default 10). */
	pollyGetList?: number;
	/** StartSpeechSynthesisTask per second, per engine (default standard 10, neural 10, long-form 1, generative 1). */
	pollyStart?: Partial<Record<PollyEngine, number>>;
	/** SynthesizeSpeech per second, per engine (default standard 80, neural 8, long-form 8, generative 8). */
	pollySynthesize?: Partial<Record<PollyEngine, number>>;
	/** Requests per second of each Chime SDK operation, both APIs (default 10). */
	chimePerSecond?: number;
}

/** `true`: the documented quotas; an object: those with some rates replaced; `false`/absent: no quotas. */
export type QuotasOption = boolean | QuotaOptions;

interface Limit {
	perSecond: number;
	burst: number;
}

const ENGINES: PollyEngine[] = ['standard', 'neural', 'long-form', 'generative'];
const START: Record<PollyEngine, Limit> = {
	standard: { perSecond: 10, burst: 12 },
	neural: { perSecond: 10, burst: 10 },
	'long-form': { perSecond: 1, burst: 1 },
	generative: { perSecond: 1, burst: 1 },
};
const SYNTHESIZE: Record<PollyEngine, Limit> = {
	standard: { perSecond: 80, burst: 100 },
	neural: { perSecond: 8, burst: 10 },
	'long-form': { perSecond: 8, burst: 10 },
	generative: { perSecond: 8, burst: 8 },
};

/** A changed rate keeps the documented burst's share of it (burst 12 at 10/s → 1.2 s of the new rate). */
function replaced(limit: Limit, perSecond: number | undefined): Limit {
	if (perSecond === undefined) return limit;
	return { perSecond, burst: Math.max(1, (limit.burst / limit.perSecond) * perSecond) };
}

class Bucket {
	private tokens: number;
	private at: number;

	constructor(
		private readonly limit: Limit,
		now: number,
	) {
		this.tokens = limit.burst;
		this.at = now;
	}

	take(now: number): boolean {
		if (now > this.at) {
			this.tokens = Math.min(
				this.limit.burst,
				this.tokens + ((now - this.at) / 1000) * this.limit.perSecond,
			);
			this.at = now;
		}
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

function engineOf(body: Buffer): PollyEngine {
	try {
		const engine = (JSON.parse(body.toString('utf8')) as { Engine?: unknown }).Engine;
		return ENGINES.includes(engine as PollyEngine) ? (engine as PollyEngine) : 'standard';
	} catch {
		return 'standard';
	}
}

export class Quotas {
	private readonly buckets = new Map<string, Bucket>();
	private readonly throttled = new Map<string, number>();
	private readonly getList: Limit;
	private readonly start: Record<PollyEngine, Limit>;
	private readonly synthesize: Record<PollyEngine, Limit>;
	private readonly chime: Limit;

	constructor(
		options: QuotaOptions,
		private readonly accountId: string,
		private readonly now: () => number,
	) {
		const getList = options.pollyGetList ?? 10;
		this.getList = { perSecond: getList, burst: getList };
		const perEngine = (
			base: Record<PollyEngine, Limit>,
			given?: Partial<Record<PollyEngine, number>>,
		) =>
			Object.fromEntries(ENGINES.map((e) => [e, replaced(base[e], given?.[e])])) as Record<
				PollyEngine,
				Limit
			>;
		this.start = perEngine(START, options.pollyStart);
		this.synthesize = perEngine(SYNTHESIZE, options.pollySynthesize);
		const chime = options.chimePerSecond ?? 10;
		this.chime = { perSecond: chime, burst: chime };
	}

	/** The quota a request counts against, or undefined when none is emulated for its route. */
	quotaOf(ctx: Pick<HandlerContext, 'route' | 'body'>): { name: string; limit: Limit } | undefined {
		const route: string = ctx.route;
		if (route === 'polly.get' || route === 'polly.list')
			return { name: 'polly:GetList', limit: this.getList };
		if (route === 'polly.start') {
			const engine = engineOf(ctx.body);
			return { name: `polly:Start:${engine}`, limit: this.start[engine] };
		}
		if (route === 'polly.synthesize') {
			const engine = engineOf(ctx.body);
			return { name: `polly:Synthesize:${engine}`, limit: this.synthesize[engine] };
		}
		if (
			(route.startsWith('chimeMediaPipeline.') || route.startsWith('chimeVoice.')) &&
			!route.endsWith('.unknown')
		)
			return { name: route, limit: this.chime };
		return undefined;
	}

	/**
	 * Takes a token for an authenticated request; returns the quota's name when there is none left (the
	 * request must be throttled), undefined when it may proceed.
	 */
	admit(ctx: Pick<HandlerContext, 'route' | 'body' | 'aws'>): string | undefined {
		const quota = this.quotaOf(ctx);
		if (!quota) return undefined;
		const key = `${this.accountId}|${ctx.aws?.region ?? ''}|${quota.name}`;
		const now = this.now();
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = new Bucket(quota.limit, now);
			this.buckets.set(key, bucket);
		}
		if (bucket.take(now)) return undefined;
		this.throttled.set(quota.name, (this.throttled.get(quota.name) ?? 0) + 1);
		return quota.name;
	}

	/** Throttled requests per quota since start / reset. */
	counts(): Record<string, number> {
		return Object.fromEntries(this.throttled);
	}

	reset(): void {
		this.buckets.clear();
		this.throttled.clear();
	}
}

/** The quotas an emulator option asks for, or undefined for none. */
export function quotasFor(
	option: QuotasOption | undefined,
	accountId: string,
	now: () => number,
): Quotas | undefined {
	if (!option) return undefined;
	return new Quotas(option === true ? {} : option, accountId, now);
}
