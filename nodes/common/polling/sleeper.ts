import { sleep } from 'n8n-workflow';

/**
 * Sleeps that all end when `stop` aborts. Each sleep listens on a signal of its own, and `stop` has
 * one listener for all of them: hundreds of items waiting at once would otherwise put hundreds of
 * listeners on one signal (Node warns past 10).
 */
export function sleeperFor(stop: AbortSignal): (ms: number) => Promise<void> {
	const pending = new Set<AbortController>();
	stop.addEventListener('abort', () => pending.forEach((sleeping) => sleeping.abort(stop.reason)), {
		once: true,
	});
	return async (ms) => {
		const own = new AbortController();
		if (stop.aborted) own.abort(stop.reason);
		pending.add(own);
		try {
			await sleep(ms, own.signal);
		} finally {
			pending.delete(own);
		}
	};
}
