/** The panel of Start Polly Synthesis Task and Synthesize Polly Speech: what to say, and how. */
import type { INodeProperties } from 'n8n-workflow';

import { LIMITS } from './synthesis';

const thousands = (n: number) => n.toLocaleString('en-US');

function textProperty(kind: keyof typeof LIMITS): INodeProperties {
	return {
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. Your order has shipped and will arrive on Tuesday.',
		description: `The text to speak, plain or SSML: at most ${thousands(LIMITS[kind].billed)} billed characters (SSML tags are not billed)`,
	};
}

const textTypeProperty: INodeProperties = {
	displayName: 'Text Type',
	name: 'textType',
	type: 'options',
	options: [
		{ name: 'Plain Text', value: 'text' },
		{
			name: 'SSML',
			value: 'ssml',
			description: 'Speech Synthesis Markup Language, wrapped in &lt;speak&gt;…&lt;/speak&gt;',
		},
	],
	default: 'text',
};

const engineProperty: INodeProperties = {
	displayName: 'Engine',
	name: 'engine',
	type: 'options',
	options: [
		{ name: 'Generative', value: 'generative', description: 'The most human-like voices' },
		{
			name: 'Long-Form',
			value: 'long-form',
			description: 'Voices for long texts such as articles',
		},
		{ name: 'Neural', value: 'neural', description: 'Natural voices for most uses' },
		{ name: 'Standard', value: 'standard', description: 'The classic voices, at the lowest price' },
	],
	default: 'neural',
	description: 'Each voice supports some engines: the Voice list shows the voices of this engine',
};

const voiceProperty: INodeProperties = {
	displayName: 'Voice Name or ID',
	name: 'voiceId',
	type: 'options',
	typeOptions: {
		loadOptionsMethod: 'getVoices',
		loadOptionsDependsOn: ['engine', 'additionalFields.languageCode'],
	},
	required: true,
	default: 'Joanna',
	description:
		'The voice that speaks. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const outputFormatProperty: INodeProperties = {
	displayName: 'Output Format',
	name: 'outputFormat',
	type: 'options',
	options: [
		{ name: 'A-Law (WAV)', value: 'alaw', description: '8 kHz telephone audio, as a WAV file' },
		{ name: 'MP3', value: 'mp3' },
		{ name: 'Mu-Law (WAV)', value: 'mulaw', description: '8 kHz telephone audio, as a WAV file' },
		{ name: 'Ogg Opus', value: 'ogg_opus' },
		{ name: 'Ogg Vorbis', value: 'ogg_vorbis' },
		{ name: 'PCM (WAV)', value: 'pcm', description: '16-bit samples, as a WAV file' },
		{
			name: 'Speech Marks (JSON)',
			value: 'json',
			description: 'When each word, sentence or mouth shape is spoken, instead of audio',
		},
	],
	default: 'mp3',
};

const bucketProperty: INodeProperties = {
	displayName: 'S3 Bucket Name',
	name: 'outputS3BucketName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. my-polly-output',
	description:
		'The S3 bucket Polly writes the audio to. Wait Until Complete downloads it from there with the same credential.',
};

function additionalFields(kind: keyof typeof LIMITS): INodeProperties {
	const taskFields: INodeProperties[] = [
		{
			displayName: 'S3 Key Prefix',
			name: 'outputS3KeyPrefix',
			type: 'string',
			default: '',
			placeholder: 'e.g. audio/2026/',
			description:
				'Put before the file name: Polly names the file &lt;prefix&gt;.&lt;task ID&gt;.&lt;extension&gt;',
		},
		{
			displayName: 'SNS Topic ARN',
			name: 'snsTopicArn',
			type: 'string',
			default: '',
			placeholder: 'e.g. arn:aws:sns:us-east-1:111122223333:polly-done',
			description: 'An SNS topic Polly notifies when the task ends',
		},
	];
	const common: INodeProperties[] = [
		{
			displayName: 'Language Name or ID',
			name: 'languageCode',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getLanguages', loadOptionsDependsOn: ['engine'] },
			default: '',
			description:
				'For bilingual voices such as Aditi (English and Hindi): the language to speak. Also narrows the Voice list. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Lexicon Names',
			name: 'lexiconNames',
			type: 'string',
			default: '',
			placeholder: 'e.g. W3C,Acronyms',
			description: 'Up to 5 pronunciation lexicons stored in Polly, separated by commas',
		},
		{
			displayName: 'Sample Rate',
			name: 'sampleRate',
			type: 'options',
			options: [
				{ name: '8,000 Hz', value: '8000' },
				{ name: '16,000 Hz', value: '16000' },
				{ name: '22,050 Hz', value: '22050' },
				{ name: '24,000 Hz', value: '24000' },
				...(kind === 'speech' ? [{ name: '44,100 Hz', value: '44100' }] : []),
				{ name: '48,000 Hz', value: '48000' },
				{ name: "Polly's Default", value: '' },
			],
			default: '',
			description: `MP3 and Ogg Vorbis: 8,000 to ${kind === 'speech' ? '48,000' : '24,000'} Hz. PCM: 8,000 or 16,000 Hz. Ogg Opus: 48,000 Hz. µ-law and A-law: 8,000 Hz.`,
		},
		{
			displayName: 'Speech Mark Types',
			name: 'speechMarkTypes',
			type: 'multiOptions',
			options: [
				{ name: 'Sentence', value: 'sentence' },
				{ name: 'SSML', value: 'ssml', description: 'Marks placed with &lt;mark&gt; in SSML' },
				{ name: 'Viseme', value: 'viseme', description: 'Mouth shapes, for animation' },
				{ name: 'Word', value: 'word' },
			],
			default: [],
			description: 'Only with Output Format Speech Marks (JSON): which marks to return',
		},
	];
	const fields = kind === 'task' ? [...common, ...taskFields] : common;
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: fields.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The parameters in panel order; the task adds where the audio goes. */
export function synthesisProperties(kind: keyof typeof LIMITS): INodeProperties[] {
	return [
		textProperty(kind),
		textTypeProperty,
		engineProperty,
		voiceProperty,
		outputFormatProperty,
		...(kind === 'task' ? [bucketProperty] : []),
		additionalFields(kind),
	];
}
