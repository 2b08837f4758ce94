/**
 * The list routes the editor's pickers call, through the official clients: ListVoiceConnectors and
 * ListVoiceProfileDomains (@aws-sdk/client-chime-sdk-voice), ListMediaPipelines
 * (@aws-sdk/client-chime-sdk-media-pipelines). The clients read every modelled member (timestamps as dates),
 * their paginators walk the NextToken chain, and the documented errors arrive as the modelled exceptions.
 */
import {
	ListMediaPipelinesCommand,
	paginateListMediaPipelines,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import {
	ListVoiceConnectorsCommand,
	ListVoiceProfileDomainsCommand,
	paginateListVoiceConnectors,
	paginateListVoiceProfileDomains,
} from '@aws-sdk/client-chime-sdk-voice';

import { type Emulator, startEmulator } from '../emulator';
import { errorOf, mediaPipelinesClient, voiceClient } from './helpers';

const connectorId = (i: number) => `vc${String(i).padStart(20, '0')}`;
const pipelineId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({
		voiceConnectorIds: Array.from({ length: 23 }, (_, i) => connectorId(i)),
		mediaInsightsPipelineIds: Array.from({ length: 12 }, (_, i) => pipelineId(i)),
		otherMediaPipelineIds: [pipelineId(500)],
	});
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('Chime SDK Voice: ListVoiceConnectors', () => {
	test('a page holds every modelled member; without MaxResults a page is 10; NextToken only while more follow', async () => {
		const client = voiceClient(emulator);
		const first = await client.send(new ListVoiceConnectorsCommand({}));
		expect(first.$metadata.httpStatusCode).toBe(200);
		expect(first.VoiceConnectors).toHaveLength(10);
		const [connector] = first.VoiceConnectors!;
		expect(connector).toEqual({
			VoiceConnectorId: connectorId(0),
			AwsRegion: 'us-east-1',
			Name: 'Contact center',
			OutboundHostName: `${connectorId(0)}.voiceconnector.chime.aws`,
			RequireEncryption: true,
			CreatedTimestamp: expect.any(Date),
			UpdatedTimestamp: expect.any(Date),
			VoiceConnectorArn: `arn:aws:chime:us-east-1:${emulator.accountId}:vc/${connectorId(0)}`,
			NetworkType: 'IPV4_ONLY',
		});
		expect(connector.UpdatedTimestamp!.getTime()).toBeGreaterThan(
			connector.CreatedTimestamp!.getTime(),
		);
		expect(typeof first.NextToken).toBe('string');
		const last = await client.send(
			new ListVoiceConnectorsCommand({ MaxResults: 100, NextToken: first.NextToken }),
		);
		expect(last.VoiceConnectors!.map((c) => c.VoiceConnectorId)).toEqual(
			Array.from({ length: 13 }, (_, i) => connectorId(i + 10)),
		);
		expect(last.NextToken).toBeUndefined();
	});

	test('the paginator walks every page once, in order', async () => {
		const ids: string[] = [];
		for await (const page of paginateListVoiceConnectors(
			{ client: voiceClient(emulator), pageSize: 5 },
			{},
		)) {
			expect(page.VoiceConnectors!.length).toBeLessThanOrEqual(5);
			ids.push(...page.VoiceConnectors!.map((c) => c.VoiceConnectorId!));
		}
		expect(ids).toEqual(emulator.resources.voiceConnectorIds);
		expect(emulator.requestsFor('chimeVoice').map((r) => r.route)).toEqual(
			Array(5).fill('chimeVoice.listConnectors'),
		);
	});

	test.each([
		[
			'MaxResults 0',
			{ MaxResults: 0 },
			/'maxResults' failed to satisfy constraint: .*greater than or equal to 1/,
		],
		[
			'MaxResults 101',
			{ MaxResults: 101 },
			/'maxResults' failed to satisfy constraint: .*less than or equal to 100/,
		],
		['a made-up NextToken', { NextToken: 'not-a-token' }, /NextToken is not valid/],
	])('%s → 400 BadRequestException', async (_case, input, message) => {
		const error = await errorOf(() =>
			voiceClient(emulator).send(new ListVoiceConnectorsCommand(input)),
		);
		expect(error.name).toBe('BadRequestException');
		expect(error.$metadata.httpStatusCode).toBe(400);
		expect(error.message).toMatch(message);
	});

	test("another list's NextToken is refused", async () => {
		const client = voiceClient(emulator);
		const pipelines = await mediaPipelinesClient(emulator).send(
			new ListMediaPipelinesCommand({ MaxResults: 1 }),
		);
		const error = await errorOf(() =>
			client.send(new ListVoiceConnectorsCommand({ NextToken: pipelines.NextToken })),
		);
		expect(error.name).toBe('BadRequestException');
	});

	test('an IAM denial → 403 AccessDeniedException naming the action; throttling → 429 ThrottledClientException', async () => {
		const client = voiceClient(emulator);
		emulator.addDenial({ route: 'chimeVoice.listConnectors', error: 'AccessDeniedException' });
		const denied = await errorOf(() => client.send(new ListVoiceConnectorsCommand({})));
		expect(denied.name).toBe('AccessDeniedException');
		expect(denied.message).toContain('chime:ListVoiceConnectors');
		emulator.clearDenials();
		emulator.addFault({ fault: 'throttle', route: 'chimeVoice.listConnectors', count: 1 });
		const throttled = await errorOf(() => client.send(new ListVoiceConnectorsCommand({})));
		expect(throttled.name).toBe('ThrottledClientException');
		expect(throttled.$metadata.httpStatusCode).toBe(429);
	});
});

describe('Chime SDK Voice: ListVoiceProfileDomains', () => {
	test('the seeded domains with ID, ARN, name, description and dates; the paginator pages', async () => {
		const client = voiceClient(emulator);
		const { VoiceProfileDomains, NextToken } = await client.send(
			new ListVoiceProfileDomainsCommand({ MaxResults: 100 }),
		);
		expect(NextToken).toBeUndefined();
		expect(VoiceProfileDomains).toEqual(
			emulator.resources.voiceProfileDomains.map((domain) => ({
				VoiceProfileDomainId: domain.id,
				VoiceProfileDomainArn: domain.arn,
				Name: domain.name,
				Description: expect.any(String),
				CreatedTimestamp: expect.any(Date),
				UpdatedTimestamp: expect.any(Date),
			})),
		);
		const ids: string[] = [];
		for await (const page of paginateListVoiceProfileDomains({ client, pageSize: 1 }, {}))
			ids.push(...page.VoiceProfileDomains!.map((d) => d.VoiceProfileDomainId!));
		expect(ids).toEqual(emulator.resources.voiceProfileDomains.map((d) => d.id));
	});
});

describe('Chime SDK Media Pipelines: ListMediaPipelines', () => {
	test('every media pipeline, of every kind, as ID and ARN; the paginator pages', async () => {
		const client = mediaPipelinesClient(emulator);
		const first = await client.send(new ListMediaPipelinesCommand({ MaxResults: 99 }));
		expect(first.NextToken).toBeUndefined();
		expect(first.MediaPipelines).toEqual([
			...emulator.resources.mediaInsightsPipelines.map((p) => ({
				MediaPipelineId: p.id,
				MediaPipelineArn: p.arn,
			})),
			{
				MediaPipelineId: pipelineId(500),
				MediaPipelineArn: `arn:aws:chime:us-east-1:${emulator.accountId}:media-pipeline/${pipelineId(500)}`,
			},
		]);
		const ids: string[] = [];
		for await (const page of paginateListMediaPipelines({ client, pageSize: 4 }, {}))
			ids.push(...page.MediaPipelines!.map((p) => p.MediaPipelineId!));
		expect(ids).toEqual(first.MediaPipelines!.map((p) => p.MediaPipelineId));
		expect(emulator.requestsFor('chimeMediaPipeline').every((r) => r.signatureOk)).toBe(true);
	});

	test('MaxResults out of range → 400 BadRequestException; a denial → 403 ForbiddenException', async () => {
		const client = mediaPipelinesClient(emulator);
		const bad = await errorOf(() => client.send(new ListMediaPipelinesCommand({ MaxResults: 0 })));
		expect(bad.name).toBe('BadRequestException');
		emulator.addDenial({ route: 'chimeMediaPipeline.list' });
		const denied = await errorOf(() => client.send(new ListMediaPipelinesCommand({})));
		expect(denied.name).toBe('ForbiddenException');
		expect(denied.$metadata.httpStatusCode).toBe(403);
	});
});
