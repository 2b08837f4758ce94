// `npm run demo`: starts the local speech-cloud emulator, creates tasks through the official AWS SDK
// and Aspose's submit endpoint, runs the example workflows through n8n's engine with this package's
// nodes, writes the audio into demo-output/ and prints what happened.
// `npm run demo -- --real` runs the same workflows against the real services (see README).
import '../scripts/engine-env';

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import { repoRoot } from '../scripts/repo-root';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { runExample } from '../e2e/example-workflow';
import {
	startPipelineSpeakerSearch,
	startPollyTask,
	startVoiceSpeakerSearch,
	submitAsposeText,
} from './create-tasks';
import type { Target } from './create-tasks';

const OUT = join(repoRoot(), 'demo-output');
const TEXT =
	'Hello from n8n. This audio was synthesised by an asynchronous speech task, and Wait Until Complete handed it to the next step.';

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
	inputs: () => Promise<INodeExecutionData[]>;
	parameters?: Record<string, Record<string, unknown>>;
}

function rowsOf(c: Case, outputs: INodeExecutionData[][], seconds: number): Row[] {
	const names = ['Completed', 'Failed', 'Timed Out'];
	return outputs.flatMap((items, output) =>
		items.map((item) => {
			const json = item.json as Record<string, unknown>;
			const outcome = json.waitOutcome as { status?: string } | undefined;
			const task = String(json.TaskId ?? json.SpeakerSearchTaskId ?? json.id ?? '?');
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
			const status = json.error ? 'error' : `${names[output]} (${outcome?.status ?? '?'})`;
			return { workflow: c.workflow, task, status, file, bytes, seconds };
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

function cases(target: Target): Case[] {
	const list: Case[] = [
		{
			workflow: 'polly-task-to-audio',
			file: 'polly-task-to-audio.json',
			inputs: async () => [
				{ json: { taskId: await startPollyTask(target, TEXT, 'mp3') } },
				{ json: { taskId: await startPollyTask(target, TEXT, 'pcm', { SampleRate: '16000' }) } },
				{
					json: {
						taskId: await startPollyTask(target, TEXT, 'json', {
							SpeechMarkTypes: ['sentence', 'word'],
						}),
					},
				},
			],
		},
		{
			workflow: 'aspose-trial-to-audio',
			file: 'aspose-trial-to-audio.json',
			inputs: async () => [{ json: { taskId: await submitAsposeText(target, TEXT, true) } }],
			parameters: {
				'Fetch Aspose Audio': { options: { trialBaseUrl: target.endpoints!.aspose } },
				'Wait Until Complete': {
					options: { timeout: 600, trialBaseUrl: target.endpoints!.aspose },
				},
			},
		},
	];
	if (target.aspose) {
		list.push({
			workflow: 'aspose-authenticated-to-audio',
			file: 'aspose-authenticated-to-audio.json',
			inputs: async () => [{ json: { taskId: await submitAsposeText(target, TEXT, false) } }],
		});
	}
	if (target.voiceConnectorId && target.voiceProfileDomainId) {
		list.push({
			workflow: 'chime-speaker-search (voice)',
			file: 'chime-speaker-search.json',
			inputs: async () => [
				{
					json: {
						voiceConnectorId: target.voiceConnectorId,
						speakerSearchTaskId: await startVoiceSpeakerSearch(target),
					},
				},
			],
		});
	}
	if (target.mediaInsightsPipelineId && target.voiceProfileDomainArn) {
		list.push({
			workflow: 'chime-speaker-search (pipeline)',
			file: 'chime-speaker-search.json',
			inputs: async () => [
				{
					json: {
						pipeline: target.mediaInsightsPipelineId,
						speakerSearchTaskId: await startPipelineSpeakerSearch(target),
					},
				},
			],
			parameters: {
				'Get Speaker Search Task': {
					source: 'mediaInsightsPipeline',
					identifier: '={{ $json.pipeline }}',
				},
			},
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
			const inputs = await c.inputs();
			const run = await runExample(c.file, { inputs, credentials, parameters: c.parameters });
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
			const produced = rowsOf(c, run.outputs, seconds);
			if (
				produced.length !== inputs.length ||
				produced.some((r) => !r.status.startsWith('Completed'))
			)
				failures++;
			rows.push(...produced);
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
