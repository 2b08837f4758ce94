/**
 * The finished audio of a Polly synthesis task, downloaded from S3 into n8n's binary data store.
 *
 * mp3 / ogg and unknown formats are streamed straight through. pcm, mulaw and alaw are headerless samples:
 * they get a WAV header (length from Content-Length) prepended while streaming, or are buffered when the
 * length is unknown. Speech marks (`json`) are small: buffered, parsed into `json.speechMarks`, and kept
 * as an NDJSON file.
 */
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import type { AudioContext, AudioResult, TaskIds } from '../adapters/types';
import { apiError } from '../errors/node-errors';
import {
	downloadTimedOut,
	malformedSpeechMarks,
	missingOutputUri,
	refusedOutputUri,
} from '../errors/wording';
import { downloadFailure, getPollyObject } from '../s3/get-object';
import type { S3Object } from '../s3/get-object';
import { resolveDownloadTarget } from '../s3/output-uri';
import type { DownloadTarget } from '../s3/output-uri';
import { audioFormat, formatFromKey } from './formats';
import type { AudioFormat, WavWrapping } from './formats';
import { fileStem, storeAudio } from './store';
import type { BinaryInput } from './store';
import { isWav, WAV_MAX_DATA_BYTES, wavHeader } from './wav';
import { BodyProblem, collectBody, isAsyncIterable, toBuffer } from '../transport/body';

/** Speech marks larger than this are refused rather than parsed into the item JSON. */
export const SPEECH_MARKS_LIMIT = 32 * 1024 * 1024;

interface StreamConstructor {
	from(iterable: AsyncIterable<Buffer>, options?: { objectMode?: boolean }): unknown;
}

/** The stream class of the body (Node's Readable), to build a new stream without importing `node:stream`. */
function streamClassOf(body: unknown): StreamConstructor | undefined {
	if (!isAsyncIterable(body)) return undefined;
	const ctor = (body as { constructor?: unknown }).constructor as
		| Partial<StreamConstructor>
		| undefined;
	return typeof ctor?.from === 'function' ? (ctor as StreamConstructor) : undefined;
}

/** Samples of unknown length held back this far, to give the WAV its exact length if the file ends. */
export const WAV_HOLD_BYTES = 16 * 1024 * 1024;

/**
 * Yields a WAV header for `dataBytes` of samples, then the body, then the RIFF pad byte when the length is
 * odd. A body that already starts with RIFF/WAVE passes unchanged. Fails the stream when the body ends
 * short of, or runs past, the announced length, so no WAV with a lying header is ever stored. When the
 * length is not known, up to `holdBytes` are held back: a file that ends by then gets its exact length,
 * a longer one the streaming header ("length unknown"), so memory stays bounded either way.
 */
