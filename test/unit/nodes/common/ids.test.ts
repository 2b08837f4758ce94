// The rules task IDs follow, and how a refusal names the field and the accepted form.
import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { IdSpec } from '../../../../nodes/common/adapters/types';
import { checkIds, commonProblem, guidRule, readId, tokenRule } from '../../../../nodes/common/ids';

const NODE: INode = {
	id: '1',
	name: 'N',
	type: 't',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const TASK_ID: IdSpec = {
	name: 'taskId',
	displayName: 'Task ID',
	problem: tokenRule(10, /^[A-Za-z0-9_-]+$/, 'Polly task ID'),
	accepted: 'a Polly task ID',
	fromPreviousNode: '={{ $json.TaskId }}',
};

describe('ID rules', () => {
	it.each([
		['', 'is empty'],
		['a\tb', 'contains a control character'],
		['a\u007fb', 'contains a control character'],
		['x'.repeat(11), 'is 11 characters long (at most 10)'],
		['arn:aws:p', 'is an ARN, but the Polly task ID belongs here'],
		['http://x', 'is a URL, but the Polly task ID belongs here'],
		['..', 'is only dots, which a URL reads as a path step'],
		['a/b', 'contains characters that are not allowed'],
		['a%2Fb', 'contains characters that are not allowed'],
		['ok-id_1', undefined],
	])('token %j → %s', (value, problem) => {
		expect(TASK_ID.problem(value)).toBe(problem);
	});

	it('GUIDs', () => {
		const rule = guidRule('speaker search task ID');
		expect(rule('0a1b2c3d-4e5f-6789-abcd-ef0123456789')).toBeUndefined();
		expect(rule('0a1b2c3d')).toBe('is not a GUID');
		expect(rule('arn:aws:chime:x')).toBe('is an ARN, but the speaker search task ID belongs here');
		expect(commonProblem('x'.repeat(37), 36)).toMatch(/at most 36/);
	});
});

describe('reading an ID', () => {
	it('trims text and refuses what an expression may give instead', () => {
		expect(readId('  t1 ', TASK_ID, NODE, 0)).toBe('t1');
		for (const [raw, words] of [
			[undefined, 'is empty'],
			[42, 'is a number, not text (check the expression)'],
			[['t1'], 'is a list, not text (check the expression)'],
			[{ id: 't1' }, 'is an object, not text (check the expression)'],
		] as const) {
			expect(() => readId(raw, TASK_ID, NODE, 3)).toThrow(`The Task ID ${words}`);
		}
	});

	it('names the field, the accepted form and that nothing was sent', () => {
		let error: unknown;
		try {
			readId('a/b', TASK_ID, NODE, 3);
		} catch (thrown) {
			error = thrown;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).description).toBe(
			'Parameter "Task ID" (taskId) must be a Polly task ID. Nothing was sent to the service.',
		);
		expect((error as NodeOperationError).context.itemIndex).toBe(3);
	});

	it('checks detected IDs with the same rules', () => {
		expect(checkIds({ taskId: ' t1' }, [TASK_ID], NODE, 0)).toEqual({ taskId: 't1' });
		expect(() => checkIds({}, [TASK_ID], NODE, 0)).toThrow('The Task ID is empty');
	});
});

describe('resource locator values', () => {
	it.each([
		['From List', { __rl: true, mode: 'list', value: ' abc ' }, 'abc'],
		['By ID', { __rl: true, mode: 'id', value: 'abc' }, 'abc'],
		['a plain string from before the picker', 'abc', 'abc'],
	])('%s', (_case, raw, id) => {
		expect(readId(raw, TASK_ID, NODE, 0)).toBe(id);
	});

	it('an empty pick is refused like an empty ID', () => {
		expect(() => readId({ __rl: true, mode: 'list', value: '' }, TASK_ID, NODE, 0)).toThrow(
			'The Task ID is empty',
		);
	});

	it('an object that is not a locator is still refused as an object', () => {
		expect(() => readId({ mode: 'id', value: 'abc' }, TASK_ID, NODE, 0)).toThrow(
			'The Task ID is an object, not text (check the expression)',
		);
	});
});
