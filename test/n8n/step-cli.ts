/**
 * Step 1: the examples through n8n's CLI, as a user without the editor would run them:
 * `n8n import:credentials`, `n8n import:workflow`, `n8n execute --id=… --rawOutput`, judged by the JSON it prints.
 * Every example starts its own tasks (Start Polly Synthesis Task, Submit Aspose Text to Speech, Start Speaker
 * Search Task) or gets its audio at once (Synthesize Polly Speech).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Emulator, type RequestLogEntry, startEmulator } from '../emulator';
import { MIME, asposeWav, asposeWavBytes, audioKind, pollyObjectBytes } from './audio';
import { type Instance, n8nCli, n8nCliChecked, parseExecuteOutput, writeJson } from './n8n';
import { tail } from './processes';
import { check, fail, log, note, ok, timing } from './report';
import type { Toolchain } from './toolchain';
import {
	ASPOSE_CREDENTIAL_ID,
	type Workflow,
	type WorkflowNode,
	credentialsFor,
	fillExample,
	nextNode,
	nodeNamed,
	readExample,
} from './workflows';

/**
 * How long the tasks the workflows start themselves run (real ms): Polly synthesis, Aspose text to speech
 * and both speaker searches. The step's emulator runs them with this fixed duration instead of the
 * time-scaled model.
 */
export const STARTED_TASK_MS = 8000;

/** What one task node → Wait Until Complete chain of an example must show. */
interface Expectation {
	statusField: string;
	/** The status the task node outputs when it has just started the task. */
	startStatus?: string;
	finalStatus: string;
	audio?: {
		kind: 'mp3' | 'wav';
		fileName: (json: Record<string, unknown>) => string;
		expectedBytes: (json: Record<string, unknown>) => number | undefined;
		/** The file as the service made it, for a byte-for-byte comparison with what n8n stored. */
		exact?: (json: Record<string, unknown>) => Buffer | undefined;
	};
	extra?: (json: Record<string, unknown>, label: string) => void;
}

interface Chain {
	/** The task node; its first output leads to the chain's Wait Until Complete. */
	task: (wf: Workflow) => WorkflowNode;
	expect: Expectation;
	/** The node outputs the audio itself (Synthesize Polly Speech): no task, no Wait Until Complete. */
	direct?: boolean;
}

/** The parts of an n8n item read here: its JSON and the metadata of its binary properties. */
interface RunItem {
	json: Record<string, unknown>;
	binary?: Record<string, { mimeType?: string; fileName?: string; bytes?: number; id?: string }>;
}

/** One run of one node in `n8n execute --rawOutput`. */
interface NodeRun {
	data?: { main?: Array<RunItem[] | null> };
	error?: unknown;
}

/** What `n8n execute --rawOutput` prints (the parts read here). */
interface ExecuteOutput {
	status?: string;
	startedAt: string;
	stoppedAt: string;
	data?: {
		resultData?: {
			error?: { message?: string; description?: string };
			runData?: Record<string, NodeRun[]>;
		};
	};
}

interface Example {
	key: string;
	file: string;
	workflowId: string;
	prepare(emulator: Emulator): {
		/** What a user fills in: fields of the example's Set node, parameters of its package nodes. */
		values: Record<string, string>;
		chains: Chain[];
		/** Checks on the emulator's log of one execution. */
		requests?: (entries: RequestLogEntry[], label: string) => void;
	};
}

const byName = (name: string) => (wf: Workflow) => nodeNamed(wf, name);
const count = (entries: RequestLogEntry[], route: string, status?: number) =>
	entries.filter((r) => r.route === route && (status === undefined || r.status === status)).length;

function asposeExample(trial: boolean): Example {
	const submitRoute = trial ? 'aspose.trial.submit' : 'aspose.submit';
	return {
		key: trial ? 'aspose-trial' : 'aspose-authenticated',
		file: trial ? 'aspose-trial-to-audio.json' : 'aspose-authenticated-to-audio.json',
		workflowId: trial ? 'e2eAsposeTrial01' : 'e2eAsposeAccount',
		prepare(emulator) {
			return {
				values: {},
				chains: [
					{
						task: byName('Submit Aspose Text to Speech'),
						expect: {
							statusField: 'taskStatus',
							startStatus: 'Pending',
							finalStatus: 'Completed',
							audio: {
								kind: 'wav',
								fileName: (json) => `${String(json.id)}.wav`,
								expectedBytes: (json) => asposeWavBytes(emulator, String(json.id), trial),
								exact: (json) => asposeWav(emulator, String(json.id), trial),
							},
						},
					},
				],
				requests: (entries, label) => {
					check(
						count(entries, submitRoute, 200) === 1,
						`${label}: the workflow submitted one text (${count(entries, submitRoute)} ${submitRoute} requests, ${count(entries, submitRoute, 200)} answered 200)`,
					);
					if (trial)
						check(
							entries.every((r) => String(r.route).startsWith('aspose.trial.')),
							`${label}: only trial endpoints were called, without a credential`,
						);
				},
			};
		},
	};
}

