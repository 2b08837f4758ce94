/**
 * Wait Until Complete in n8n's real engine: what it learns survives into the next execution through the
 * workflow's static data, and many Polly tasks are read with ListSpeechSynthesisTasks pages instead of
 * one Get each — in either listing order, with no task missed or reported twice, and with a Get for a
 * task the listing leaves out.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { node, single } from '../harness/fixtures';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';

const POLLY = 'https://polly.us-east-1.amazonaws.com';

const wait = (options: IDataObject = {}) =>
	node(
		TYPES.waitUntilComplete,
		{ service: 'auto', downloadAudio: false, options: { timeout: 30, ...options } },
		{ name: 'Wait Until Complete' },
	);

interface FakeTask {
	id: string;
	createdAt: number;
	/** Epoch ms at which the task completes. */
	doneAt: number;
}

function describeTask(task: FakeTask, now = Date.now()): IDataObject {
	return {
		TaskId: task.id,
		TaskStatus: now >= task.doneAt ? 'completed' : 'inProgress',
		Engine: 'standard',
		OutputFormat: 'mp3',
		RequestCharacters: 50,
		CreationTime: task.createdAt / 1000,
		OutputUri: `https://s3.us-east-1.amazonaws.com/bucket/${task.id}.mp3`,
	};
}

/** A Polly account on nock: Get and List (pages of 100, by creation time in `order`), counted. */
function fakePolly(
	tasks: FakeTask[],
	order: 'newestFirst' | 'oldestFirst',
	omit = new Set<string>(),
) {
	const counts = { get: 0, list: 0, listedAt: [] as number[] };
	const byId = new Map(tasks.map((t) => [t.id, t]));
	nock(POLLY)
		.persist()
		.get(/^\/v1\/synthesisTasks\/[^/?]+$/)
		.reply((uri) => {
			counts.get++;
			const task = byId.get(decodeURIComponent(uri.split('/').pop()!));
			return task
				? [200, { SynthesisTask: describeTask(task) }]
				: [400, { message: 'not found' }, { 'x-amzn-ErrorType': 'SynthesisTaskNotFoundException' }];
		})
		.get(/^\/v1\/synthesisTasks(\?.*)?$/)
		.reply((uri) => {
			counts.list++;
			counts.listedAt.push(Date.now());
			const query = new URL(uri, POLLY).searchParams;
			const max = Number(query.get('MaxResults'));
			const start = Number(query.get('NextToken') ?? 0);
			const sign = order === 'newestFirst' ? -1 : 1;
			const listed = tasks
				.filter((t) => !omit.has(t.id))
				.sort((a, b) => sign * (a.createdAt - b.createdAt) || a.id.localeCompare(b.id));
			const page = listed.slice(start, start + max);
			return [
				200,
				{
					SynthesisTasks: page.map((t) => describeTask(t)),
					...(start + max < listed.length ? { NextToken: String(start + max) } : {}),
				},
			];
		});
	return counts;
}

function manyTasks(count: number): FakeTask[] {
	const now = Date.now();
	// 20 other tasks of the account, older than ours: the listing must page past none of them.
	return Array.from({ length: count + 20 }, (_, i) => ({
		id: `task-${String(i).padStart(4, '0')}`,
		createdAt: now - 60_000 + i * 10 - (i >= count ? 600_000 : 0),
		doneAt: now + 400 + (i % 7) * 150,
	}));
}

const input = (tasks: FakeTask[]) => tasks.map((task) => ({ json: describeTask(task, 0) }));

afterEach(() => nock.cleanAll());

