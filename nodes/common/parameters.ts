/** Reading node parameters that are not task IDs; every refusal happens before any request. */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { parameterError } from './errors/node-errors';
import {
	badBaseUrl,
	badBinaryPropertyName,
	badChoice,
	badOption,
	badParameter,
	badSwitch,
} from './errors/wording';
import { hasControlCharacter } from './text';

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
	throw parameterError(ctx.getNode(), badSwitch(displayName, name, value), itemIndex);
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
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw parameterError(node, badChoice(displayName, name, value, allowed), itemIndex);
}

/** A number within a range; text that holds a number is accepted. */
export function readNumber(
	node: INode,
	raw: unknown,
	name: string,
	displayName: string,
	range: [number, number],
	itemIndex: number,
): number {
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value === 'number' && Number.isFinite(value) && value >= range[0] && value <= range[1])
		return value;
	throw parameterError(node, badOption(displayName, name, raw, range), itemIndex);
}

/** A base URL the request path is appended to: plain http(s), nothing that would move the path. */
export function readBaseUrl(
	value: unknown,
	name: string,
	displayName: string,
	node: INode,
	itemIndex: number,
): string {
	const fail = (problem: string) =>
		parameterError(node, badBaseUrl(displayName, name, problem), itemIndex);
	if (typeof value !== 'string') throw fail('is not text');
	// Surrounding spaces are forgiven; a line break or other control character is not (header tricks).
	if (hasControlCharacter(value)) throw fail('contains a line break or control character');
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

/** The output binary field name; it must be a plain, non-empty name. */
export function readBinaryPropertyName(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data');
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name))
		throw parameterError(ctx.getNode(), badBinaryPropertyName, itemIndex);
	return name;
}

/**
 * Text to be spoken: not empty, no control characters but line breaks and tabs, and at most
 * `maxLength` characters when the service sets a limit.
 */
export function readText(
	ctx: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
	maxLength?: number,
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const fail = (problem: string, rule: string) =>
		parameterError(ctx.getNode(), badParameter(`The ${displayName} ${problem}`, rule), itemIndex);
	const rule = `Parameter "${displayName}" (${name}) must be the text to speak${maxLength ? `, at most ${maxLength} characters` : ''}.`;
	if (typeof raw !== 'string') throw fail('is not text (check the expression)', rule);
	if (raw.trim() === '') throw fail('is empty', rule);
	if (hasControlCharacter(raw.replace(/[\t\r\n]/g, ' ')))
		throw fail('contains a control character', rule);
	if (maxLength !== undefined && raw.length > maxLength) {
		throw fail(`is ${raw.length} characters long (at most ${maxLength})`, rule);
	}
	return raw;
}
