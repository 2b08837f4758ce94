import { createHash } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * The idempotency token of one item's start request: the same for every attempt at that item in this
 * execution (n8n's Retry On Fail repeats it), so a repeated request never starts a second task; a new
 * execution starts a new one. 32 hex digits, within the token form AWS takes ([-_a-zA-Z0-9]{2,64}).
 */
export function clientRequestToken(ctx: IExecuteFunctions, itemIndex: number): string {
	const seed = `${ctx.getExecutionId()}|${ctx.getNode().id}|${itemIndex}`;
	return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}
