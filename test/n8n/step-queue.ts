/**
 * Step 3: n8n's distributed engine. Redis and PostgreSQL (Debian's packages) on loopback, one `n8n start`
 * main and two `n8n worker` processes (EXECUTIONS_MODE=queue), each with its own user folder and the
 * package installed, as separate hosts would have. 50 webhook calls at once start 50 executions of
 * Wait Until Complete (25 Polly, 25 Aspose with client credentials); each call answers with the audio.
 *
 * Why PostgreSQL: n8n 2.41 warns "Scaling mode is not officially supported with sqlite" and keeps binary
 * data in the database in queue mode (BinaryDataConfig: mode = 'database' when EXECUTIONS_MODE=queue);
 * three processes writing one SQLite file under load is the unsupported case, so the run uses what n8n
 * documents for queue mode.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Emulator } from '../emulator';
import { MIME, asposeWav, audioKind, pollyObjectBytes } from './audio';
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
	emulator: Emulator;
	outDir: string;
	/** `.n8n/nodes` of a user folder that has the package installed (copied to each process's folder). */
	installedNodesDir: string;
}

export async function queueStep(ctx: QueueContext): Promise<void> {
	const { tools, system, emulator, outDir } = ctx;
	if (!system.redisServer) throw new ImpossibleStep(`no Redis: ${system.missing['redis-server']}`);
	if (!system.postgresBin) throw new ImpossibleStep(`no PostgreSQL: ${system.missing.postgresql}`);
	const root = path.join(outDir, 'queue');
	const logDir = path.join(root, 'logs');
	fs.mkdirSync(logDir, { recursive: true });
	const services: Service[] = [];
	try {
		const postgres = await startPostgres(system.postgresBin, logDir, 'n8n');
		services.push(postgres.service);
		const redis = await startRedis(system.redisServer, logDir);
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
		const polly = webhookWorkflow(
			readExample('polly-task-to-audio.json'),
			'e2eQueuePolly001',
			'e2e-polly',
			NODE_TYPES.getPolly,
			{
				taskId: '={{ $json.body.taskId }}',
			},
		);
		const aspose = webhookWorkflow(
			readExample('aspose-authenticated-to-audio.json'),
			'e2eQueueAspose01',
			'e2e-aspose',
			NODE_TYPES.fetchAspose,
			{
				taskId: '={{ $json.body.taskId }}',
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

		// 50 tasks, created together, then 50 webhook calls at once.
		const jobs: Array<{
			kind: 'mp3' | 'wav';
			path: string;
			taskId: string;
			expected: () => number | undefined;
			exact?: () => Buffer | undefined;
		}> = [];
		for (let i = 0; i < BATCH.polly; i++) {
			const task = emulator.createPollyTask(
				{
					Text: `Queue mode item ${i + 1}: the package keeps no state between executions.`,
					OutputFormat: 'mp3',
					OutputS3BucketName: emulator.resources.buckets[0],
					VoiceId: 'Joanna',
				},
				{ durationMs: QUEUE_TASK_MS },
			);
			const taskId = String(task.TaskId);
			jobs.push({
				kind: 'mp3',
				path: 'e2e-polly',
				taskId,
				expected: () => pollyObjectBytes(emulator, taskId),
			});
		}
		for (let i = 0; i < BATCH.aspose; i++) {
			const id = emulator.createAsposeTask(`Queue mode Aspose item ${i + 1}.`, {
				durationMs: QUEUE_TASK_MS,
			});
			jobs.push({
				kind: 'wav',
				path: 'e2e-aspose',
				taskId: id,
				expected: () => asposeWav(emulator, id, false)?.length,
				exact: () => asposeWav(emulator, id, false),
			});
		}
		const mark = emulator.requests.length;
		log(
			`firing ${jobs.length} webhook calls at once (${BATCH.polly} Polly, ${BATCH.aspose} Aspose; tasks run ${QUEUE_TASK_MS / 1000} s) …`,
		);
		const fired = Date.now();
		const responses = await Promise.all(
			jobs.map(async (job) => {
				const t0 = Date.now();
				try {
					const response = await fetch(`${base}/webhook/${job.path}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ taskId: job.taskId }),
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

		const bad = responses.filter((r) => {
			const expected = r.job.expected();
			const exact = r.job.exact?.();
			return (
				r.status !== 200 ||
				!r.type.startsWith(MIME[r.job.kind]) ||
				r.body.length !== expected ||
				audioKind(r.body) !== r.job.kind ||
				(exact !== undefined && !exact.equals(r.body))
			);
		});
		check(
			bad.length === 0,
			`all ${jobs.length} webhook calls answered 200 with their own audio (MIME type, size as served by the emulator, mp3/WAV header; Aspose WAVs byte for byte)`,
			() =>
				bad
					.slice(0, 5)
					.map(
						(r) =>
							`${r.job.path} ${r.job.taskId}: HTTP ${r.status} ${r.type} ${r.body.length} bytes (expected ${r.job.expected()}) ${r.status !== 200 ? r.body.toString('utf8').slice(0, 200) : ''}`,
					)
					.join('\n') + (bad.length > 5 ? `\n… and ${bad.length - 5} more` : ''),
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
