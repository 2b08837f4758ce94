// What the fault matrix points faults at: each node (and, for Wait Until Complete, each service and the S3
// download) with tasks created on the emulator, one per input item.
import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Emulator, RoutePattern } from '../../emulator';
import { node } from '../../harness/fixtures';
import { TYPES } from '../../harness/package';

export const BUCKET = 'speech-tasks-output';

/** Fast polling for Wait Until Complete; the timeout bounds every run. */
export const WAIT_OPTIONS = {
	strategy: 'fixed',
	interval: 0.1,
	timeout: 8,
	maxConcurrentRequests: 10,
};

export type TargetKey =
	| 'getPolly'
	| 'getSpeakerSearchPipeline'
	| 'getSpeakerSearchVoice'
	| 'fetchAspose'
	| 'waitPolly'
	| 'waitPollyDownload'
	| 'waitPipeline'
	| 'waitVoice'
	| 'waitAspose';

export interface Target {
	key: TargetKey;
	/** Row label of the outcome table. */
	label: string;
	node: 'getPollySynthesisTask' | 'getSpeakerSearchTask' | 'fetchAsposeAudio' | 'waitUntilComplete';
	service: 'polly' | 'chimeMediaPipeline' | 'chimeVoice' | 'aspose' | 's3';
	/** The emulator route(s) a fault is aimed at. */
	routes: RoutePattern[];
	/** The route every request of this target goes to (for request accounting). */
	intendedRoutes: string[];
	wait: boolean;
	build(
		emulator: Emulator,
		items: number,
		parameters?: INodeParameters,
		extra?: Partial<INode>,
	): { node: INode; input: INodeExecutionData[] };
}

const named = (
	type: string,
	name: string,
	parameters: INodeParameters,
	extra: Partial<INode> = {},
) => node(type, parameters, { name, ...extra });

function pollyTasks(emulator: Emulator, items: number): INodeExecutionData[] {
	return Array.from({ length: items }, (_, i) => {
		const task = emulator.createPollyTask(
			{
				OutputFormat: 'mp3',
				OutputS3BucketName: BUCKET,
				Text: `Item ${i} of the fault matrix.`,
				VoiceId: 'Joanna',
			},
			{ durationMs: 0 },
		);
		return { json: { ...task, item: i } };
	});
}

function pipelineTasks(emulator: Emulator, items: number): INodeExecutionData[] {
	const pipeline = emulator.resources.mediaInsightsPipelines[0].id;
	return Array.from({ length: items }, (_, i) => {
		const task = emulator.createMediaPipelineSpeakerSearchTask({
			identifier: pipeline,
			durationMs: 0,
		});
		return { json: { ...task, MediaInsightsPipelineIdentifier: pipeline, item: i } };
	});
}

function voiceTasks(emulator: Emulator, items: number): INodeExecutionData[] {
	const connector = emulator.resources.voiceConnectorIds[0];
	return Array.from({ length: items }, (_, i) => {
		const task = emulator.createVoiceSpeakerSearchTask({
			voiceConnectorId: connector,
			durationMs: 0,
		});
		return { json: { ...task, item: i } };
	});
}

function asposeTasks(emulator: Emulator, items: number): INodeExecutionData[] {
	return Array.from({ length: items }, (_, i) => {
		const id = emulator.createAsposeTask(`Item ${i} of the fault matrix.`, { durationMs: 0 });
		return { json: { id, taskStatus: 'Pending', item: i } };
	});
}

const waitNode = (service: string, parameters: INodeParameters, extra: Partial<INode> = {}) =>
	named(
		TYPES.waitUntilComplete,
		'Wait Until Complete',
		{
			service,
			downloadAudio: true,
			binaryPropertyName: 'data',
			options: WAIT_OPTIONS,
			...parameters,
		},
		extra,
	);

