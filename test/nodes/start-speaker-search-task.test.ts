import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';

import { node, single } from '../harness/fixtures';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';

const MP = 'https://media-pipelines-chime.us-east-1.amazonaws.com';
const VOICE = 'https://voice-chime.us-east-1.amazonaws.com';
const PIPELINE = 'arn:aws:chime:us-east-1:111122223333:media-insights-pipeline/pipe-1';
const DOMAIN_ARN = 'arn:aws:chime:us-east-1:111122223333:voice-profile-domain/domain-1';
const STREAM = 'arn:aws:kinesisvideo:us-east-1:111122223333:stream/call-1/1700000000000';
const CONNECTOR = 'abcdef1ghij2klmno3pqr4';
const GUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const SIGNED =
	/^AWS4-HMAC-SHA256 Credential=AKIDSPEECHTASKSTEST\/\d{8}\/us-east-1\/chime\/aws4_request/;

const start = (params: INodeParameters, extra = {}) =>
	node(TYPES.startSpeakerSearchTask, params, { name: 'Start', ...extra });
const onPipeline = (extra: INodeParameters = {}) =>
	start({
		source: 'mediaInsightsPipeline',
		identifier: PIPELINE,
		voiceProfileDomainArn: DOMAIN_ARN,
		...extra,
	});
const onVoice = (extra: INodeParameters = {}) =>
	start({
		source: 'voiceConnector',
		voiceConnectorId: CONNECTOR,
		transactionId: 'tx-1',
		voiceProfileDomainId: 'domain-1',
		...extra,
	});

const created = (extra: object = {}) => ({
	SpeakerSearchTask: {
		SpeakerSearchTaskId: GUID,
		SpeakerSearchTaskStatus: 'NotStarted',
		CreatedTimestamp: '2026-11-30T00:00:00.000Z',
		...extra,
	},
});

afterEach(() => nock.cleanAll());

