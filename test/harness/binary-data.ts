/**
 * n8n's filesystem binary-data mode for the harness, initialised the way n8n 2.41 does it at start-up
 * (`Container.get(BinaryDataService).init()` after `BinaryDataConfig` is read): with it, `prepareBinaryData`
 * streams into files under `<storagePath>/workflows/<workflowId>/executions/<executionId>/binary_data/` and
 * output items carry `binary.id` ("filesystem-v2:<fileId>") instead of base64 `data`. Without it, n8n-core
 * keeps binary data in memory (base64 in the item).
 *
 * n8n-core resolves its services from its own copy of `@n8n/di` (node_modules/n8n-core/node_modules/@n8n/di,
 * not the hoisted one): the container must be taken from there, or n8n-core never sees the initialised service.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

interface DiContainer {
	get<T>(type: new (...args: never[]) => T): T;
}

/** The DI container n8n-core itself uses. */
export function n8nCoreContainer(): DiContainer {
	const diPath = require.resolve('@n8n/di', { paths: [dirname(require.resolve('n8n-core'))] });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require(diPath) as { Container: DiContainer }).Container;
}

export interface FilesystemBinaryData {
	storagePath: string;
	service: BinaryDataService;
	/** Absolute path of a stored binary (throws for in-memory binary data). */
	pathOf(binary: IBinaryData): string;
	/** The stored bytes of a binary, whichever mode stored it. */
	bufferOf(binary: IBinaryData): Promise<Buffer>;
}

let initialised: FilesystemBinaryData | undefined;

/** Switches this process's n8n-core to filesystem binary data under `storagePath` (a new temp dir by default). */
export async function initFilesystemBinaryData(
	storagePath = mkdtempSync(join(tmpdir(), 'speech-tasks-binary-data-')),
): Promise<FilesystemBinaryData> {
	if (initialised) {
		if (initialised.storagePath !== storagePath) {
			throw new Error(
				`filesystem binary data is already initialised at ${initialised.storagePath}`,
			);
		}
		return initialised;
	}
	const container = n8nCoreContainer();
	const config = container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = storagePath;
	const service = container.get(BinaryDataService);
	await service.init();
	initialised = {
		storagePath,
		service,
		pathOf(binary) {
			if (!binary.id)
				throw new Error('this binary data is held in memory, not in the filesystem store');
			return service.getPath(binary.id);
		},
		bufferOf: async (binary) => await service.getAsBuffer(binary),
	};
	return initialised;
}
