// `npm run demo`: starts the local speech-cloud emulator, runs the example workflows through n8n's engine
// with this package's nodes (each starts its own tasks: Start Polly Synthesis Task, Synthesize Polly
// Speech, Submit Aspose Text to Speech, Start Speaker Search Task), writes the audio into demo-output/
// and prints what happened. `npm run demo -- --real` runs the same workflows against the real services
// (see README).
import '../scripts/engine-env';

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import { repoRoot } from '../scripts/repo-root';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { runExample } from '../e2e/example-workflow';
import type { Target } from './target';

const OUT = join(repoRoot(), 'demo-output');

interface Row {
	workflow: string;
	task: string;
	status: string;
	file: string;
	bytes: number;
	seconds: number;
}

interface Case {
	workflow: string;
	file: string;
	/** What a user fills in in the example's Set node. */
	values?: Record<string, string>;
	parameters?: Record<string, Record<string, unknown>>;
	/** Nodes left out (a branch whose settings are missing). */
	omit?: string[];
	/** The Wait Until Complete nodes whose outputs make the rows, with a label (default: the last node). */
	waits?: Array<{ node: string; label: string }>;
	/** Items each Wait Until Complete should output. */
	expected: number;
}

function rowsOf(workflow: string, outputs: INodeExecutionData[][], seconds: number): Row[] {
	const names = ['Completed', 'Failed', 'Timed Out'];
	return outputs.flatMap((items, output) =>
		items.map((item) => {
			const json = item.json as Record<string, unknown>;
			const outcome = json.waitOutcome as { status?: string } | undefined;
			const task = String(json.TaskId ?? json.SpeakerSearchTaskId ?? json.id ?? '-');
			const binary = item.binary?.data;
			let file = '-';
			let bytes = 0;
			if (binary) {
				const data = Buffer.from(binary.data, 'base64');
				file = join('demo-output', binary.fileName ?? `${task}.bin`);
				writeFileSync(join(OUT, binary.fileName ?? `${task}.bin`), data);
				bytes = data.length;
			} else if (json.error) {
				file = `error: ${String(json.error)}`;
			}
			// Synthesize Polly Speech answers at once: no task, no wait.
			const status = json.error
				? 'error'
				: outcome
					? `${names[output]} (${outcome.status ?? '?'})`
					: binary
						? 'Completed (synthesized)'
						: '?';
			return { workflow, task, status, file, bytes, seconds };
		}),
	);
}

function print(rows: Row[]) {
	const header = {
		workflow: 'workflow',
		task: 'task',
		status: 'final status',
		file: 'file',
		bytes: 'bytes',
		seconds: 'seconds',
	};
	const cells = [header, ...rows].map((r) => [
		r.workflow,
		r.task,
		r.status,
		r.file,
		String(r.bytes),
		typeof r.seconds === 'number' ? r.seconds.toFixed(1) : r.seconds,
	]);
	const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
	for (const [index, cell] of cells.entries()) {
		console.log(cell.map((c, i) => c.padEnd(widths[i])).join('  '));
		if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	}
}

function realTarget(): {
	target: Target;
	credentials: Record<string, ICredentialDataDecryptedObject>;
} {
	const env = process.env;
	const need = (name: string) => {
		const value = env[name];
		if (!value)
			throw new Error(
				`--real needs the environment variable ${name} (see README, "Demo against the real services")`,
			);
		return value;
	};
	const target: Target = {
		region: need('AWS_REGION'),
		aws: {
			accessKeyId: need('AWS_ACCESS_KEY_ID'),
			secretAccessKey: need('AWS_SECRET_ACCESS_KEY'),
			sessionToken: env.AWS_SESSION_TOKEN,
		},
		endpoints: { aspose: 'https://api.aspose.cloud' },
		pollyBucket: need('POLLY_OUTPUT_BUCKET'),
		aspose: env.ASPOSE_CLIENT_ID
			? { clientId: env.ASPOSE_CLIENT_ID, clientSecret: need('ASPOSE_CLIENT_SECRET') }
			: undefined,
		voiceConnectorId: env.CHIME_VOICE_CONNECTOR_ID,
		transactionId: env.CHIME_TRANSACTION_ID,
		voiceProfileDomainId: env.CHIME_VOICE_PROFILE_DOMAIN_ID,
		mediaInsightsPipelineId: env.CHIME_MEDIA_INSIGHTS_PIPELINE,
		voiceProfileDomainArn: env.CHIME_VOICE_PROFILE_DOMAIN_ARN,
	};
	const credentials: Record<string, ICredentialDataDecryptedObject> = {
		awsSigV4Api: {
			region: target.region,
			accessKeyId: target.aws.accessKeyId,
			secretAccessKey: target.aws.secretAccessKey,
			temporaryCredentials: Boolean(target.aws.sessionToken),
			sessionToken: target.aws.sessionToken ?? '',
			customEndpoints: false,
		},
	};
	if (target.aspose) {
		credentials.asposeCloudApi = {
			authentication: 'clientCredentials',
			baseUrl: 'https://api.aspose.cloud',
			clientId: target.aspose.clientId,
			clientSecret: target.aspose.clientSecret,
			accessToken: '',
		};
	}
	return { target, credentials };
}

const SUBMIT = 'Submit Aspose Text to Speech';
const START_POLLY = 'Start Polly Synthesis Task';
const PIPELINE = {
	start: 'Start Speaker Search (Pipeline)',
	wait: 'Wait Until Complete (Pipeline)',
	label: 'chime-speaker-search (pipeline)',
};
const VOICE = {
	start: 'Start Speaker Search (Voice Connector)',
	wait: 'Wait Until Complete (Voice Connector)',
	label: 'chime-speaker-search (voice)',
};

