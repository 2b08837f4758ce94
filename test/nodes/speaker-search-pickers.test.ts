/**
 * The "From List" pickers of the speaker search nodes and Wait Until Complete, run in n8n-core's real
 * LoadOptionsContext against the emulator: voice connectors (ListVoiceConnectors), media pipelines
 * (ListMediaPipelines) and voice profile domains (ListVoiceProfileDomains) list, filter by the typed text
 * and page; a picked value and a plain string (as saved before the pickers) both run in the engine.
 */
import type { ILoadOptionsFunctions, INode, INodeListSearchResult } from 'n8n-workflow';

import type { Emulator, EmulatorOptions } from '../emulator';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { node } from '../harness/fixtures';
import { loadOptionsContext } from '../harness/load-options';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { fastEmulator } from '../reliability/support/emulator-env';
import { GetSpeakerSearchTask } from '../../nodes/GetSpeakerSearchTask/GetSpeakerSearchTask.node';
import { StartSpeakerSearchTask } from '../../nodes/StartSpeakerSearchTask/StartSpeakerSearchTask.node';
import { WaitUntilComplete } from '../../nodes/WaitUntilComplete/WaitUntilComplete.node';

type Search = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

const getSearches = new GetSpeakerSearchTask().methods.listSearch as Record<string, Search>;
const startSearches = new StartSpeakerSearchTask().methods.listSearch as Record<string, Search>;

/** 22 lowercase letters and digits, as Chime SDK Voice connector IDs are. */
const connectorId = (i: number) => `vc${String(i).padStart(20, '0')}`;
/** A GUID per number, as media pipeline IDs are. */
const pipelineId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const emulators: Emulator[] = [];
async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
	const emulator = await fastEmulator(options);
	emulators.push(emulator);
	return emulator;
}
afterAll(async () => await Promise.all(emulators.map((e) => e.close())));

const getNode = (parameters: INode['parameters']) => node(TYPES.getSpeakerSearchTask, parameters);
const startNode = (parameters: INode['parameters']) =>
	node(TYPES.startSpeakerSearchTask, parameters);

/** The decoded query of a logged request. */
const queryOf = (url: string) => new URL(url, 'http://emulator').searchParams;

/** Every page of a search, following its pagination tokens. */
async function allPages(search: Search, ctx: ILoadOptionsFunctions, filter?: string) {
	const pages: INodeListSearchResult[] = [];
	let token: string | undefined;
	do {
		const page = await search.call(ctx, filter, token);
		pages.push(page);
		token = page.paginationToken as string | undefined;
	} while (token && pages.length < 10);
	return pages;
}

describe('Voice Connector picker (ListVoiceConnectors)', () => {
	it('lists the connectors by name with ID and region, pages at 100, and filters by the typed text', async () => {
		const ids = Array.from({ length: 150 }, (_, i) => connectorId(i));
		const emulator = await emulatorWith({ voiceConnectorIds: ids });
		const ctx = loadOptionsContext(
			getNode({
				source: 'voiceConnector',
				voiceConnectorId: { __rl: true, mode: 'list', value: '' },
			}),
			emulatorCredentials(emulator),
		);
		const pages = await allPages(getSearches.searchVoiceConnectors, ctx);
		expect(pages.map((p) => p.results.length)).toEqual([100, 50]);
		expect(pages[1].paginationToken).toBeUndefined();
		const results = pages.flatMap((p) => p.results);
		expect(results.map((r) => r.value)).toEqual(ids);
		expect(results[0]).toEqual({
			name: 'Contact center',
			value: ids[0],
			description: `${ids[0]}, us-east-1`,
		});
		expect(results[5].name).toBe('Sales line 2');

		const sales = await getSearches.searchVoiceConnectors.call(ctx, '  SALES ');
		expect(sales.results.length).toBeGreaterThan(0);
		expect(sales.results.every((r) => r.name.startsWith('Sales line'))).toBe(true);
		const byId = await getSearches.searchVoiceConnectors.call(ctx, ids[42]);
		expect(byId.results.map((r) => r.value)).toEqual([ids[42]]);

		const lists = emulator.requests.filter((r) => r.route === 'chimeVoice.listConnectors');
		expect(lists).toHaveLength(4);
		expect(lists.every((r) => r.signatureOk && queryOf(r.url).get('max-results') === '100')).toBe(
			true,
		);
		expect(queryOf(lists[1].url).get('next-token')).toBe(pages[0].paginationToken);
	});

	it('a denied list is an error in words, with the IAM action and the service code', async () => {
		const emulator = await emulatorWith();
		emulator.addDenial({ route: 'chimeVoice.listConnectors' });
		const ctx = loadOptionsContext(
			getNode({ source: 'voiceConnector' }),
			emulatorCredentials(emulator),
		);
		const error = await getSearches.searchVoiceConnectors.call(ctx).then(
			() => undefined,
			(e: { message: string; description?: string }) => e,
		);
		expect(error?.message).toBe('AWS denied access to the voice connectors');
		expect(error?.description).toContain('chime:ListVoiceConnectors');
		expect(error?.description).toContain('[ForbiddenException]');
	});
});

