// The soak run, in its own process (spawned by soak.test.ts, compiled on the fly): 2,000 items through Wait
// Until Complete against the emulator, every service mixed (Polly with its S3 download, both Chime APIs,
// Aspose), while 10% of the status and download requests get a fault (throttling with and without
// Retry-After, 500, 503, connection reset, truncated or malformed bodies, slow answers). Binary data goes to
// n8n's filesystem store, as in production, so that what the heap holds is the node's and the engine's own
// state. A warm-up execution comes first, then a full GC gives the baseline; the 2,000 items run as two
// executions of 1,000; heap and RSS are sampled every 250 ms, and after each execution (results dropped,
// emulator reset, full GC) the heap must stay where it was. Every output item and log line is scanned for the
// secrets in use; once the emulator is closed no timer or socket may be left. It prints one JSON report line
// and never calls process.exit: the parent checks that the process ends by itself.
import './engine-env';

import { rmSync } from 'node:fs';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../../emulator';
import type { FaultRule } from '../../emulator';
import { BearerTokens } from '../../emulator/tokens';
import { initFilesystemBinaryData } from '../../harness/binary-data';
import { credentialTypes, nodeTypes, TYPES } from '../../harness/package';
import { node } from '../../harness/fixtures';
import { runWorkflow } from '../../harness/run-workflow';
import { emulatorCredentials } from '../support/emulator-env';

const ITEMS = Number(process.env.SOAK_ITEMS ?? 2000);
const EXECUTIONS = Number(process.env.SOAK_EXECUTIONS ?? 2);
const write = process.stdout.write.bind(process.stdout);

// ---- logs, for the secret scan ----------------------------------------------------------------------------
const logTexts: string[] = [];
for (const stream of [process.stdout, process.stderr]) {
	const original = stream.write.bind(stream);
	stream.write = ((chunk: unknown, ...rest: unknown[]) => {
		logTexts.push(String(chunk));
		return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
	}) as typeof stream.write;
}
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	const original = console[method].bind(console);
	console[method] = (...args: unknown[]) => {
		logTexts.push(args.map(String).join(' '));
		original(...args);
	};
}

// ---- secrets: configured ones, and every bearer token the emulator issues ----------------------------------
const secrets = new Set<string>();
const issue = BearerTokens.prototype.issue;
BearerTokens.prototype.issue = function (this: BearerTokens, ...args: Parameters<typeof issue>) {
	const issued = issue.apply(this, args);
	secrets.add(issued.access_token);
	return issued;
};

// ---- a seeded random for durations -------------------------------------------------------------------------
let seed = 20261122;
const random = () => {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return seed / 2147483648;
};

const heap = () => process.memoryUsage().heapUsed;
const rss = () => process.memoryUsage().rss;

function fullGc() {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run the soak child with --expose-gc');
	gc();
	gc();
}

function countResources(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
	return counts;
}

/** 10% of the status and download requests, split over these faults (the first rule that fires wins). */
const FAULTS: FaultRule[] = (() => {
	const route: FaultRule['route'] = [
		'polly.get',
		'chimeMediaPipeline.get',
		'chimeVoice.get',
		'aspose.fetch',
		's3.get',
	];
	const shares: Array<[FaultRule['fault'], number, Partial<FaultRule>]> = [
		['throttle', 0.025, { retryAfterSeconds: 1 }],
		['throttle', 0.015, {}],
		['error500', 0.01, {}],
		['error503', 0.01, {}],
		['reset', 0.01, {}],
		['truncated', 0.01, {}],
		['malformedJson', 0.01, {}],
		['slow', 0.01, { delayMs: 400 }],
	];
	let taken = 0;
	return shares.map(([fault, share, extra], i) => {
		const rate = share / (1 - taken);
		taken += share;
		return { route, fault, rate, seed: 7 + i, ...extra };
	});
})();

