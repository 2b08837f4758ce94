/** Private Redis and PostgreSQL servers on loopback (Debian's packages), for n8n's queue mode. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { type Service, freePort, runChecked, runCommand, startService, waitFor } from './processes';
import { timing } from './report';

/** Sends PING over RESP and expects +PONG. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		socket.setTimeout(2000);
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => {
			answer += data.toString();
			if (answer.includes('\r\n')) {
				socket.end();
				resolve(answer.startsWith('+PONG'));
			}
		});
		socket.on('error', () => resolve(false));
		socket.on('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

export interface Redis {
	port: number;
	service: Service;
}

/** redis-server on 127.0.0.1 with no persistence (no RDB snapshots, no AOF). */
export async function startRedis(redisServer: string, logDir: string): Promise<Redis> {
	const started = Date.now();
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-redis-'));
	const service = startService(
		'redis-server',
		redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--dir',
			dir,
			'--protected-mode',
			'yes',
		],
		path.join(logDir, 'redis-server.log'),
		{ stopSignal: 'SIGTERM' },
	);
	const stop = service.stop.bind(service);
	service.stop = async (grace) => {
		await stop(grace);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	await waitFor('redis-server', () => redisPing(port), 30000, service);
	timing('redis-server start (no persistence)', Date.now() - started);
	return { port, service };
}

export interface Postgres {
	port: number;
	user: string;
	database: string;
	service: Service;
	psql(sql: string): Promise<string>;
}

function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb and postgres refuse root). */
function asPostgres(bin: string, args: string[]): [string, string[]] {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

/** A throw-away cluster (trust auth on loopback, no fsync) with one database. */
export async function startPostgres(
	binDir: string,
	logDir: string,
	database: string,
): Promise<Postgres> {
	const started = Date.now();
	// The `postgres` user must reach the data and socket folder: /tmp, not a $TMPDIR under /root.
	const root = fs.mkdtempSync(
		path.join(isRoot() && fs.existsSync('/tmp') ? '/tmp' : os.tmpdir(), 'n8n-e2e-pg-'),
	);
	fs.chmodSync(root, 0o755);
	const dataDir = path.join(root, 'data');
	if (isRoot()) {
		const uid = Number((await runChecked('id', ['-u', 'postgres'])).stdout.trim());
		const gid = Number((await runChecked('id', ['-g', 'postgres'])).stdout.trim());
		fs.chownSync(root, uid, gid);
	}
	const user = 'postgres';
	const [initCmd, initArgs] = asPostgres(path.join(binDir, 'initdb'), [
		'-D',
		dataDir,
		'-A',
		'trust',
		'-U',
		user,
		'-E',
		'UTF8',
		'--no-sync',
		'--no-instructions',
	]);
	await runChecked(initCmd, initArgs, {
		timeoutMs: 120000,
		logFile: path.join(logDir, 'postgres-initdb.log'),
	});
	const port = await freePort();
	const [cmd, args] = asPostgres(path.join(binDir, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		root,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	]);
	const [stopCmd, stopArgs] = asPostgres(path.join(binDir, 'pg_ctl'), [
		'-D',
		dataDir,
		'-m',
		'fast',
		'-w',
		'-t',
		'30',
		'stop',
	]);
	const service = startService('postgres', cmd, args, path.join(logDir, 'postgres.log'), {
		stopSignal: 'SIGINT',
		beforeStop: async () => {
			await runCommand(stopCmd, stopArgs, { timeoutMs: 40000 });
		},
	});
	const stop = service.stop.bind(service);
	service.stop = async (grace) => {
		await stop(grace);
		fs.rmSync(root, { recursive: true, force: true });
	};
	const isReady = path.join(binDir, 'pg_isready');
	await waitFor(
		'postgres',
		async () =>
			(await runCommand(isReady, ['-h', '127.0.0.1', '-p', String(port)], { timeoutMs: 5000 }))
				.code === 0,
		60000,
		service,
	);
	await runChecked(
		path.join(binDir, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', user, database],
		{ timeoutMs: 30000 },
	);
	timing('PostgreSQL initdb + start + createdb', Date.now() - started);
	const psqlBin = fs.existsSync(path.join(binDir, 'psql')) ? path.join(binDir, 'psql') : 'psql';
	return {
		port,
		user,
		database,
		service,
		async psql(sql: string) {
			const result = await runChecked(
				psqlBin,
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(port),
					'-U',
					user,
					'-d',
					database,
					'-At',
					'-F',
					'\t',
					'-c',
					sql,
				],
				{ timeoutMs: 30000 },
			);
			return result.stdout.trim();
		},
	};
}