describe('Wait Until Complete: many Polly tasks through ListSpeechSynthesisTasks', () => {
	for (const order of ['newestFirst', 'oldestFirst'] as const) {
		it(`reads 160 tasks with fewer requests than one Get each, none missed or twice (${order})`, async () => {
			const tasks = manyTasks(160);
			const ours = tasks.slice(0, 160);
			const counts = fakePolly(tasks, order);
			const { outputs, error } = await runWorkflow(
				single(wait({ strategy: 'fixed', interval: 0.3 }), input(ours)),
			);
			expect(error).toBeUndefined();
			const [completed, failed, timedOut] = outputs['Wait Until Complete'];
			expect(failed).toEqual([]);
			expect(timedOut).toEqual([]);
			expect(completed.map((item) => item.json.TaskId)).toEqual(ours.map((t) => t.id));
			expect(completed.map((item) => item.pairedItem)).toEqual(ours.map((_, item) => ({ item })));
			for (const item of completed) expect(item.json.TaskStatus).toBe('completed');
			const requests = counts.get + counts.list;
			if (order === 'newestFirst') {
				// Each item checks at least twice (it is running at first): 320+ Gets without listing.
				expect(counts.list).toBeGreaterThan(0);
				expect(requests).toBeLessThan(ours.length);
			} else {
				// Oldest first: the listing can't stop at our tasks, so it is dropped after its first page
				// and every item is read with Get (at least once each).
				expect(counts.list).toBe(1);
				expect(counts.get).toBeGreaterThanOrEqual(ours.length);
			}
		});
	}

	it('checks 12 adaptive items together: one listing page per 4.5 s grid step, no Get', async () => {
		const now = Date.now();
		const tasks = manyTasks(12).map((task, i) =>
			i < 12 ? { ...task, doneAt: now + 1000 + i * 250 } : task,
		);
		const ours = tasks.slice(0, 12);
		const counts = fakePolly(tasks, 'newestFirst');
		const { outputs, error } = await runWorkflow(single(wait(), input(ours)));
		expect(error).toBeUndefined();
		const [completed, failed, timedOut] = outputs['Wait Until Complete'];
		expect([failed, timedOut]).toEqual([[], []]);
		expect(completed.map((item) => item.json.TaskId)).toEqual(ours.map((t) => t.id));
		// The first check of all 12 at once, then the grid step at which all have ended (by 3.75 s).
		expect(counts.get).toBe(0);
		expect(counts.list).toBe(2);
		const step = counts.listedAt[1] - counts.listedAt[0];
		expect(step).toBeGreaterThanOrEqual(4000);
		expect(step).toBeLessThan(5500);
	});

	it('asks with a Get for a task the listing leaves out', async () => {
		const tasks = manyTasks(150);
		const ours = tasks.slice(0, 150);
		const counts = fakePolly(tasks, 'newestFirst', new Set(['task-0042']));
		const { outputs } = await runWorkflow(
			single(wait({ strategy: 'fixed', interval: 0.3 }), input(ours)),
		);
		const [completed, failed, timedOut] = outputs['Wait Until Complete'];
		expect(failed).toEqual([]);
		expect(timedOut).toEqual([]);
		expect(completed).toHaveLength(150);
		expect(completed.filter((item) => item.json.TaskId === 'task-0042')).toHaveLength(1);
		expect(counts.list).toBeGreaterThan(0);
		// The omitted task was read with Get at every check (at least twice); the others mostly by list.
		expect(counts.get).toBeGreaterThanOrEqual(2);
		expect(counts.get + counts.list).toBeLessThan(150);
	});
});

describe('Wait Until Complete: learning kept in the workflow static data', () => {
	it('stores what it learned and starts the next execution from it', async () => {
		const staticData: IDataObject = {};
		const now = Date.now();
		const first: FakeTask = { id: 'first', createdAt: now - 200, doneAt: now + 1200 };
		fakePolly([first], 'newestFirst');
		const one = await runWorkflow({
			...single(wait(), [{ json: describeTask(first, 0) }]),
			staticData,
		});
		expect(one.outputs['Wait Until Complete'][0]).toHaveLength(1);
		// n8n saves static data after an execution only when it is marked changed.
		expect((staticData as { __dataChanged?: boolean }).__dataChanged).toBe(true);
		const nodeKey = 'node:Wait Until Complete';
		const stored = JSON.parse(JSON.stringify(staticData[nodeKey])) as IDataObject;
		const learned = stored.waitUntilCompleteLearned as { v: number; f: Record<string, number[]> };
		expect(learned.v).toBe(2);
		expect(learned.f['polly|standard|mp3']?.[0]).toBeGreaterThan(0);
		nock.cleanAll();

		// As n8n would load it from the database for the next execution.
		const second: FakeTask = {
			id: 'second',
			createdAt: Date.now() - 200,
			doneAt: Date.now() + 1200,
		};
		fakePolly([second], 'newestFirst');
		const next: IDataObject = { [nodeKey]: stored };
		const two = await runWorkflow({
			...single(wait(), [{ json: describeTask(second, 0) }]),
			staticData: next,
		});
		expect(two.outputs['Wait Until Complete'][0]).toHaveLength(1);
		const after = (next[nodeKey] as IDataObject).waitUntilCompleteLearned as typeof learned;
		// The second execution added to what the first stored, instead of starting over.
		expect(after.f['polly|standard|mp3'][0]).toBeGreaterThan(learned.f['polly|standard|mp3'][0]);
	});

	it('ignores stored data it cannot use, and still completes', async () => {
		const now = Date.now();
		const task: FakeTask = { id: 'odd', createdAt: now - 200, doneAt: now + 500 };
		fakePolly([task], 'newestFirst');
		const staticData: IDataObject = {
			'node:Wait Until Complete': {
				waitUntilCompleteLearned: { v: 2, f: { x: 'nonsense' }, e: [], d: 7 },
			},
		};
		const { outputs, error } = await runWorkflow({
			...single(wait(), [{ json: describeTask(task, 0) }]),
			staticData,
		});
		expect(error).toBeUndefined();
		expect(outputs['Wait Until Complete'][0]).toHaveLength(1);
	});
});
