// Bad input: every parameter of every node (and, for Wait Until Complete's auto-detection, every ID it reads
// from an item) gets generated hostile values — empty, whitespace, over-long, unicode, control and null
// characters, "../", "?", "#", "%2F", ARNs where an ID belongs, numbers, objects and lists from expressions.
// Each must fail before any request with an error that names the field. Every request the emulator, a
// recording server ("another host") or nock (anything not on loopback) sees is checked: hostile values send
// none; a valid value (the control run) sends requests to the intended routes only.
import { writeFileSync } from 'node:fs';

import type { INode } from 'n8n-workflow';

import { credentialTypes, nodeTypes } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import type { Emulator } from '../emulator';
import { SLOTS } from './support/bad-input-slots';
import type { Slot, SlotEnv } from './support/bad-input-slots';
import { emulatorCredentials, fastEmulator } from './support/emulator-env';
import type { Hostile } from './support/hostile-values';
import { recordNetAttempts } from './support/net-attempts';
import type { NetAttempts } from './support/net-attempts';
import { startRecordingServer } from './support/recording-server';
import type { RecordingServer } from './support/recording-server';

let emulator: Emulator;
let recorder: RecordingServer;
let net: NetAttempts;
let env: SlotEnv;
const tried = { hostile: 0, slots: 0 };

beforeAll(async () => {
	emulator = await fastEmulator();
	recorder = await startRecordingServer();
	net = recordNetAttempts();
	const polly = emulator.createPollyTask(
		{
			OutputFormat: 'mp3',
			OutputS3BucketName: 'speech-tasks-output',
			Text: 'Bad input.',
			VoiceId: 'Joanna',
		},
		{ durationMs: 0 },
	);
	const pipelineId = emulator.resources.mediaInsightsPipelines[0].id;
	const pipelineTask = emulator.createMediaPipelineSpeakerSearchTask({
		identifier: pipelineId,
		durationMs: 0,
	});
	const voiceConnectorId = emulator.resources.voiceConnectorIds[0];
	const voiceTask = emulator.createVoiceSpeakerSearchTask({ voiceConnectorId, durationMs: 0 });
	env = {
		emulator,
		pollyTaskId: String(polly.TaskId),
		pipelineId,
		pipelineTaskId: String(pipelineTask.SpeakerSearchTaskId),
		voiceConnectorId,
		voiceTaskId: String(voiceTask.SpeakerSearchTaskId),
		asposeTaskId: emulator.createAsposeTask('Bad input.', { durationMs: 0 }),
		elsewhere: recorder.url,
	};
});

afterAll(async () => {
	net.stop();
	await recorder.close();
	await emulator.close();
	console.log(`Bad input: ${tried.hostile} hostile values tried across ${tried.slots} parameters`);
	if (process.env.BAD_INPUT_LOG)
		writeFileSync(process.env.BAD_INPUT_LOG, JSON.stringify({ tried }, null, 1));
});

interface Attempt {
	error?: { message?: string; description?: string; name?: string };
	requests: string[];
	routes: string[];
}

async function attempt(slot: Slot, value: unknown): Promise<Attempt> {
	const log = emulator.requests.length;
	const recorded = recorder.requests.length;
	const netAttempts = net.attempts.length;
	const { node, input } = slot.build(value, env);
	const result = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes: [node as INode],
		input,
	});
	const emulated = emulator.requests.slice(log);
	return {
		error: result.error as Attempt['error'],
		requests: [
			...emulated.map((r) => `emulator ${r.method} ${r.url}`),
			...recorder.requests.slice(recorded).map((r) => `elsewhere ${r.method} ${r.url}`),
			...net.attempts.slice(netAttempts).map((a) => `network ${a}`),
		],
		routes: emulated.map((r) => String(r.route)),
	};
}

function namesField(slot: Slot, error: Attempt['error']): boolean {
	const text = `${error?.message ?? ''}\n${error?.description ?? ''}`;
	return (
		text.includes(`(${slot.field})`) ||
		text.includes(`"${slot.displayName}"`) ||
		text.includes(`The ${slot.displayName} `) ||
		(slot.alsoNames?.test(text) ?? false)
	);
}

/**
 * The error class the user sees: NodeOperationError from the programmatic nodes; the declarative nodes' preSend
 * throws one too, which n8n's RoutingNode re-wraps as NodeApiError keeping message and description.
 */
function expectedErrorNames(slot: Slot): string[] {
	return slot.label.startsWith('Get ')
		? ['NodeApiError', 'NodeOperationError']
		: ['NodeOperationError'];
}

/** What is wrong with the node's reaction to a hostile value; undefined when it is right. */
function problemWith(slot: Slot, result: Attempt): string | undefined {
	if (result.requests.length > 0) return `sent ${result.requests.join(', ')}`;
	if (!result.error) return 'was accepted (no error, no request)';
	if (!namesField(slot, result.error))
		return `error does not name the field: "${result.error.message}" / "${result.error.description}"`;
	if (!expectedErrorNames(slot).includes(String(result.error.name)))
		return `error is a ${result.error.name}, not a ${expectedErrorNames(slot).join(' or ')}`;
	return undefined;
}