/** The object the emulated Polly wrote at a task's OutputUri (regional form: /bucket/key). */
function pollyObject(emulator: Emulator, outputUri: unknown): Buffer | undefined {
	try {
		const [, bucket, ...key] = new URL(String(outputUri)).pathname.split('/');
		return emulator.objectBytes(bucket, key.map(decodeURIComponent).join('/'));
	} catch {
		return undefined;
	}
}

const EXAMPLES: Example[] = [
	{
		key: 'polly',
		file: 'polly-task-to-audio.json',
		workflowId: 'e2ePollyToAudio1',
		prepare(emulator) {
			return {
				// A bucket of the user's, in place of YOUR-S3-BUCKET.
				values: { outputS3BucketName: emulator.resources.buckets[0] },
				chains: [
					{
						task: byName('Start Polly Synthesis Task'),
						expect: {
							statusField: 'TaskStatus',
							startStatus: 'scheduled',
							finalStatus: 'completed',
							audio: {
								kind: 'mp3',
								fileName: (json) => `${String(json.TaskId)}.mp3`,
								expectedBytes: (json) => pollyObjectBytes(emulator, String(json.TaskId)),
								exact: (json) => pollyObject(emulator, json.OutputUri),
							},
						},
					},
				],
				requests: (entries, label) =>
					check(
						count(entries, 'polly.start', 200) === 1,
						`${label}: the workflow started one Polly task (${count(entries, 'polly.start')} polly.start requests)`,
					),
			};
		},
	},
	{
		key: 'polly-synthesize',
		file: 'polly-synthesize-speech.json',
		workflowId: 'e2ePollySpeech01',
		prepare(emulator) {
			// What Polly sent: the answer's bytes, from the emulator's log.
			const answered = () =>
				emulator.requests.filter((r) => r.route === 'polly.synthesize' && r.status === 200);
			return {
				values: {},
				chains: [
					{
						task: byName('Synthesize Polly Speech'),
						direct: true,
						expect: {
							statusField: 'OutputFormat',
							finalStatus: 'mp3',
							audio: {
								kind: 'mp3',
								fileName: () => 'speech.mp3',
								expectedBytes: () => answered().at(-1)?.bytesSent,
							},
							extra: (json, label) =>
								check(
									Number(json.RequestCharacters) > 0 &&
										String(json.ContentType).startsWith('audio/mpeg'),
									`${label}: RequestCharacters ${json.RequestCharacters}, ContentType ${json.ContentType}`,
								),
						},
					},
				],
				requests: (entries, label) =>
					check(
						entries.length === 1 && count(entries, 'polly.synthesize', 200) === 1,
						`${label}: one SynthesizeSpeech request and nothing else (${entries.map((r) => r.route).join(', ')})`,
					),
			};
		},
	},
	{
		key: 'chime',
		file: 'chime-speaker-search.json',
		workflowId: 'e2eChimeSpeaker1',
		prepare(emulator) {
			// The call's resources, as a user fills them in: the pipeline by ARN, the Voice Connector by ID.
			const values = {
				mediaInsightsPipeline: emulator.resources.mediaInsightsPipelines[0].arn,
				voiceProfileDomainArn: `arn:aws:chime:${emulator.region}:${emulator.accountId}:voice-profile-domain/n8n-e2e`,
				voiceConnectorId: emulator.resources.voiceConnectorIds[0],
				transactionId: `n8n-e2e-call-${Date.now()}`,
				voiceProfileDomainId: 'n8n-e2e-voice-profile-domain',
			};
			return {
				values,
				chains: [
					{
						task: byName('Start Speaker Search (Pipeline)'),
						expect: {
							statusField: 'SpeakerSearchTaskStatus',
							startStatus: 'NotStarted',
							finalStatus: 'Stopped',
							extra: (json, label) =>
								check(
									json.MediaInsightsPipelineIdentifier === values.mediaInsightsPipeline,
									`${label}: the task carries its pipeline (MediaInsightsPipelineIdentifier)`,
								),
						},
					},
					{
						task: byName('Start Speaker Search (Voice Connector)'),
						expect: {
							statusField: 'SpeakerSearchTaskStatus',
							startStatus: 'IN_QUEUE',
							finalStatus: 'SUCCEEDED',
							extra: (json, label) => {
								const results = (json.SpeakerSearchDetails as { Results?: unknown } | undefined)
									?.Results;
								check(
									Array.isArray(results) && results.length > 0,
									`${label}: speaker search results present (${Array.isArray(results) ? results.length : 0} voice profiles)`,
								);
								const call = json.CallDetails as { VoiceConnectorId?: unknown } | undefined;
								check(
									call?.VoiceConnectorId === values.voiceConnectorId,
									`${label}: the task carries its Voice Connector (CallDetails.VoiceConnectorId)`,
								);
							},
						},
					},
				],
				requests: (entries, label) => {
					for (const route of ['chimeMediaPipeline.start', 'chimeVoice.start'])
						check(
							count(entries, route) === 1 && count(entries, route, 201) === 1,
							`${label}: one ${route} request, answered 201 (saw ${count(entries, route)})`,
						);
				},
			};
		},
	},
	asposeExample(true),
	asposeExample(false),
];

