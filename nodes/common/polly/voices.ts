/** The Voice and Language dropdowns, loaded from DescribeVoices in the credential's region. */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { pollyAdapter } from '../adapters/polly';
import { apiError } from '../errors/node-errors';
import { callOver, openConnection } from '../transport/connection';
import { REQUEST_TIMEOUT_MS } from '../transport/request';
import { describeVoices } from './operations';
import type { VoicesInput } from './operations';

/** Polly lists about a hundred voices; more pages than this would be an answer that never ends. */
const MAX_PAGES = 20;

function textOf(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

async function voicesFor(ctx: ILoadOptionsFunctions, filter: VoicesInput): Promise<IDataObject[]> {
	const connection = await openConnection(ctx, pollyAdapter, false);
	const voices: IDataObject[] = [];
	let nextToken: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const outcome = await callOver(
			ctx,
			connection,
			describeVoices,
			{ ...filter, nextToken },
			{ timeoutMs: REQUEST_TIMEOUT_MS, peer: { label: 'Polly voice list' } },
		);
		if (!outcome.ok) throw apiError(ctx.getNode(), outcome.failure, 0);
		voices.push(...(outcome.value.Voices as IDataObject[]));
		nextToken = textOf(outcome.value.NextToken);
		if (!nextToken) break;
	}
	return voices;
}

/** The editor's current Engine and Language (Language sits in Additional Fields). */
function currentFilter(ctx: ILoadOptionsFunctions): VoicesInput {
	const engine = textOf(ctx.getCurrentNodeParameter('engine'));
	const fields = (ctx.getCurrentNodeParameter('additionalFields') ?? {}) as IDataObject;
	const language = textOf(fields.languageCode);
	// An expression cannot be resolved here: list every voice of the engine instead.
	const usable = (value?: string) => (value && !value.startsWith('=') ? value : undefined);
	return { engine: usable(engine), languageCode: usable(language) };
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** "Joanna (Female, English, US)" with the voice's languages and engines as the description. */
export async function getVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const voices = await voicesFor(this, currentFilter(this));
	const seen = new Set<string>();
	const options: INodePropertyOptions[] = [];
	for (const voice of voices) {
		const id = String(voice.Id);
		if (seen.has(id)) continue;
		seen.add(id);
		const also = Array.isArray(voice.AdditionalLanguageCodes)
			? voice.AdditionalLanguageCodes.map(String)
			: [];
		const engines = Array.isArray(voice.SupportedEngines) ? voice.SupportedEngines.map(String) : [];
		const details = [textOf(voice.Gender), textOf(voice.LanguageName)].filter(Boolean).join(', ');
		options.push({
			name: `${textOf(voice.Name) ?? id}${details ? ` (${details})` : ''}`,
			value: id,
			description: [
				[textOf(voice.LanguageCode), ...also].filter(Boolean).join(', '),
				engines.length ? `engines: ${engines.join(', ')}` : '',
			]
				.filter(Boolean)
				.join('; '),
		});
	}
	return options.sort(byName);
}

/** Every language the engine's voices speak, bilingual voices' second languages included. */
export async function getLanguages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { engine } = currentFilter(this);
	const voices = await voicesFor(this, { engine });
	const names = new Map<string, string>();
	for (const voice of voices) {
		const code = textOf(voice.LanguageCode);
		if (code) names.set(code, textOf(voice.LanguageName) ?? names.get(code) ?? code);
		const also = Array.isArray(voice.AdditionalLanguageCodes) ? voice.AdditionalLanguageCodes : [];
		for (const other of also.map(String)) if (!names.has(other)) names.set(other, other);
	}
	const languages = [...names].map(([code, name]) => ({
		name: name === code ? code : `${name} (${code})`,
		value: code,
	}));
	return languages.sort(byName);
}
