/**
 * The Polly voice table behind DescribeVoices and every voice / engine / language check of StartSpeechSynthesisTask
 * and SynthesizeSpeech, so that what the emulator lists is exactly what it accepts.
 *
 * Built from the "Available voices" table of the Amazon Polly Developer Guide
 * (https://docs.aws.amazon.com/polly/latest/dg/available-voices.html, mirror
 * https://docs.amazonaws.cn/en_us/polly/latest/dg/available-voices.md), the standard voice list
 * (…/standard-voices.html), the Voice shape docs (…/API_Voice.html: Aditi defaults to en-IN, hi-IN additional)
 * and https://aws.amazon.com/polly/features/ (long-form: Danielle, Gregory, Ruth). Only the 106 VoiceId values of
 * the pinned model (shared/api-models/polly-2016-06-10.service-2.json) are listed; AWS adds voices over time, so
 * treat the engine columns of the newest voices as a close approximation, not a contract.
 */

export type PollyEngine = 'standard' | 'neural' | 'long-form' | 'generative';

export const POLLY_ENGINES: readonly PollyEngine[] = [
	'standard',
	'neural',
	'long-form',
	'generative',
];

/** One entry of DescribeVoices' `Voices`, in the wire shape. */
export interface PollyVoice {
	Gender: 'Female' | 'Male';
	Id: string;
	LanguageCode: string;
	LanguageName: string;
	Name: string;
	AdditionalLanguageCodes?: string[];
	SupportedEngines: PollyEngine[];
}

/** `LanguageName` as DescribeVoices spells it (English names of the language variant). */
export const POLLY_LANGUAGE_NAMES: Readonly<Record<string, string>> = {
	arb: 'Arabic',
	'ar-AE': 'Gulf Arabic',
	'ca-ES': 'Catalan',
	'cmn-CN': 'Chinese Mandarin',
	'cs-CZ': 'Czech',
	'cy-GB': 'Welsh',
	'da-DK': 'Danish',
	'de-AT': 'Austrian German',
	'de-CH': 'Swiss Standard German',
	'de-DE': 'German',
	'en-AU': 'Australian English',
	'en-GB': 'British English',
	'en-GB-WLS': 'Welsh English',
	'en-IE': 'Irish English',
	'en-IN': 'Indian English',
	'en-NZ': 'New Zealand English',
	'en-SG': 'Singaporean English',
	'en-US': 'US English',
	'en-ZA': 'South African English',
	'es-ES': 'Castilian Spanish',
	'es-MX': 'Mexican Spanish',
	'es-US': 'US Spanish',
	'fi-FI': 'Finnish',
	'fr-BE': 'Belgian French',
	'fr-CA': 'Canadian French',
	'fr-FR': 'French',
	'hi-IN': 'Hindi',
	'is-IS': 'Icelandic',
	'it-IT': 'Italian',
	'ja-JP': 'Japanese',
	'ko-KR': 'Korean',
	'nb-NO': 'Norwegian',
	'nl-BE': 'Belgian Dutch',
	'nl-NL': 'Dutch',
	'pl-PL': 'Polish',
	'pt-BR': 'Brazilian Portuguese',
	'pt-PT': 'Portuguese',
	'ro-RO': 'Romanian',
	'ru-RU': 'Russian',
	'sv-SE': 'Swedish',
	'tr-TR': 'Turkish',
	'yue-CN': 'Cantonese',
};

const S = 'standard';
const N = 'neural';
const L = 'long-form';
const G = 'generative';

function voice(
	id: string,
	gender: 'F' | 'M',
	languageCode: string,
	engines: PollyEngine[],
	extra: { name?: string; additional?: string[] } = {},
): PollyVoice {
	const out: PollyVoice = {
		Gender: gender === 'F' ? 'Female' : 'Male',
		Id: id,
		LanguageCode: languageCode,
		LanguageName: POLLY_LANGUAGE_NAMES[languageCode],
		// The display name keeps diacritics (Céline); the Id is its ASCII form.
		Name: extra.name ?? id,
		SupportedEngines: engines,
	};
	if (extra.additional) out.AdditionalLanguageCodes = extra.additional;
	return out;
}

