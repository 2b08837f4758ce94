import { BatchReader } from '../../../../../nodes/common/polling/batch-reader';
import type { ListPage, ReadOutcome } from '../../../../../nodes/common/polling/batch-reader';

interface Task {
	id: string;
	createdAt: number;
}

type Failure = { fatal: boolean };

/** A fake service on a manual clock: tasks, listing order, omissions, counted requests. */
function setup(options: {
	count: number;
	others?: number;
	order?: 'newest' | 'oldest';
	omit?: string[];
	listFailure?: Failure;
}) {
	const ours: Task[] = Array.from({ length: options.count }, (_, i) => ({
		id: `t${i}`,
		createdAt: 10_000 + i,
	}));
	const others: Task[] = Array.from({ length: options.others ?? 0 }, (_, i) => ({
		id: `o${i}`,
		createdAt: i,
	}));
	const all = [...ours, ...others].filter((t) => !options.omit?.includes(t.id));
	const sign = options.order === 'oldest' ? 1 : -1;
	all.sort((a, b) => sign * (a.createdAt - b.createdAt));
	const counts = { get: 0, list: 0 };
	let now = 0;
	const sleeps: Array<() => void> = [];
	const reader = new BatchReader<Task, Failure>({
		get: async (id) => {
			counts.get++;
			const task = ours.find((t) => t.id === id);
			return task ? { ok: true, value: task } : { ok: false, failure: { fatal: true } };
		},
		list: async (token): Promise<ReadOutcome<ListPage<Task>, Failure>> => {
			counts.list++;
			if (options.listFailure) return { ok: false, failure: options.listFailure };
			const start = Number(token ?? 0);
			const tasks = all.slice(start, start + 100);
			return {
				ok: true,
				value: { tasks, nextToken: start + 100 < all.length ? String(start + 100) : undefined },
			};
		},
		idOf: (task) => task.id,
		createdAtOf: (task) => task.createdAt,
		isFatal: (failure) => failure.fatal,
		now: () => now,
		sleep: async () => await new Promise<void>((resolve) => sleeps.push(resolve)),
	});
	for (const task of ours) reader.await(task.id);
	const readAll = async () => {
		// Each round comes later than a sweep stays fresh.
		now += 2000;
		const reads = ours.map((t) => reader.read(t.id));
		// Let every ask join the batch, then end the gathering sleep.
		await Promise.resolve();
		now += 200;
		sleeps.splice(0).forEach((wake) => wake());
		return await Promise.all(reads);
	};
	return { reader, counts, readAll, ours };
}

describe('BatchReader', () => {
	it('sends the sweep at once when every awaited task is asking, without waiting out the gathering', async () => {
		const { counts, reader, ours } = setup({ count: 60 });
		// The gathering sleep never ends here: only the early flush can answer.
		const outcomes = await Promise.all(ours.map((t) => reader.read(t.id)));
		expect(outcomes.every((o) => o.ok)).toBe(true);
		expect(counts).toEqual({ get: 0, list: 1 });
	});

	it('waits out the gathering while only some awaited tasks ask', async () => {
		const { counts, reader, ours } = setup({ count: 60 });
		let answered = 0;
		const reads = ours.slice(0, 30).map(async (t) => {
			const outcome = await reader.read(t.id);
			answered++;
			return outcome;
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(answered).toBe(0);
		expect(counts).toEqual({ get: 0, list: 0 });
		// The other 30 tasks ask too: now every awaited task is asking, so all go out together.
		await Promise.all([...reads, ...ours.slice(30).map(async (t) => await reader.read(t.id))]);
		expect(answered).toBe(30);
		expect(counts).toEqual({ get: 0, list: 1 });
	});

	it('answers 250 asks with 3 list pages, each ask exactly its own task', async () => {
		const { counts, readAll, ours } = setup({ count: 250, others: 500 });
		const outcomes = await readAll();
		expect(outcomes.map((o) => (o.ok ? o.value.id : undefined))).toEqual(ours.map((t) => t.id));
		expect(counts).toEqual({ get: 0, list: 3 });
	});

	it('stops paging at tasks older than the oldest awaited one once creation times are known', async () => {
		const { counts, readAll, reader } = setup({ count: 150, others: 1000, omit: ['t3'] });
		await readAll();
		// Without creation times: pages until all are seen or maxPages (t3 never shows), then a Get for t3.
		expect(counts.get).toBe(1);
		counts.list = 0;
		counts.get = 0;
		expect(reader.stats.disabled).toBeUndefined();
		const outcomes = await readAll();
		expect(outcomes.every((o) => o.ok)).toBe(true);
		// Creation times are known now: the second page already reaches older tasks.
		expect(counts.list).toBe(2);
		expect(counts.get).toBe(1);
	});

	it('falls back to Get for good when the listing is oldest first', async () => {
		const { counts, readAll, reader, ours } = setup({ count: 150, others: 300, order: 'oldest' });
		const outcomes = await readAll();
		expect(outcomes.map((o) => (o.ok ? o.value.id : undefined))).toEqual(ours.map((t) => t.id));
		expect(reader.stats.disabled).toBe('order');
		expect(counts).toEqual({ get: 150, list: 1 });
		await readAll();
		expect(counts).toEqual({ get: 300, list: 1 });
	});

	it('uses Get when a sweep would cost as much as it saves', async () => {
		const { counts, reader } = setup({ count: 2 });
		const read = reader.read('t0');
		await Promise.resolve();
		// One ask, one page expected: a Get is no dearer.
		expect(counts.list).toBe(0);
		void read;
	});

	it('stops listing after a refusal it cannot retry, and reads with Get', async () => {
		const { counts, readAll, reader } = setup({ count: 120, listFailure: { fatal: true } });
		const outcomes = await readAll();
		expect(outcomes.every((o) => o.ok)).toBe(true);
		expect(reader.stats.disabled).toBe('refused');
		expect(counts).toEqual({ get: 120, list: 1 });
	});
});
