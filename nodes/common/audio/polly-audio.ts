/**
 * The finished audio of a Polly synthesis task, downloaded from S3 into n8n's binary data store.
 *
 * mp3 / ogg and unknown formats are streamed straight through. pcm, mulaw and alaw are headerless samples:
 * they get a WAV header (length from Content-Length) prepended while streaming, or are buffered when the
 * length is unknown. Speech marks (`json`) are small: buffered, parsed into `json.speechMarks`, and kept
 * as an NDJSON file.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import type { AudioContext, AudioResult, TaskIds } from '../adapters/types';
import { apiError } from '../errors/node-errors';
import { downloadFailure, getPollyObject } from '../s3/get-object';
import { resolveDownloadTarget } from '../s3/output-uri';
import type { DownloadTarget } from '../s3/output-uri';
import { audioFormat, formatFromKey } from './formats';
import type { AudioFormat, WavWrapping } from './formats';
import { isWav, WAV_MAX_DATA_BYTES, wavHeader } from './wav';

/** Speech marks larger than this are refused rather than parsed into the item JSON. */
export const SPEECH_MARKS_LIMIT = 32 * 1024 * 1024;

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

interface StreamConstructor {
	from(iterable: AsyncIterable<Buffer>, options?: { objectMode?: boolean }): unknown;
}

/** An error of ours raised inside a stream, read back by `downloadFailure` through its `code`. */
class StreamProblem extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

function toBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	return Buffer.from(String(chunk), 'utf8');
}

/** Reads a whole body into memory; refuses more than `limit` bytes. */
export async function collectBody(body: unknown, limit = Number.MAX_SAFE_INTEGER): Promise<Buffer> {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body) || body instanceof Uint8Array || typeof body === 'string') {
		const buffer = toBuffer(body);
		if (buffer.length > limit) throw new StreamProblem('TooLarge', `the file is larger than ${limit} bytes`);
		return buffer;
	}
	if (!isAsyncIterable(body)) throw new StreamProblem('UnreadableBody', 'the response body is not readable');
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of body) {
		const buffer = toBuffer(chunk);
		total += buffer.length;
		if (total > limit) throw new StreamProblem('TooLarge', `the file is larger than ${limit} bytes`);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks, total);
}

/** The stream class of the body (Node's Readable), to build a new stream without importing `node:stream`. */
function streamClassOf(body: unknown): StreamConstructor | undefined {
	if (!isAsyncIterable(body)) return undefined;
	const ctor = (body as { constructor?: unknown }).constructor as Partial<StreamConstructor> | undefined;
	return typeof ctor?.from === 'function' ? (ctor as StreamConstructor) : undefined;
}

/**
 * Yields a WAV header for `dataBytes` of samples, then the body, then the RIFF pad byte when the length is
 * odd. A body that already starts with RIFF/WAVE passes unchanged. Fails the stream when the body ends
 * short of, or runs past, the announced length, so no WAV with a lying header is ever stored.
 */
