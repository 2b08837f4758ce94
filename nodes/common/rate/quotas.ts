/**
 * Which quota a request counts against, as data on the operation, and the rates the services document.
 * A bucket is shared by every request with the same name, credential identity, region and endpoint.
 */

export interface RateSpec {
	/** Requests that share one quota share one name, such as "polly:GetList". */
	bucket: string;
	/**
	 * The documented rate, in requests per second. Absent where none is published: the bucket then lets
	 * everything through until the service throttles, and adapts from there.
	 */
	perSecond?: number;
}

/**
 * Operations that say nothing: one adaptive-only bucket per endpoint. The burst allowances AWS documents
 * (StartSpeechSynthesisTask standard 12, SynthesizeSpeech standard 100, neural and long-form 10) are left
 * to the service: the client sends evenly at the rate (see the bucket's BURST_SECONDS).
 */
export const DEFAULT_RATE: RateSpec = { bucket: 'default' };

// "Quotas in Amazon Polly" (docs.aws.amazon.com/polly/latest/dg/limits.html), per account and Region.

/** GetSpeechSynthesisTask and ListSpeechSynthesisTasks, together. */
export const POLLY_GET_LIST: RateSpec = { bucket: 'polly:GetList', perSecond: 10 };

const POLLY_START: Readonly<Record<string, number>> = {
	standard: 10,
	neural: 10,
	'long-form': 1,
	generative: 1,
};

const POLLY_SYNTHESIZE: Readonly<Record<string, number>> = {
	standard: 80,
	neural: 8,
	'long-form': 8,
	generative: 8,
};

/** An engine Polly adds later gets the lowest rate of its kind until it is listed here. */
const lowest = (rates: Readonly<Record<string, number>>) => Math.min(...Object.values(rates));

/** StartSpeechSynthesisTask, per engine (Polly's default engine is standard). */
export function pollyStartRate(engine?: string): RateSpec {
	const name = engine || 'standard';
	return { bucket: `polly:Start:${name}`, perSecond: POLLY_START[name] ?? lowest(POLLY_START) };
}

/** SynthesizeSpeech, per engine. */
export function pollySynthesizeRate(engine?: string): RateSpec {
	const name = engine || 'standard';
	return {
		bucket: `polly:Synthesize:${name}`,
		perSecond: POLLY_SYNTHESIZE[name] ?? lowest(POLLY_SYNTHESIZE),
	};
}

/**
 * Chime SDK operations: AWS publishes no per-operation rate (only 25 active speaker searches per Region
 * and one call at a time per task). As the AWS SDK's adaptive mode does, nothing is held back until the
 * first 429 ThrottledClientException; from then the bucket adapts. A guessed rate would slow every
 * account down for no documented reason. Wait Until Complete's Requests per Second option sets one.
 */
export function chimeRate(operation: string): RateSpec {
	return { bucket: `chime:${operation}` };
}

/**
 * Audio downloads. S3 allows 5,500 GET requests per second per prefix, far above what a node sends, so
 * the bucket only adapts if S3 answers 503 SlowDown.
 */
export const DOWNLOAD_RATE: RateSpec = { bucket: 'download' };
