import type { IExecuteFunctions, IExecuteSingleFunctions, INode } from 'n8n-workflow';

import type { IdSpec, TaskIds } from './adapters/types';
import { parameterError } from './errors/node-errors';
import { badId } from './errors/wording';
import { hasControlCharacter } from './text';

const GUID = /^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/;

/** Common mistakes first, so the message says what the user actually did wrong. */
export function commonProblem(value: string, maxLength: number): string | undefined {
	if (value === '') return 'is empty';
	if (hasControlCharacter(value)) return 'contains a control character';
	if (value.length > maxLength) return `is ${value.length} characters long (at most ${maxLength})`;
	return undefined;
}

export function tokenRule(maxLength: number, allowed: RegExp, what: string) {
	return (value: string): string | undefined => {
		const common = commonProblem(value, maxLength);
		if (common) return common;
		if (value.startsWith('arn:')) return `is an ARN, but the ${what} belongs here`;
		if (/^https?:\/\//i.test(value)) return `is a URL, but the ${what} belongs here`;
		if (/^\.+$/.test(value)) return 'is only dots, which a URL reads as a path step';
		if (!allowed.test(value)) return 'contains characters that are not allowed';
		return undefined;
	};
}

export function guidRule(what: string) {
	return (value: string): string | undefined => {
		const common = commonProblem(value, 36);
		if (common) return common;
		if (value.startsWith('arn:')) return `is an ARN, but the ${what} belongs here`;
		if (!GUID.test(value)) return 'is not a GUID';
		return undefined;
	};
}

/**
 * The value of a resource locator ("From List" / "By ID"); a plain value, as saved workflows from before
 * the picker hold it, is taken as it is.
 */
export function locatorValue(raw: unknown): unknown {
	return raw !== null && typeof raw === 'object' && (raw as { __rl?: unknown }).__rl === true
		? (raw as { value?: unknown }).value
		: raw;
}

/** Reads an ID parameter as a trimmed string; numbers and objects from expressions are refused. */
export function readId(raw: unknown, spec: IdSpec, node: INode, itemIndex: number): string {
	raw = locatorValue(raw);
	const fail = (problem: string) =>
		parameterError(node, badId(spec.displayName, spec.name, problem, spec.accepted), itemIndex);
	if (raw === undefined || raw === null) throw fail('is empty');
	if (typeof raw !== 'string') {
		throw fail(
			`is ${Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`}, not text (check the expression)`,
		);
	}
	const value = raw.trim();
	const problem = spec.problem(value);
	if (problem) throw fail(problem);
	return value;
}

/** Reads and validates every ID parameter of an adapter for one item. */
export function readIds(
	ctx: IExecuteFunctions | IExecuteSingleFunctions,
	specs: readonly IdSpec[],
	itemIndex: number,
): TaskIds {
	const ids: TaskIds = {};
	for (const spec of specs) {
		const raw =
			'getItemIndex' in ctx
				? (ctx as IExecuteSingleFunctions).getNodeParameter(spec.name, undefined)
				: (ctx as IExecuteFunctions).getNodeParameter(spec.name, itemIndex, undefined);
		ids[spec.name] = readId(raw, spec, ctx.getNode(), itemIndex);
	}
	return ids;
}

/** Validates IDs found in an item (auto-detection) with the same rules as the parameters. */
export function checkIds(
	ids: TaskIds,
	specs: readonly IdSpec[],
	node: INode,
	itemIndex: number,
): TaskIds {
	const checked: TaskIds = {};
	for (const spec of specs) checked[spec.name] = readId(ids[spec.name], spec, node, itemIndex);
	return checked;
}