async function main() {
	const resourcesBefore = countResources();
	const binaryData = await initFilesystemBinaryData();
	const emulator = await startEmulator({ seed: 11 });
	secrets.add(emulator.credentials.secretAccessKey);
	secrets.add(emulator.credentials.asposeClientSecret);
	if (emulator.credentials.sessionToken) secrets.add(emulator.credentials.sessionToken);
	const pipeline = emulator.resources.mediaInsightsPipelines[0].id;
	const connector = emulator.resources.voiceConnectorIds[0];

	const makeItems = (count: number, offset: number): INodeExecutionData[] =>
		Array.from({ length: count }, (_, i) => {
			const durationMs = Math.round(100 + random() * 900);
			const n = offset + i;
			switch (i % 4) {
				case 0:
					return {
						json: emulator.createPollyTask(
							{
								OutputFormat: 'mp3',
								OutputS3BucketName: 'speech-tasks-output',
								Text: `Soak item ${n}.`,
								VoiceId: 'Joanna',
							},
							{ durationMs },
						) as IDataObject,
					};
				case 1:
					return {
						json: {
							...emulator.createMediaPipelineSpeakerSearchTask({
								identifier: pipeline,
								durationMs,
							}),
							MediaInsightsPipelineIdentifier: pipeline,
						},
					};
				case 2:
					return {
						json: emulator.createVoiceSpeakerSearchTask({
							voiceConnectorId: connector,
							durationMs,
						}) as IDataObject,
					};
				default:
					return {
						json: {
							id: emulator.createAsposeTask(`Soak item ${n}.`, { durationMs }),
							taskStatus: 'Pending',
						},
					};
			}
		});

	const waitNode = node(
		TYPES.waitUntilComplete,
		{
			service: 'auto',
			downloadAudio: true,
			binaryPropertyName: 'data',
			options: { strategy: 'fixed', interval: 0.25, timeout: 120, maxConcurrentRequests: 50 },
		},
		{ name: 'Wait Until Complete', onError: 'continueRegularOutput' },
	);

	// Warm-up: everything loaded and compiled once, then forgotten.
	await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: emulatorCredentials(emulator),
		nodes: [waitNode],
		input: makeItems(100, 1_000_000),
	});
	emulator.reset();
	fullGc();
	const baseline = { heapUsed: heap(), rss: rss() };

	// The soak: 2,000 items in two executions of 1,000. After each, results dropped, the emulator's tasks,
	// objects and request log forgotten, and a full GC: the heap must not grow from one to the next.
	const totals = {
		items: 0,
		once: 0,
		completed: 0,
		failed: 0,
		timedOut: 0,
		errors: 0,
		withAudio: 0,
		audioExpected: 0,
	};
	const samples: Array<{ t: number; heapUsed: number; rss: number }> = [];
	const executions: Array<{
		items: number;
		elapsedMs: number;
		requests: number;
		afterGc: { heapUsed: number; rss: number };
	}> = [];
	const faultCounts: Record<string, number> = {};
	let requests = 0;
	let secretComparisons = 0;
	let secretHits = 0;
	const scan = (text: string) => {
		for (const secret of secrets) {
			secretComparisons++;
			if (text.includes(secret)) secretHits++;
		}
	};
	const started = Date.now();
	const sampler = setInterval(
		() => samples.push({ t: Date.now() - started, heapUsed: heap(), rss: rss() }),
		250,
	);
	for (let execution = 0; execution < EXECUTIONS; execution++) {
		const count = ITEMS / EXECUTIONS;
		const input = makeItems(count, execution * count);
		emulator.setFaults(FAULTS);
		const executionStarted = Date.now();
		let result = await runWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: emulatorCredentials(emulator),
			nodes: [waitNode],
			input,
		});
		const elapsedMs = Date.now() - executionStarted;
		if (result.error)
			throw new Error(`soak execution ${execution} failed: ${result.error.message}`);
		const token = result.credentialsHelper.data.asposeCloudApi?.accessToken;
		if (typeof token === 'string' && token) secrets.add(token);

		// Every item exactly once; what it became.
		const seen = new Map<number, number>();
		(result.outputs['Wait Until Complete'] ?? []).forEach((items, output) => {
			for (const item of items) {
				const index = (item.pairedItem as { item: number }).item;
				seen.set(index, (seen.get(index) ?? 0) + 1);
				if (item.json.error) totals.errors++;
				else if (output === 0) totals.completed++;
				else if (output === 1) totals.failed++;
				else totals.timedOut++;
				if (!item.json.error && output === 0 && (index % 4 === 0 || index % 4 === 3)) {
					totals.audioExpected++;
					if (item.binary?.data?.id) totals.withAudio++;
				}
				scan(JSON.stringify(item));
			}
		});
		totals.items += count;
		for (let i = 0; i < count; i++) if (seen.get(i) === 1) totals.once++;
		requests += emulator.requests.length;
		for (const [fault, n] of Object.entries(emulator.faultCounts()))
			faultCounts[fault] = (faultCounts[fault] ?? 0) + (n ?? 0);

		result = undefined as never;
		input.length = 0;
		emulator.reset();
		fullGc();
		executions.push({
			items: count,
			elapsedMs,
			requests: emulator.requests.length,
			afterGc: { heapUsed: heap(), rss: rss() },
		});
	}
	clearInterval(sampler);
	const elapsedMs = Date.now() - started;
	await emulator.close();
	logTexts.forEach(scan);
	rmSync(binaryData.storagePath, { recursive: true, force: true });

	// Sockets close asynchronously after the server is gone: give them a moment.
	await new Promise((resolve) => setTimeout(resolve, 300));
	const report = {
		soak: true,
		totals,
		requests,
		faultsInjected: Object.values(faultCounts).reduce((a, b) => a + (b ?? 0), 0),
		faultCounts,
		elapsedMs,
		memory: { baseline, executions, samples },
		secrets: {
			values: secrets.size,
			logLines: logTexts.length,
			comparisons: secretComparisons,
			hits: secretHits,
		},
		resources: { before: resourcesBefore, after: countResources() },
		endedAt: Date.now(),
	};
	write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
	write(`${JSON.stringify({ soak: false, error: String((error as Error)?.stack ?? error) })}\n`);
	process.exitCode = 1;
});