/** Every voice, grouped by language as the developer guide lists them. */
export const POLLY_VOICE_TABLE: readonly PollyVoice[] = [
	voice('Zeina', 'F', 'arb', [S]),
	voice('Hala', 'F', 'ar-AE', [N]),
	voice('Zayd', 'M', 'ar-AE', [N]),
	voice('Lisa', 'F', 'nl-BE', [G, N]),
	voice('Arlet', 'F', 'ca-ES', [N]),
	voice('Jitka', 'F', 'cs-CZ', [N]),
	voice('Hiujin', 'F', 'yue-CN', [N]),
	voice('Zhiyu', 'F', 'cmn-CN', [N, S]),
	voice('Naja', 'F', 'da-DK', [S]),
	voice('Mads', 'M', 'da-DK', [S]),
	voice('Sofie', 'F', 'da-DK', [N]),
	voice('Laura', 'F', 'nl-NL', [G, N]),
	voice('Lotte', 'F', 'nl-NL', [S]),
	voice('Ruben', 'M', 'nl-NL', [S]),
	voice('Nicole', 'F', 'en-AU', [S]),
	voice('Olivia', 'F', 'en-AU', [G, N]),
	voice('Russell', 'M', 'en-AU', [S]),
	voice('Amy', 'F', 'en-GB', [G, N, S]),
	voice('Emma', 'F', 'en-GB', [N, S]),
	voice('Brian', 'M', 'en-GB', [G, N, S]),
	voice('Arthur', 'M', 'en-GB', [N]),
	// Bilingual voices: default language en-IN, Hindi as an additional language (API_Voice.html).
	voice('Aditi', 'F', 'en-IN', [S], { additional: ['hi-IN'] }),
	voice('Raveena', 'F', 'en-IN', [S]),
	voice('Kajal', 'F', 'en-IN', [G, N], { additional: ['hi-IN'] }),
	voice('Niamh', 'F', 'en-IE', [G, N]),
	voice('Aria', 'F', 'en-NZ', [G, N]),
	voice('Jasmine', 'F', 'en-SG', [G, N]),
	voice('Ayanda', 'F', 'en-ZA', [G, N]),
	voice('Danielle', 'F', 'en-US', [G, L, N]),
	voice('Gregory', 'M', 'en-US', [L, N]),
	voice('Ivy', 'F', 'en-US', [N, S]),
	voice('Joanna', 'F', 'en-US', [G, N, S]),
	voice('Kendra', 'F', 'en-US', [N, S]),
	voice('Kimberly', 'F', 'en-US', [N, S]),
	voice('Salli', 'F', 'en-US', [G, N, S]),
	voice('Joey', 'M', 'en-US', [N, S]),
	voice('Justin', 'M', 'en-US', [N, S]),
	voice('Kevin', 'M', 'en-US', [N, S]),
	voice('Matthew', 'M', 'en-US', [G, N, S]),
	voice('Ruth', 'F', 'en-US', [G, L, N]),
	voice('Stephen', 'M', 'en-US', [G, N]),
	voice('Tiffany', 'F', 'en-US', [G]),
	voice('Geraint', 'M', 'en-GB-WLS', [S]),
	voice('Gwyneth', 'F', 'cy-GB', [S]),
	voice('Suvi', 'F', 'fi-FI', [N]),
	voice('Celine', 'F', 'fr-FR', [S], { name: 'Céline' }),
	voice('Lea', 'F', 'fr-FR', [G, N, S], { name: 'Léa' }),
	voice('Mathieu', 'M', 'fr-FR', [S]),
	voice('Remi', 'M', 'fr-FR', [G, N], { name: 'Rémi' }),
	voice('Ambre', 'F', 'fr-FR', [G]),
	voice('Florian', 'M', 'fr-FR', [G]),
	voice('Isabelle', 'F', 'fr-BE', [N]),
	voice('Chantal', 'F', 'fr-CA', [S]),
	voice('Gabrielle', 'F', 'fr-CA', [G, N]),
	voice('Liam', 'M', 'fr-CA', [N]),
	voice('Marlene', 'F', 'de-DE', [S]),
	voice('Vicki', 'F', 'de-DE', [G, N, S]),
	voice('Hans', 'M', 'de-DE', [S]),
	voice('Daniel', 'M', 'de-DE', [G, N]),
	voice('Lennart', 'M', 'de-DE', [G]),
	voice('Hannah', 'F', 'de-AT', [N]),
	voice('Sabrina', 'F', 'de-CH', [G, N]),
	voice('Dora', 'F', 'is-IS', [S], { name: 'Dóra' }),
	voice('Karl', 'M', 'is-IS', [S]),
	voice('Carla', 'F', 'it-IT', [S]),
	voice('Bianca', 'F', 'it-IT', [G, N, S]),
	voice('Giorgio', 'M', 'it-IT', [S]),
	voice('Adriano', 'M', 'it-IT', [N]),
	voice('Beatrice', 'F', 'it-IT', [G]),
	voice('Lorenzo', 'M', 'it-IT', [G]),
	voice('Mizuki', 'F', 'ja-JP', [S]),
	voice('Takumi', 'M', 'ja-JP', [N, S]),
	voice('Kazuha', 'F', 'ja-JP', [N]),
	voice('Tomoko', 'F', 'ja-JP', [N]),
	voice('Seoyeon', 'F', 'ko-KR', [N, S]),
	voice('Jihye', 'F', 'ko-KR', [N]),
	voice('Liv', 'F', 'nb-NO', [S]),
	voice('Ida', 'F', 'nb-NO', [N]),
	voice('Ewa', 'F', 'pl-PL', [S]),
	voice('Maja', 'F', 'pl-PL', [S]),
	voice('Jacek', 'M', 'pl-PL', [S]),
	voice('Jan', 'M', 'pl-PL', [S]),
	voice('Ola', 'F', 'pl-PL', [N]),
	voice('Camila', 'F', 'pt-BR', [N, S]),
	voice('Vitoria', 'F', 'pt-BR', [N, S], { name: 'Vitória' }),
	voice('Ricardo', 'M', 'pt-BR', [S]),
	voice('Thiago', 'M', 'pt-BR', [N]),
	voice('Ines', 'F', 'pt-PT', [G, N, S], { name: 'Inês' }),
	voice('Cristiano', 'M', 'pt-PT', [S]),
	voice('Carmen', 'F', 'ro-RO', [S]),
	voice('Tatyana', 'F', 'ru-RU', [S]),
	voice('Maxim', 'M', 'ru-RU', [S]),
	voice('Conchita', 'F', 'es-ES', [S]),
	voice('Lucia', 'F', 'es-ES', [G, N, S]),
	voice('Enrique', 'M', 'es-ES', [S]),
	voice('Sergio', 'M', 'es-ES', [G, N]),
	voice('Mia', 'F', 'es-MX', [G, N, S]),
	voice('Andres', 'M', 'es-MX', [G, N], { name: 'Andrés' }),
	voice('Lupe', 'F', 'es-US', [G, N, S]),
	voice('Penelope', 'F', 'es-US', [S], { name: 'Penélope' }),
	voice('Miguel', 'M', 'es-US', [S]),
	voice('Pedro', 'M', 'es-US', [G, N]),
	voice('Astrid', 'F', 'sv-SE', [S]),
	voice('Elin', 'F', 'sv-SE', [N]),
	voice('Filiz', 'F', 'tr-TR', [S]),
	voice('Burcu', 'F', 'tr-TR', [N]),
];

