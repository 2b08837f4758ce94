import nock from 'nock';

import { node, single } from '../harness/fixtures';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';

const MP = 'https://media-pipelines-chime.us-east-1.amazonaws.com';
const VOICE = 'https://voice-chime.us-east-1.amazonaws.com';
const CHIME_SIGNED = /Credential=AKIDSPEECHTASKSTEST\/\d{8}\/us-east-1\/chime\/aws4_request/;
const TASK_ID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const PIPELINE_ARN =
	'arn:aws:chime:us-east-1:111122223333:media-insights-pipeline/5d1e5b3c-1111-2222-3333-444455556666';
const CONNECTOR = 'abcdef1ghij2klmno3pqr4';

const mp = (identifier: string, taskId = TASK_ID, extra = {}) =>
	node(
		TYPES.getSpeakerSearchTask,
		{ source: 'mediaInsightsPipeline', identifier, speakerSearchTaskId: taskId },
		extra,
	);
const voice = (voiceConnectorId: string, taskId = TASK_ID, extra = {}) =>
	node(
		TYPES.getSpeakerSearchTask,
		{ source: 'voiceConnector', voiceConnectorId, speakerSearchTaskId: taskId },
		extra,
	);

const MP_TASK = {
	SpeakerSearchTaskId: TASK_ID,
	SpeakerSearchTaskStatus: 'InProgress',
	CreatedTimestamp: '2026-11-22T10:00:00.000Z',
	UpdatedTimestamp: '2026-11-22T10:00:05.000Z',
};
const VOICE_TASK = {
	SpeakerSearchTaskId: TASK_ID,
	SpeakerSearchTaskStatus: 'SUCCEEDED',
	CallDetails: { VoiceConnectorId: CONNECTOR, TransactionId: 'tx-1', IsCaller: true },
	SpeakerSearchDetails: {
		Results: [
			{ ConfidenceScore: 0.92, VoiceProfileId: 'vp-1' },
			{ ConfidenceScore: 0.41, VoiceProfileId: 'vp-2' },
		],
		VoiceprintGenerationStatus: 'VoiceprintGenerationSuccess',
	},
	CreatedTimestamp: '2026-11-22T10:00:00.000Z',
	UpdatedTimestamp: '2026-11-22T10:00:09.000Z',
	StartedTimestamp: '2026-11-22T10:00:01.000Z',
	StatusMessage: 'done',
};

