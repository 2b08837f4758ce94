// Servers that misbehave in ways the emulator does not. Every field the nodes read gets hostile values
// (types, sizes, non-finite numbers, nesting), and the transport meets trickles, endless and compressed
// bodies, redirects, echoed secrets and early closes — against every node, in n8n's real engine.
// Promises checked for every cell: no crash, every input item comes out exactly once as a JSON object
// (an error item says `error` and `details`), no secret in any output or error, polling stays bounded.
import { gzipSync } from 'node:zlib';

import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { node } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import type { RunResult } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';
import { makeWav } from '../harness/wav';
import {
	hostileCredentials,
	itemsByInput,
	json,
	startHostileServer,
} from './support/hostile-server';
import type { HostileServer } from './support/hostile-server';

jest.setTimeout(180_000);

let server: HostileServer;
beforeAll(async () => {
	server = await startHostileServer();
});
afterAll(async () => await server.close());
beforeEach(() => server.reset());

type Service = 'polly' | 'chimeMediaPipeline' | 'chimeVoice' | 'aspose';

interface Target {
	label: string;
	service: Service;
	wait: boolean;
	trial?: boolean;
}

const TARGETS: Target[] = [
	{ label: 'Get Polly Synthesis Task', service: 'polly', wait: false },
	{
		label: 'Get Speaker Search Task (Media Insights Pipeline)',
		service: 'chimeMediaPipeline',
		wait: false,
	},
	{ label: 'Get Speaker Search Task (Voice Connector)', service: 'chimeVoice', wait: false },
	{ label: 'Fetch Aspose Audio', service: 'aspose', wait: false },
	{ label: 'Fetch Aspose Audio (trial)', service: 'aspose', wait: false, trial: true },
	{ label: 'Wait Until Complete: Polly (with audio)', service: 'polly', wait: true },
	{ label: 'Wait Until Complete: Media Pipelines', service: 'chimeMediaPipeline', wait: true },
	{ label: 'Wait Until Complete: Voice', service: 'chimeVoice', wait: true },
	{ label: 'Wait Until Complete: Aspose (with audio)', service: 'aspose', wait: true },
];

const PIPELINE = 'pipe-1';
const CONNECTOR = 'abcdef1ghij2klmno3pqr4';
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const caseId = (service: Service, n: number) =>
	service === 'chimeMediaPipeline' ? guid(n) : `case-${n}`;

const ROUTES: Record<Service, string> = {
	polly: '/polly/v1/synthesisTasks/',
	chimeMediaPipeline: `/mp/media-insights-pipelines/${PIPELINE}/speaker-search-tasks/`,
	chimeVoice: `/voice/voice-connectors/${CONNECTOR}/speaker-search-tasks/`,
	aspose: '/aspose/v5.0/ocr/',
};

const WAV = makeWav(400);
const MP3 = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(200, 7)]);

/** A task the service would send, finished or still running. */
function task(service: Service, id: string, running: boolean): Record<string, unknown> {
	const now = Date.now();
	switch (service) {
		case 'polly':
			return {
				SynthesisTask: {
					TaskId: id,
					TaskStatus: running ? 'inProgress' : 'completed',
					TaskStatusReason: 'ok',
					OutputUri: `${server.url}/s3/bucket/${id}.mp3`,
					CreationTime: now / 1000,
					RequestCharacters: 40,
					Engine: 'neural',
					OutputFormat: 'mp3',
					SampleRate: '22050',
				},
			};
		case 'chimeMediaPipeline':
			return {
				SpeakerSearchTask: {
					SpeakerSearchTaskId: id,
					SpeakerSearchTaskStatus: running ? 'InProgress' : 'Stopped',
					CreatedTimestamp: new Date(now).toISOString(),
				},
			};
		case 'chimeVoice':
			return {
				SpeakerSearchTask: {
					SpeakerSearchTaskId: id,
					SpeakerSearchTaskStatus: running ? 'IN_PROGRESS' : 'SUCCEEDED',
					StatusMessage: 'ok',
					CreatedTimestamp: new Date(now).toISOString(),
					CallDetails: { VoiceConnectorId: CONNECTOR, TransactionId: 'tx-1', IsCaller: true },
					SpeakerSearchDetails: { Results: [{ ConfidenceScore: 0.9, VoiceProfileId: 'vp-1' }] },
				},
			};
		case 'aspose':
			return {
				id,
				taskStatus: running ? 'Processing' : 'Completed',
				responseStatusCode: 'Ok',
				error: running ? null : { messages: [] },
				results: running ? [] : [{ type: 'WavFile', data: WAV.toString('base64') }],
			};
	}
}

