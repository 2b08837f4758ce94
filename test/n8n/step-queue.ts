/**
 * Step 3: n8n's distributed engine. Redis and PostgreSQL (Debian's packages) on loopback, one `n8n start`
 * main and two `n8n worker` processes (EXECUTIONS_MODE=queue), each with its own user folder and the
 * package installed, as separate hosts would have. 50 webhook calls at once start 50 executions of
 * Wait Until Complete (25 Polly texts started as synthesis tasks by the workflow, 25 Aspose texts submitted
 * by the workflow with client credentials); each call answers with its own audio.
 *
 * Why PostgreSQL: n8n 2.41 warns "Scaling mode is not officially supported with sqlite" and keeps binary
 * data in the database in queue mode (BinaryDataConfig: mode = 'database' when EXECUTIONS_MODE=queue);
 * three processes writing one SQLite file under load is the unsupported case, so the run uses what n8n
 * documents for queue mode.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Emulator, startEmulator } from '../emulator';
import { MIME, asposeWav, audioKind } from './audio';
import { type Instance, instanceEnv, n8nCliChecked, startN8n, writeJson } from './n8n';
import { type Service, freePort, httpOk, readSafe, waitFor } from './processes';
import { ImpossibleStep, check, log, note, timing } from './report';
import { startPostgres, startRedis } from './services';
import type { SystemTools, Toolchain } from './toolchain';
import { NODE_TYPES, credentialsFor, readExample, webhookWorkflow } from './workflows';

export const BATCH = { polly: 25, aspose: 25 };
export const QUEUE_TASK_MS = 15000;
const WORKER_CONCURRENCY = 25;

export interface QueueContext {
	tools: Toolchain;
	system: SystemTools;
	/**
	 * The run's emulator. Not used here: the workflows start their own tasks, so this step starts its own
	 * emulator whose Polly and Aspose tasks run QUEUE_TASK_MS (the shared one time-scales them to a few
	 * milliseconds).
	 */
	emulator: Emulator;
	outDir: string;
	/** `.n8n/nodes` of a user folder that has the package installed (copied to each process's folder). */
	installedNodesDir: string;
}

export async function queueStep(ctx: QueueContext): Promise<void> {
	const { system } = ctx;
	if (!system.redisServer) throw new ImpossibleStep(`no Redis: ${system.missing['redis-server']}`);
	if (!system.postgresBin) throw new ImpossibleStep(`no PostgreSQL: ${system.missing.postgresql}`);
	const emulator = await startEmulator({
		timeScale: 0.01,
		durations: { polly: QUEUE_TASK_MS, aspose: QUEUE_TASK_MS },
	});
	log(
		`queue step emulator on ${emulator.url} (Polly and Aspose tasks run ${QUEUE_TASK_MS / 1000} s)`,
	);
	try {
		await runQueue(
			{ ...ctx, emulator },
			{ redisServer: system.redisServer, postgresBin: system.postgresBin },
		);
	} finally {
		await emulator.close().catch(() => undefined);
	}
}

