// Every parameter of every node, as a "slot" that one hostile value at a time is put into. Every other
// parameter keeps a valid value, pointing at a task that exists on the emulator, so that a value that got
// through would produce a request the emulator logs.
import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { node } from '../../harness/fixtures';
import { TYPES } from '../../harness/package';
import type { Hostile } from './hostile-values';
import {
	baseUrlValues,
	binaryNameValues,
	booleanValues,
	idValues,
	itemIdValues,
	numberValues,
	optionValues,
} from './hostile-values';

/** A media insights pipeline identifier may be up to 1,024 characters (API model): 300 is not over-long there. */
const pipelineIdValues = () => idValues().filter((v) => v.name !== 'over-long (300 characters)');
const pipelineItemValues = () =>
	itemIdValues().filter((v) => v.name !== 'over-long (300 characters) in the item');

export interface SlotEnv {
	emulator: Emulator;
	pollyTaskId: string;
	pipelineId: string;
	pipelineTaskId: string;
	voiceConnectorId: string;
	voiceTaskId: string;
	asposeTaskId: string;
	/** Base URL of the recording server ("another host"). */
	elsewhere: string;
}

export interface Slot {
	label: string;
	/** The parameter name the error must name, as `(name)`, or its display name in quotes. */
	field: string;
	displayName: string;
	/** Other wording that names the problem well enough (auto-detection names the item, not a parameter). */
	alsoNames?: RegExp;
	/** A value that is fine, for the control run. */
	valid(env: SlotEnv): unknown;
	/** Emulator routes a valid value sends requests to. */
	intended: string[];
	values(env: SlotEnv): Hostile[];
	build(value: unknown, env: SlotEnv): { node: INode; input: INodeExecutionData[] };
}

const one = (json: INodeExecutionData['json'] = {}): INodeExecutionData[] => [{ json }];
const get = (type: string, parameters: INodeParameters) =>
	node(type, parameters, { name: 'Node Under Test' });

const FAST = { strategy: 'fixed', interval: 0.1, timeout: 1 };
const wait = (parameters: INodeParameters) =>
	get(TYPES.waitUntilComplete, {
		downloadAudio: true,
		binaryPropertyName: 'data',
		...parameters,
		options: { ...FAST, ...((parameters.options as object) ?? {}) },
	});

const pollyWait = (env: SlotEnv, extra: INodeParameters = {}) =>
	wait({ service: 'polly', taskId: env.pollyTaskId, ...extra });
const asposeWait = (env: SlotEnv, extra: INodeParameters = {}) =>
	wait({ service: 'aspose', taskId: env.asposeTaskId, useTrial: false, ...extra });