/** The node under test for one item per ID, each item's ID read from its input item. */
function build(
	target: Target,
	ids: string[],
	parameters: INodeParameters = {},
): { node: INode; input: INodeExecutionData[] } {
	const input = ids.map((id) => ({ json: { id } }));
	const extra = { name: 'Under Test', onError: 'continueRegularOutput' } as Partial<INode>;
	const byId = '={{ $json.id }}';
	if (target.wait) {
		const ids = {
			polly: { taskId: byId },
			chimeMediaPipeline: { identifier: PIPELINE, speakerSearchTaskId: byId },
			chimeVoice: { voiceConnectorId: CONNECTOR, speakerSearchTaskId: byId },
			aspose: { taskId: byId },
		}[target.service];
		const options = {
			timeout: 2,
			trialBaseUrl: `${server.url}/aspose`,
			...((parameters.options as object) ?? {}),
		};
		return {
			node: node(
				TYPES.waitUntilComplete,
				{
					service: target.service,
					...ids,
					downloadAudio: true,
					binaryPropertyName: 'data',
					...parameters,
					options,
				},
				extra,
			),
			input,
		};
	}
	switch (target.service) {
		case 'polly':
			return {
				node: node(TYPES.getPollySynthesisTask, { taskId: byId, ...parameters }, extra),
				input,
			};
		case 'chimeMediaPipeline':
			return {
				node: node(
					TYPES.getSpeakerSearchTask,
					{
						source: 'mediaInsightsPipeline',
						identifier: PIPELINE,
						speakerSearchTaskId: byId,
						...parameters,
					},
					extra,
				),
				input,
			};
		case 'chimeVoice':
			return {
				node: node(
					TYPES.getSpeakerSearchTask,
					{
						source: 'voiceConnector',
						voiceConnectorId: CONNECTOR,
						speakerSearchTaskId: byId,
						...parameters,
					},
					extra,
				),
				input,
			};
		case 'aspose':
			return {
				node: node(
					TYPES.fetchAsposeAudio,
					{
						taskId: byId,
						useTrial: target.trial === true,
						binaryPropertyName: 'data',
						options: target.trial ? { trialBaseUrl: `${server.url}/aspose` } : {},
						...parameters,
					},
					extra,
				),
				input,
			};
	}
}

async function run(
	target: Target,
	ids: string[],
	parameters: INodeParameters = {},
): Promise<RunResult & { ms: number }> {
	const { node: n, input } = build(target, ids, parameters);
	const started = Date.now();
	const result = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: hostileCredentials(server.url),
		nodes: [n],
		input,
	});
	return { ...result, ms: Date.now() - started };
}

/** The case a status request is for: the last path segment, or Aspose's `id`. */
function caseOf(url: URL): string {
	return url.searchParams.get('id') ?? decodeURIComponent(url.pathname.split('/').pop() ?? '');
}

/** Serves S3 objects (the Polly audio) and, for each case, the answer `answerFor` builds. */
function serve(target: Target, answerFor: (id: string) => string) {
	server.on(ROUTES[target.service], (request, response, url) => {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(answerFor(caseOf(url)));
	});
	server.on('/s3/', (_request, response) => {
		response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(MP3.length) });
		response.end(MP3);
	});
}