describe('Get Speaker Search Task', () => {
	it('reads a Media Pipelines task by pipeline ARN, percent-encoded as one path segment', async () => {
		const scope = nock(MP)
			.get(
				`/media-insights-pipelines/${encodeURIComponent(PIPELINE_ARN)}/speaker-search-tasks/${TASK_ID}`,
			)
			.matchHeader('authorization', CHIME_SIGNED)
			.reply(200, { SpeakerSearchTask: MP_TASK });
		const { output, error } = await runWorkflow(single(mp(PIPELINE_ARN)));
		expect(error).toBeUndefined();
		expect(output[0].json).toEqual({ ...MP_TASK, MediaInsightsPipelineIdentifier: PIPELINE_ARN });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});

	it('reads a Voice task with its call details and search results', async () => {
		const scope = nock(VOICE)
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${TASK_ID}`)
			.matchHeader('authorization', CHIME_SIGNED)
			.reply(200, { SpeakerSearchTask: VOICE_TASK });
		const { output } = await runWorkflow(single(voice(CONNECTOR)));
		expect(output[0].json).toEqual(VOICE_TASK);
		expect(scope.isDone()).toBe(true);
		expectNoSecrets(output);
	});

	const documented: Array<[string, string, number]> = [
		['BadRequestException', 'BadRequest', 400],
		['ForbiddenException', 'Forbidden', 403],
		['NotFoundException', 'NotFound', 404],
		['ConflictException', 'Conflict', 409],
		['ThrottledClientException', 'Throttled', 429],
		['AccessDeniedException', 'AccessDenied', 403],
		['UnauthorizedClientException', 'Unauthorized', 401],
		['ServiceFailureException', 'ServiceFailure', 500],
		['ServiceUnavailableException', 'ServiceUnavailable', 503],
	];
	const plain: Record<string, RegExp> = {
		BadRequestException: /rejected the request/,
		ForbiddenException: /denied access/,
		NotFoundException: /found no such speaker search task/,
		ConflictException: /conflict/,
		ThrottledClientException: /throttling/,
		AccessDeniedException: /denied access/,
		UnauthorizedClientException: /denied access/,
		ServiceFailureException: /^AWS could not handle the request because of a problem on its side$/,
		ServiceUnavailableException: /^AWS is unavailable at the moment$/,
	};

	it.each(documented)(
		'explains %s from the x-amzn-ErrorType header (Voice)',
		async (name, code, status) => {
			nock(VOICE)
				.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${TASK_ID}`)
				.reply(status, { Code: code, Message: `message of ${name}` }, { 'x-amzn-ErrorType': name });
			const { error } = await runWorkflow(single(voice(CONNECTOR)));
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toMatch(plain[name]);
			expect(error?.description).toContain(`[${name}]`);
		},
	);

	it.each(documented)(
		'explains %s from the body Code when the header is missing (Media Pipelines)',
		async (name, code, status) => {
			nock(MP)
				.get(`/media-insights-pipelines/pipe-1/speaker-search-tasks/${TASK_ID}`)
				.reply(status, { Code: code, Message: `message of ${name}` });
			const { error } = await runWorkflow(single(mp('pipe-1')));
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toMatch(plain[name]);
		},
	);

	const bad: Array<[string, () => ReturnType<typeof mp>, RegExp, string]> = [
		['a blank pipeline', () => mp('  '), /Media Insights Pipeline is empty/, 'identifier'],
		[
			'a pipeline ARN of another resource',
			() => mp('arn:aws:s3:::bucket/key'),
			/not a media insights pipeline ARN/,
			'identifier',
		],
		['a pipeline with a slash', () => mp('a/../b'), /not allowed/, 'identifier'],
		[
			'a task ID that is not a GUID (Media Pipelines)',
			() => mp('pipe-1', 'abc'),
			/is not a GUID/,
			'speakerSearchTaskId',
		],
		[
			'an ARN as task ID',
			() => mp('pipe-1', 'arn:aws:chime:x'),
			/is an ARN/,
			'speakerSearchTaskId',
		],
		[
			'a bad voice connector ID',
			() => voice('UPPER-case-ID'),
			/not a voice connector ID/,
			'voiceConnectorId',
		],
		[
			'a voice task ID with #',
			() => voice(CONNECTOR, 'abc#def'),
			/not allowed/,
			'speakerSearchTaskId',
		],
		[
			'an over-long voice task ID',
			() => voice(CONNECTOR, 'a'.repeat(257)),
			/at most 256/,
			'speakerSearchTaskId',
		],
	];

	it.each(bad)('refuses %s before any request', async (_label, make, message, field) => {
		const trap = nock(/amazonaws\.com/)
			.get(/.*/)
			.reply(200, {});
		const { error } = await runWorkflow(single(make()));
		// A bad parameter is a NodeOperationError, raised before any request.
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.description).toContain(`(${field})`);
		expect(trap.isDone()).toBe(false);
	});

	it('with Continue On Fail, every good item still comes out', async () => {
		nock(VOICE)
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${TASK_ID}`)
			.reply(200, { SpeakerSearchTask: VOICE_TASK })
			.get(
				`/voice-connectors/${CONNECTOR}/speaker-search-tasks/11111111-2222-3333-4444-555555555555`,
			)
			.reply(404, { Code: 'NotFound', Message: 'no' }, { 'x-amzn-ErrorType': 'NotFoundException' });
		const input = [TASK_ID, 'x y', '11111111-2222-3333-4444-555555555555'].map((id) => ({
			json: { id },
		}));
		const { output, error } = await runWorkflow(
			single(voice(CONNECTOR, '={{ $json.id }}', { onError: 'continueRegularOutput' }), input),
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output[0].json.SpeakerSearchTaskStatus).toBe('SUCCEEDED');
		expect(output[1].json.SpeakerSearchTaskId).toBeUndefined();
		expect(output[2].json.SpeakerSearchTaskId).toBeUndefined();
	});
});
