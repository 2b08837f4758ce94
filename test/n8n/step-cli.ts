/**
 * Step 1: the examples through n8n's CLI, as a user without the editor would run them:
 * `n8n import:credentials`, `n8n import:workflow`, `n8n execute --id=… --rawOutput`, judged by the JSON it prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Emulator, RequestLogEntry } from '../emulator';
import { MIME, asposeWav, asposeWavBytes, audioKind, pollyObjectBytes } from './audio';
import { type Instance, n8nCli, n8nCliChecked, parseExecuteOutput, writeJson } from './n8n';
import { tail } from './processes';
import { check, fail, log, note, ok, timing } from './report';
import type { Toolchain } from './toolchain';
import {
	ASPOSE_CREDENTIAL_ID,
	NODE_TYPES,
	type Workflow,
	credentialsFor,
	fillExample,
	nodeOfType,
	readExample,
} from './workflows';

/** How long emulated tasks run (real ms), so that Wait Until Complete has something to wait for after n8n's start-up. */
export const CLI_TASK_MS = 20000;

interface Expectation {
	statusField: string;
	finalStatus: string;
	audio?: {
		kind: 'mp3' | 'wav';
		fileName: string;
		expectedBytes: () => number | undefined;
		exact?: () => Buffer | undefined;
	};
	extra?: (json: Record<string, unknown>) => void;
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
	taskNodeType: string;
	prepare(emulator: Emulator): {
		values: Record<string, string>;
		patch?: (wf: Workflow) => void;
		expect: Expectation;
	};
}

const EXAMPLES: Example[] = [
	{
		key: 'polly',
		file: 'polly-task-to-audio.json',
		workflowId: 'e2ePollyToAudio1',
		taskNodeType: NODE_TYPES.getPolly,
		prepare(emulator) {
			const task = emulator.createPollyTask(
				{
					Text: 'Hello from n8n. This audio was synthesised by the Polly emulator.',
					OutputFormat: 'mp3',
					OutputS3BucketName: emulator.resources.buckets[0],
					VoiceId: 'Joanna',
				},
				{ durationMs: CLI_TASK_MS },
			);
			const taskId = String(task.TaskId);
			return {
				values: { taskId },
				expect: {
					statusField: 'TaskStatus',
					finalStatus: 'completed',
					audio: {
						kind: 'mp3',
						fileName: `${taskId}.mp3`,
						expectedBytes: () => pollyObjectBytes(emulator, taskId),
					},
				},
			};
		},
	},
	{
		key: 'chime-voice-connector',
		file: 'chime-speaker-search.json',
		workflowId: 'e2eChimeVoice001',
		taskNodeType: NODE_TYPES.getSpeakerSearch,
		prepare(emulator) {
			const task = emulator.createVoiceSpeakerSearchTask({
				voiceConnectorId: emulator.resources.voiceConnectorIds[0],
				durationMs: CLI_TASK_MS,
			});
			return {
				values: {
					voiceConnectorId: emulator.resources.voiceConnectorIds[0],
					speakerSearchTaskId: String(task.SpeakerSearchTaskId),
				},
				expect: {
					statusField: 'SpeakerSearchTaskStatus',
					finalStatus: 'SUCCEEDED',
					extra: (json) => {
						const results = (json.SpeakerSearchDetails as { Results?: unknown } | undefined)
							?.Results;
						check(
							Array.isArray(results) && results.length > 0,
							`speaker search results present (${Array.isArray(results) ? results.length : 0} voice profiles)`,
						);
					},
				},
			};
		},
	},
	{
		key: 'chime-media-pipeline',
		file: 'chime-speaker-search.json',
		workflowId: 'e2eChimePipeline',
		taskNodeType: NODE_TYPES.getSpeakerSearch,
		prepare(emulator) {
			const pipeline = emulator.resources.mediaInsightsPipelines[0];
			const task = emulator.createMediaPipelineSpeakerSearchTask({
				identifier: pipeline.id,
				durationMs: CLI_TASK_MS,
			});
			return {
				values: {
					voiceConnectorId: emulator.resources.voiceConnectorIds[0],
					speakerSearchTaskId: String(task.SpeakerSearchTaskId),
				},
				// The example's other Source: a media insights pipeline, given by ARN.
				patch: (wf) => {
					const node = nodeOfType(wf, NODE_TYPES.getSpeakerSearch);
					node.parameters.source = 'mediaInsightsPipeline';
					node.parameters.identifier = pipeline.arn;
					delete node.parameters.voiceConnectorId;
					wf.name = `${wf.name} (media insights pipeline)`;
				},
				expect: { statusField: 'SpeakerSearchTaskStatus', finalStatus: 'Stopped' },
			};
		},
	},
	{
		key: 'aspose-trial',
		file: 'aspose-trial-to-audio.json',
		workflowId: 'e2eAsposeTrial01',
		taskNodeType: NODE_TYPES.fetchAspose,
		prepare(emulator) {
			const id = emulator.createAsposeTask('Hello from n8n through the Aspose trial endpoint.', {
				trial: true,
				durationMs: CLI_TASK_MS,
			});
			return {
				values: { taskId: id },
				expect: {
					statusField: 'taskStatus',
					finalStatus: 'Completed',
					audio: {
						kind: 'wav',
						fileName: `${id}.wav`,
						expectedBytes: () => asposeWavBytes(emulator, id, true),
						exact: () => asposeWav(emulator, id, true),
					},
				},
			};
		},
	},
	{
		key: 'aspose-authenticated',
		file: 'aspose-authenticated-to-audio.json',
		workflowId: 'e2eAsposeAccount',
		taskNodeType: NODE_TYPES.fetchAspose,
		prepare(emulator) {
			const id = emulator.createAsposeTask('Hello from n8n with an Aspose account.', {
				durationMs: CLI_TASK_MS,
			});
			return {
				values: { taskId: id },
				expect: {
					statusField: 'taskStatus',
					finalStatus: 'Completed',
					audio: {
						kind: 'wav',
						fileName: `${id}.wav`,
						expectedBytes: () => asposeWavBytes(emulator, id, false),
						exact: () => asposeWav(emulator, id, false),
					},
				},
			};
		},
	},
];

