/** Runs at most `limit` tasks at once; the rest wait in order. */
export function createLimiter(limit: number) {
	let active = 0;
	const queue: Array<() => void> = [];

	const next = () => {
		active--;
		queue.shift()?.();
	};

	return async function run<T>(task: () => Promise<T>): Promise<T> {
		if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
		active++;
		try {
			return await task();
		} finally {
			next();
		}
	};
}

export type Limiter = ReturnType<typeof createLimiter>;
