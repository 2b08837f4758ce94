/**
 * The Polly operations that start work: StartSpeechSynthesisTask, SynthesizeSpeech, and DescribeVoices
 * for the voice list. The status and list reads live with the task adapter (`../adapters/polly.ts`).
 */
import type { IDataObject } from 'n8n-workflow';

import { NOT_FOUND_HINT } from '../adapters/polly';
import { taskAt } from '../adapters/answer';
import type { Operation } from '../adapters/types';
import { awsErrorReader } from '../errors/readers';
import { pollyStartRate, pollySynthesizeRate } from '../rate/quotas';
import type { SynthesisRequest } from './synthesis';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The request body Polly takes: only the fields that are set. */
function bodyOf(request: SynthesisRequest, withTaskFields: boolean): IDataObject {
	const body: IDataObject = {
		Engine: request.engine,
		OutputFormat: request.outputFormat,
		Text: request.text,
		TextType: request.textType,
		VoiceId: request.voiceId,
	};
	if (request.languageCode) body.LanguageCode = request.languageCode;
	if (request.lexiconNames.length) body.LexiconNames = request.lexiconNames;
	if (request.sampleRate) body.SampleRate = request.sampleRate;
	if (request.speechMarkTypes.length) body.SpeechMarkTypes = request.speechMarkTypes;
	if (withTaskFields) {
		body.OutputS3BucketName = request.outputS3BucketName;
		if (request.outputS3KeyPrefix) body.OutputS3KeyPrefix = request.outputS3KeyPrefix;
		if (request.snsTopicArn) body.SnsTopicArn = request.snsTopicArn;
	}
	return body;
}

/** StartSpeechSynthesisTask: the answer's SynthesisTask, as GetSpeechSynthesisTask gives it. */
export const startSynthesisTask: Operation<SynthesisRequest> = {
	method: 'POST',
	path: () => '/v1/synthesisTasks',
	headers: () => JSON_HEADERS,
	body: (request) => bodyOf(request, true),
	read: (body) => taskAt(body, 'SynthesisTask', 'TaskStatus'),
	error: awsErrorReader({
		label: 'Polly synthesis task',
		notFoundHint: NOT_FOUND_HINT,
		action: 'polly:StartSpeechSynthesisTask',
	}),
	rate: (request) => pollyStartRate(request.engine),
};

/** SynthesizeSpeech: the audio comes back as the answer's body, handed on unread. */
export const synthesizeSpeech: Operation<SynthesisRequest> = {
	method: 'POST',
	path: () => '/v1/speech',
	headers: () => JSON_HEADERS,
	body: (request) => bodyOf(request, false),
	answer: 'stream',
	read: () => undefined,
	error: awsErrorReader({
		label: 'Polly speech',
		notFoundHint: 'Check the voice, the language code and the lexicon names.',
		action: 'polly:SynthesizeSpeech',
	}),
	rate: (request) => pollySynthesizeRate(request.engine),
};

export interface VoicesInput {
	engine?: string;
	languageCode?: string;
	nextToken?: string;
}

const isVoice = (value: unknown): value is IDataObject =>
	value !== null &&
	typeof value === 'object' &&
	!Array.isArray(value) &&
	typeof (value as IDataObject).Id === 'string';

/** DescribeVoices: one page of voices, bilingual voices included for their second language. */
export const describeVoices: Operation<VoicesInput> = {
	method: 'GET',
	path: () => '/v1/voices',
	query: ({ engine, languageCode, nextToken }) => ({
		...(engine ? { Engine: engine } : {}),
		...(languageCode ? { LanguageCode: languageCode, IncludeAdditionalLanguageCodes: 'true' } : {}),
		...(nextToken ? { NextToken: nextToken } : {}),
	}),
	read: (body) => {
		const voices = body.Voices ?? [];
		if (!Array.isArray(voices)) return undefined;
		const next = body.NextToken;
		return {
			Voices: voices.filter(isVoice),
			...(typeof next === 'string' && next ? { NextToken: next } : {}),
		};
	},
	error: awsErrorReader({
		label: 'Polly voice list',
		notFoundHint: "Check the credential's region: Polly may not be offered there.",
		action: 'polly:DescribeVoices',
	}),
};
