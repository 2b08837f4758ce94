import { sleep } from 'n8n-workflow';

export interface TimeLimit {
	/** Aborts when the time is up. */
	signal: AbortSignal;
	/** The request is over: stop the clock, so nothing waits on it any longer. */
	release(): void;
}

/** A total time limit for one request, answer included, that is released as soon as it is over. */
export function timeLimit(ms: number): TimeLimit {
	const limit = new AbortController();
	const clock = new AbortController();
	sleep(ms, clock.signal).then(
		() => limit.abort(new Error(`no complete answer within ${ms} ms`)),
		() => undefined,
	);
	return { signal: limit.signal, release: () => clock.abort() };
}