describe('Media Insights Pipeline picker (ListMediaPipelines)', () => {
	it('lists every media pipeline with its kind and ARN, pages at 99, and filters', async () => {
		const insights = Array.from({ length: 120 }, (_, i) => pipelineId(i));
		const capture = pipelineId(999);
		const emulator = await emulatorWith({
			mediaInsightsPipelineIds: insights,
			otherMediaPipelineIds: [capture],
		});
		const ctx = loadOptionsContext(
			getNode({ source: 'mediaInsightsPipeline' }),
			emulatorCredentials(emulator),
		);
		const pages = await allPages(getSearches.searchMediaPipelines, ctx);
		expect(pages.map((p) => p.results.length)).toEqual([99, 22]);
		const results = pages.flatMap((p) => p.results);
		expect(results[0]).toEqual({
			name: `${insights[0]} (media insights pipeline)`,
			value: insights[0],
			description: `arn:aws:chime:us-east-1:${emulator.accountId}:media-insights-pipeline/${insights[0]}`,
		});
		expect(results.at(-1)).toMatchObject({
			name: `${capture} (media pipeline)`,
			value: capture,
		});
		const found = await getSearches.searchMediaPipelines.call(ctx, insights[7].toUpperCase());
		expect(found.results.map((r) => r.value)).toEqual([insights[7]]);
		const lists = emulator.requests.filter((r) => r.route === 'chimeMediaPipeline.list');
		expect(lists.every((r) => r.signatureOk && queryOf(r.url).get('max-results') === '99')).toBe(
			true,
		);
	});
});

describe('Voice Profile Domain pickers (ListVoiceProfileDomains)', () => {
	it('Start Speaker Search Task lists domains by name: ARNs for a pipeline, IDs for a voice connector', async () => {
		const emulator = await emulatorWith();
		const credentials = emulatorCredentials(emulator);
		const [customers, agents] = emulator.resources.voiceProfileDomains;
		const arnCtx = loadOptionsContext(startNode({ source: 'mediaInsightsPipeline' }), credentials);
		const arns = await startSearches.searchVoiceProfileDomainArns.call(arnCtx);
		expect(arns.results).toEqual([
			{
				name: 'Customers',
				value: customers.arn,
				description: `Voice profiles of callers who agreed to voice identification, ${customers.id}`,
			},
			{
				name: 'Agents',
				value: agents.arn,
				description: `Voice profiles of contact center agents, ${agents.id}`,
			},
		]);
		const idCtx = loadOptionsContext(startNode({ source: 'voiceConnector' }), credentials);
		const ids = await startSearches.searchVoiceProfileDomainIds.call(idCtx, 'agent');
		expect(ids.results.map((r) => r.value)).toEqual([agents.id]);
		expect(
			emulator.requests.filter((r) => r.route !== 'chimeVoice.listDomains').map((r) => r.route),
		).toEqual([]);
	});

	it('pages through more domains than one page holds', async () => {
		const domainIds = Array.from({ length: 205 }, (_, i) => `domain-${i}`);
		const emulator = await emulatorWith({ voiceProfileDomainIds: domainIds });
		const ctx = loadOptionsContext(
			startNode({ source: 'voiceConnector' }),
			emulatorCredentials(emulator),
		);
		const pages = await allPages(startSearches.searchVoiceProfileDomainIds, ctx);
		expect(pages.map((p) => p.results.length)).toEqual([100, 100, 5]);
		expect(pages.flatMap((p) => p.results.map((r) => r.value))).toEqual(domainIds);
	});
});

