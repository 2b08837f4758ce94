// Parameters other than IDs: each refusal names the field and the fix, before any request.
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import {
	readBaseUrl,
	readBinaryPropertyName,
	readBoolean,
	readChoice,
	readNumber,
} from '../../../../nodes/common/parameters';

const NODE: INode = {
	id: '1',
	name: 'N',
	type: 't',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const withParameter = (value: unknown) =>
	({ getNode: () => NODE, getNodeParameter: () => value }) as unknown as IExecuteFunctions;

describe('readBoolean', () => {
	it('takes true and false only', () => {
		expect(readBoolean(withParameter(true), 'useTrial', 'Use Trial', 0, false)).toBe(true);
		expect(() => readBoolean(withParameter('true'), 'useTrial', 'Use Trial', 0, false)).toThrow(
			'The Use Trial switch is not true or false: "true"',
		);
	});
});

describe('readChoice', () => {
	it('takes one of the allowed values and lists them otherwise', () => {
		expect(
			readChoice(NODE, 'fixed', ['adaptive', 'fixed'], 'strategy', 'Polling Strategy', 0),
		).toBe('fixed');
		let description = '';
		try {
			readChoice(NODE, 'fast', ['adaptive', 'fixed'], 'strategy', 'Polling Strategy', 0);
		} catch (error) {
			description = (error as { description: string }).description;
		}
		expect(description).toBe(
			'Parameter "Polling Strategy" (strategy) must be one of adaptive, fixed. Nothing was sent to the service.',
		);
	});
});

describe('readNumber', () => {
	it('takes numbers and numeric text within the range', () => {
		expect(readNumber(NODE, 5, 'timeout', 'Timeout (Seconds)', [1, 10], 0)).toBe(5);
		expect(readNumber(NODE, ' 7 ', 'timeout', 'Timeout (Seconds)', [1, 10], 0)).toBe(7);
		for (const bad of [-1, 11, Number.NaN, Infinity, '', 'ten', null, {}]) {
			expect(() => readNumber(NODE, bad, 'timeout', 'Timeout (Seconds)', [1, 10], 0)).toThrow(
				/The Timeout \(Seconds\) option is not usable/,
			);
		}
	});
});

describe('readBaseUrl', () => {
	const read = (value: unknown) => readBaseUrl(value, 'trialBaseUrl', 'Trial Base URL', NODE, 0);

	it('accepts http(s) URLs, trailing slashes dropped', () => {
		expect(read(' https://api.aspose.cloud/ ')).toBe('https://api.aspose.cloud');
		expect(read('http://127.0.0.1:8080/proxy')).toBe('http://127.0.0.1:8080/proxy');
	});

	it.each([
		[42, 'is not text'],
		['https://a\r\nX: y', 'contains a line break or control character'],
		['  ', 'is empty'],
		['https://a b', 'contains spaces'],
		['https://a/?q=1', 'contains a query or fragment'],
		['nonsense', 'is not a URL'],
		['ftp://a', 'is not an http(s) URL'],
		['https://user:pw@a', 'contains a user name or password'],
	])('refuses %j: %s', (value, problem) => {
		expect(() => read(value)).toThrow(`The Trial Base URL ${problem}`);
	});
});

describe('readBinaryPropertyName', () => {
	it('takes a plain name and refuses anything else', () => {
		expect(readBinaryPropertyName(withParameter(' audio '), 0)).toBe('audio');
		for (const bad of ['', 'a b', 'a/b', 'x'.repeat(101), 7]) {
			expect(() => readBinaryPropertyName(withParameter(bad), 0)).toThrow(
				'The Put Output File in Field name is not usable',
			);
		}
	});
});