/** Workflow ids of the imported examples, by key (the editor step opens them). */
export const EXAMPLE_WORKFLOW_IDS: Record<string, string> = Object.fromEntries(
	EXAMPLES.map((e) => [e.key, e.workflowId]),
);

export interface CliContext {
	tools: Toolchain;
	instance: Instance;
	emulator: Emulator;
	outDir: string;
}

export async function cliStep(ctx: CliContext): Promise<void> {
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

	let asposeAccount: { example: Example; wf: Workflow; expect: Expectation } | undefined;
	for (const example of EXAMPLES) {
		const prepared = example.prepare(emulator);
		const wf = fillExample(
			readExample(example.file),
			example.workflowId,
			prepared.values,
			emulator.endpoints.aspose,
		);
		prepared.patch?.(wf);
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
		await executeAndCheck(ctx, example, wf, prepared.expect, `execute-${example.key}`);
		if (example.key === 'aspose-authenticated') {
			asposeAccount = { example, wf, expect: prepared.expect };
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
	// The same (finished) task again: this run is about the token, not the wait.
	await executeAndCheck(
		ctx,
		asposeAccount.example,
		asposeAccount.wf,
		asposeAccount.expect,
		'execute-aspose-authenticated-after-expiry',
		true,
	);
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

async function storedAccessToken(ctx: CliContext, label: string): Promise<string> {
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
	ctx: CliContext,
	example: Example,
	wf: Workflow,
	expect: Expectation,
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

	const taskNode = nodeOfType(wf, example.taskNodeType);
	const waitNode = nodeOfType(wf, NODE_TYPES.wait);
	const taskRun = nodeRun(output, taskNode.name);
	const taskJson = taskRun?.data?.main?.[0]?.[0]?.json;
	if (
		!check(taskJson, `${label}: "${taskNode.name}" returned the task`, () =>
			JSON.stringify(taskRun?.error ?? taskRun ?? 'no run data').slice(0, 500),
		)
	)
		return;
	const seenStatus = String(taskJson![expect.statusField]);
	ok(`${label}: "${taskNode.name}" saw ${expect.statusField} = ${seenStatus}`);

	const waitRun = nodeRun(output, waitNode.name);
	const outputs = waitRun?.data?.main;
	if (
		!check(
			outputs && outputs.length === 3,
			`${label}: "${waitNode.name}" ran with its three outputs`,
			() => JSON.stringify(waitRun?.error ?? 'no run data').slice(0, 500),
		)
	)
		return;
	const [completed, failed, timedOut] = outputs!;
	check(
		completed?.length === 1 && !failed?.length && !timedOut?.length,
		`${label}: one item on Completed, none on Failed / Timed Out`,
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
			`${label}: the task had already finished when "${taskNode.name}" read it, so Wait Until Complete had nothing to wait for (n8n start-up took longer than the ${CLI_TASK_MS / 1000} s task)`,
		);
	}
	expect.extra?.(json);

	const binary = item.binary?.data;
	if (!expect.audio) {
		check(!binary, `${label}: no binary (speaker search has no audio)`);
		return;
	}
	if (!check(binary, `${label}: binary audio in field "data"`)) return;
	const expectedBytes = expect.audio.expectedBytes();
	check(
		binary!.mimeType === MIME[expect.audio.kind],
		`${label}: mimeType ${binary!.mimeType}`,
		() => `expected ${MIME[expect.audio!.kind]}`,
	);
	check(
		binary!.fileName === expect.audio.fileName,
		`${label}: fileName ${binary!.fileName}`,
		() => `expected ${expect.audio!.fileName}`,
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
			bytes && bytes.length === expectedBytes && audioKind(bytes) === expect.audio.kind,
			`${label}: n8n's stored file is a ${expect.audio.kind} of ${bytes?.length} bytes`,
			() => (bytes ? `kind ${audioKind(bytes)}, ${bytes.length} bytes` : `missing ${file}`),
		);
		const exact = expect.audio.exact?.();
		if (exact && bytes)
			check(exact.equals(bytes), `${label}: the stored WAV equals the emulator's byte for byte`);
	} else {
		note(`${label}: binary stored as ${id.split(':')[0]}; on-disk check skipped`);
	}
}