describe('Wait Until Complete offers the same pickers for its IDs', () => {
	it('voice connectors and media pipelines', async () => {
		const emulator = await emulatorWith();
		const searches = new WaitUntilComplete().methods.listSearch as Record<string, Search>;
		const ctx = loadOptionsContext(
			node(TYPES.waitUntilComplete, { service: 'chimeVoice' }),
			emulatorCredentials(emulator),
		);
		const connectors = await searches.searchVoiceConnectors.call(ctx);
		expect(connectors.results.map((r) => r.value)).toEqual(emulator.resources.voiceConnectorIds);
		const pipelines = await searches.searchMediaPipelines.call(ctx);
		expect(pipelines.results.map((r) => r.value)).toEqual(
			emulator.resources.mediaInsightsPipelines.map((p) => p.id),
		);
	});
});

describe('a picked value and a plain string both run', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await emulatorWith();
	});
	beforeEach(() => emulator.reset());

	const run = async (n: INode) =>
		await runWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: emulatorCredentials(emulator),
			nodes: [n],
		});

	const picked = (value: string) => ({ __rl: true, mode: 'list', value });

	it.each([
		['From List', true],
		['a plain string, as saved before the picker', false],
	])('Get Speaker Search Task, voice connector: %s', async (_case, fromList) => {
		const connector = emulator.resources.voiceConnectorIds[1];
		const task = emulator.createVoiceSpeakerSearchTask({ voiceConnectorId: connector });
		const { output, error } = await run(
			getNode({
				source: 'voiceConnector',
				voiceConnectorId: fromList ? picked(connector) : connector,
				speakerSearchTaskId: String(task.SpeakerSearchTaskId),
			}),
		);
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({
			SpeakerSearchTaskId: task.SpeakerSearchTaskId,
			CallDetails: { VoiceConnectorId: connector },
		});
	});

	it.each([
		['From List', true],
		['a plain string, as saved before the picker', false],
	])('Get Speaker Search Task, media insights pipeline: %s', async (_case, fromList) => {
		const pipeline = emulator.resources.mediaInsightsPipelines[1];
		const task = emulator.createMediaPipelineSpeakerSearchTask({ identifier: pipeline.id });
		const { output, error } = await run(
			getNode({
				source: 'mediaInsightsPipeline',
				identifier: fromList ? picked(pipeline.id) : pipeline.arn,
				speakerSearchTaskId: String(task.SpeakerSearchTaskId),
			}),
		);
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({
			SpeakerSearchTaskId: task.SpeakerSearchTaskId,
			MediaInsightsPipelineIdentifier: fromList ? pipeline.id : pipeline.arn,
		});
	});

	it.each([
		['From List', true],
		['plain strings, as saved before the pickers', false],
	])('Start Speaker Search Task on both sources: %s', async (_case, fromList) => {
		const [customers] = emulator.resources.voiceProfileDomains;
		const pipeline = emulator.resources.mediaInsightsPipelines[0];
		const connector = emulator.resources.voiceConnectorIds[0];
		const value = (v: string) => (fromList ? picked(v) : v);
		const onPipeline = await run(
			startNode({
				source: 'mediaInsightsPipeline',
				identifier: value(pipeline.id),
				voiceProfileDomainArn: value(customers.arn),
			}),
		);
		expect(onPipeline.error).toBeUndefined();
		expect(onPipeline.output[0].json).toMatchObject({
			MediaInsightsPipelineIdentifier: pipeline.id,
		});
		const onConnector = await run(
			startNode({
				source: 'voiceConnector',
				voiceConnectorId: value(connector),
				transactionId: 'call-picked-1',
				voiceProfileDomainId: value(customers.id),
			}),
		);
		expect(onConnector.error).toBeUndefined();
		expect(onConnector.output[0].json).toMatchObject({
			CallDetails: { VoiceConnectorId: connector, TransactionId: 'call-picked-1' },
		});
		const starts = emulator.requests.filter((r) => r.route?.endsWith('.start'));
		expect(starts.map((r) => r.status)).toEqual([201, 201]);
	});

	it('a picker value an expression fills is checked like a typed one, before any request', async () => {
		const { error } = await run(
			getNode({
				source: 'voiceConnector',
				voiceConnectorId: { __rl: true, mode: 'id', value: '={{ "arn:aws:chime:x" }}' },
				speakerSearchTaskId: 'task-1',
			}),
		);
		expect(error?.message).toBe(
			'The Voice Connector ID is an ARN, but the voice connector ID belongs here',
		);
		expect(emulator.requests).toHaveLength(0);
	});
});
