/** What the Aspose nodes share: the trial switch and its base URL. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ASPOSE_BASE_URL } from '../../credentials/common/aspose/token';
import { readBaseUrl, readBoolean } from './parameters';

export const useTrialProperty: INodeProperties = {
	displayName: 'Use Trial (No Account)',
	name: 'useTrial',
	type: 'boolean',
	default: false,
	description:
		'Whether to use the free trial endpoint, which needs no credential: 10 calls a day per IP address, texts up to 500 characters, and a notice spoken into the audio',
};

export const trialOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { useTrial: [true] } },
	options: [
		{
			displayName: 'Trial Base URL',
			name: 'trialBaseUrl',
			type: 'string',
			default: ASPOSE_BASE_URL,
			description: 'Change only for a proxy or a local emulator',
		},
	],
};

/** Whether the item uses the trial, and then its base URL. */
export function readTrial(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { trial: boolean; trialBaseUrl?: string } {
	const trial = readBoolean(ctx, 'useTrial', 'Use Trial (No Account)', itemIndex, false);
	if (!trial) return { trial };
	const raw = ctx.getNodeParameter('options.trialBaseUrl', itemIndex, ASPOSE_BASE_URL);
	return {
		trial,
		trialBaseUrl: readBaseUrl(raw, 'trialBaseUrl', 'Trial Base URL', ctx.getNode(), itemIndex),
	};
}
