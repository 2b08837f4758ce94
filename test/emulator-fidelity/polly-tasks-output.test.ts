/**
 * Polly StartSpeechSynthesisTask output location in the emulated S3 and ListSpeechSynthesisTasks order / paging,
 * through @aws-sdk/client-polly and @aws-sdk/client-s3.
 */
import {
	GetSpeechSynthesisTaskCommand,
	ListSpeechSynthesisTasksCommand,
	type ListSpeechSynthesisTasksCommandInput,
	StartSpeechSynthesisTaskCommand,
	type StartSpeechSynthesisTaskCommandInput,
	type SynthesisTask,
} from '@aws-sdk/client-polly';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { type Emulator, type EmulatorOptions, startEmulator } from '../emulator';
import { parseOgg, walkMp3 } from './audio-validators';
import { bodyBytes, errorOf, pollyClient, s3Client } from './helpers';

const BUCKET = 'speech-tasks-output';
const base: StartSpeechSynthesisTaskCommandInput = {
	OutputFormat: 'mp3',
	OutputS3BucketName: BUCKET,
	Text: 'Hello from the emulator.',
	VoiceId: 'Joanna',
};

async function withEmulator(options: EmulatorOptions, fn: (e: Emulator) => Promise<void>) {
	const e = await startEmulator(options);
	try {
		await fn(e);
	} finally {
		await e.close();
	}
}

async function start(e: Emulator, input: Partial<StartSpeechSynthesisTaskCommandInput> = {}) {
	const out = await pollyClient(e).send(new StartSpeechSynthesisTaskCommand({ ...base, ...input }));
	return out.SynthesisTask!;
}

/** The object key in a regional path-style OutputUri. */
function keyOf(task: SynthesisTask): string {
	const prefix = `https://s3.us-east-1.amazonaws.com/${BUCKET}/`;
	expect(task.OutputUri!.startsWith(prefix)).toBe(true);
	return task.OutputUri!.slice(prefix.length);
}