/** Workflow ids of the imported examples, by key (the editor step opens them). */
export const EXAMPLE_WORKFLOW_IDS: Record<string, string> = Object.fromEntries(
	EXAMPLES.map((e) => [e.key, e.workflowId]),
);

export interface CliContext {
	tools: Toolchain;
	instance: Instance;
	/**
	 * The run's emulator. Not used here: the workflows start tasks themselves, so this step starts its own
	 * emulator whose tasks run STARTED_TASK_MS (the shared one time-scales them to a few milliseconds).
	 */
	emulator: Emulator;
	outDir: string;
}

interface StepContext extends CliContext {
	/** The emulator of this step (credentials and tasks point at it). */
	emulator: Emulator;
}

export async function cliStep(ctx: CliContext): Promise<void> {
	const started = Date.now();
	const emulator = await startEmulator({
		timeScale: 0.01,
		durations: {
			polly: STARTED_TASK_MS,
			aspose: STARTED_TASK_MS,
			chimeVoice: STARTED_TASK_MS,
			chimeMediaPipeline: STARTED_TASK_MS,
		},
	});
	timing('CLI step emulator start', Date.now() - started);
	log(
		`CLI step emulator on ${emulator.url} (tasks the workflows start run ${STARTED_TASK_MS / 1000} s)`,
	);
	try {
		await runExamples({ ...ctx, emulator });
	} finally {
		await emulator.close().catch(() => undefined);
	}
}

