/** Wait Until Complete's panel, derived from the list of services. */
import type {
	INodeCredentialDescription,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { ADAPTERS } from '../common/adapters';
import { offersTrial, serviceNames, servicesUsing } from '../common/adapters/lookup';
import type { CredentialType } from '../common/adapters/types';
import { idProperty, listSearchMethods } from '../common/id-search';

const adapters = ADAPTERS;
const audioServices = adapters.filter((a) => a.audio).map((a) => a.service);
const hasTrial = adapters.filter(offersTrial);
const trialServices = ['auto', ...hasTrial.map((a) => a.service)];

/** "A, B or C". */
function inWords(names: string[]): string {
	return names.length < 2
		? names.join('')
		: `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The task nodes whose output auto-detection recognises, in words. */
export const taskNodes = inWords([...new Set(adapters.flatMap((a) => a.text.taskNodes))]);

const serviceOptions: INodePropertyOptions[] = [
	{
		// n8n's lint (node-param-display-name-miscased) requires "From": its title case lowercases only "in", "of", "by"….
		name: 'Auto-Detect From Input',
		value: 'auto',
		description: `Recognise the task in each input item (the output of ${taskNodes})`,
	},
	// Services alphabetically, after Auto-Detect (the default), as n8n lists options.
	...adapters
		.map((a) => ({
			name: a.text.name,
			value: a.service,
			description: a.text.description,
		}))
		.sort((a, b) => a.name.localeCompare(b.name)),
];

/**
 * Each credential shows for the services that use it, and is optional: n8n takes `required` per node, not
 * per Service, and Auto-Detect needs only the credentials its items use. Planning refuses an item whose
 * credential is not selected, before any request. `hide`, not `show` listing every service: the editor
 * takes a parameter that all credentials are shown by as the authentication switch and hides it, which
 * would hide Service.
 */
export const credentials: INodeCredentialDescription[] = [
	...new Set(adapters.map((a) => a.credential.type)),
].map((type: CredentialType) => {
	const others = serviceNames().filter((service) => !servicesUsing(type).includes(service));
	const trial = hasTrial.some((a) => a.credential.type === type);
	return {
		name: type,
		required: false,
		displayOptions: { hide: { service: others, ...(trial ? { useTrial: [true] } : {}) } },
	};
});

/** One ID parameter per adapter ID, shown for that service, reading the previous node by default. */
const idProperties: INodeProperties[] = adapters.flatMap((adapter) =>
	adapter.ids.map((spec) =>
		idProperty(
			spec,
			{
				displayName: spec.displayName,
				name: spec.name,
				required: true,
				...(spec.example ? { placeholder: `e.g. ${spec.example}` } : {}),
				description: `Must be ${spec.accepted}. By default it is read from the input item.`,
				displayOptions: { show: { service: [adapter.service] } },
			},
			spec.fromPreviousNode,
		),
	),
);

/** The "From List" searches of every service's IDs. */
export const listSearch = listSearchMethods(adapters);

export const properties: INodeProperties[] = [
	{
		displayName: 'Service',
		name: 'service',
		type: 'options',
		noDataExpression: true,
		options: serviceOptions,
		default: 'auto',
	},
	...idProperties,
	{
		displayName: 'Use Aspose Trial (No Account)',
		name: 'useTrial',
		type: 'boolean',
		default: false,
		description:
			'Whether Aspose tasks were submitted to the free trial endpoint, which needs no credential',
		displayOptions: { show: { service: trialServices } },
	},
	{
		displayName: 'Download Audio',
		name: 'downloadAudio',
		type: 'boolean',
		default: true,
		description:
			"Whether to attach the finished audio as binary data (Polly: the task's output file, read from S3 with the same AWS credential; Aspose: the WAV)",
		displayOptions: { show: { service: ['auto', ...audioServices] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the audio in',
		displayOptions: { show: { service: ['auto', ...audioServices], downloadAudio: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Aspose Trial Base URL',
				name: 'trialBaseUrl',
				type: 'string',
				default: 'https://api.aspose.cloud',
				description: 'Change only for a proxy or a local emulator',
				displayOptions: { show: { '/useTrial': [true] } },
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrentRequests',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
				description: 'The most status requests and downloads in flight at once, across all items',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'interval',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'Time between two status checks of a task',
				displayOptions: { show: { strategy: ['fixed'] } },
			},
			{
				displayName: 'Polling Strategy',
				name: 'strategy',
				type: 'options',
				options: [
					{
						name: 'Adaptive',
						value: 'adaptive',
						description:
							'Check at once, then around when the task is expected to finish (learned from the tasks seen finish); 10 or more Polly tasks are read together every 4.5 s',
					},
					{
						name: 'Fixed Interval',
						value: 'fixed',
						description: 'Check every Poll Interval seconds',
					},
				],
				default: 'adaptive',
			},
			{
				displayName: 'Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10000 },
				default: 0,
				description:
					"The most status requests per second, across all items and every execution using the same credential and region. 0 uses the service's documented quota (Polly: 10 per second); set it if AWS raised your account's quota. Throttled answers still slow requests down.",
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 600,
				description:
					'How long to wait for all items together. Tasks still running then go to the Timed Out output.',
			},
		],
	},
];