describe('where StartSpeechSynthesisTask puts its output', () => {
	test('without a prefix: <TaskId>.<ext> at the bucket root, readable once completed', async () => {
		await withEmulator({ durations: { polly: 0 } }, async (e) => {
			const task = await start(e);
			expect(keyOf(task)).toBe(`${task.TaskId}.mp3`);
			const done = await pollyClient(e).send(
				new GetSpeechSynthesisTaskCommand({ TaskId: task.TaskId }),
			);
			expect(done.SynthesisTask!.TaskStatus).toBe('completed');
			const out = await s3Client(e).send(
				new GetObjectCommand({ Bucket: BUCKET, Key: keyOf(done.SynthesisTask!) }),
			);
			expect(out.ContentType).toBe('audio/mpeg');
			expect(walkMp3(await bodyBytes(out.Body)).sampleRate).toBe(22050);
		});
	});

	// AWS joins prefix and task id with a dot, even after a trailing slash: the CLI example of
	// https://docs.aws.amazon.com/polly/latest/dg/longer-cli.html answers `…/optional/prefix/path/file.<task_id>.mp3`,
	// and https://github.com/aws/aws-sdk-net/issues/1880 reports `.<TaskId>.mp3` names under a `prefix/`.
	test.each([
		['audio/', 'mp3', 'mp3'],
		['books/chapter-1', 'ogg_vorbis', 'ogg'],
	] as const)(
		'prefix %s, OutputFormat %s: <prefix>.<TaskId>.%s, and nothing at <prefix><TaskId>',
		async (prefix, format, ext) => {
			await withEmulator({ durations: { polly: 0 } }, async (e) => {
				const task = await start(e, { OutputS3KeyPrefix: prefix, OutputFormat: format });
				const key = keyOf(task);
				expect(key).toBe(`${prefix}.${task.TaskId}.${ext}`);
				await pollyClient(e).send(new GetSpeechSynthesisTaskCommand({ TaskId: task.TaskId }));
				const s3 = s3Client(e);
				const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
				const bytes = await bodyBytes(out.Body);
				if (format === 'mp3') expect(walkMp3(bytes).frames).toBeGreaterThan(10);
				else expect(parseOgg(bytes).packets[0].subarray(1, 7).toString('latin1')).toBe('vorbis');
				const missing = await errorOf(() =>
					s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${prefix}${task.TaskId}.${ext}` })),
				);
				expect(missing.$metadata.httpStatusCode).toBe(404);
			});
		},
	);

	test('the object appears only when the task completes', async () => {
		await withEmulator({ clock: 'manual', durations: { polly: 10_000 } }, async (e) => {
			const task = await start(e, { OutputS3KeyPrefix: 'later/' });
			const s3 = s3Client(e);
			const head = () => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: keyOf(task) }));
			expect((await errorOf(head)).$metadata.httpStatusCode).toBe(404);
			e.advance(10_000);
			expect((await head()).ContentType).toBe('audio/mpeg');
		});
	});
});

describe('ListSpeechSynthesisTasks order and paging', () => {
	async function createSpaced(e: Emulator, count: number, label: string): Promise<string[]> {
		const ids: string[] = [];
		for (let i = 0; i < count; i++) {
			ids.push((await start(e, { Text: `${label} ${i}.` })).TaskId!);
			e.advance(1_000);
		}
		return ids;
	}

	async function list(e: Emulator, input: ListSpeechSynthesisTasksCommandInput = {}) {
		return pollyClient(e).send(new ListSpeechSynthesisTasksCommand(input));
	}

	test('newest first by default; pollyListOrder: oldestFirst reverses it', async () => {
		await withEmulator({ clock: 'manual' }, async (e) => {
			const ids = await createSpaced(e, 5, 'task');
			const out = await list(e);
			expect(out.SynthesisTasks!.map((t) => t.TaskId)).toEqual([...ids].reverse());
		});
		await withEmulator({ clock: 'manual', pollyListOrder: 'oldestFirst' }, async (e) => {
			const ids = await createSpaced(e, 5, 'task');
			const out = await list(e);
			expect(out.SynthesisTasks!.map((t) => t.TaskId)).toEqual(ids);
			const times = out.SynthesisTasks!.map((t) => t.CreationTime!.getTime());
			expect([...times].sort((a, b) => a - b)).toEqual(times);
		});
	});

	test.each(['newestFirst', 'oldestFirst'] as const)(
		'%s: a NextToken stays valid while tasks are added (nothing skipped or repeated)',
		async (order) => {
			await withEmulator({ clock: 'manual', pollyListOrder: order }, async (e) => {
				const first = await createSpaced(e, 6, 'first');
				const page1 = await list(e, { MaxResults: 2 });
				expect(page1.NextToken).toBeTruthy();
				const added = await createSpaced(e, 3, 'added');
				const seen = page1.SynthesisTasks!.map((t) => t.TaskId!);
				let token = page1.NextToken;
				while (token) {
					const page = await list(e, { MaxResults: 2, NextToken: token });
					seen.push(...page.SynthesisTasks!.map((t) => t.TaskId!));
					token = page.NextToken;
				}
				expect(new Set(seen).size).toBe(seen.length);
				// Newest first: the added tasks sort before the cursor; oldest first: after it.
				expect(seen).toEqual(order === 'newestFirst' ? [...first].reverse() : [...first, ...added]);
			});
		},
	);

	test('tasks created in the same millisecond page without loss', async () => {
		await withEmulator({ clock: 'manual' }, async (e) => {
			const ids: string[] = [];
			for (let i = 0; i < 7; i++) ids.push((await start(e, { Text: `same ${i}.` })).TaskId!);
			const seen: string[] = [];
			let token: string | undefined;
			do {
				const page = await list(e, { MaxResults: 3, NextToken: token });
				seen.push(...page.SynthesisTasks!.map((t) => t.TaskId!));
				token = page.NextToken;
			} while (token);
			expect([...seen].sort()).toEqual([...ids].sort());
			expect(seen).toEqual([...ids].reverse());
		});
	});

	test('MaxResults 1–100, ValidationException outside; Status filters', async () => {
		await withEmulator({ clock: 'manual', durations: { polly: 5_000 } }, async (e) => {
			const done = await createSpaced(e, 2, 'done');
			e.advance(10_000);
			const running = await start(e, { Text: 'still running' });
			expect((await list(e, { MaxResults: 1 })).SynthesisTasks).toHaveLength(1);
			expect((await list(e, { MaxResults: 100 })).SynthesisTasks).toHaveLength(3);
			for (const max of [0, 101]) {
				const error = await errorOf(() => list(e, { MaxResults: max }));
				expect(error.name).toBe('ValidationException');
				expect(error.$metadata.httpStatusCode).toBe(400);
				expect(error.message).toMatch(/maxResults/);
			}
			const completed = await list(e, { Status: 'completed' });
			expect(completed.SynthesisTasks!.map((t) => t.TaskId).sort()).toEqual([...done].sort());
			const scheduled = await list(e, { Status: 'scheduled' });
			expect(scheduled.SynthesisTasks!.map((t) => t.TaskId)).toEqual([running.TaskId]);
			expect((await list(e, { Status: 'failed' })).SynthesisTasks).toEqual([]);
			const badStatus = await errorOf(() => list(e, { Status: 'done' as never }));
			expect(badStatus.name).toBe('ValidationException');
		});
	});
});