const BY_ID = new Map(POLLY_VOICE_TABLE.map((v) => [v.Id, v]));

export function pollyVoice(id: string): PollyVoice | undefined {
	return BY_ID.get(id);
}

export function voiceSupportsEngine(voice: PollyVoice, engine: string): boolean {
	return (voice.SupportedEngines as string[]).includes(engine);
}

/** Whether a voice can synthesize a language: its own, or one of its additional languages (bilingual voices). */
export function voiceSpeaks(voice: PollyVoice, languageCode: string): boolean {
	return (
		voice.LanguageCode === languageCode ||
		(voice.AdditionalLanguageCodes ?? []).includes(languageCode)
	);
}

/**
 * DescribeVoices filtering: `Engine` keeps voices that support it; `LanguageCode` keeps voices of that language and,
 * with `IncludeAdditionalLanguageCodes`, also bilingual voices that list it as an additional language.
 */
export function filterVoices(filter: {
	engine?: string;
	languageCode?: string;
	includeAdditionalLanguageCodes?: boolean;
}): PollyVoice[] {
	return POLLY_VOICE_TABLE.filter((v) => {
		if (filter.engine !== undefined && !voiceSupportsEngine(v, filter.engine)) return false;
		if (filter.languageCode === undefined) return true;
		if (v.LanguageCode === filter.languageCode) return true;
		return (
			filter.includeAdditionalLanguageCodes === true &&
			(v.AdditionalLanguageCodes ?? []).includes(filter.languageCode)
		);
	});
}