export async function* wrapAsWav(
	body: AsyncIterable<unknown>,
	wrapping: WavWrapping,
	sampleRate: number,
	dataBytes: number | undefined,
	holdBytes = WAV_HOLD_BYTES,
): AsyncGenerator<Buffer> {
	const iterator = body[Symbol.asyncIterator]();
	let done = false;
	const next = async (): Promise<Buffer | undefined> => {
		const step = await iterator.next();
		if (step.done) {
			done = true;
			return undefined;
		}
		return toBuffer(step.value);
	};
	try {
		let prefix = Buffer.alloc(0);
		while (prefix.length < 12 && !done) {
			const chunk = await next();
			if (chunk) prefix = Buffer.concat([prefix, chunk]);
		}
		if (isWav(prefix)) {
			yield prefix;
			for (let chunk = await next(); chunk; chunk = await next()) yield chunk;
			return;
		}
		if (dataBytes === undefined) {
			const held: Buffer[] = [prefix];
			let total = prefix.length;
			while (!done && total <= holdBytes) {
				const chunk = await next();
				if (chunk) {
					held.push(chunk);
					total += chunk.length;
				}
			}
			const length = done ? total : undefined;
			const spec = {
				sampleRate,
				channels: 1,
				bitsPerSample: wrapping.bitsPerSample,
				format: wrapping.format,
			};
			yield wavHeader({ ...spec, dataBytes: length });
			yield* held.filter((chunk) => chunk.length > 0);
			for (let chunk = done ? undefined : await next(); chunk; chunk = await next()) yield chunk;
			if (length !== undefined && length % 2 === 1) yield Buffer.alloc(1);
			return;
		}
		yield wavHeader({
			sampleRate,
			channels: 1,
			bitsPerSample: wrapping.bitsPerSample,
			dataBytes,
			format: wrapping.format,
		});
		let seen = 0;
		for (let chunk: Buffer | undefined = prefix; chunk; chunk = done ? undefined : await next()) {
			seen += chunk.length;
			if (seen > dataBytes)
				throw new BodyProblem('LengthMismatch', 'S3 sent more bytes than it announced');
			if (chunk.length > 0) yield chunk;
		}
		if (seen < dataBytes) {
			throw new BodyProblem(
				'TruncatedDownload',
				`the download ended after ${seen} of ${dataBytes} bytes`,
			);
		}
		if (dataBytes % 2 === 1) yield Buffer.alloc(1);
	} finally {
		// Stopped early (a failure, or the consumer gave up): release the response stream.
		if (!done) await iterator.return?.();
	}
}

/** A complete WAV file around headerless samples in memory (or the bytes unchanged if already WAV). */
export function wavFile(data: Buffer, wrapping: WavWrapping, sampleRate: number): Buffer {
	if (isWav(data)) return data;
	const header = wavHeader({
		sampleRate,
		channels: 1,
		bitsPerSample: wrapping.bitsPerSample,
		dataBytes: data.length,
		format: wrapping.format,
	});
	return Buffer.concat(data.length % 2 === 1 ? [header, data, Buffer.alloc(1)] : [header, data]);
}

/** The task's SampleRate when it is a plausible whole number of Hz, else the format's default. */
export function sampleRateOf(task: IDataObject, wrapping: WavWrapping): number {
	const raw = task.SampleRate;
	const rate =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)
				? Number(raw)
				: NaN;
	return Number.isInteger(rate) && rate >= 1000 && rate <= 384000
		? rate
		: wrapping.defaultSampleRate;
}

/** One JSON object per line; blank lines skipped. Throws an Error naming the first bad line. */
export function parseSpeechMarks(text: string): IDataObject[] {
	const marks: IDataObject[] = [];
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	lines.forEach((line, index) => {
		if (line.trim() === '') return;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			value = undefined;
		}
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			throw new Error(`line ${index + 1} is not a JSON object`);
		}
		marks.push(value as IDataObject);
	});
	return marks;
}

function formatOf(task: IDataObject, target: DownloadTarget): AudioFormat {
	const declared =
		typeof task.OutputFormat === 'string' && task.OutputFormat.trim() !== ''
			? task.OutputFormat
			: undefined;
	return audioFormat(declared ?? formatFromKey(target.key));
}

async function wavBinary(
	context: AudioContext,
	body: unknown,
	length: number | undefined,
	task: IDataObject,
	format: AudioFormat & { wav: WavWrapping },
	fileName: string,
): Promise<IBinaryData> {
	const sampleRate = sampleRateOf(task, format.wav);
	const Stream = streamClassOf(body);
	if (Stream) {
		// Content-Length is trusted until the bytes disagree (a server that compressed what we asked
		// for uncompressed, and the client inflated): then the WAV header says "length unknown".
		const known = length !== undefined && length <= WAV_MAX_DATA_BYTES && !context.lengthUnreliable;
		const wrapped = Stream.from(
			wrapAsWav(body as AsyncIterable<unknown>, format.wav, sampleRate, known ? length : undefined),
			{
				objectMode: false,
			},
		);
		return await storeAudio(context, wrapped as BinaryInput, fileName, format);
	}
	const data = await collectBody(body, WAV_MAX_DATA_BYTES);
	return await storeAudio(context, wavFile(data, format.wav, sampleRate), fileName, format);
}