async function runExamples(ctx: StepContext): Promise<void> {
	const { tools, instance, emulator, outDir } = ctx;
	const importDir = path.join(outDir, 'import');
	const credentialsFile = writeJson(
		path.join(importDir, 'credentials.json'),
		credentialsFor(emulator),
	);
	const credStarted = Date.now();
	const imported = await n8nCliChecked(
		tools,
		instance,
		['import:credentials', `--input=${credentialsFile}`],
		'import-credentials',
	);
	check(
		/Successfully imported 2 credentials/.test(imported.stdout + imported.stderr),
		'n8n import:credentials imported the AWS and Aspose credentials',
	);
	timing(
		'n8n import:credentials (first command: creates the SQLite DB, runs migrations)',
		Date.now() - credStarted,
	);

	let asposeAccount:
		| { example: Example; wf: Workflow; prepared: ReturnType<Example['prepare']> }
		| undefined;
	for (const example of EXAMPLES) {
		const prepared = example.prepare(emulator);
		const wf = fillExample(
			readExample(example.file),
			example.workflowId,
			prepared.values,
			emulator.endpoints.aspose,
		);
		const wfFile = writeJson(path.join(importDir, `${example.key}.json`), wf);
		const importStarted = Date.now();
		const result = await n8nCli(
			tools,
			instance,
			['import:workflow', `--input=${wfFile}`],
			`import-${example.key}`,
		);
		if (
			result.code !== 0 ||
			!/Successfully imported 1 workflow/.test(result.stdout + result.stderr)
		) {
			fail(
				`n8n import:workflow ${example.file} exited ${result.code ?? result.signal}: ${tail(result.stderr + result.stdout, 15)}`,
			);
			continue;
		}
		timing(`n8n import:workflow ${example.key}`, Date.now() - importStarted);
		const mark = emulator.requests.length;
		const label = `execute-${example.key}`;
		await executeAndCheck(ctx, example, wf, prepared.chains, label);
		prepared.requests?.(emulator.requests.slice(mark), label);
		if (example.key === 'aspose-authenticated') {
			asposeAccount = { example, wf, prepared };
			checkFirstToken(emulator.requests.slice(mark));
		}
	}

	if (!asposeAccount) {
		fail('the Aspose account example did not run, so the token refresh could not be checked');
		return;
	}
	// Token refresh by n8n's own credentials helper: expire every token in the emulator, run again.
	const tokenA = await storedAccessToken(ctx, 'after-first-run');
	check(
		tokenA.length > 0,
		'n8n stored the fetched Aspose token in the credential (export:credentials --decrypted)',
	);
	const expired = emulator.expireTokens();
	check(expired >= 1, `emulator.expireTokens() expired ${expired} live token(s)`);
	const mark = emulator.requests.length;
	// The workflow again: it submits a new text with the expired token, which n8n renews once.
	const label = 'execute-aspose-authenticated-after-expiry';
	await executeAndCheck(
		ctx,
		asposeAccount.example,
		asposeAccount.wf,
		asposeAccount.prepared.chains,
		label,
		true,
	);
	asposeAccount.prepared.requests?.(emulator.requests.slice(mark), label);
	checkRefresh(emulator.requests.slice(mark));
	const tokenB = await storedAccessToken(ctx, 'after-refresh');
	check(
		tokenB.length > 0 && tokenB !== tokenA,
		'n8n replaced the stored Aspose token with the refreshed one',
	);
	const tokenCalls = emulator.requests.filter((r) => r.route === 'aspose.token');
	check(
		tokenCalls.length === 2,
		`the emulator saw exactly two /connect/token calls in step 1 (saw ${tokenCalls.length})`,
	);

	const aws = emulator.requests.filter((r) => r.service !== 'aspose' && r.service !== 'unknown');
	const badSignatures = aws.filter((r) => r.signatureOk === false);
	check(
		aws.length > 0 && badSignatures.length === 0,
		`all ${aws.length} AWS requests from n8n carried valid SigV4 signatures`,
		() => badSignatures.map((r) => `${r.method} ${r.path}: ${r.signatureFailure}`).join('; '),
	);
}

function checkFirstToken(entries: RequestLogEntry[]): void {
	const aspose = entries.filter((r) => r.service === 'aspose');
	const tokens = aspose.filter((r) => r.route === 'aspose.token');
	const rejected = aspose.filter((r) => r.status === 401);
	check(
		tokens.length === 1 && tokens[0].status === 200,
		`first run: n8n fetched one bearer token through preAuthentication (${tokens.length} /connect/token call)`,
	);
	check(rejected.length === 0, 'first run: no request was rejected with 401');
	const firstBearer = aspose.findIndex((r) => r.route !== 'aspose.token');
	const tokenIndex = aspose.findIndex((r) => r.route === 'aspose.token');
	check(
		tokenIndex >= 0 && tokenIndex < firstBearer,
		'first run: the token was fetched before the first API call',
	);
}

function checkRefresh(entries: RequestLogEntry[]): void {
	const aspose = entries.filter((r) => r.service === 'aspose');
	const sequence = aspose.map((r) => `${r.route}:${r.status}`).join(' → ');
	log(`  Aspose requests after expiry: ${sequence}`);
	const first401 = aspose.findIndex((r) => r.status === 401);
	const token = aspose.findIndex((r) => r.route === 'aspose.token' && r.status === 200);
	const retried = aspose.findIndex(
		(r, i) => i > token && r.route !== 'aspose.token' && r.status === 200,
	);
	check(first401 === 0, 'after expiry: the first API call was answered 401 (expired token)');
	check(
		token === first401 + 1,
		'after expiry: n8n then fetched a new token (preAuthentication with credentialsExpired)',
	);
	check(retried === token + 1, 'after expiry: n8n retried the call with the new token and got 200');
	check(
		aspose.filter((r) => r.status === 401).length === 1,
		'after expiry: only one 401 (the refreshed token was reused by the next node)',
	);
}

