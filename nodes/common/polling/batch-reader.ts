/**
 * Reads many tasks' statuses with a listing (Polly's ListSpeechSynthesisTasks: up to 100 tasks a page)
 * instead of one Get per task, where that costs fewer requests. Shared by the items of one execution that
 * wait on one connection; each item still asks for its own task and gets exactly one answer per ask.
 *
 * How: an ask opens (or joins) a batch that gathers the asks due within `gatherMs`. When the batch holds
 * more asks than a sweep is expected to cost in pages, one sweep answers them all; otherwise each asks
 * with a Get. Asks made while a sweep that started at most `freshMs` ago is under way use that sweep.
 * A sweep pages through the listing (no status filter: every awaited task, running or done, must show),
 * and stops when all awaited tasks were seen, when the listing reaches tasks older than the oldest
 * awaited one, or at `maxPages`. Falls back to Get: for any task the sweep did not show; for every ask
 * once the listing turns out not to be newest first (the direction is undocumented: checked on the
 * creation times of every page) or the listing is refused (no permission, say); and while sweeps cost
 * more than they save.
 */

/** The answer to one ask: the task, or why it could not be read (the caller's own outcome type). */
export type ReadOutcome<Task, Failure> =
	| { ok: true; value: Task }
	| { ok: false; failure: Failure };

export interface ListPage<Task> {
	tasks: Task[];
	nextToken?: string;
}

export interface BatchReaderOptions<Task, Failure> {
	/** One Get. */
	get(id: string): Promise<ReadOutcome<Task, Failure>>;
	/** One page of the listing, newest first if the service keeps its word. */
	list(nextToken?: string): Promise<ReadOutcome<ListPage<Task>, Failure>>;
	idOf(task: Task): string | undefined;
	/** Epoch ms. */
	createdAtOf(task: Task): number | undefined;
	/** A failure after which listing is not tried again in this execution (e.g. access denied). */
	isFatal(failure: Failure): boolean;
	now(): number;
	sleep(ms: number): Promise<void>;
	pageSize?: number;
	gatherMs?: number;
	freshMs?: number;
	maxPages?: number;
}

interface Sweep<Task> {
	startedAt: number;
	/** Undefined when the sweep failed: its asks go to Get. */
	result: Promise<Map<string, Task> | undefined>;
}

/** The asks gathered for one flush; `flushed` once they went out (early, or after `gatherMs`). */
interface Gathering<Task, Failure> {
	asks: Array<Ask<Task, Failure>>;
	flushed: boolean;
}

interface Ask<Task, Failure> {
	id: string;
	resolve(outcome: ReadOutcome<Task, Failure>): void;
	reject(reason: unknown): void;
}

export interface BatchReaderStats {
	gets: number;
	pages: number;
	sweeps: number;
	/** Why listing stopped being used, if it did. */
	disabled?: 'order' | 'refused';
}

export class BatchReader<Task, Failure> {
	readonly stats: BatchReaderStats = { gets: 0, pages: 0, sweeps: 0 };
	/** Awaited tasks → creation time, when known. */
	private readonly awaited = new Map<string, number | undefined>();
	private gathering: Gathering<Task, Failure> | undefined;
	private sweep: Sweep<Task> | undefined;
	/** Pages the last sweep took: what the next one is expected to cost. */
	private expectedPages: number | undefined;
	private readonly pageSize: number;
	private readonly gatherMs: number;
	private readonly freshMs: number;
	private readonly maxPages: number;

	constructor(private readonly options: BatchReaderOptions<Task, Failure>) {
		this.pageSize = options.pageSize ?? 100;
		this.gatherMs = options.gatherMs ?? 200;
		this.freshMs = options.freshMs ?? 1000;
		this.maxPages = options.maxPages ?? 20;
	}

	/** A task starts being awaited (its creation time, if the item says). */
	await(id: string, createdAt?: number): void {
		if (!this.awaited.has(id) || createdAt !== undefined) this.awaited.set(id, createdAt);
	}

	/** A task is no longer awaited (done, failed or timed out). */
	release(id: string): void {
		this.awaited.delete(id);
	}