export const TARGETS: Record<TargetKey, Target> = {
	getPolly: {
		key: 'getPolly',
		label: 'Get Polly Synthesis Task',
		node: 'getPollySynthesisTask',
		service: 'polly',
		routes: ['polly.get'],
		intendedRoutes: ['polly.get'],
		wait: false,
		build: (emulator, items, parameters = {}, extra) => ({
			node: named(
				TYPES.getPollySynthesisTask,
				'Get Polly Synthesis Task',
				{ taskId: '={{ $json.TaskId }}', ...parameters },
				extra,
			),
			input: pollyTasks(emulator, items),
		}),
	},
	getSpeakerSearchPipeline: {
		key: 'getSpeakerSearchPipeline',
		label: 'Get Speaker Search Task (Media Insights Pipeline)',
		node: 'getSpeakerSearchTask',
		service: 'chimeMediaPipeline',
		routes: ['chimeMediaPipeline.get'],
		intendedRoutes: ['chimeMediaPipeline.get'],
		wait: false,
		build: (emulator, items, parameters = {}, extra) => ({
			node: named(
				TYPES.getSpeakerSearchTask,
				'Get Speaker Search Task',
				{
					source: 'mediaInsightsPipeline',
					identifier: '={{ $json.MediaInsightsPipelineIdentifier }}',
					speakerSearchTaskId: '={{ $json.SpeakerSearchTaskId }}',
					...parameters,
				},
				extra,
			),
			input: pipelineTasks(emulator, items),
		}),
	},
	getSpeakerSearchVoice: {
		key: 'getSpeakerSearchVoice',
		label: 'Get Speaker Search Task (Voice Connector)',
		node: 'getSpeakerSearchTask',
		service: 'chimeVoice',
		routes: ['chimeVoice.get'],
		intendedRoutes: ['chimeVoice.get'],
		wait: false,
		build: (emulator, items, parameters = {}, extra) => ({
			node: named(
				TYPES.getSpeakerSearchTask,
				'Get Speaker Search Task',
				{
					source: 'voiceConnector',
					voiceConnectorId: '={{ $json.CallDetails.VoiceConnectorId }}',
					speakerSearchTaskId: '={{ $json.SpeakerSearchTaskId }}',
					...parameters,
				},
				extra,
			),
			input: voiceTasks(emulator, items),
		}),
	},
	fetchAspose: {
		key: 'fetchAspose',
		label: 'Fetch Aspose Audio',
		node: 'fetchAsposeAudio',
		service: 'aspose',
		routes: ['aspose.fetch'],
		intendedRoutes: ['aspose.token', 'aspose.fetch'],
		wait: false,
		build: (emulator, items, parameters = {}, extra) => ({
			node: named(
				TYPES.fetchAsposeAudio,
				'Fetch Aspose Audio',
				{ useTrial: false, taskId: '={{ $json.id }}', binaryPropertyName: 'data', ...parameters },
				extra,
			),
			input: asposeTasks(emulator, items),
		}),
	},
	waitPolly: {
		key: 'waitPolly',
		label: 'Wait Until Complete: Polly status',
		node: 'waitUntilComplete',
		service: 'polly',
		routes: ['polly.get'],
		intendedRoutes: ['polly.get', 's3.get'],
		wait: true,
		build: (emulator, items, parameters = {}, extra) => ({
			node: waitNode('polly', { taskId: '={{ $json.TaskId }}', ...parameters }, extra),
			input: pollyTasks(emulator, items),
		}),
	},
	waitPollyDownload: {
		key: 'waitPollyDownload',
		label: 'Wait Until Complete: Polly audio from S3',
		node: 'waitUntilComplete',
		service: 's3',
		routes: ['s3.get'],
		intendedRoutes: ['polly.get', 's3.get'],
		wait: true,
		build: (emulator, items, parameters = {}, extra) => ({
			node: waitNode('polly', { taskId: '={{ $json.TaskId }}', ...parameters }, extra),
			input: pollyTasks(emulator, items),
		}),
	},
	waitPipeline: {
		key: 'waitPipeline',
		label: 'Wait Until Complete: Chime Media Pipelines',
		node: 'waitUntilComplete',
		service: 'chimeMediaPipeline',
		routes: ['chimeMediaPipeline.get'],
		intendedRoutes: ['chimeMediaPipeline.get'],
		wait: true,
		build: (emulator, items, parameters = {}, extra) => ({
			node: waitNode(
				'chimeMediaPipeline',
				{
					identifier: '={{ $json.MediaInsightsPipelineIdentifier }}',
					speakerSearchTaskId: '={{ $json.SpeakerSearchTaskId }}',
					...parameters,
				},
				extra,
			),
			input: pipelineTasks(emulator, items),
		}),
	},
	waitVoice: {
		key: 'waitVoice',
		label: 'Wait Until Complete: Chime Voice',
		node: 'waitUntilComplete',
		service: 'chimeVoice',
		routes: ['chimeVoice.get'],
		intendedRoutes: ['chimeVoice.get'],
		wait: true,
		build: (emulator, items, parameters = {}, extra) => ({
			node: waitNode(
				'chimeVoice',
				{
					voiceConnectorId: '={{ $json.CallDetails.VoiceConnectorId }}',
					speakerSearchTaskId: '={{ $json.SpeakerSearchTaskId }}',
					...parameters,
				},
				extra,
			),
			input: voiceTasks(emulator, items),
		}),
	},
	waitAspose: {
		key: 'waitAspose',
		label: 'Wait Until Complete: Aspose',
		node: 'waitUntilComplete',
		service: 'aspose',
		routes: ['aspose.fetch'],
		intendedRoutes: ['aspose.token', 'aspose.fetch'],
		wait: true,
		build: (emulator, items, parameters = {}, extra) => ({
			node: waitNode(
				'aspose',
				{ useTrial: false, taskId: '={{ $json.id }}', ...parameters },
				extra,
			),
			input: asposeTasks(emulator, items),
		}),
	},
};
