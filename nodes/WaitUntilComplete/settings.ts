import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { adaptivePolicy, fixedPolicy } from '../common/polling/policy';
import type { PollingPolicy } from '../common/polling/policy';
import { readBaseUrl, readChoice, readNumber } from '../common/parameters';

export interface WaitSettings {
	timeoutMs: number;
	policy: PollingPolicy;
	maxConcurrentRequests: number;
	trialBaseUrl?: string;
}

function numberOption(
	ctx: IExecuteFunctions,
	name: string,
	displayName: string,
	fallback: number,
	range: [number, number],
): number {
	return readNumber(
		ctx.getNode(),
		ctx.getNodeParameter(`options.${name}`, 0, fallback),
		name,
		displayName,
		range,
		0,
	);
}

/** Node-wide settings: one deadline and one request budget for all items. */
export function readWaitSettings(ctx: IExecuteFunctions): WaitSettings {
	const timeout = numberOption(ctx, 'timeout', 'Timeout (Seconds)', 600, [0.1, 86400]);
	const maxConcurrentRequests = Math.floor(
		numberOption(ctx, 'maxConcurrentRequests', 'Max Concurrent Requests', 10, [1, 100]),
	);
	const strategy = readChoice(
		ctx.getNode(),
		ctx.getNodeParameter('options.strategy', 0, 'adaptive'),
		['adaptive', 'fixed'] as const,
		'strategy',
		'Polling Strategy',
		0,
	);
	const policy =
		strategy === 'fixed'
			? fixedPolicy(numberOption(ctx, 'interval', 'Poll Interval (Seconds)', 5, [0.1, 3600]) * 1000)
			: adaptivePolicy();
	// Set or not set: an empty value must be refused, not mistaken for the default.
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const trialBaseUrl =
		'trialBaseUrl' in options
			? readBaseUrl(options.trialBaseUrl, 'trialBaseUrl', 'Aspose Trial Base URL', ctx.getNode(), 0)
			: undefined;
	return {
		timeoutMs: timeout * 1000,
		policy,
		maxConcurrentRequests,
		trialBaseUrl,
	};
}