	async read(id: string): Promise<ReadOutcome<Task, Failure>> {
		this.await(id, this.awaited.get(id));
		if (this.stats.disabled) return await this.get(id);
		const sweep = this.sweep;
		if (sweep && sweep.startedAt >= this.options.now() - this.freshMs) {
			return await this.fromSweep(sweep, id);
		}
		return await new Promise<ReadOutcome<Task, Failure>>((resolve, reject) => {
			const ask = { id, resolve, reject };
			const gathering = this.gathering ?? { asks: [], flushed: false };
			gathering.asks.push(ask);
			if (!this.gathering) {
				this.gathering = gathering;
				void this.flushLater(gathering);
			}
			// Every awaited task is asking: nothing more can join, so waiting out `gatherMs` only delays.
			if (gathering.asks.length >= this.awaited.size) this.flush(gathering);
		});
	}

	private async get(id: string): Promise<ReadOutcome<Task, Failure>> {
		this.stats.gets++;
		const outcome = await this.options.get(id);
		if (outcome.ok) this.learnCreation(outcome.value);
		return outcome;
	}

	private learnCreation(task: Task) {
		const id = this.options.idOf(task);
		const createdAt = this.options.createdAtOf(task);
		if (id !== undefined && createdAt !== undefined && this.awaited.has(id))
			this.awaited.set(id, createdAt);
	}

	private async fromSweep(sweep: Sweep<Task>, id: string): Promise<ReadOutcome<Task, Failure>> {
		const seen = await sweep.result;
		const task = seen?.get(id);
		return task !== undefined ? { ok: true, value: task } : await this.get(id);
	}

	private async flushLater(gathering: Gathering<Task, Failure>): Promise<void> {
		try {
			await this.options.sleep(this.gatherMs);
		} catch (error) {
			if (gathering.flushed) return;
			// Cancelled: every ask gathered so far ends with the cancellation.
			gathering.flushed = true;
			if (this.gathering === gathering) this.gathering = undefined;
			for (const ask of gathering.asks) ask.reject(error);
			return;
		}
		this.flush(gathering);
	}

	private flush(gathering: Gathering<Task, Failure>): void {
		if (gathering.flushed) return;
		gathering.flushed = true;
		if (this.gathering === gathering) this.gathering = undefined;
		const { asks } = gathering;
		const cost = this.expectedPages ?? Math.max(1, Math.ceil(this.awaited.size / this.pageSize));
		let sweep: Sweep<Task> | undefined;
		if (!this.stats.disabled && asks.length > cost) {
			sweep = { startedAt: this.options.now(), result: this.runSweep() };
			this.sweep = sweep;
		}
		for (const ask of asks) {
			(sweep ? this.fromSweep(sweep, ask.id) : this.get(ask.id)).then(ask.resolve, ask.reject);
		}
	}

	private async runSweep(): Promise<Map<string, Task> | undefined> {
		this.stats.sweeps++;
		const seen = new Map<string, Task>();
		const wanted = new Set(this.awaited.keys());
		const known = [...this.awaited.values()];
		const oldest = known.every((at) => at !== undefined)
			? Math.min(...(known as number[]))
			: undefined;
		let previous: number | undefined;
		let token: string | undefined;
		let pages = 0;
		for (;;) {
			pages++;
			this.stats.pages++;
			let outcome: ReadOutcome<ListPage<Task>, Failure>;
			try {
				outcome = await this.options.list(token);
			} catch {
				this.expectedPages = pages;
				return undefined;
			}
			if (!outcome.ok) {
				if (this.options.isFatal(outcome.failure)) this.stats.disabled = 'refused';
				this.expectedPages = pages;
				return undefined;
			}
			let olderThanAll = false;
			for (const task of outcome.value.tasks) {
				const createdAt = this.options.createdAtOf(task);
				if (createdAt !== undefined) {
					// Newest first, or nothing here can be trusted to end the paging.
					if (previous !== undefined && createdAt > previous) {
						this.stats.disabled = 'order';
						return undefined;
					}
					previous = createdAt;
					if (oldest !== undefined && createdAt < oldest) olderThanAll = true;
				}
				const id = this.options.idOf(task);
				// The first sighting counts: a task that moved while paging shows once.
				if (id !== undefined && !seen.has(id)) {
					seen.set(id, task);
					wanted.delete(id);
				}
			}
			token = outcome.value.nextToken;
			if (!token || wanted.size === 0 || olderThanAll || pages >= this.maxPages) break;
		}
		this.expectedPages = pages;
		for (const task of seen.values()) this.learnCreation(task);
		return seen;
	}
}
