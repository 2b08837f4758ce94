import type { IExecuteFunctions } from 'n8n-workflow';

import type { AudioContext, Connection } from './adapters/types';
import { send } from './task-client';

export function audioContext(
	ctx: IExecuteFunctions,
	connection: Connection,
	itemIndex: number,
	binaryPropertyName: string,
	deadline: number,
): AudioContext {
	return {
		ctx,
		connection,
		itemIndex,
		binaryPropertyName,
		deadline,
		send: async (options) => await send(ctx, connection, options),
	};
}
