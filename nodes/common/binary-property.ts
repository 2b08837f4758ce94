import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

/** Reads the output binary property name; it must be a plain, non-empty name. */
export function readBinaryPropertyName(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data');
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) {
		throw new NodeOperationError(ctx.getNode(), 'The Put Output File in Field name is not usable', {
			itemIndex,
			description:
				'Parameter "Put Output File in Field" (binaryPropertyName) must be 1 to 100 letters, digits, ".", "-" or "_", such as data.',
		});
	}
	return name;
}
