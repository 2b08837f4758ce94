import { sleep } from 'n8n-workflow';

/**
 * Runs at most `limit` tasks at once; the rest wait in order. Once `signal` aborts, waiting tasks
 * are refused instead of started, so nothing more goes out after a node has failed or been cancelled.
 */
export function createLimiter(limit: number, signal?: AbortSignal) {
	let active = 0;
	const queue: Array<{ start: () => void; refuse: (reason: unknown) => void }> = [];

	signal?.addEventListener(
		'abort',
		() => queue.splice(0).forEach((waiting) => waiting.refuse(signal.reason)),
		{ once: true },
	);

	const next = () => {
		active--;
		queue.shift()?.start();
	};

	return async function run<T>(task: () => Promise<T>): Promise<T> {
		if (signal?.aborted) throw signal.reason;
		if (active >= limit) {
			await new Promise<void>((start, refuse) => queue.push({ start, refuse }));
		}
		active++;
		const running = task();
		// After a failure the next task starts a tick later: if the failure stops the node, the
		// abort has refused the queue by then and no further request goes out.
		running.then(next, () => void sleep(0).then(next));
		return await running;
	};
}

export type Limiter = ReturnType<typeof createLimiter>;