/** The promises every cell keeps; returns the output item of each input. */
function expectSound(result: RunResult, items: number): Map<number, INodeExecutionData> {
	expect(result.error).toBeUndefined();
	const byInput = itemsByInput(result.outputs['Under Test'] ?? [], items);
	for (const item of byInput.values()) {
		// An error item holds `error` and `details` only (a task may have a field named error: Aspose's).
		if (Object.keys(item.json).every((key) => key === 'error' || key === 'details')) {
			expect(typeof item.json.error).toBe('string');
			expect(String(item.json.error)).not.toMatch(
				/is not a function|Cannot read prop|undefined|\[object Object\]/,
			);
			expect(typeof item.json.details).toBe('string');
			expect(String(item.json.details).length).toBeGreaterThan(10);
		}
	}
	expectNoSecrets(result.outputs, result.error);
	return byInput;
}

// ── Hostile values in every field the nodes read ───────────────────────────────────────────────────

/** A value written into the answer's JSON text as it is (so that 1e999 arrives as a number). */
const RAW = (text: string) => ({ raw: text });
type Hostile = unknown;

const HOSTILE: Array<[string, Hostile]> = [
	['a number', 42],
	['a negative number', -1],
	['+∞ (1e999)', RAW('1e999')],
	['−∞ (-1e999)', RAW('-1e999')],
	['1e308', 1e308],
	['-1e306', -1e306],
	['true', true],
	['null', null],
	['an empty array', []],
	['an array holding a status', ['completed']],
	['an object', { value: 1 }],
	['64 levels of nesting', RAW('['.repeat(64) + ']'.repeat(64))],
	['100 KB of text', 'x'.repeat(100_000)],
	['empty text', ''],
	['an object with a __proto__ key', RAW('{"__proto__":{"polluted":true}}')],
];

/** The fields each service's answer has that the nodes read; `running`: the task is not finished. */
const FIELDS: Record<Service, Array<{ path: string[]; running?: boolean }>> = {
	polly: [
		{ path: ['SynthesisTask'] },
		{ path: ['SynthesisTask', 'TaskId'] },
		{ path: ['SynthesisTask', 'TaskStatus'] },
		{ path: ['SynthesisTask', 'TaskStatusReason'] },
		{ path: ['SynthesisTask', 'OutputUri'] },
		{ path: ['SynthesisTask', 'OutputFormat'] },
		{ path: ['SynthesisTask', 'SampleRate'] },
		{ path: ['SynthesisTask', 'CreationTime'], running: true },
		{ path: ['SynthesisTask', 'RequestCharacters'], running: true },
		{ path: ['SynthesisTask', 'Engine'], running: true },
	],
	chimeMediaPipeline: [
		{ path: ['SpeakerSearchTask'] },
		{ path: ['SpeakerSearchTask', 'SpeakerSearchTaskStatus'] },
		{ path: ['SpeakerSearchTask', 'CreatedTimestamp'], running: true },
	],
	chimeVoice: [
		{ path: ['SpeakerSearchTask'] },
		{ path: ['SpeakerSearchTask', 'SpeakerSearchTaskStatus'] },
		{ path: ['SpeakerSearchTask', 'StatusMessage'] },
		{ path: ['SpeakerSearchTask', 'CallDetails'] },
		{ path: ['SpeakerSearchTask', 'CreatedTimestamp'], running: true },
	],
	aspose: [
		{ path: [] },
		{ path: ['id'] },
		{ path: ['taskStatus'] },
		{ path: ['error'] },
		{ path: ['error', 'messages'] },
		{ path: ['results'] },
		{ path: ['results', '0', 'data'] },
		{ path: ['results', '0', 'type'] },
	],
};

