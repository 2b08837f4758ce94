import type { INodeExecutionData } from 'n8n-workflow';

/** The item Continue On Fail puts out in place of a failed one. */
export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	const e = error as { message?: unknown; description?: unknown; httpCode?: unknown };
	return {
		json: {
			error: String(e?.message ?? error),
			...(typeof e?.description === 'string' && e.description ? { description: e.description } : {}),
			...(e?.httpCode ? { httpCode: String(e.httpCode) } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