export async function* wrapAsWav(
	body: AsyncIterable<unknown>,
	wrapping: WavWrapping,
	sampleRate: number,
	dataBytes: number,
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
			if (seen > dataBytes) throw new StreamProblem('LengthMismatch', 'S3 sent more bytes than it announced');
			if (chunk.length > 0) yield chunk;
		}
		if (seen < dataBytes) {
			throw new StreamProblem('TruncatedDownload', `the download ended after ${seen} of ${dataBytes} bytes`);
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
	const rate = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
	return Number.isInteger(rate) && rate >= 1000 && rate <= 384000 ? rate : wrapping.defaultSampleRate;
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

function fileStem(task: IDataObject, ids: TaskIds): string {
	for (const candidate of [task.TaskId, ids.taskId]) {
		if (typeof candidate === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(candidate)) return candidate;
	}
	return 'polly-output';
}

function formatOf(task: IDataObject, target: DownloadTarget): AudioFormat {
	const declared = typeof task.OutputFormat === 'string' && task.OutputFormat.trim() !== '' ? task.OutputFormat : undefined;
	return audioFormat(declared ?? formatFromKey(target.key));
}

async function store(
	context: AudioContext,
	data: BinaryInput,
	fileName: string,
	format: AudioFormat,
): Promise<IBinaryData> {
	const binary = await context.ctx.helpers.prepareBinaryData(data, fileName, format.mimeType);
	// n8n derives the extension from the MIME type (audio/mpeg → "mpga"): say what the file is.
	binary.fileName = fileName;
	binary.fileExtension = format.extension;
	binary.mimeType = format.mimeType;
	return binary;
}

function refused(node: INode, reason: string, itemIndex: number) {
	return apiError(
		node,
		{
			message: 'Refused to download the Polly output',
			description: `${reason.replace(/^Refused the Polly output location: /, '')}. The audio is only downloaded from an Amazon S3 endpoint of the credential's partition or from the custom S3 endpoint set in the AWS (SigV4) credential; check the task's OutputUri.`,
		},
		{ code: 'UnsafeOutputUri' },
		itemIndex,
	);
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
	if (Stream && length !== undefined && length <= WAV_MAX_DATA_BYTES) {
		const wrapped = Stream.from(wrapAsWav(body as AsyncIterable<unknown>, format.wav, sampleRate, length), {
			objectMode: false,
		});
		return await store(context, wrapped as BinaryInput, fileName, format);
	}
	const data = await collectBody(body, WAV_MAX_DATA_BYTES);
	return await store(context, wavFile(data, format.wav, sampleRate), fileName, format);
}

/** Runs download I/O; stream and connection failures become NodeApiErrors (see `downloadFailure`). */
async function io<T>(context: AudioContext, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw downloadFailure(context.ctx.getNode(), error, context.itemIndex);
	}
}

async function speechMarksResult(
	context: AudioContext,
	body: unknown,
	format: AudioFormat,
	fileName: string,
): Promise<AudioResult> {
	const data = await io(context, async () => await collectBody(body, SPEECH_MARKS_LIMIT));
	let speechMarks: IDataObject[];
	try {
		speechMarks = parseSpeechMarks(data.toString('utf8'));
	} catch (error) {
		throw apiError(
			context.ctx.getNode(),
			{
				message: 'The Polly speech marks file is malformed',
				description: `The file Polly wrote is not newline-delimited JSON (${(error as Error).message}). Start the synthesis task again; if it persists, check that nothing else writes to the output bucket.`,
			},
			{ code: 'MalformedSpeechMarks' },
			context.itemIndex,
		);
	}
	const binary = await io(context, async () => await store(context, data, fileName, format));
	return { binary, json: { speechMarks } };
}

/**
 * Downloads the output of a completed Polly task (task.OutputUri) with the item's AWS credential and
 * stores it as binary data named `<TaskId>.<ext>`. Speech marks also come back parsed in
 * `json.speechMarks`. Errors are NodeApiErrors; retryable ones carry `retryable: true` (see get-object.ts).
 */
export async function pollyAudio(task: IDataObject, ids: TaskIds, context: AudioContext): Promise<AudioResult> {
	const node = context.ctx.getNode();
	const { itemIndex } = context;
	const uri = task.OutputUri;
	if (typeof uri !== 'string' || uri.trim() === '') {
		throw apiError(
			node,
			{
				message: 'The Polly task names no output file',
				description:
					'The completed task has no OutputUri, so there is no audio to download. Check that the task was started with an OutputS3BucketName.',
			},
			{ code: 'MissingOutputUri' },
			itemIndex,
		);
	}
	let target: DownloadTarget;
	try {
		target = resolveDownloadTarget(uri, context.connection.credentials ?? {});
	} catch (error) {
		throw refused(node, (error as Error).message, itemIndex);
	}

	const format = formatOf(task, target);
	const fileName = `${fileStem(task, ids)}.${format.extension}`;
	const object = await getPollyObject(context, target, format.outputFormat);

	if (format.speechMarks) return await speechMarksResult(context, object.body, format, fileName);
	if (format.wav) {
		const wavFormat = format as AudioFormat & { wav: WavWrapping };
		const { body, contentLength } = object;
		return { binary: await io(context, async () => await wavBinary(context, body, contentLength, task, wavFormat, fileName)) };
	}
	const body = object.body;
	return {
		binary: await io(context, async () => {
			const data = isAsyncIterable(body) ? body : await collectBody(body);
			return await store(context, data as BinaryInput, fileName, format);
		}),
	};
}