async function runQueue(
	ctx: QueueContext,
	bins: { redisServer: string; postgresBin: string },
): Promise<void> {
	const { tools, emulator, outDir } = ctx;
	const root = path.join(outDir, 'queue');
	const logDir = path.join(root, 'logs');
	fs.mkdirSync(logDir, { recursive: true });
	const services: Service[] = [];
	try {
		const postgres = await startPostgres(bins.postgresBin, logDir, 'n8n');
		services.push(postgres.service);
		const redis = await startRedis(bins.redisServer, logDir);
		services.push(redis.service);

		const shared: NodeJS.ProcessEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_POOL_SIZE: '10',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Separate hosts share the key through configuration, not through a shared ~/.n8n.
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
		const folder = (name: string) => {
			const dir = path.join(root, name);
			fs.mkdirSync(path.join(dir, '.n8n'), { recursive: true });
			fs.cpSync(ctx.installedNodesDir, path.join(dir, '.n8n', 'nodes'), { recursive: true });
			return dir;
		};
		const mainPort = await freePort();
		const mainFolder = folder('main');
		const main: Instance = {
			userFolder: mainFolder,
			logDir,
			env: await instanceEnv(tools, mainFolder, { ...shared, N8N_PORT: String(mainPort) }),
		};

		// Credentials and the two webhook workflows, into PostgreSQL with the CLI, then published (activated).
		const importDir = path.join(root, 'import');
		const imported = Date.now();
		await n8nCliChecked(
			tools,
			main,
			[
				'import:credentials',
				`--input=${writeJson(path.join(importDir, 'credentials.json'), credentialsFor(emulator))}`,
			],
			'queue-import-credentials',
		);
		// The Polly example with the text from the request: Webhook → Start Polly Synthesis Task → Wait.
		const polly = webhookWorkflow(
			readExample('polly-task-to-audio.json'),
			'e2eQueuePolly001',
			'e2e-polly',
			NODE_TYPES.startPolly,
			{
				text: '={{ $json.body.text }}',
				outputS3BucketName: emulator.resources.buckets[0],
			},
		);
		// The Aspose example with the text from the request: Webhook → Submit → Wait Until Complete.
		const aspose = webhookWorkflow(
			readExample('aspose-authenticated-to-audio.json'),
			'e2eQueueAspose01',
			'e2e-aspose',
			NODE_TYPES.submitAspose,
			{
				text: '={{ $json.body.text }}',
			},
		);
		writeJson(path.join(importDir, 'workflows', 'polly.json'), polly);
		writeJson(path.join(importDir, 'workflows', 'aspose.json'), aspose);
		await n8nCliChecked(
			tools,
			main,
			['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`],
			'queue-import-workflows',
		);
		for (const wf of [polly, aspose])
			await n8nCliChecked(
				tools,
				main,
				['publish:workflow', `--id=${wf.id}`],
				`queue-publish-${wf.id}`,
			);
		timing(
			'queue mode: import credentials + 2 webhook workflows into PostgreSQL, publish them',
			Date.now() - imported,
		);

		const startedMain = Date.now();
		const mainService = startN8n(tools, main, 'start', [], 'n8n-main');
		services.push(mainService);
		const base = `http://127.0.0.1:${mainPort}`;
		await waitFor(
			'n8n main (/healthz/readiness)',
			() => httpOk(`${base}/healthz/readiness`),
			180000,
			mainService,
		);
		timing('queue mode: n8n main ready', Date.now() - startedMain);

		const workers: Array<{ name: string; service: Service; port: number }> = [];
		const startedWorkers = Date.now();
		for (const name of ['worker-1', 'worker-2']) {
			const port = await freePort();
			const dir = folder(name);
			const env = await instanceEnv(tools, dir, {
				...shared,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(port),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
			const service = startN8n(
				tools,
				{ userFolder: dir, logDir, env },
				'worker',
				[`--concurrency=${WORKER_CONCURRENCY}`],
				`n8n-${name}`,
			);
			services.push(service);
			workers.push({ name, service, port });
		}
		for (const worker of workers) {
			await waitFor(
				`n8n ${worker.name} (/healthz/readiness)`,
				() => httpOk(`http://127.0.0.1:${worker.port}/healthz/readiness`),
				180000,
				worker.service,
			);
		}
		timing(
			`queue mode: 2 workers ready (concurrency ${WORKER_CONCURRENCY} each)`,
			Date.now() - startedWorkers,
		);

		// 50 webhook calls at once: 25 Polly texts and 25 Aspose texts, each workflow starting its own task.
		const jobs: Array<{ kind: 'mp3' | 'wav'; path: string; body: { text: string } }> = [];
		for (let i = 0; i < BATCH.polly; i++) {
			jobs.push({
				kind: 'mp3',
				path: 'e2e-polly',
				// Each text longer than the one before (the object's size tells the tasks apart).
				body: {
					text: `Queue mode Polly item ${i + 1}: the package keeps no state between executions${' and more'.repeat(i * 2)}.`,
				},
			});
		}
		for (let i = 0; i < BATCH.aspose; i++) {
			jobs.push({
				kind: 'wav',
				path: 'e2e-aspose',
				// Each text longer than the one before (the WAV's length tells the tasks apart).
				body: {
					text: `Queue mode Aspose item ${i + 1}: the package keeps no state between executions${' and more'.repeat(i)}.`,
				},
			});
		}
		const mark = emulator.requests.length;
		log(
			`firing ${jobs.length} webhook calls at once (${BATCH.polly} Polly texts, ${BATCH.aspose} Aspose texts; tasks run ${QUEUE_TASK_MS / 1000} s) …`,
		);
		const fired = Date.now();
		const responses = await Promise.all(
			jobs.map(async (job) => {
				const t0 = Date.now();
				try {
					const response = await fetch(`${base}/webhook/${job.path}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(job.body),
						signal: AbortSignal.timeout(10 * 60000),
					});
					const body = Buffer.from(await response.arrayBuffer());
					return {
						job,
						status: response.status,
						type: response.headers.get('content-type') ?? '',
						body,
						ms: Date.now() - t0,
					};
				} catch (error) {
					return {
						job,
						status: 0,
						type: '',
						body: Buffer.from(String((error as Error).message)),
						ms: Date.now() - t0,
					};
				}
			}),
		);
		const batchMs = Date.now() - fired;
		timing(
			`queue mode: batch of ${jobs.length} Wait Until Complete executions (first call → last audio)`,
			batchMs,
		);
		const durations = responses.map((r) => r.ms).sort((a, b) => a - b);
		log(
			`  per-call time: min ${(durations[0] / 1000).toFixed(1)} s, median ${(durations[Math.floor(durations.length / 2)] / 1000).toFixed(1)} s, max ${(durations[durations.length - 1] / 1000).toFixed(1)} s`,
		);

		// The tasks the workflows started, from the emulator's log (Wait Until Complete's reads), and the
		// audio of each. An emulated WAV or mp3 is as long as its text and each job's text is longer than the
		// one before: the k-th smallest file belongs to the k-th job's text, and that job's call must answer
		// with exactly it.
		const batchLog = emulator.requests.slice(mark);
		const asposeIds = [
			...new Set(
				batchLog
					.filter((r) => r.route === 'aspose.fetch')
					.map((r) => new URL(r.url, 'http://emulator').searchParams.get('id') ?? ''),
			),
		].filter(Boolean);
		const asposeFiles = asposeIds.map((id) => ({ id, bytes: asposeWav(emulator, id, false) }));
		// Polly: the objects Wait Until Complete downloaded (one GET per task, path /s3/<bucket>/<key>).
		const pollyKeys = [
			...new Set(
				batchLog
					.filter((r) => r.route === 's3.get' && r.status === 200)
					.map((r) => r.path.replace(/^\/s3\//, '')),
			),
		];
		const pollyFiles = pollyKeys.map((object) => {
			const [bucket, ...key] = object.split('/');
			return {
				id: object,
				bytes: emulator.objectBytes(bucket, key.map(decodeURIComponent).join('/')),
			};
		});
		const own = new Map<(typeof jobs)[number], { id: string; bytes?: Buffer }>();
		for (const [path, files] of [
			['e2e-polly', pollyFiles],
			['e2e-aspose', asposeFiles],
		] as const) {
			const sorted = [...files].sort((x, y) => (x.bytes?.length ?? 0) - (y.bytes?.length ?? 0));
			jobs
				.filter((job) => job.path === path)
				.sort((x, y) => x.body.text.length - y.body.text.length)
				.forEach((job, k) => own.set(job, sorted[k]));
		}
		const bad = responses.filter((r) => {
			const exact = own.get(r.job)?.bytes;
			return (
				r.status !== 200 ||
				!r.type.startsWith(MIME[r.job.kind]) ||
				audioKind(r.body) !== r.job.kind ||
				!exact?.equals(r.body)
			);
		});
		check(
			bad.length === 0,
			`all ${jobs.length} webhook calls answered 200 with their own audio, byte for byte the file of the task of the call's own text (MIME type, mp3/WAV header)`,
			() =>
				bad
					.slice(0, 5)
					.map(
						(r) =>
							`${r.job.path} text of ${r.job.body.text.length} characters (task ${own.get(r.job)?.id}): HTTP ${r.status} ${r.type} ${r.body.length} bytes (expected ${own.get(r.job)?.bytes?.length}) ${r.status !== 200 ? r.body.toString('utf8').slice(0, 200) : ''}`,
					)
					.join('\n') + (bad.length > 5 ? `\n… and ${bad.length - 5} more` : ''),
		);
		const started = batchLog.filter((r) => r.route === 'polly.start' && r.status === 200).length;
		const pollySizes = new Set(pollyFiles.map((t) => t.bytes?.length));
		check(
			started === BATCH.polly &&
				pollyFiles.length === BATCH.polly &&
				pollySizes.size === BATCH.polly &&
				!pollySizes.has(undefined),
			`the ${BATCH.polly} Polly executions started ${started} tasks and downloaded ${pollyFiles.length} objects the emulator has (${pollySizes.size} different sizes)`,
		);
		const submitted = batchLog.filter(
			(r) => r.route === 'aspose.submit' && r.status === 200,
		).length;
		const lengths = new Set(asposeFiles.map((t) => t.bytes?.length));
		check(
			submitted === BATCH.aspose &&
				asposeIds.length === BATCH.aspose &&
				lengths.size === BATCH.aspose &&
				!lengths.has(undefined),
			`the ${BATCH.aspose} Aspose executions submitted ${submitted} texts and waited for ${asposeIds.length} tasks, whose WAVs the emulator has (${lengths.size} different lengths)`,
		);

		// n8n's own records: 50 successful executions in PostgreSQL, run by both workers.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const rows = await postgres.psql(
			`SELECT status, count(*) FROM execution_entity WHERE "workflowId" IN ('${polly.id}', '${aspose.id}') GROUP BY status ORDER BY status`,
		);
		log(
			`  executions in PostgreSQL by status: ${rows.replace(/\n/g, ', ').replace(/\t/g, ' = ') || 'none'}`,
		);
		check(
			rows === `success\t${jobs.length}`,
			`PostgreSQL holds ${jobs.length} successful executions and nothing else`,
			() => rows,
		);
		const perWorker = workers.map((w) => ({
			name: w.name,
			started: (readSafe(w.service.logFile).match(/Worker started execution/g) ?? []).length,
		}));
		log(`  executions per worker: ${perWorker.map((w) => `${w.name} ${w.started}`).join(', ')}`);
		check(
			perWorker.every((w) => w.started > 0) &&
				perWorker.reduce((sum, w) => sum + w.started, 0) === jobs.length,
			'both workers ran executions, together all of them',
		);
		const mainLog = readSafe(mainService.logFile);
		check(!/Worker started execution/.test(mainLog), 'the main process ran none of them itself');

		const batch = emulator.requests.slice(mark);
		const tokens = batch.filter((r) => r.route === 'aspose.token').length;
		const rejected = batch.filter((r) => r.service === 'aspose' && r.status === 401).length;
		const badSignatures = batch.filter((r) => r.signatureOk === false).length;
		log(
			`  emulator during the batch: ${batch.length} requests, ${tokens} Aspose token fetches, ${rejected} Aspose 401s, ${badSignatures} bad SigV4 signatures`,
		);
		check(badSignatures === 0, 'every AWS request of the batch was correctly signed');
		if (tokens > 1) {
			note(
				`queue mode: ${tokens} Aspose token fetches for ${BATCH.aspose} concurrent executions sharing one credential: each execution that starts while the stored token is still empty runs preAuthentication itself (n8n does not serialise it across executions or workers); harmless, every fetched token is valid`,
			);
		}
	} finally {
		for (const service of services.reverse()) await service.stop();
	}
}
