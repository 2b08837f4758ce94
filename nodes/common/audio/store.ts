import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { AudioContext } from '../adapters/types';

export type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** The first candidate that is a safe file name stem (a task ID), else the fallback. */
export function fileStem(candidates: unknown[], fallback: string): string {
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(candidate)) return candidate;
	}
	return fallback;
}

/** Stores audio (Buffer or stream) in n8n's binary data store under the name and type given. */
export async function storeAudio(
	context: AudioContext,
	data: BinaryInput,
	fileName: string,
	format: { mimeType: string; extension: string },
): Promise<IBinaryData> {
	const binary = await context.ctx.helpers.prepareBinaryData(data, fileName, format.mimeType);
	// n8n derives the extension from the MIME type (audio/mpeg → "mpga"): say what the file is.
	binary.fileName = fileName;
	binary.fileExtension = format.extension;
	binary.mimeType = format.mimeType;
	return binary;
}