/** The answer's JSON text with `value` at `path` (the whole answer for an empty path). */
function answerWith(
	service: Service,
	id: string,
	path: string[],
	value: Hostile,
	running: boolean,
): string {
	const marker = '§HOSTILE§';
	const raw =
		value !== null && typeof value === 'object' && 'raw' in (value as object)
			? (value as { raw: string }).raw
			: JSON.stringify(value);
	if (path.length === 0) return raw;
	const answer = task(service, id, running);
	let parent = answer as Record<string, unknown>;
	for (const key of path.slice(0, -1)) {
		const next = parent[key];
		parent = (typeof next === 'object' && next !== null ? next : (parent[key] = {})) as Record<
			string,
			unknown
		>;
	}
	parent[path[path.length - 1]] = marker;
	return JSON.stringify(answer).replace(`"${marker}"`, raw);
}

export const cells = { hostileValues: 0, transport: 0 };

describe.each(TARGETS.map((target) => [target.label, target] as const))(
	'hostile values: %s',
	(_label, target) => {
		it.each(
			FIELDS[target.service].map(
				(field) => [field.path.join('.') || '(the whole answer)', field] as const,
			),
		)('%s', async (_name, field) => {
			const ids = HOSTILE.map((_value, n) => caseId(target.service, n));
			const counts = new Map<string, number>();
			serve(target, (id) => {
				counts.set(id, (counts.get(id) ?? 0) + 1);
				const n = ids.indexOf(id);
				return answerWith(target.service, id, field.path, HOSTILE[n]?.[1], field.running === true);
			});

			const result = await run(target, ids);

			expectSound(result, ids.length);
			cells.hostileValues += ids.length;
			// Nothing polls in a loop: an absurd number counts as unknown, never as a 1 ms delay.
			for (const id of ids) expect(counts.get(id) ?? 0).toBeLessThanOrEqual(target.wait ? 6 : 1);
			expect(result.ms).toBeLessThan(target.wait ? 8000 : 5000);
		});
	},
);

// ── The transport ──────────────────────────────────────────────────────────────────────────────────