function cases(target: Target): Case[] {
	const trialBaseUrl = target.endpoints?.aspose ?? 'https://api.aspose.cloud';
	// The Polly example starts its own task in the bucket; run in three output formats.
	const pollyTask = (
		label: string,
		outputFormat: string,
		additionalFields: Record<string, unknown>,
	): Case => ({
		workflow: label,
		file: 'polly-task-to-audio.json',
		parameters: {
			[START_POLLY]: { outputS3BucketName: target.pollyBucket, outputFormat, additionalFields },
		},
		expected: 1,
	});
	const list: Case[] = [
		pollyTask('polly-task-to-audio', 'mp3', {}),
		pollyTask('polly-task-to-audio (pcm)', 'pcm', { sampleRate: '16000' }),
		pollyTask('polly-task-to-audio (marks)', 'json', { speechMarkTypes: ['sentence', 'word'] }),
		{
			workflow: 'polly-synthesize-speech',
			file: 'polly-synthesize-speech.json',
			expected: 1,
		},
		{
			workflow: 'aspose-trial-to-audio',
			file: 'aspose-trial-to-audio.json',
			parameters: {
				[SUBMIT]: { options: { trialBaseUrl } },
				'Wait Until Complete': { options: { timeout: 600, trialBaseUrl } },
			},
			expected: 1,
		},
	];
	if (target.aspose) {
		list.push({
			workflow: 'aspose-authenticated-to-audio',
			file: 'aspose-authenticated-to-audio.json',
			expected: 1,
		});
	}
	// The speaker search example has a branch per source: run the branches whose settings are given.
	const voice = Boolean(
		target.voiceConnectorId && target.transactionId && target.voiceProfileDomainId,
	);
	const pipeline = Boolean(target.mediaInsightsPipelineId && target.voiceProfileDomainArn);
	if (voice || pipeline) {
		const branches = [...(pipeline ? [PIPELINE] : []), ...(voice ? [VOICE] : [])];
		list.push({
			workflow: 'chime-speaker-search',
			file: 'chime-speaker-search.json',
			values: {
				mediaInsightsPipeline: target.mediaInsightsPipelineId ?? '-',
				voiceProfileDomainArn: target.voiceProfileDomainArn ?? '-',
				voiceConnectorId: target.voiceConnectorId ?? '-',
				transactionId: target.transactionId ?? '-',
				voiceProfileDomainId: target.voiceProfileDomainId ?? '-',
			},
			omit: [PIPELINE, VOICE]
				.filter((b) => !branches.includes(b))
				.flatMap((b) => [b.start, b.wait]),
			waits: branches.map((b) => ({ node: b.wait, label: b.label })),
			expected: 1,
		});
	}
	return list;
}

async function main() {
	const real = process.argv.includes('--real');
	rmSync(OUT, { recursive: true, force: true });
	mkdirSync(OUT, { recursive: true });

	// Emulated tasks take seconds instead of minutes: timeScale 0.05 turns a 60 s task into 3 s.
	const emulator = real ? undefined : await startEmulator({ timeScale: 0.05 });
	const { target, credentials } = emulator
		? {
				target: {
					region: emulator.region,
					aws: emulator.awsCredentials,
					endpoints: emulator.endpoints,
					pollyBucket: emulator.resources.buckets[0],
					aspose: {
						clientId: emulator.credentials.asposeClientId,
						clientSecret: emulator.credentials.asposeClientSecret,
					},
					voiceConnectorId: emulator.resources.voiceConnectorIds[0],
					transactionId: `demo-call-${Date.now()}`,
					voiceProfileDomainId: 'demo-voice-profile-domain',
					mediaInsightsPipelineId: emulator.resources.mediaInsightsPipelines[0].arn,
					voiceProfileDomainArn: `arn:aws:chime:${emulator.region}:${emulator.accountId}:voice-profile-domain/demo`,
				} as Target,
				credentials: emulatorCredentials(emulator),
			}
		: realTarget();
	console.log(
		emulator
			? `Speech-cloud emulator on ${emulator.url} (no AWS or Aspose account used)\n`
			: 'Running against the real services\n',
	);

	const rows: Row[] = [];
	let failures = 0;
	try {
		for (const c of cases(target)) {
			const started = Date.now();
			const run = await runExample(c.file, {
				values: c.values,
				credentials,
				parameters: c.parameters,
				omit: c.omit,
			});
			const seconds = (Date.now() - started) / 1000;
			if (run.result.error) {
				failures++;
				rows.push({
					workflow: c.workflow,
					task: '-',
					status: 'error',
					file: run.result.error.message,
					bytes: 0,
					seconds,
				});
				continue;
			}
			for (const wait of c.waits ?? [{ node: '', label: c.workflow }]) {
				const outputs = wait.node ? run.outputsOf(wait.node) : run.outputs;
				const produced = rowsOf(wait.label, outputs, seconds);
				if (
					produced.length !== c.expected ||
					produced.some((r) => !r.status.startsWith('Completed'))
				)
					failures++;
				rows.push(...produced);
			}
		}
	} finally {
		await emulator?.close();
	}
	console.log('');
	print(rows);
	console.log(`\nAudio written to ${OUT}`);
	if (failures) {
		console.log(`${failures} workflow(s) did not complete as expected`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
