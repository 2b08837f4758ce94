// Each shipped adapter as data: the request its status operation makes, how it reads the answer, what
// each documented status means, and how auto-detection recognises a task node's output.
import { ADAPTERS } from '../../../../../nodes/common/adapters';
import { asposeAdapter } from '../../../../../nodes/common/adapters/aspose';
import { chimeMediaPipelineAdapter } from '../../../../../nodes/common/adapters/chime-media-pipeline';
import { chimeVoiceAdapter } from '../../../../../nodes/common/adapters/chime-voice';
import {
	adapterOf,
	detectTask,
	offersTrial,
	serviceNames,
	servicesUsing,
} from '../../../../../nodes/common/adapters/lookup';
import { pollyAdapter } from '../../../../../nodes/common/adapters/polly';
import type { TaskAdapter } from '../../../../../nodes/common/adapters/types';
import { buildRequest } from '../../../../../nodes/common/transport/request';

const BASE = 'https://example.test';
const GUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';

const statusRequest = (adapter: TaskAdapter, ids: Record<string, string>, trial = false) =>
	buildRequest(BASE, adapter.status, { ids, trial }, { timeoutMs: 1000 });

describe('the list of services', () => {
	it('has one spelling per service, in auto-detection order', () => {
		expect(serviceNames()).toEqual(['polly', 'chimeMediaPipeline', 'chimeVoice', 'aspose']);
		expect(ADAPTERS.map((adapter) => adapterOf(adapter.service))).toEqual([...ADAPTERS]);
		expect(adapterOf('auto')).toBeUndefined();
	});

	it('knows which services use which credential and which offer a trial', () => {
		expect(servicesUsing('awsSigV4Api')).toEqual(['polly', 'chimeMediaPipeline', 'chimeVoice']);
		expect(servicesUsing('asposeCloudApi')).toEqual(['aspose']);
		expect(ADAPTERS.filter(offersTrial)).toEqual([asposeAdapter]);
	});

	it('gives every ID parameter an accepted form and a default that reads the previous node', () => {
		for (const adapter of ADAPTERS) {
			for (const id of adapter.ids) {
				expect(id.accepted.length).toBeGreaterThan(10);
				expect(id.fromPreviousNode).toMatch(/^=\{\{ \$json\./);
			}
		}
	});
});

describe('status requests', () => {
	it('Polly: GET /v1/synthesisTasks/{TaskId}, the ID encoded', () => {
		const request = statusRequest(pollyAdapter, { taskId: 'a b' });
		expect(request).toMatchObject({
			method: 'GET',
			url: `${BASE}/v1/synthesisTasks/a%20b`,
			encoding: 'stream',
			timeout: 1000,
		});
		expect(request.body).toBeUndefined();
	});

	it('Chime SDK Media Pipelines: the pipeline ARN encoded into the path', () => {
		const arn = 'arn:aws:chime:us-east-1:111122223333:media-insights-pipeline/p1';
		expect(
			statusRequest(chimeMediaPipelineAdapter, { identifier: arn, speakerSearchTaskId: GUID }).url,
		).toBe(
			`${BASE}/media-insights-pipelines/${encodeURIComponent(arn)}/speaker-search-tasks/${GUID}`,
		);
	});

	it('Chime SDK Voice: voice connector and task in the path', () => {
		expect(
			statusRequest(chimeVoiceAdapter, { voiceConnectorId: 'vc1', speakerSearchTaskId: 't1' }).url,
		).toBe(`${BASE}/voice-connectors/vc1/speaker-search-tasks/t1`);
	});

	it('Aspose: the ID in the query, the trial path in trial mode', () => {
		expect(statusRequest(asposeAdapter, { taskId: 'T1' })).toMatchObject({
			url: `${BASE}/v5.0/ocr/ConvertTextToSpeech`,
			qs: { id: 'T1' },
		});
		expect(statusRequest(asposeAdapter, { taskId: 'T1' }, true).url).toBe(
			`${BASE}/v5.0/ocr/ConvertTextToSpeechTrial`,
		);
	});
});

describe('reading status answers', () => {
	const input = (ids: Record<string, string>) => ({ ids, trial: false });

	it('unwraps the task; no task, a non-object one or one without a text status is not a task', () => {
		const read = pollyAdapter.status.read;
		expect(
			read({ SynthesisTask: { TaskId: 't', TaskStatus: 'scheduled' } }, input({ taskId: 't' })),
		).toEqual({
			TaskId: 't',
			TaskStatus: 'scheduled',
		});
		expect(read({}, input({ taskId: 't' }))).toBeUndefined();
		expect(read({ SynthesisTask: { TaskId: 't' } }, input({ taskId: 't' }))).toBeUndefined();
		expect(
			read({ SynthesisTask: { TaskStatus: ['completed'] } }, input({ taskId: 't' })),
		).toBeUndefined();
		expect(read({ SynthesisTask: 'done' }, input({ taskId: 't' }))).toBeUndefined();
		expect(read({ SynthesisTask: [1] }, input({ taskId: 't' }))).toBeUndefined();
	});

	it('adds the pipeline to a Media Pipelines task, which the API does not return', () => {
		const task = chimeMediaPipelineAdapter.status.read(
			{ SpeakerSearchTask: { SpeakerSearchTaskId: GUID, SpeakerSearchTaskStatus: 'InProgress' } },
			input({ identifier: 'p1', speakerSearchTaskId: GUID }),
		);
		expect(task).toEqual({
			SpeakerSearchTaskId: GUID,
			SpeakerSearchTaskStatus: 'InProgress',
			MediaInsightsPipelineIdentifier: 'p1',
		});
	});

	it('takes the Aspose answer as the task itself', () => {
		const body = { id: 'T1', taskStatus: 'Pending' };
		expect(asposeAdapter.status.read(body, input({ taskId: 'T1' }))).toBe(body);
	});
});

describe('task states', () => {
	it.each([
		[pollyAdapter, { TaskStatus: 'scheduled' }, 'pending'],
		[pollyAdapter, { TaskStatus: 'inProgress' }, 'running'],
		[pollyAdapter, { TaskStatus: 'completed' }, 'succeeded'],
		[pollyAdapter, { TaskStatus: 'failed' }, 'failed'],
		[pollyAdapter, { TaskStatus: 'somethingNew' }, 'running'],
		[pollyAdapter, {}, 'running'],
		[chimeMediaPipelineAdapter, { SpeakerSearchTaskStatus: 'Initializing' }, 'pending'],
		[chimeMediaPipelineAdapter, { SpeakerSearchTaskStatus: 'Stopping' }, 'running'],
		[chimeMediaPipelineAdapter, { SpeakerSearchTaskStatus: 'Stopped' }, 'succeeded'],
		[chimeMediaPipelineAdapter, { SpeakerSearchTaskStatus: 'Failed' }, 'failed'],
		[chimeVoiceAdapter, { SpeakerSearchTaskStatus: 'IN_QUEUE' }, 'pending'],
		[chimeVoiceAdapter, { SpeakerSearchTaskStatus: 'PARTIAL_SUCCESS' }, 'succeeded'],
		[chimeVoiceAdapter, { SpeakerSearchTaskStatus: 'STOPPED' }, 'failed'],
		[asposeAdapter, { taskStatus: 'Processing' }, 'running'],
		[asposeAdapter, { taskStatus: 'NotExist' }, 'failed'],
		[asposeAdapter, { taskStatus: 'toString' }, 'running'],
	])('%#: %j is %s', (adapter, task, phase) => {
		expect(adapter.task.state(task).phase).toBe(phase);
	});

	it('explains failures in the service words, or says there were none', () => {
		expect(
			pollyAdapter.task.state({ TaskStatus: 'failed', TaskStatusReason: 'Bucket missing' }).reason,
		).toBe('Bucket missing');
		expect(pollyAdapter.task.state({ TaskStatus: 'failed' }).reason).toBe('Polly gave no reason');
		expect(chimeVoiceAdapter.task.state({ SpeakerSearchTaskStatus: 'STOPPED' }).reason).toBe(
			'The speaker search was stopped before it finished',
		);
		expect(
			asposeAdapter.task.state({ taskStatus: 'Error', error: { messages: ['a', 'b'] } }).reason,
		).toBe('a; b');
		expect(
			asposeAdapter.task.state({ taskStatus: 'Error', error: { messages: 'Text is too long' } })
				.reason,
		).toBe('Aspose reported an error without a message');
		expect(asposeAdapter.task.state({ taskStatus: 'NotExist' }).reason).toMatch(
			/older than 24 hours/,
		);
		expect(pollyAdapter.task.state({ TaskStatus: 'completed' }).reason).toBeUndefined();
	});

	it('reads creation times and estimates Polly durations from engine and characters', () => {
		expect(pollyAdapter.task.createdAt?.({ CreationTime: 1603911042.689 })).toBe(1603911042689);
		expect(chimeVoiceAdapter.task.createdAt?.({ CreatedTimestamp: '2024-01-01T00:00:00Z' })).toBe(
			Date.UTC(2024, 0, 1),
		);
		expect(chimeVoiceAdapter.task.createdAt?.({ CreatedTimestamp: 'yesterday' })).toBeUndefined();
		const estimate = pollyAdapter.task.expectedDurationMs!;
		expect(estimate({ RequestCharacters: 5000, Engine: 'standard' })).toBe(2000 + 5000 * 0.6);
		expect(estimate({ RequestCharacters: 1000, Engine: 'standard' })).toBe(2000 + 1000); // at least 1 s of work
		expect(estimate({ RequestCharacters: 1000, Engine: 'long-form' })).toBeGreaterThan(
			estimate({ RequestCharacters: 1000, Engine: 'neural' })!,
		);
		expect(
			estimate({ RequestCharacters: 1000, Engine: 'neural', OutputFormat: 'json' }),
		).toBeLessThan(estimate({ RequestCharacters: 1000, Engine: 'neural' })!);
		expect(estimate({ RequestCharacters: 0 })).toBeUndefined();
	});
});

describe('auto-detection', () => {
	it('recognises the output of each task node and nothing else', () => {
		expect(detectTask({ TaskId: 't', TaskStatus: 'completed' })).toEqual({
			adapter: pollyAdapter,
			ids: { taskId: 't' },
		});
		expect(
			detectTask({
				MediaInsightsPipelineIdentifier: 'p',
				SpeakerSearchTaskId: GUID,
				SpeakerSearchTaskStatus: 'Stopped',
			}),
		).toEqual({
			adapter: chimeMediaPipelineAdapter,
			ids: { identifier: 'p', speakerSearchTaskId: GUID },
		});
		expect(
			detectTask({ SpeakerSearchTaskId: 's', CallDetails: { VoiceConnectorId: 'vc' } }),
		).toEqual({
			adapter: chimeVoiceAdapter,
			ids: { voiceConnectorId: 'vc', speakerSearchTaskId: 's' },
		});
		expect(detectTask({ id: 'T1', taskStatus: 'Pending' })).toEqual({
			adapter: asposeAdapter,
			ids: { taskId: 'T1' },
		});
		expect(detectTask({ TaskId: 42, TaskStatus: 'completed' })).toBeUndefined();
		expect(detectTask({ id: 'T1' })).toBeUndefined();
	});
});