/**
 * Known bugs (see the report): hostile values that today get through or fail without naming the field.
 * The main test accepts exactly these; each bug has its own failing test below that the fix will flip.
 */
function knownBug(slot: Slot, hostile: Hostile): string | undefined {
	if (
		slot.field === 'speakerSearchTaskId' &&
		/Voice/.test(slot.label) &&
		(hostile.value === '..' || hostile.value === '.')
	)
		return 'B4';
	if (slot.field === 'useTrial' || slot.field === 'downloadAudio') return 'B5';
	if (slot.field === 'trialBaseUrl') return 'B6';
	if (slot.field === 'service') return 'B7';
	if (slot.field === 'source' || slot.field === 'strategy') return 'B8';
	return undefined;
}

describe.each(SLOTS.map((s) => [s.label, s] as const))('%s', (_label, slot) => {
	it('a valid value reaches only the intended routes (control run)', async () => {
		const result = await attempt(slot, slot.valid(env));
		expect(result.routes.length).toBeGreaterThan(0);
		expect(result.routes.filter((r) => !slot.intended.includes(r))).toEqual([]);
		expect(result.requests.filter((r) => !r.startsWith('emulator'))).toEqual([]);
	});

	it('every hostile value fails before any request, naming the field', async () => {
		const values = slot.values(env);
		const problems: string[] = [];
		tried.slots++;
		for (const hostile of values) {
			tried.hostile++;
			const problem = problemWith(slot, await attempt(slot, hostile.value));
			if (!problem) continue;
			problems.push(`${hostile.name} (${JSON.stringify(hostile.value).slice(0, 60)}): ${problem}`);
		}
		expect(problems).toEqual([]);
	});
});

// Each known bug, as the test that the fix turns green: every hostile value of the affected parameters must
// fail before any request, naming the field (these were bugs B4–B8, fixed; kept as regressions).
describe('fixed bugs, as regressions', () => {
	const bugSlots = (bug: string) =>
		SLOTS.filter((slot) =>
			slot.values(envForFilter).some((hostile) => knownBug(slot, hostile) === bug),
		);
	// knownBug() looks at labels, fields and values only; the env is needed to build value lists.
	const envForFilter = {
		emulator: { endpoints: { aspose: 'http://127.0.0.1:1/aspose' } },
	} as unknown as SlotEnv;

	async function expectAllRefused(slot: Slot): Promise<void> {
		const problems: string[] = [];
		for (const hostile of slot.values(env)) {
			const problem = problemWith(slot, await attempt(slot, hostile.value));
			if (problem) problems.push(`${hostile.name}: ${problem}`);
		}
		expect(problems).toEqual([]);
	}

	// B4 — nodes/common/adapters/chimeVoice.ts (speakerSearchTaskId rule): "." and ".." pass
	// /^[A-Za-z0-9._-]+$/, and the URL parser turns …/speaker-search-tasks/.. into …/voice-connectors/{id}/.
	it.each(bugSlots('B4').map((s) => [s.label, s] as const))(
		'B4 dot segments: %s',
		async (_l, slot) => await expectAllRefused(slot),
	);

	// B5 — FetchAsposeAudio.node.ts, WaitUntilComplete/plan.ts: useTrial / downloadAudio are read with `as boolean`;
	// "false", 42, {} … are truthy, so a text "false" switches to the anonymous trial endpoint (or, when the
	// trial base URL option is hidden, to https://api.aspose.cloud).
	it.each(bugSlots('B5').map((s) => [s.label, s] as const))(
		'B5 non-boolean switches: %s',
		async (_l, slot) => await expectAllRefused(slot),
	);

	// B6 — FetchAsposeAudio.node.ts, WaitUntilComplete/settings.ts, task-client.ts openConnection: the trial base
	// URL is used unchecked: a "?" or "#" moves the request path into the query or drops it, user-info is sent,
	// non-http schemes and non-strings fail with TypeErrors that do not name the field.
	it.each(bugSlots('B6').map((s) => [s.label, s] as const))(
		'B6 trial base URL: %s',
		async (_l, slot) => await expectAllRefused(slot),
	);

	// B7 — WaitUntilComplete/plan.ts pickTask: `ADAPTERS[service]` with an unknown service (or "constructor",
	// "__proto__") fails with a TypeError ("specs is not iterable") that does not name the Service parameter.
	it.each(bugSlots('B7').map((s) => [s.label, s] as const))(
		'B7 unknown service: %s',
		async (_l, slot) => await expectAllRefused(slot),
	);

	// B8 — GetSpeakerSearchTask (source) and WaitUntilComplete/settings.ts (strategy): unknown option values are
	// not refused: Source fails with n8n's "Could not get parameter", Polling Strategy silently becomes adaptive.
	it.each(bugSlots('B8').map((s) => [s.label, s] as const))(
		'B8 unknown option: %s',
		async (_l, slot) => await expectAllRefused(slot),
	);
});
