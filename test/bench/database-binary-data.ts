/**
 * n8n's `database` binary-data mode for a benchmark child process, set up the way n8n 2.41.1 sets it up at
 * start-up, with n8n's own code: the `DatabaseManager` class of the `n8n` package
 * (`n8n/dist/binary-data/database.manager.js`; `packages/cli/src/binary-data/database.manager.ts` in n8n's
 * repository), on a real database opened and migrated by n8n's `DbConnection` from `@n8n/db`, handed to
 * n8n-core's `BinaryDataService` with `setManager('database', …)` before `init()` — as
 * `BaseCommand.initBinaryDataService()` does (`n8n/dist/commands/base-command.js`).
 *
 * Neither the manager nor `@n8n/db` is part of n8n-core or of this package's dependencies: they come from the
 * `n8n` package installed by `npm run test:n8n` (test/n8n/toolchain.ts, in a cache folder outside
 * node_modules). They are loaded from there with their own copies of `@n8n/di` and n8n-core; the node itself runs
 * in this package's n8n-core 2.41.1, the same version, whose `BinaryDataService` gets n8n's manager plugged in.
 *
 * What n8n's DatabaseManager does with a stream (2.41.1): `binaryToBuffer(stream)` — the whole file in memory —,
 * a size check against `N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE` (MiB, default 512, at most 1024), then one
 * `INSERT` of the Buffer into the `binary_data` table through TypeORM and the database driver.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { n8nCoreContainer } from '../harness/binary-data';

/** Where the n8n install is and which database the child opens (set in the child's environment too). */
export interface DatabaseTarget {
	/** Folder of the n8n install (its node_modules holds n8n, @n8n/db, @n8n/di). */
	n8nDir: string;
	/** n8n's DB_TYPE. */
	type: 'sqlite' | 'postgresdb';
}

interface N8nDi {
	Container: { get<T>(type: new (...args: never[]) => T): T };
}

interface DbConnectionLike {
	init(): Promise<void>;
	migrate(): Promise<void>;
	close(): Promise<void>;
	options: { type: string };
}

interface DatabaseManagerLike {
	store(...args: unknown[]): Promise<{ fileId: string; fileSize: number }>;
	getAsBuffer(fileId: string): Promise<Buffer>;
	getMetadata(fileId: string): Promise<{ fileSize: number; fileName?: string; mimeType?: string }>;
}

export interface DatabaseBinaryData {
	/** TypeORM driver type n8n chose (`sqlite-pooled` or `postgres`). */
	driver: string;
	/** n8n's `N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE` as n8n read it (MiB). */
	maxFileSizeMb: number;
	service: BinaryDataService;
	/** The (unused) folder given to the filesystem manager that init() also sets up; the caller removes it. */
	fsStoragePath: string;
	/** The stored bytes, read back from the database through n8n's manager. */
	bytesOf(binary: IBinaryData): Promise<Buffer>;
	/** The row's file_size as n8n's manager reports it. */
	storedSizeOf(binary: IBinaryData): Promise<number>;
	close(): Promise<void>;
}

let initialised: DatabaseBinaryData | undefined;

export async function initDatabaseBinaryData(target: DatabaseTarget): Promise<DatabaseBinaryData> {
	if (initialised) return initialised;
	// Resolve from the n8n package itself, so that @n8n/db, @n8n/di and typeorm are the copies n8n uses.
	const n8nRequire = createRequire(join(target.n8nDir, 'node_modules', 'n8n', 'package.json'));
	const { Container: n8nContainer } = n8nRequire('@n8n/di') as N8nDi;
	const db = n8nRequire('@n8n/db') as { DbConnection: new (...args: never[]) => DbConnectionLike };
	const { DatabaseManager } = n8nRequire(
		join(target.n8nDir, 'node_modules', 'n8n', 'dist', 'binary-data', 'database.manager.js'),
	) as { DatabaseManager: new (...args: never[]) => DatabaseManagerLike };
	const n8nCore = n8nRequire('n8n-core') as {
		BinaryDataConfig: new (...args: never[]) => { dbMaxFileSize: number };
	};

	// As n8n's BaseCommand.init(): DbConnection.init(), then migrate().
	const connection = n8nContainer.get(db.DbConnection);
	await connection.init();
	await connection.migrate();
	const manager = n8nContainer.get(DatabaseManager);

	// As BaseCommand.initBinaryDataService(): setManager('database', Container.get(DatabaseManager)), init().
	const container = n8nCoreContainer();
	const config = container.get(BinaryDataConfig);
	config.mode = 'database';
	// init() also sets up the filesystem manager (as in n8n); give it a folder of its own.
	const fsStoragePath = mkdtempSync(join(tmpdir(), 'speech-tasks-bench-db-fs-'));
	config.localStoragePath = fsStoragePath;
	const service = container.get(BinaryDataService);
	service.setManager('database', manager as never);
	await service.init();

	const fileIdOf = (binary: IBinaryData) => {
		const [mode, fileId] = String(binary.id ?? '').split(':');
		if (mode !== 'database' || !fileId)
			throw new Error(`binary.id is ${String(binary.id)}, not a database id`);
		return fileId;
	};
	initialised = {
		driver: connection.options.type,
		maxFileSizeMb: n8nContainer.get(n8nCore.BinaryDataConfig).dbMaxFileSize,
		service,
		fsStoragePath,
		bytesOf: async (binary) => await manager.getAsBuffer(fileIdOf(binary)),
		storedSizeOf: async (binary) => (await manager.getMetadata(fileIdOf(binary))).fileSize,
		close: async () => await connection.close(),
	};
	return initialised;
}