async function storedAccessToken(ctx: StepContext, label: string): Promise<string> {
	const file = path.join(ctx.outDir, 'import', `aspose-credential-${label}.json`);
	const result = await n8nCli(
		ctx.tools,
		ctx.instance,
		['export:credentials', `--id=${ASPOSE_CREDENTIAL_ID}`, '--decrypted', `--output=${file}`],
		`export-credential-${label}`,
	);
	if (result.code !== 0 || !fs.existsSync(file)) {
		fail(
			`n8n export:credentials exited ${result.code ?? result.signal}: ${tail(result.stderr + result.stdout, 10)}`,
		);
		return '';
	}
	const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{
		data?: { accessToken?: string };
	}>;
	return String(exported[0]?.data?.accessToken ?? '');
}

function nodeRun(output: ExecuteOutput, nodeName: string): NodeRun | undefined {
	return output?.data?.resultData?.runData?.[nodeName]?.[0];
}

async function executeAndCheck(
	ctx: StepContext,
	example: Example,
	wf: Workflow,
	chains: Chain[],
	label: string,
	rerun = false,
): Promise<void> {
	const { tools, instance, outDir } = ctx;
	log(`n8n execute --id=${wf.id} (${example.key})`);
	const started = Date.now();
	const result = await n8nCli(tools, instance, ['execute', `--id=${wf.id}`, '--rawOutput'], label);
	const wall = Date.now() - started;
	fs.mkdirSync(path.join(outDir, 'executions'), { recursive: true });
	fs.writeFileSync(path.join(outDir, 'executions', `${label}.stdout.txt`), result.stdout);
	const output = parseExecuteOutput(result.stdout) as ExecuteOutput | undefined;
	if (!output) {
		fail(
			`${label}: n8n execute printed no JSON run (exit ${result.code ?? result.signal}):\n${tail(result.stderr || result.stdout, 25)}`,
		);
		return;
	}
	const n8nMs = Date.parse(output.stoppedAt) - Date.parse(output.startedAt);
	timing(
		`n8n execute ${label} (whole CLI run; the workflow itself took ${Number.isFinite(n8nMs) ? (n8nMs / 1000).toFixed(1) + ' s' : '?'})`,
		wall,
	);
	if (result.code !== 0) {
		note(
			`${label}: n8n exited ${result.code ?? result.signal} after printing its result (n8n 2.41 can crash while shutting down after it printed the result); judged by the JSON`,
		);
	}
	const error = output.data?.resultData?.error;
	check(output.status === 'success' && !error, `${label}: execution status ${output.status}`, () =>
		`${error?.message ?? ''} ${error?.description ?? ''}`.trim(),
	);
	for (const chain of chains) checkChain(ctx, output, wf, chain, label, rerun);
}

