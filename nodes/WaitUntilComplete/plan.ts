import type { IExecuteFunctions } from 'n8n-workflow';

import { adapterOf, detectTask, offersTrial, serviceNames } from '../common/adapters/lookup';
import type { TaskAdapter, TaskIds } from '../common/adapters/types';
import { parameterError } from '../common/errors/node-errors';
import { credentialMissing, taskNotRecognised } from '../common/errors/wording';
import { checkIds, readIds } from '../common/ids';
import { readBinaryPropertyName, readBoolean, readChoice } from '../common/parameters';
import { openConnection } from '../common/transport/connection';
import type { Connection } from '../common/transport/connection';
import { taskNodes } from './description';

/** One input item's task, validated and ready to poll. */
export interface Job {
	itemIndex: number;
	adapter: TaskAdapter;
	ids: TaskIds;
	trial: boolean;
	connection: Connection;
	/** Output binary field, or undefined when no audio is wanted. */
	binaryPropertyName?: string;
}

function pickTask(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { adapter: TaskAdapter; ids: TaskIds } {
	const service = readChoice(
		ctx.getNode(),
		ctx.getNodeParameter('service', itemIndex),
		['auto', ...serviceNames()],
		'service',
		'Service',
		itemIndex,
	);
	const chosen = adapterOf(service);
	if (chosen) return { adapter: chosen, ids: readIds(ctx, chosen.ids, itemIndex) };
	const found = detectTask(ctx.getInputData()[itemIndex]?.json ?? {});
	if (!found) throw parameterError(ctx.getNode(), taskNotRecognised(taskNodes), itemIndex);
	return {
		adapter: found.adapter,
		ids: checkIds(found.ids, found.adapter.ids, ctx.getNode(), itemIndex),
	};
}

async function connect(
	ctx: IExecuteFunctions,
	adapter: TaskAdapter,
	trial: boolean,
	trialBaseUrl: string | undefined,
	itemIndex: number,
): Promise<Connection> {
	try {
		return await openConnection(ctx, adapter, trial, trialBaseUrl);
	} catch (error) {
		const { type } = adapter.credential;
		const explanation = credentialMissing(
			adapter.text.label,
			type,
			offersTrial(adapter),
			(error as Error).message,
		);
		throw parameterError(ctx.getNode(), explanation, itemIndex);
	}
}

/** Reads and checks everything an item needs before the first request. */
export async function planJob(
	ctx: IExecuteFunctions,
	itemIndex: number,
	trialBaseUrl: string | undefined,
	connections: Map<string, Promise<Connection>>,
): Promise<Job> {
	const { adapter, ids } = pickTask(ctx, itemIndex);
	const trial =
		offersTrial(adapter) &&
		readBoolean(ctx, 'useTrial', 'Use Aspose Trial (No Account)', itemIndex, false);
	const wantsAudio =
		adapter.audio !== undefined &&
		readBoolean(ctx, 'downloadAudio', 'Download Audio', itemIndex, true);
	const binaryPropertyName = wantsAudio ? readBinaryPropertyName(ctx, itemIndex) : undefined;

	const key = `${adapter.service}|${trial}`;
	let connection = connections.get(key);
	if (!connection) {
		connection = connect(ctx, adapter, trial, trialBaseUrl, itemIndex);
		connections.set(key, connection);
		connection.catch(() => connections.delete(key));
	}
	return { itemIndex, adapter, ids, trial, connection: await connection, binaryPropertyName };
}
