/**
 * The WAV of a completed Aspose text-to-speech task: `results[].data` is base64.
 * The payload is checked strictly before anything is stored, so a truncated or garbled answer never
 * becomes a half-written audio file.
 */
import type { IDataObject } from 'n8n-workflow';

import type { AudioContext, AudioResult, TaskIds } from '../adapters/types';
import { apiError } from '../errors/node-errors';
import { asposeCorruptAudio, asposeNoAudio } from '../errors/wording';
import { fileStem, storeAudio } from './store';
import { isWav, WAV_HEADER_BYTES } from './wav';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface AsposeAudioPayload {
	type: string | null;
	data: string;
}

/** The result entry holding audio: the first `WavFile` entry with data, else the first entry with data. */
export function pickAudioPayload(task: IDataObject): AsposeAudioPayload | undefined {
	const results = Array.isArray(task.results) ? (task.results as unknown[]) : [];
	const withData = results.filter(
		(entry): entry is IDataObject =>
			typeof entry === 'object' &&
			entry !== null &&
			typeof (entry as IDataObject).data === 'string' &&
			((entry as IDataObject).data as string) !== '',
	);
	const wav = withData.find(
		(entry) => typeof entry.type === 'string' && entry.type.toLowerCase() === 'wavfile',
	);
	const chosen = wav ?? withData[0];
	if (!chosen) return undefined;
	return {
		type: typeof chosen.type === 'string' ? chosen.type : null,
		data: chosen.data as string,
	};
}

/** Bytes a base64 string decodes to, from its length alone. */
export function base64DecodedLength(data: string): number {
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	const length = data.length - padding;
	return Math.floor((length * 3) / 4);
}

/**
 * Decodes strict base64 (standard alphabet; `=` padding only at the end and only on a multiple of 4
 * characters; no whitespace) holding a WAV file. Throws an Error saying what is wrong.
 */
export function decodeWavBase64(data: unknown): Buffer {
	if (typeof data !== 'string' || data === '') throw new Error('the audio data is empty');
	if (!BASE64.test(data)) throw new Error('the audio data contains characters that are not base64');
	const padded = data.includes('=');
	if ((padded && data.length % 4 !== 0) || data.length % 4 === 1) {
		throw new Error('the audio data has a base64 length that cannot be decoded');
	}
	const expected = base64DecodedLength(data);
	if (expected < WAV_HEADER_BYTES) {
		throw new Error(`the audio data decodes to ${expected} bytes, too few for a WAV file`);
	}
	const bytes = Buffer.from(data, 'base64');
	if (bytes.length !== expected) throw new Error('the audio data is not valid base64');
	if (!isWav(bytes)) throw new Error('the audio data is not a WAV file (no RIFF/WAVE header)');
	const riffSize = bytes.readUInt32LE(4);
	// 0 and 0xFFFFFFFF mean "unknown length" for streamed WAV writers.
	if (riffSize !== 0 && riffSize !== 0xffffffff && riffSize + 8 > bytes.length) {
		throw new Error(
			`the WAV file is truncated: its header announces ${riffSize + 8} bytes, ${bytes.length} arrived`,
		);
	}
	return bytes;
}

/**
 * Stores the WAV of a completed Aspose task as binary data `<id>.wav`. An empty, non-base64, too short or
 * non-WAV payload is a NodeApiError telling the user to fetch again.
 */
export async function asposeAudio(
	task: IDataObject,
	ids: TaskIds,
	context: AudioContext,
): Promise<AudioResult> {
	const node = context.ctx.getNode();
	const stem = fileStem([task.id, ids.taskId], 'aspose-audio');
	const payload = pickAudioPayload(task);
	if (!payload)
		throw apiError(node, { ...asposeNoAudio(stem), code: 'EmptyAudio' }, context.itemIndex);
	let bytes: Buffer;
	try {
		bytes = decodeWavBase64(payload.data);
	} catch (error) {
		throw apiError(
			node,
			{ ...asposeCorruptAudio((error as Error).message, stem), code: 'CorruptAudio' },
			context.itemIndex,
		);
	}
	return {
		binary: await storeAudio(context, bytes, `${stem}.wav`, {
			mimeType: 'audio/wav',
			extension: 'wav',
		}),
	};
}

/**
 * A copy of the task JSON without the base64 audio: each `results[]` entry keeps `type` (and any other
 * field) and gets `bytes`, the decoded size, instead of `data`. The task itself is not changed.
 */
export function stripAudioPayload(task: IDataObject): IDataObject {
	if (!Array.isArray(task.results)) return { ...task };
	const results = (task.results as unknown[]).map((entry) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
		const { data, ...rest } = entry as IDataObject;
		if (typeof data !== 'string') return { ...(entry as IDataObject) };
		return { ...rest, type: rest.type ?? null, bytes: base64DecodedLength(data) };
	});
	return { ...task, results } as IDataObject;
}
