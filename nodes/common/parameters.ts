import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode } from 'n8n-workflow';

function refuse(node: INode, itemIndex: number, message: string, description: string) {
	return new NodeOperationError(node, message, {
		itemIndex,
		description: `${description} Nothing was sent to the service.`,
	});
}

/** A switch: an expression must give true or false, not text or a number that merely looks truthy. */
export function readBoolean(
	ctx: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
	fallback: boolean,
): boolean {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (typeof value === 'boolean') return value;
	throw refuse(
		ctx.getNode(),
		itemIndex,
		`The ${displayName} switch is not true or false: ${JSON.stringify(value)?.slice(0, 40)}`,
		`Parameter "${displayName}" (${name}) must be true or false.`,
	);
}

/** One of a fixed set of values (an options parameter, or an expression that should give one). */
export function readChoice<T extends string>(
	node: INode,
	value: unknown,
	allowed: readonly T[],
	name: string,
	displayName: string,
	itemIndex: number,
): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw refuse(
		node,
		itemIndex,
		`The ${displayName} is not one the node knows: ${JSON.stringify(value)?.slice(0, 40)}`,
		`Parameter "${displayName}" (${name}) must be one of ${allowed.join(', ')}.`,
	);
}

/** A base URL the request path is appended to: plain http(s), nothing that would move the path. */
export function readBaseUrl(value: unknown, name: string, displayName: string, node: INode, itemIndex: number): string {
	const fail = (problem: string) =>
		refuse(
			node,
			itemIndex,
			`The ${displayName} ${problem}`,
			`Parameter "${displayName}" (${name}) must be an http(s) URL without user name, query or fragment, such as https://api.aspose.cloud.`,
		);
	if (typeof value !== 'string') throw fail('is not text');
	// Surrounding spaces are forgiven; a line break or other control character is not (header tricks).
	if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
		throw fail('contains a line break or control character');
	}
	const text = value.trim();
	if (text === '') throw fail('is empty');
	if (text.length > 2048) throw fail('is too long');
	if (text.includes(' ')) throw fail('contains spaces');
	if (/[?#]/.test(text)) throw fail('contains a query or fragment');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw fail('is not a URL');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('is not an http(s) URL');
	if (url.username || url.password) throw fail('contains a user name or password');
	return text.replace(/\/+$/, '');
}