/** Runs download I/O; stream and connection failures become NodeApiErrors (see `downloadFailure`). */
async function io<T>(
	context: AudioContext,
	work: () => Promise<T>,
	deadline?: AbortSignal,
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (deadline?.aborted) {
			throw apiError(
				context.ctx.getNode(),
				{ ...downloadTimedOut, code: 'DownloadTimedOut' },
				context.itemIndex,
			);
		}
		if ((error as { code?: unknown }).code === 'LengthMismatch') context.lengthUnreliable = true;
		throw downloadFailure(
			context.ctx.getNode(),
			error,
			context.itemIndex,
			context.credentials,
			context.source,
		);
	}
}

async function speechMarksResult(
	context: AudioContext,
	body: unknown,
	format: AudioFormat,
	fileName: string,
	deadline: AbortSignal,
): Promise<AudioResult> {
	const data = await io(context, async () => await collectBody(body, SPEECH_MARKS_LIMIT), deadline);
	let speechMarks: IDataObject[];
	try {
		speechMarks = parseSpeechMarks(data.toString('utf8'));
	} catch (error) {
		const explanation = malformedSpeechMarks((error as Error).message);
		throw apiError(
			context.ctx.getNode(),
			{ ...explanation, code: 'MalformedSpeechMarks' },
			context.itemIndex,
		);
	}
	const binary = await io(
		context,
		async () => await storeAudio(context, data, fileName, format),
		deadline,
	);
	return { binary, json: { speechMarks } };
}

/**
 * Downloads the output of a completed Polly task (task.OutputUri) with the item's AWS credential and
 * stores it as binary data named `<TaskId>.<ext>`. Speech marks also come back parsed in
 * `json.speechMarks`. Errors are NodeApiErrors; retryable ones carry `retryable: true` (see get-object.ts).
 */
export async function pollyAudio(
	task: IDataObject,
	ids: TaskIds,
	context: AudioContext,
): Promise<AudioResult> {
	const node = context.ctx.getNode();
	const { itemIndex } = context;
	const uri = task.OutputUri;
	if (typeof uri !== 'string' || uri.trim() === '') {
		throw apiError(node, { ...missingOutputUri, code: 'MissingOutputUri' }, itemIndex);
	}
	let target: DownloadTarget;
	try {
		target = resolveDownloadTarget(uri, context.credentials ?? {});
	} catch (error) {
		throw apiError(
			node,
			{ ...refusedOutputUri((error as Error).message), code: 'UnsafeOutputUri' },
			itemIndex,
		);
	}

	const format = formatOf(task, target);
	const fileName = `${fileStem([task.TaskId, ids.taskId], 'polly-output')}.${format.extension}`;
	const object = await getPollyObject(context, target, format.outputFormat);
	try {
		return await storePollyOutput(context, object, task, format, fileName);
	} finally {
		object.release();
	}
}

/** Stores an open audio body (an S3 object, or SynthesizeSpeech's answer) in the task's format. */
export async function storePollyOutput(
	context: AudioContext,
	object: Pick<S3Object, 'body' | 'contentLength' | 'signal'>,
	task: IDataObject,
	format: AudioFormat,
	fileName: string,
): Promise<AudioResult> {
	if (format.speechMarks) {
		return await speechMarksResult(context, object.body, format, fileName, object.signal);
	}
	if (format.wav) {
		const wavFormat = format as AudioFormat & { wav: WavWrapping };
		const { body, contentLength } = object;
		return {
			binary: await io(
				context,
				async () => await wavBinary(context, body, contentLength, task, wavFormat, fileName),
				object.signal,
			),
		};
	}
	const body = object.body;
	return {
		binary: await io(
			context,
			async () => {
				const data = isAsyncIterable(body) ? body : await collectBody(body);
				return await storeAudio(context, data as BinaryInput, fileName, format);
			},
			object.signal,
		),
	};
}
