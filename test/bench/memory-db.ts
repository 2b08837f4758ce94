/**
 * The database binary-data cases of the memory benchmark, parent side: where n8n's own database manager comes
 * from and which databases it writes to.
 *
 * n8n-core (a devDependency) has no database manager: `DatabaseManager` lives in the `n8n` package
 * (`dist/binary-data/database.manager.js`) and needs `@n8n/db` (TypeORM entities, migrations, the
 * `BinaryDataRepository`). Neither may be added to this package's dependencies, and n8n ≥ 2.36 needs Node 24,
 * so the benchmark reuses the n8n 2.41.1 install of `npm run test:n8n` (test/n8n/toolchain.ts: Node 24 and n8n
 * from the npm registry in a cache folder outside node_modules; installed on first use, ≈ 10 min cold).
 *
 * - PostgreSQL (queue mode's database; database mode is queue mode's default binary-data mode): Debian's
 *   server (as test:n8n uses it), a throw-away cluster on loopback. n8n's Postgres driver (`pg`) is plain
 *   JavaScript, so this child runs on the same Node as the other cases.
 * - SQLite (n8n's default database; database mode must be chosen explicitly in regular mode): the child runs on
 *   the cached Node 24, because the install's `sqlite3` native module is built for Node 24 (it crashes Node 20).
 *
 * `BENCH_MEMORY_DB=postgres,sqlite` (default) picks the databases; `none` skips both.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { ensureToolchain } from '../n8n/toolchain';
import { startPostgres, type Postgres } from '../n8n/services';
import type { DatabaseTarget } from './database-binary-data';

export type DatabaseKind = 'postgres' | 'sqlite';

export interface DatabaseCase {
	kind: DatabaseKind;
	label: string;
	/** The Node binary the child runs on. */
	execPath: string;
	/** Node version of that binary (for the table). */
	nodeVersion: string;
	target: DatabaseTarget;
	/** Environment for the child (DB_* variables). */
	env(sizeMb: number): NodeJS.ProcessEnv;
}

export interface DatabaseCases {
	cases: DatabaseCase[];
	/** Why a database is not measured, if it is not. */
	skipped: string[];
	stop(): Promise<void>;
}

function wanted(): DatabaseKind[] {
	const raw = (process.env.BENCH_MEMORY_DB ?? 'postgres,sqlite').trim().toLowerCase();
	if (raw === '' || raw === 'none' || raw === '0') return [];
	return raw
		.split(',')
		.map((s) => s.trim())
		.filter((s): s is DatabaseKind => s === 'postgres' || s === 'sqlite');
}

function findPostgresBin(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) =>
			['postgres', 'initdb', 'createdb', 'pg_isready'].every((bin) =>
				fs.existsSync(path.join(base, v, 'bin', bin)),
			),
		)
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

export async function prepareDatabaseCases(): Promise<DatabaseCases> {
	const kinds = wanted();
	const skipped: string[] = [];
	const cases: DatabaseCase[] = [];
	const cleanups: Array<() => Promise<void>> = [];
	const stop = async () => {
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
	};
	if (kinds.length === 0)
		return { cases, skipped: ['database mode: skipped (BENCH_MEMORY_DB=none)'], stop };

	let tools: Awaited<ReturnType<typeof ensureToolchain>>;
	try {
		tools = await ensureToolchain();
	} catch (error) {
		skipped.push(
			`database mode: not measured, n8n 2.41.1 (which holds the database manager) could not be installed: ${(error as Error).message.split('\n')[0]}`,
		);
		return { cases, skipped, stop };
	}
	const n8nDir = tools.n8nDir;
	const work = fs.mkdtempSync(path.join(tmpdir(), 'speech-tasks-bench-db-'));
	cleanups.push(async () => fs.rmSync(work, { recursive: true, force: true }));
	const common: NodeJS.ProcessEnv = {
		// n8n's own default, stated so that the table says what was measured.
		N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE:
			process.env.N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE ?? '512',
		DB_LOGGING_ENABLED: 'false',
	};

	if (kinds.includes('postgres')) {
		const bin = findPostgresBin();
		if (!bin) {
			skipped.push(
				'database mode on PostgreSQL: not measured, no PostgreSQL server in /usr/lib/postgresql (npm run test:n8n installs Debian’s postgresql when run as root)',
			);
		} else {
			let postgres: Postgres | undefined;
			try {
				const logDir = path.join(work, 'postgres-logs');
				fs.mkdirSync(logDir, { recursive: true });
				postgres = await startPostgres(bin, logDir, 'n8n_bench');
				const pg = postgres;
				cleanups.push(async () => await pg.service.stop());
				cases.push({
					kind: 'postgres',
					label: `database binary data (PostgreSQL ${path.basename(path.dirname(bin))})`,
					execPath: process.execPath,
					nodeVersion: process.version,
					target: { n8nDir, type: 'postgresdb' },
					env: () => ({
						...common,
						DB_TYPE: 'postgresdb',
						DB_POSTGRESDB_HOST: '127.0.0.1',
						DB_POSTGRESDB_PORT: String(pg.port),
						DB_POSTGRESDB_DATABASE: pg.database,
						DB_POSTGRESDB_USER: pg.user,
						DB_POSTGRESDB_PASSWORD: '',
					}),
				});
			} catch (error) {
				skipped.push(
					`database mode on PostgreSQL: not measured, the server did not start: ${(error as Error).message.split('\n')[0]}`,
				);
			}
		}
	}

	if (kinds.includes('sqlite')) {
		cases.push({
			kind: 'sqlite',
			label: 'database binary data (SQLite, Node 24)',
			execPath: tools.nodeBin,
			nodeVersion: `v${tools.nodeBin.match(/node-v([\d.]+)/)?.[1] ?? '24'}`,
			target: { n8nDir, type: 'sqlite' },
			// One fresh database file per child, migrated by n8n in the child's warm-up.
			env: (sizeMb) => ({
				...common,
				DB_TYPE: 'sqlite',
				DB_SQLITE_DATABASE: path.join(work, `bench-${sizeMb}mb-${Date.now()}.sqlite`),
			}),
		});
	}
	return { cases, skipped, stop };
}