describe('Start Speaker Search Task', () => {
	it('starts a search on a media insights pipeline: signed POST ?operation=start with a client token', async () => {
		let body: Record<string, unknown> = {};
		const api = nock(MP)
			.post(`/media-insights-pipelines/${encodeURIComponent(PIPELINE)}/speaker-search-tasks`)
			.query({ operation: 'start' })
			.matchHeader('authorization', SIGNED)
			.reply(201, (_uri, sent) => {
				body = sent as Record<string, unknown>;
				return created();
			});

		const { output, error } = await runWorkflow(
			single(
				onPipeline({
					kinesisVideoStreamSourceTaskConfiguration: {
						streamArn: STREAM,
						channelId: 1,
						fragmentNumber: '123',
					},
				}),
			),
		);

		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(body).toEqual({
			VoiceProfileDomainArn: DOMAIN_ARN,
			ClientRequestToken: expect.stringMatching(/^[0-9a-f]{32}$/),
			KinesisVideoStreamSourceTaskConfiguration: {
				StreamArn: STREAM,
				ChannelId: 1,
				FragmentNumber: '123',
			},
		});
		// What Get Speaker Search Task and Wait Until Complete read from the item.
		expect(output[0].json).toMatchObject({
			SpeakerSearchTaskId: GUID,
			SpeakerSearchTaskStatus: 'NotStarted',
			MediaInsightsPipelineIdentifier: PIPELINE,
		});
		expectNoSecrets(output);
	});

	it('starts a search on a Voice Connector call; the item carries its voice connector', async () => {
		let body: Record<string, unknown> = {};
		const api = nock(VOICE)
			.post(`/voice-connectors/${CONNECTOR}/speaker-search-tasks`)
			.matchHeader('authorization', SIGNED)
			.reply(201, (_uri, sent) => {
				body = sent as Record<string, unknown>;
				return created({ SpeakerSearchTaskStatus: 'IN_QUEUE', SpeakerSearchTaskId: 'task-1' });
			});

		const { output, error } = await runWorkflow(
			single(onVoice({ options: { callLeg: 'Caller' } })),
		);

		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(body).toEqual({
			TransactionId: 'tx-1',
			VoiceProfileDomainId: 'domain-1',
			ClientRequestToken: expect.stringMatching(/^[0-9a-f]{32}$/),
			CallLeg: 'Caller',
		});
		expect(output[0].json).toMatchObject({
			SpeakerSearchTaskId: 'task-1',
			CallDetails: { VoiceConnectorId: CONNECTOR, TransactionId: 'tx-1' },
		});
	});

	it('gives each item its own client token, the same one whenever that item is sent again in the run', async () => {
		const tokens: string[] = [];
		nock(VOICE)
			.post(`/voice-connectors/${CONNECTOR}/speaker-search-tasks`)
			.times(4)
			.reply(201, (_uri, sent) => {
				tokens.push(String((sent as Record<string, unknown>).ClientRequestToken));
				return created({ SpeakerSearchTaskId: `task-${tokens.length}` });
			});
		const twoItems = [{ json: {} }, { json: {} }];
		const first = await runWorkflow(single(onVoice(), twoItems));
		expect(first.error).toBeUndefined();
		expect(new Set(tokens).size).toBe(2);
		await runWorkflow(single(onVoice(), twoItems));
		// A new execution starts new tasks: its tokens are new too.
		expect(new Set(tokens).size).toBe(4);
	});

	it.each([
		['ConflictException', 409, /conflict/],
		['NotFoundException', 404, /AWS found no such speaker search task/],
		['ResourceLimitExceededException', 400, /a limit of the account is reached/],
		['UnprocessableEntityException', 422, /cannot start the speaker search task/],
		['GoneException', 410, /call of the speaker search task is over/],
		['ThrottledClientException', 429, /throttling/],
		['ServiceUnavailableException', 503, /^AWS is unavailable at the moment$/],
		['ForbiddenException', 403, /denied access/],
	])('words %s (HTTP %i) plainly, with the code and what to do', async (name, status, message) => {
		nock(VOICE)
			.post(`/voice-connectors/${CONNECTOR}/speaker-search-tasks`)
			.reply(
				status,
				{ Code: name.replace('Exception', ''), Message: `message of ${name}` },
				{ 'x-amzn-ErrorType': name },
			);
		const { error } = await runWorkflow(single(onVoice()));
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(message);
		expect(error?.description).toContain(`[${name}]`);
		if (status === 503) expect(error?.description).toContain('[HTTP 503]');
	});

	it.each([
		[
			'a voice profile domain ARN of another resource',
			onPipeline({ voiceProfileDomainArn: PIPELINE }),
			/^The Voice Profile Domain ARN is not the ARN of a voice profile domain$/,
		],
		[
			'an empty pipeline',
			onPipeline({ identifier: ' ' }),
			/^The Media Insights Pipeline is empty$/,
		],
		[
			'a stream without its ARN',
			onPipeline({ kinesisVideoStreamSourceTaskConfiguration: { channelId: 1 } }),
			/^The Stream ARN is empty$/,
		],
		[
			'a fragment number that is not digits',
			onPipeline({
				kinesisVideoStreamSourceTaskConfiguration: { streamArn: STREAM, fragmentNumber: '12a' },
			}),
			/^The Fragment Number is not a fragment number$/,
		],
		[
			'a channel that is not 0 or 1',
			onPipeline({
				kinesisVideoStreamSourceTaskConfiguration: { streamArn: STREAM, channelId: 2 },
			}),
			/^The Channel ID option is not usable/,
		],
		[
			'an ARN as voice profile domain ID',
			onVoice({ voiceProfileDomainId: DOMAIN_ARN }),
			/is an ARN, but the voice profile domain ID belongs here$/,
		],
		[
			'a transaction ID with spaces',
			onVoice({ transactionId: 'a b' }),
			/^The Transaction ID contains characters that are not allowed$/,
		],
		[
			'a bad voice connector',
			onVoice({ voiceConnectorId: 'UPPER' }),
			/^The Voice Connector ID is not a voice connector ID$/,
		],
		[
			'an unknown call leg',
			onVoice({ options: { callLeg: 'Both' } }),
			/^The Call Leg is not one the node knows/,
		],
	])('refuses %s before any request, naming the field', async (_label, under, message) => {
		const trap = nock(/amazonaws\.com/)
			.post(/.*/)
			.reply(201, created());
		const { error } = await runWorkflow(single(under));
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/Nothing was sent to the service\.$/);
		expect(trap.isDone()).toBe(false);
	});
});