describe('transport misbehaviour', () => {
	const getNodes = TARGETS.filter((target) => !target.wait);
	const waits = TARGETS.filter((target) => target.wait);

	it('a trickled status answer: the Get nodes give up after 30 s, Fetch Aspose Audio after 60 s (a plain error, with details)', async () => {
		const started: number[] = [];
		for (const service of ['polly', 'chimeMediaPipeline', 'chimeVoice', 'aspose'] as Service[]) {
			server.on(ROUTES[service], (_request, response) => {
				started.push(Date.now());
				response.writeHead(200, { 'content-type': 'application/json' });
				response.write('{');
				const timer = setInterval(() => response.write(' '), 500);
				response.on('close', () => clearInterval(timer));
			});
		}
		const results = await Promise.all(
			getNodes.map(async (target) => ({
				target,
				result: await run(target, [caseId(target.service, 1)]),
			})),
		);
		for (const { target, result } of results) {
			const item = expectSound(result, 1).get(0)!;
			expect(item.json.error).toBe('The service did not send its whole answer in time');
			const limit = target.service === 'aspose' ? 60_000 : 30_000;
			expect(result.ms).toBeGreaterThanOrEqual(limit - 500);
			expect(result.ms).toBeLessThan(limit + 5000);
			cells.transport++;
		}
	}, 120_000);

	it.each(waits.map((target) => [target.label, target] as const))(
		'a trickled status answer does not hold %s past its Timeout',
		async (_label, target) => {
			server.on(ROUTES[target.service], (_request, response) => {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.write('{');
				const timer = setInterval(() => response.write(' '), 300);
				response.on('close', () => clearInterval(timer));
			});
			const result = await run(target, [caseId(target.service, 1)], { options: { timeout: 2 } });
			const item = expectSound(result, 1).get(0)!;
			expect(item.json.error).toBe('The service did not send its whole answer in time');
			expect(result.ms).toBeLessThan(2000 + 1500);
			cells.transport++;
		},
	);

	it('a Polly output download trickled past the Timeout ends at the deadline with a clear error', async () => {
		const target = waits[0];
		serve(target, (id) => JSON.stringify(task('polly', id, false)));
		server.on('/s3/', (_request, response) => {
			response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': '100000' });
			const timer = setInterval(() => response.write(Buffer.alloc(10)), 200);
			response.on('close', () => clearInterval(timer));
		});
		const result = await run(target, ['case-1'], { options: { timeout: 2 } });
		const item = expectSound(result, 1).get(0)!;
		expect(item.json.error).toBe('The Polly output download did not finish before the Timeout');
		expect(result.ms).toBeLessThan(2000 + 1500);
		cells.transport++;
	});

	it.each(TARGETS.map((target) => [target.label, target] as const))(
		'an endless status answer is cut off: %s',
		async (_label, target) => {
			server.on(ROUTES[target.service], (_request, response) => {
				response.writeHead(200, { 'content-type': 'application/json' });
				const chunk = Buffer.alloc(64 * 1024, 0x20);
				const pump = () => {
					while (response.write(chunk)) {
						/* fill the socket */
					}
				};
				response.on('drain', pump);
				pump();
			});
			const result = await run(target, [caseId(target.service, 1)]);
			const item = expectSound(result, 1).get(0)!;
			expect(item.json.error).toBe(
				'The service sent a far larger answer than a status answer can be',
			);
			cells.transport++;
		},
	);

	it.each(TARGETS.map((target) => [target.label, target] as const))(
		'a compression bomb is cut off after inflating to the limit: %s',
		async (_label, target) => {
			const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
			server.on(ROUTES[target.service], (_request, response) => {
				response.writeHead(200, {
					'content-type': 'application/json',
					'content-encoding': 'gzip',
					'content-length': String(bomb.length),
				});
				response.end(bomb);
			});
			const result = await run(target, [caseId(target.service, 1)]);
			const item = expectSound(result, 1).get(0)!;
			// Inflated chunk by chunk, counted after inflating: refused at the size limit, or broken off first.
			expect([
				'The service sent a far larger answer than a status answer can be',
				'The service answered with something that is not JSON',
			]).toContain(item.json.error);
			cells.transport++;
		},
	);

	it.each(TARGETS.map((target) => [target.label, target] as const))(
		'a redirect to another origin is not followed and no credential goes there: %s',
		async (_label, target) => {
			const elsewhere = await startHostileServer();
			try {
				elsewhere.on('/', (_request, response) =>
					json(response, 200, task(target.service, caseId(target.service, 1), false)),
				);
				server.on(ROUTES[target.service], (_request, response) => {
					response.writeHead(307, { location: `${elsewhere.url}/stolen` });
					response.end();
				});
				const result = await run(target, [caseId(target.service, 1)]);
				const item = expectSound(result, 1).get(0)!;
				expect(item.json.error).toBe(
					'The service answered with a redirect (HTTP 307), which is not followed',
				);
				expect(elsewhere.requests).toEqual([]);
				cells.transport++;
			} finally {
				await elsewhere.close();
			}
		},
	);

	it.each(TARGETS.map((target) => [target.label, target] as const))(
		'a redirect loop ends at once, in words: %s',
		async (_label, target) => {
			server.on(ROUTES[target.service], (request, response) => {
				response.writeHead(302, { location: request.url ?? '/' });
				response.end();
			});
			const result = await run(target, [caseId(target.service, 1)]);
			const item = expectSound(result, 1).get(0)!;
			expect(item.json.error).toBe(
				'The service answered with a redirect (HTTP 302), which is not followed',
			);
			expect(
				server.requests.filter((request) => request.path.startsWith(ROUTES[target.service])),
			).toHaveLength(1);
			cells.transport++;
		},
	);

	it.each(TARGETS.map((target) => [target.label, target] as const))(
		'echoed secrets never reach an item or an error: %s',
		async (_label, target) => {
			// The server repeats every header it got (the session token, the bearer token) in its error and in a task field.
			let answered = 0;
			server.on(ROUTES[target.service], (request, response) => {
				const echo = `${String(request.headers.authorization)} x-amz-security-token: ${String(request.headers['x-amz-security-token'])} ${JSON.stringify(request.headers)}`;
				if (answered++ % 2 === 0) {
					json(
						response,
						400,
						{ message: echo, Message: echo, detail: `Token rejected: ${echo}` },
						{ 'x-amzn-errortype': 'ValidationException' },
					);
					return;
				}
				const answer = task(
					target.service,
					caseOf(new URL(request.url ?? '/', server.url)),
					false,
				) as Record<string, Record<string, unknown>>;
				const inner = (answer.SynthesisTask ?? answer.SpeakerSearchTask ?? answer) as Record<
					string,
					unknown
				>;
				inner.TaskStatusReason = echo;
				inner.StatusMessage = echo;
				inner.note = echo;
				json(response, 200, answer);
			});
			const first = await run(target, [caseId(target.service, 1)]);
			expectSound(first, 1);
			const second = await run(target, [caseId(target.service, 2)]);
			expectSound(second, 1);
			cells.transport += 2;
		},
	);

	it.each(TARGETS.map((target) => [target.label, target] as const))(
		'an answer that closes early is an error in words: %s',
		async (_label, target) => {
			server.on(ROUTES[target.service], (_request, response) => {
				response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
				response.write('{"SynthesisTask":{"TaskId":"x"');
				setTimeout(() => response.socket?.destroy(), 20);
			});
			const result = await run(
				target,
				[caseId(target.service, 1)],
				target.wait ? { options: { timeout: 1 } } : {},
			);
			const item = expectSound(result, 1).get(0)!;
			expect(String(item.json.error)).toMatch(/not JSON|connection/);
			cells.transport++;
		},
	);

	it('Polly PCM that a server compressed although asked not to (Content-Length of the compressed bytes) still becomes the right WAV', async () => {
		const target = waits[0];
		const samples = Buffer.alloc(32_000);
		for (let i = 0; i < samples.length; i += 2)
			samples.writeInt16LE(Math.round(Math.sin(i / 20) * 8000), i);
		const compressed = gzipSync(samples);
		serve(target, (id) => {
			const answer = task('polly', id, false) as { SynthesisTask: Record<string, unknown> };
			answer.SynthesisTask.OutputFormat = 'pcm';
			answer.SynthesisTask.SampleRate = '16000';
			answer.SynthesisTask.OutputUri = `${server.url}/s3/bucket/${id}.pcm`;
			return JSON.stringify(answer);
		});
		server.on('/s3/', (request, response) => {
			expect(request.headers['accept-encoding']).toBe('identity');
			response.writeHead(200, {
				'content-type': 'audio/pcm',
				'content-encoding': 'gzip',
				'content-length': String(compressed.length),
			});
			response.end(compressed);
		});
		const result = await run(target, ['case-1'], { options: { timeout: 10 } });
		expect(result.error).toBeUndefined();
		const [completed] = result.outputs['Under Test'];
		expect(completed).toHaveLength(1);
		expect(completed[0].json.waitOutcome).toMatchObject({ outcome: 'completed' });
		const stored = completed[0].binary?.data;
		expect(stored?.mimeType).toBe('audio/wav');
		cells.transport++;
	});

	it('Aspose error.messages that is not a list is a plain failure reason, in both Aspose nodes', async () => {
		for (const target of [TARGETS[3], TARGETS[8]]) {
			for (const messages of ['"Text is too long"', '{"length":1}']) {
				server.reset();
				serve(
					target,
					(id) => `{"id":"${id}","taskStatus":"Error","error":{"messages":${messages}}}`,
				);
				const result = await run(target, ['case-1']);
				const item = expectSound(result, 1).get(0)!;
				const words = JSON.stringify(item.json);
				expect(words).toMatch(/Aspose reported an error without a message/);
				cells.transport++;
			}
		}
	});
});

afterAll(() => {
	// The README's promise table quotes these counts.
	console.log(
		`Hostile-server suite: ${cells.hostileValues} hostile values, ${cells.transport} transport cells`,
	);
});