/** One task node → Wait Until Complete chain of an execution. */
function checkChain(
	ctx: StepContext,
	output: ExecuteOutput,
	wf: Workflow,
	chain: Chain,
	executionLabel: string,
	rerun: boolean,
): void {
	const expect = chain.expect;
	const taskNode = chain.task(wf);
	const label = `${executionLabel} "${taskNode.name}"`;
	const taskRun = nodeRun(output, taskNode.name);
	const taskJson = taskRun?.data?.main?.[0]?.[0]?.json;
	if (
		!check(taskJson, `${label} returned the task`, () =>
			JSON.stringify(taskRun?.error ?? taskRun ?? 'no run data').slice(0, 500),
		)
	)
		return;
	if (chain.direct) {
		check(
			taskJson![expect.statusField] === expect.finalStatus,
			`${label}: ${expect.statusField} = ${taskJson![expect.statusField]}`,
			() => `expected ${expect.finalStatus}`,
		);
		expect.extra?.(taskJson!, label);
		checkAudio(ctx, taskRun!.data!.main![0]![0], expect, label);
		return;
	}
	const waitNode = nextNode(wf, taskNode);
	const seenStatus = String(taskJson![expect.statusField]);
	if (expect.startStatus !== undefined)
		check(
			seenStatus === expect.startStatus,
			`${label} started the task: ${expect.statusField} = ${seenStatus}`,
			() => `expected ${expect.startStatus}`,
		);
	else ok(`${label} saw ${expect.statusField} = ${seenStatus}`);

	const waitRun = nodeRun(output, waitNode.name);
	const outputs = waitRun?.data?.main;
	if (
		!check(
			outputs && outputs.length === 3,
			`${label} → "${waitNode.name}" ran with its three outputs`,
			() => JSON.stringify(waitRun?.error ?? 'no run data').slice(0, 500),
		)
	)
		return;
	const [completed, failed, timedOut] = outputs!;
	check(
		completed?.length === 1 && !failed?.length && !timedOut?.length,
		`${label} → "${waitNode.name}": one item on Completed, none on Failed / Timed Out`,
		() =>
			JSON.stringify({
				completed: completed?.length,
				failed: failed?.map((i) => i.json),
				timedOut: timedOut?.length,
			}).slice(0, 600),
	);
	const item = completed?.[0];
	if (!item) return;
	const json = item.json;
	const taskId = String(json.TaskId ?? json.SpeakerSearchTaskId ?? json.id);
	const startedId = String(taskJson!.TaskId ?? taskJson!.SpeakerSearchTaskId ?? taskJson!.id);
	check(
		taskId === startedId,
		`${label}: Wait Until Complete finished the task the task node output (${taskId})`,
		() => `task node: ${startedId}`,
	);
	check(
		json[expect.statusField] === expect.finalStatus,
		`${label}: final ${expect.statusField} = ${json[expect.statusField]}`,
		() => `expected ${expect.finalStatus}`,
	);
	const outcome = (json.waitOutcome ?? {}) as { checks?: unknown; waitedSeconds?: unknown };
	log(`  waitOutcome: ${JSON.stringify(outcome)}`);
	if (seenStatus !== expect.finalStatus) {
		check(
			Number(outcome.checks) >= 2,
			`${label}: Wait Until Complete polled while the task ran (${outcome.checks} status checks, ${outcome.waitedSeconds} s)`,
		);
	} else if (!rerun) {
		note(
			`${label}: the task had already finished when "${taskNode.name}" output it, so Wait Until Complete had nothing to wait for`,
		);
	}
	expect.extra?.(json, label);
	checkAudio(ctx, item, expect, label);
}

/** The audio of an output item: MIME type, file name, size, and the file n8n stored. */
function checkAudio(ctx: StepContext, item: RunItem, expect: Expectation, label: string): void {
	const { instance } = ctx;
	const json = item.json;
	const binary = item.binary?.data;
	if (!expect.audio) {
		check(!binary, `${label}: no binary (speaker search has no audio)`);
		return;
	}
	if (!check(binary, `${label}: binary audio in field "data"`)) return;
	const audio = expect.audio;
	const expectedBytes = audio.expectedBytes(json);
	const fileName = audio.fileName(json);
	check(
		binary!.mimeType === MIME[audio.kind],
		`${label}: mimeType ${binary!.mimeType}`,
		() => `expected ${MIME[audio.kind]}`,
	);
	check(
		binary!.fileName === fileName,
		`${label}: fileName ${binary!.fileName}`,
		() => `expected ${fileName}`,
	);
	check(
		expectedBytes !== undefined && Number(binary!.bytes) === expectedBytes,
		`${label}: ${binary!.bytes} bytes, the size the emulator served`,
		() => `emulator: ${expectedBytes}`,
	);
	// n8n's default binary mode keeps the file on disk: read it back and look at it.
	const id = String(binary!.id ?? '');
	if (id.startsWith('filesystem-v2:') || id.startsWith('filesystem:')) {
		const file = path.join(instance.userFolder, '.n8n', 'storage', id.slice(id.indexOf(':') + 1));
		const bytes = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
		check(
			bytes && bytes.length === expectedBytes && audioKind(bytes) === audio.kind,
			`${label}: n8n's stored file is a ${audio.kind} of ${bytes?.length} bytes`,
			() => (bytes ? `kind ${audioKind(bytes)}, ${bytes.length} bytes` : `missing ${file}`),
		);
		const exact = audio.exact?.(json);
		if (audio.exact)
			check(
				exact !== undefined && bytes !== undefined && exact.equals(bytes),
				`${label}: the stored ${audio.kind} equals the emulator's byte for byte (${exact?.length} bytes)`,
			);
	} else {
		note(`${label}: binary stored as ${id.split(':')[0]}; on-disk check skipped`);
	}
}