export const SLOTS: Slot[] = [
	{
		label: 'Get Polly Synthesis Task › Task ID',
		field: 'taskId',
		displayName: 'Task ID',
		valid: (env) => env.pollyTaskId,
		intended: ['polly.get'],
		values: idValues,
		build: (value) => ({
			node: get(TYPES.getPollySynthesisTask, { taskId: value as string }),
			input: one(),
		}),
	},
	{
		label: 'Get Speaker Search Task › Source',
		field: 'source',
		displayName: 'Source',
		valid: () => 'mediaInsightsPipeline',
		intended: ['chimeMediaPipeline.get', 'chimeVoice.get'],
		values: () => optionValues(['mediaInsightsPipeline', 'voiceConnector']),
		build: (value, env) => ({
			node: get(TYPES.getSpeakerSearchTask, {
				source: value as string,
				identifier: env.pipelineId,
				voiceConnectorId: env.voiceConnectorId,
				speakerSearchTaskId: env.pipelineTaskId,
			}),
			input: one(),
		}),
	},
	{
		label: 'Get Speaker Search Task › Media Insights Pipeline',
		field: 'identifier',
		displayName: 'Media Insights Pipeline',
		valid: (env) => env.pipelineId,
		intended: ['chimeMediaPipeline.get'],
		values: pipelineIdValues,
		build: (value, env) => ({
			node: get(TYPES.getSpeakerSearchTask, {
				source: 'mediaInsightsPipeline',
				identifier: value as string,
				speakerSearchTaskId: env.pipelineTaskId,
			}),
			input: one(),
		}),
	},
	{
		label: 'Get Speaker Search Task › Speaker Search Task ID (Media Insights Pipeline)',
		field: 'speakerSearchTaskId',
		displayName: 'Speaker Search Task ID',
		valid: (env) => env.pipelineTaskId,
		intended: ['chimeMediaPipeline.get'],
		values: idValues,
		build: (value, env) => ({
			node: get(TYPES.getSpeakerSearchTask, {
				source: 'mediaInsightsPipeline',
				identifier: env.pipelineId,
				speakerSearchTaskId: value as string,
			}),
			input: one(),
		}),
	},
	{
		label: 'Get Speaker Search Task › Voice Connector ID',
		field: 'voiceConnectorId',
		displayName: 'Voice Connector ID',
		valid: (env) => env.voiceConnectorId,
		intended: ['chimeVoice.get'],
		values: idValues,
		build: (value, env) => ({
			node: get(TYPES.getSpeakerSearchTask, {
				source: 'voiceConnector',
				voiceConnectorId: value as string,
				speakerSearchTaskId: env.voiceTaskId,
			}),
			input: one(),
		}),
	},
	{
		label: 'Get Speaker Search Task › Speaker Search Task ID (Voice Connector)',
		field: 'speakerSearchTaskId',
		displayName: 'Speaker Search Task ID',
		valid: (env) => env.voiceTaskId,
		intended: ['chimeVoice.get'],
		values: idValues,
		build: (value, env) => ({
			node: get(TYPES.getSpeakerSearchTask, {
				source: 'voiceConnector',
				voiceConnectorId: env.voiceConnectorId,
				speakerSearchTaskId: value as string,
			}),
			input: one(),
		}),
	},
	{
		label: 'Fetch Aspose Audio › Use Trial',
		field: 'useTrial',
		displayName: 'Use Trial (No Account)',
		valid: () => false,
		intended: ['aspose.token', 'aspose.fetch'],
		values: booleanValues,
		build: (value, env) => ({
			node: get(TYPES.fetchAsposeAudio, {
				useTrial: value as boolean,
				taskId: env.asposeTaskId,
				binaryPropertyName: 'data',
				options: { trialBaseUrl: env.emulator.endpoints.aspose },
			}),
			input: one(),
		}),
	},
	{
		label: 'Fetch Aspose Audio › Task ID',
		field: 'taskId',
		displayName: 'Task ID',
		valid: (env) => env.asposeTaskId,
		intended: ['aspose.token', 'aspose.fetch'],
		values: idValues,
		build: (value) => ({
			node: get(TYPES.fetchAsposeAudio, {
				useTrial: false,
				taskId: value as string,
				binaryPropertyName: 'data',
			}),
			input: one(),
		}),
	},
	{
		label: 'Fetch Aspose Audio › Put Output File in Field',
		field: 'binaryPropertyName',
		displayName: 'Put Output File in Field',
		valid: () => 'audio_1.wav',
		intended: ['aspose.token', 'aspose.fetch'],
		values: binaryNameValues,
		build: (value, env) => ({
			node: get(TYPES.fetchAsposeAudio, {
				useTrial: false,
				taskId: env.asposeTaskId,
				binaryPropertyName: value as string,
			}),
			input: one(),
		}),
	},
	{
		label: 'Fetch Aspose Audio › Options › Trial Base URL',
		field: 'trialBaseUrl',
		displayName: 'Trial Base URL',
		valid: (env) => env.emulator.endpoints.aspose,
		intended: ['aspose.trial.fetch'],
		values: (env) => baseUrlValues(env.emulator.endpoints.aspose),
		build: (value, env) => ({
			node: get(TYPES.fetchAsposeAudio, {
				useTrial: true,
				taskId: env.asposeTaskId,
				binaryPropertyName: 'data',
				options: { trialBaseUrl: value as string },
			}),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Service',
		field: 'service',
		displayName: 'Service',
		valid: () => 'polly',
		intended: ['polly.get', 's3.get'],
		values: () => optionValues(['auto', 'polly', 'chimeMediaPipeline', 'chimeVoice', 'aspose']),
		build: (value, env) => ({
			node: pollyWait(env, { service: value as string }),
			input: one({ TaskId: env.pollyTaskId, TaskStatus: 'scheduled' }),
		}),
	},
	{
		label: 'Wait Until Complete › Task ID (Polly)',
		field: 'taskId',
		displayName: 'Task ID',
		valid: (env) => env.pollyTaskId,
		intended: ['polly.get', 's3.get'],
		values: idValues,
		build: (value, env) => ({ node: pollyWait(env, { taskId: value as string }), input: one() }),
	},
	{
		label: 'Wait Until Complete › Media Insights Pipeline',
		field: 'identifier',
		displayName: 'Media Insights Pipeline',
		valid: (env) => env.pipelineId,
		intended: ['chimeMediaPipeline.get'],
		values: pipelineIdValues,
		build: (value, env) => ({
			node: wait({
				service: 'chimeMediaPipeline',
				identifier: value as string,
				speakerSearchTaskId: env.pipelineTaskId,
			}),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Speaker Search Task ID (Media Insights Pipeline)',
		field: 'speakerSearchTaskId',
		displayName: 'Speaker Search Task ID',
		valid: (env) => env.pipelineTaskId,
		intended: ['chimeMediaPipeline.get'],
		values: idValues,
		build: (value, env) => ({
			node: wait({
				service: 'chimeMediaPipeline',
				identifier: env.pipelineId,
				speakerSearchTaskId: value as string,
			}),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Voice Connector ID',
		field: 'voiceConnectorId',
		displayName: 'Voice Connector ID',
		valid: (env) => env.voiceConnectorId,
		intended: ['chimeVoice.get'],
		values: idValues,
		build: (value, env) => ({
			node: wait({
				service: 'chimeVoice',
				voiceConnectorId: value as string,
				speakerSearchTaskId: env.voiceTaskId,
			}),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Speaker Search Task ID (Voice Connector)',
		field: 'speakerSearchTaskId',
		displayName: 'Speaker Search Task ID',
		valid: (env) => env.voiceTaskId,
		intended: ['chimeVoice.get'],
		values: idValues,
		build: (value, env) => ({
			node: wait({
				service: 'chimeVoice',
				voiceConnectorId: env.voiceConnectorId,
				speakerSearchTaskId: value as string,
			}),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Task ID (Aspose)',
		field: 'taskId',
		displayName: 'Task ID',
		valid: (env) => env.asposeTaskId,
		intended: ['aspose.token', 'aspose.fetch'],
		values: idValues,
		build: (value, env) => ({ node: asposeWait(env, { taskId: value as string }), input: one() }),
	},
	{
		label: 'Wait Until Complete › Use Aspose Trial',
		field: 'useTrial',
		displayName: 'Use Aspose Trial (No Account)',
		valid: () => false,
		intended: ['aspose.token', 'aspose.fetch'],
		values: booleanValues,
		build: (value, env) => ({
			node: asposeWait(env, {
				useTrial: value as boolean,
				options: { trialBaseUrl: env.emulator.endpoints.aspose },
			}),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Download Audio',
		field: 'downloadAudio',
		displayName: 'Download Audio',
		valid: () => true,
		intended: ['polly.get', 's3.get'],
		values: booleanValues,
		build: (value, env) => ({
			node: pollyWait(env, { downloadAudio: value as boolean }),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Put Output File in Field',
		field: 'binaryPropertyName',
		displayName: 'Put Output File in Field',
		valid: () => 'audio_1.wav',
		intended: ['polly.get', 's3.get'],
		values: binaryNameValues,
		build: (value, env) => ({
			node: pollyWait(env, { binaryPropertyName: value as string }),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Options › Aspose Trial Base URL',
		field: 'trialBaseUrl',
		displayName: 'Aspose Trial Base URL',
		valid: (env) => env.emulator.endpoints.aspose,
		intended: ['aspose.trial.fetch'],
		values: (env) => baseUrlValues(env.emulator.endpoints.aspose),
		build: (value, env) => ({
			node: asposeWait(env, { useTrial: true, options: { trialBaseUrl: value as string } }),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Options › Max Concurrent Requests',
		field: 'maxConcurrentRequests',
		displayName: 'Max Concurrent Requests',
		valid: () => 5,
		intended: ['polly.get', 's3.get'],
		values: () => numberValues([1, 100]),
		build: (value, env) => ({
			node: pollyWait(env, { options: { maxConcurrentRequests: value as number } }),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Options › Poll Interval',
		field: 'interval',
		displayName: 'Poll Interval (Seconds)',
		valid: () => 0.2,
		intended: ['polly.get', 's3.get'],
		values: () => numberValues([0.1, 3600]),
		build: (value, env) => ({
			node: pollyWait(env, { options: { strategy: 'fixed', interval: value as number } }),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Options › Timeout',
		field: 'timeout',
		displayName: 'Timeout (Seconds)',
		valid: () => 5,
		intended: ['polly.get', 's3.get'],
		values: () => numberValues([0.1, 86400]),
		build: (value, env) => ({
			node: pollyWait(env, { options: { timeout: value as number } }),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete › Options › Polling Strategy',
		field: 'strategy',
		displayName: 'Polling Strategy',
		valid: () => 'fixed',
		intended: ['polly.get', 's3.get'],
		values: () => optionValues(['adaptive', 'fixed']),
		build: (value, env) => ({
			node: pollyWait(env, { options: { strategy: value as string } }),
			input: one(),
		}),
	},
	{
		label: 'Wait Until Complete (auto) › TaskId in a Polly item',
		field: 'taskId',
		displayName: 'Task ID',
		alsoNames: /does not look like a task the node knows/,
		valid: (env) => env.pollyTaskId,
		intended: ['polly.get', 's3.get'],
		values: itemIdValues,
		build: (value) => ({
			node: wait({ service: 'auto' }),
			input: one({ TaskId: value as string, TaskStatus: 'scheduled' }),
		}),
	},
	{
		label: 'Wait Until Complete (auto) › MediaInsightsPipelineIdentifier in a speaker search item',
		field: 'identifier',
		displayName: 'Media Insights Pipeline',
		alsoNames: /does not look like a task the node knows/,
		valid: (env) => env.pipelineId,
		intended: ['chimeMediaPipeline.get'],
		values: pipelineItemValues,
		build: (value, env) => ({
			node: wait({ service: 'auto' }),
			input: one({
				MediaInsightsPipelineIdentifier: value as string,
				SpeakerSearchTaskId: env.pipelineTaskId,
				SpeakerSearchTaskStatus: 'InProgress',
			}),
		}),
	},
	{
		label: 'Wait Until Complete (auto) › CallDetails.VoiceConnectorId in a speaker search item',
		field: 'voiceConnectorId',
		displayName: 'Voice Connector ID',
		alsoNames: /does not look like a task the node knows/,
		valid: (env) => env.voiceConnectorId,
		intended: ['chimeVoice.get'],
		values: itemIdValues,
		build: (value, env) => ({
			node: wait({ service: 'auto' }),
			input: one({
				CallDetails: { VoiceConnectorId: value as string },
				SpeakerSearchTaskId: env.voiceTaskId,
				SpeakerSearchTaskStatus: 'IN_PROGRESS',
			}),
		}),
	},
	{
		label: 'Wait Until Complete (auto) › id in an Aspose item',
		field: 'taskId',
		displayName: 'Task ID',
		alsoNames: /does not look like a task the node knows/,
		valid: (env) => env.asposeTaskId,
		intended: ['aspose.token', 'aspose.fetch'],
		values: itemIdValues,
		build: (value) => ({
			node: wait({ service: 'auto' }),
			input: one({ id: value as string, taskStatus: 'Pending' }),
		}),
	},
];
