import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { adaptivePolicy, fixedPolicy } from '../common/polling/policy';
import type { PollingPolicy } from '../common/polling/policy';
import { parameterError } from '../common/errors/node-errors';
import { optionDiffers } from '../common/errors/wording';
import { readBaseUrl, readChoice, readNumber } from '../common/parameters';

export interface WaitSettings {
	timeoutMs: number;
	policy: PollingPolicy;
	/** The Poll Interval of the fixed strategy: items read by one listing are checked together at it. */
	gridMs?: number;
	maxConcurrentRequests: number;
	/** Status requests per second for every item together; 0: the service's documented quota. */
	requestsPerSecond: number;
	trialBaseUrl?: string;
}

/**
 * An option's value, which must be the same for every item: the options shape one wait for all items
 * together, so an expression that gives items different values would be silently ignored otherwise.
 */
function nodeWide(ctx: IExecuteFunctions, name: string, displayName: string, fallback: unknown) {
	const path = `options.${name}`;
	const first = ctx.getNodeParameter(path, 0, fallback) as unknown;
	const count = ctx.getInputData().length;
	for (let itemIndex = 1; itemIndex < count; itemIndex++) {
		const value = ctx.getNodeParameter(path, itemIndex, fallback) as unknown;
		if (JSON.stringify(value) !== JSON.stringify(first)) {
			throw parameterError(
				ctx.getNode(),
				optionDiffers(displayName, name, first, value, itemIndex),
				itemIndex,
			);
		}
	}
	return first;
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
		nodeWide(ctx, name, displayName, fallback),
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
	const requestsPerSecond = numberOption(
		ctx,
		'requestsPerSecond',
		'Requests per Second',
		0,
		[0, 10000],
	);
	const strategy = readChoice(
		ctx.getNode(),
		nodeWide(ctx, 'strategy', 'Polling Strategy', 'adaptive'),
		['adaptive', 'fixed'] as const,
		'strategy',
		'Polling Strategy',
		0,
	);
	const intervalMs =
		strategy === 'fixed'
			? numberOption(ctx, 'interval', 'Poll Interval (Seconds)', 5, [0.1, 3600]) * 1000
			: undefined;
	const policy = intervalMs !== undefined ? fixedPolicy(intervalMs) : adaptivePolicy();
	// Set or not set: an empty value must be refused, not mistaken for the default.
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const trialBaseUrl =
		'trialBaseUrl' in options
			? readBaseUrl(
					nodeWide(ctx, 'trialBaseUrl', 'Aspose Trial Base URL', options.trialBaseUrl),
					'trialBaseUrl',
					'Aspose Trial Base URL',
					ctx.getNode(),
					0,
				)
			: undefined;
	return {
		timeoutMs: timeout * 1000,
		policy,
		gridMs: intervalMs,
		maxConcurrentRequests,
		requestsPerSecond,
		trialBaseUrl,
	};
}
