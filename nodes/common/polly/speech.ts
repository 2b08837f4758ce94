/**
 * SynthesizeSpeech straight into n8n's binary data store: the answer's body is stored as it streams in,
 * in the same formats as a task's output (PCM, µ-law and A-law become WAV; speech marks are NDJSON and
 * parsed into the item).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { pollyAdapter } from '../adapters/polly';
import { storePollyOutput } from '../audio/polly-audio';
import { audioFormat } from '../audio/formats';
import { apiError } from '../errors/node-errors';
import { bodyLength } from '../s3/get-object';
import { header } from '../transport/http';
import { audioContext, openConnection, openStreamOver } from '../transport/connection';
import { synthesizeSpeech } from './operations';
import type { SynthesisRequest } from './synthesis';

/** A few thousand characters take seconds; a minute covers a slow network too. */
const TIME_LIMIT_MS = 60_000;

export async function synthesize(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: SynthesisRequest,
	binaryPropertyName: string,
): Promise<INodeExecutionData> {
	const connection = await openConnection(ctx, pollyAdapter, false);
	const outcome = await openStreamOver(ctx, connection, synthesizeSpeech, request, {
		timeoutMs: TIME_LIMIT_MS,
		peer: { label: 'Polly speech' },
	});
	if (!outcome.ok) throw apiError(ctx.getNode(), outcome.failure, itemIndex);
	const context = {
		...audioContext(ctx, connection, itemIndex, binaryPropertyName, Date.now() + TIME_LIMIT_MS),
		source: 'Polly to receive the speech',
	};
	const characters = Number(header(outcome.headers, 'x-amzn-requestcharacters'));
	const contentType = header(outcome.headers, 'content-type') ?? '';
	// What a task would say about its output, so the audio is stored exactly as Wait Until Complete stores it.
	const described: IDataObject = {
		OutputFormat: request.outputFormat,
		...(request.sampleRate ? { SampleRate: request.sampleRate } : {}),
	};
	const format = audioFormat(request.outputFormat);
	try {
		const audio = await storePollyOutput(
			context,
			{ body: outcome.body, contentLength: bodyLength(outcome.headers), signal: outcome.signal },
			described,
			format,
			`speech.${format.extension}`,
		);
		return {
			json: {
				RequestCharacters: Number.isFinite(characters) ? characters : null,
				ContentType: contentType,
				VoiceId: request.voiceId,
				Engine: request.engine,
				OutputFormat: request.outputFormat,
				...(audio.json ?? {}),
			},
			binary: { [binaryPropertyName]: audio.binary },
			pairedItem: { item: itemIndex },
		};
	} finally {
		outcome.release();
	}
}
