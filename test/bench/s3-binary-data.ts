/**
 * n8n's `s3` binary-data mode for a benchmark child process, set up as n8n 2.41.1's
 * `BaseCommand.initBinaryDataService()` does it (`n8n/dist/commands/base-command.js`):
 * `setManager('s3', new BinaryDataBlobManager(new S3ByteStore(objectStoreService), errorReporter))`, then
 * `init()`. Every class is n8n's own and already installed with n8n-core 2.41.1: `BinaryDataBlobManager` from
 * n8n-core, `ObjectStoreService` and `S3ByteStore` from `@n8n/blob-storage` 1.9.1 (the version n8n 2.41.1 ships),
 * configured by n8n's own environment variables (`N8N_EXTERNAL_STORAGE_S3_*`, set by the parent).
 * n8n itself also demands an Enterprise licence for this mode; the storage code does not look at it.
 *
 * What it does with a stream (2.41.1): `S3ByteStore.write` collects the whole stream with `binaryToBuffer`, then
 * `ObjectStoreService.put` sends one PutObject with that Buffer (Content-MD5 computed over it) — no multipart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import {
	BinaryDataBlobManager,
	BinaryDataConfig,
	BinaryDataService,
	ErrorReporter,
} from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { n8nCoreContainer } from '../harness/binary-data';

interface Di {
	Container: { get<T>(type: new (...args: never[]) => T): T };
}

interface ObjectStoreServiceLike {
	init(): Promise<void>;
}

export interface S3BinaryData {
	service: BinaryDataService;
	/** The (unused) folder given to the filesystem manager that init() also sets up; the caller removes it. */
	fsStoragePath: string;
	bytesOf(binary: IBinaryData): Promise<Buffer>;
}

let initialised: S3BinaryData | undefined;

export async function initS3BinaryData(): Promise<S3BinaryData> {
	if (initialised) return initialised;
	// @n8n/blob-storage as n8n-core resolves it, with the @n8n/di copy that package itself uses.
	const blobIndex = require.resolve('@n8n/blob-storage', {
		paths: [dirname(require.resolve('n8n-core'))],
	});
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const blob = require(blobIndex) as {
		S3ByteStore: new (store: ObjectStoreServiceLike) => unknown;
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { ObjectStoreService } = require(
		require.resolve('@n8n/blob-storage/object-store', {
			paths: [dirname(require.resolve('n8n-core'))],
		}),
	) as { ObjectStoreService: new (...args: never[]) => ObjectStoreServiceLike };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Container: blobContainer } = require(
		require.resolve('@n8n/di', { paths: [dirname(blobIndex)] }),
	) as Di;
	const objectStore = blobContainer.get(ObjectStoreService);
	await objectStore.init();

	const container = n8nCoreContainer();
	const config = container.get(BinaryDataConfig);
	config.mode = 's3';
	const fsStoragePath = mkdtempSync(join(tmpdir(), 'speech-tasks-bench-s3-fs-'));
	config.localStoragePath = fsStoragePath;
	const service = container.get(BinaryDataService);
	service.setManager(
		's3',
		new BinaryDataBlobManager(
			new blob.S3ByteStore(objectStore) as never,
			container.get(ErrorReporter),
		) as never,
	);
	await service.init();
	initialised = {
		service,
		fsStoragePath,
		bytesOf: async (binary) => await service.getAsBuffer(binary),
	};
	return initialised;
}
