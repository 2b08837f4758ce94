/**
 * Every waitOutcome says in words what happened; a Media Pipelines `Stopped` search says what Stopped means
 * there (n8n's real engine, the emulator).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { node } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { fastEmulator } from '../reliability/support/emulator-env';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await fastEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

async function waitFor(items: IDataObject[], timeout = 20) {
	const { outputs, error } = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes: [
			node(
				TYPES.waitUntilComplete,
				{
					service: 'auto',
					downloadAudio: true,
					binaryPropertyName: 'audio',
					options: { strategy: 'fixed', interval: 0.2, timeout },
				},
				{ name: 'W' },
			),
		],
		input: items.map((json) => ({ json })),
	});
	expect(error).toBeUndefined();
	return outputs.W;
}

const polly = (text: string) =>
	emulator.createPollyTask(
		{
			OutputFormat: 'mp3',
			OutputS3BucketName: 'speech-tasks-output',
			Text: text,
			VoiceId: 'Joanna',
		},
		{ durationMs: 0 },
	) as IDataObject;

describe('waitOutcome in words', () => {
	it('completed: what finished, after how long, and where the audio is', async () => {
		const [completed] = await waitFor([polly('Done.')]);
		expect(completed[0].json.waitOutcome).toMatchObject({
			outcome: 'completed',
			status: 'completed',
			summary: expect.stringMatching(
				/^Polly synthesis task finished \(completed\) after [\d.]+ s and 1 status check; the audio is in the binary field "audio"\.$/,
			),
		});
	});

	it('failed: what failed and why', async () => {
		const [, failed] = await waitFor([polly('Broken [[fail]].')]);
		const outcome = failed[0].json.waitOutcome as IDataObject;
		expect(outcome.outcome).toBe('failed');
		expect(outcome.summary).toMatch(
			/^Polly synthesis task failed \(failed\) after [\d.]+ s and \d+ status checks?: .+/,
		);
		expect(String(outcome.summary)).toContain(String(outcome.reason));
	});

	it('timed out: still running when the timeout ended', async () => {
		const task = emulator.createPollyTask(
			{
				OutputFormat: 'mp3',
				OutputS3BucketName: 'speech-tasks-output',
				Text: 'Slow [[hang]].',
				VoiceId: 'Joanna',
			},
			{ durationMs: 0 },
		) as IDataObject;
		const [, , timedOut] = await waitFor([task], 0.5);
		expect((timedOut[0].json.waitOutcome as IDataObject).summary).toMatch(
			/^Polly synthesis task was still running \(inProgress\) when the timeout ended, after [\d.]+ s and \d+ status checks?\.$/,
		);
	});

	it('a Media Pipelines search that Stopped: completed, and the item says what Stopped means there', async () => {
		const [pipeline] = emulator.resources.mediaInsightsPipelines;
		const task = emulator.createMediaPipelineSpeakerSearchTask({
			identifier: pipeline.id,
			outcome: 'Stopped',
			durationMs: 0,
		});
		// As Start Speaker Search Task outputs it: the task and the pipeline it runs on.
		const item = { ...task, MediaInsightsPipelineIdentifier: pipeline.id } as IDataObject;
		const [completed] = await waitFor([item]);
		const outcome = completed[0].json.waitOutcome as IDataObject;
		expect(outcome).toMatchObject({ outcome: 'completed', status: 'Stopped' });
		expect(outcome.meaning).toMatch(
			/ran to its end or was stopped.*returns no matches.*notification targets/,
		);
		expect(outcome.summary).toMatch(/^Speaker search task finished \(Stopped\)/i);
	});
});
