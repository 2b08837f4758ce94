// Generated hostile parameter values, by the kind of parameter they are aimed at.
export interface Hostile {
	/** What the value is, for test names. */
	name: string;
	value: unknown;
}

const h = (name: string, value: unknown): Hostile => ({ name, value });

const GUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';

/** Values no ID (task ID, pipeline ID, voice connector ID, speaker search task ID) may take. */
export function idValues(): Hostile[] {
	return [
		h('empty (expression)', '={{ "" }}'),
		h('whitespace', '   '),
		h('tab and newline', '\t\n'),
		h('over-long (2,000 characters)', 'a'.repeat(2000)),
		h('over-long (300 characters)', 'b'.repeat(300)),
		h('over-long from an expression', '={{ "c".repeat(5000) }}'),
		h('accented letters', 'tâche-ünïcode'),
		h('CJK', '任务'),
		h('emoji', 'task-🎤'),
		h('right-to-left override', 'abc\u202edef'),
		h('zero-width space', 'abc\u200bdef'),
		h('Cyrillic look-alike', 'tаsk'),
		h('fullwidth slash', 'a\uff0fb'),
		h('null character', 'abc\u0000def'),
		h('null from an expression', '={{ "abc\\u0000def" }}'),
		h('bell', 'abc\u0007'),
		h('newline', 'abc\ndef'),
		h('CRLF header injection', 'abc\r\nHost: evil.example'),
		h('DEL', 'abc\u007f'),
		h('NEL (C1 control)', 'abc\u0085def'),
		h('../', '../'),
		h('..', '..'),
		h('.', '.'),
		h('../../ traversal', '../../etc/passwd'),
		h('inner ../', 'a/../b'),
		h('slash', 'a/b'),
		h('backslash', 'a\\b'),
		h('?', '?'),
		h('query', 'abc?id=other'),
		h('#', '#'),
		h('fragment', 'abc#frag'),
		h('%2F', '%2F'),
		h('encoded traversal', '%2e%2e%2f'),
		h('encoded ..', '%2e%2e'),
		h('%00', 'abc%00'),
		h('space', 'a b'),
		h('quote', 'a"b'),
		h('apostrophe', "a'b"),
		h('angle brackets', '<script>'),
		h('template', '${x}'),
		h('ampersand', 'a&id=other'),
		h('semicolon', 'a;b'),
		h('asterisk', '*'),
		h('ARN of a Polly task', `arn:aws:polly:us-east-1:123456789012:synthesis-task/${GUID}`),
		h(
			'ARN of a voice connector',
			'arn:aws:chime:us-east-1:123456789012:voice-connector/abcdef1ghij2klmno3pqr4',
		),
		h('URL', 'https://evil.example/x'),
		h('protocol-relative URL', '//evil.example/x'),
		h('number from an expression', '={{ 42 }}'),
		h('zero from an expression', '={{ 0 }}'),
		h('object from an expression', '={{ {a:1} }}'),
		h('list from an expression', '={{ [1, 2] }}'),
		h('boolean from an expression', '={{ true }}'),
		h('null from an expression', '={{ null }}'),
		h('missing field from an expression', '={{ $json.doesNotExist }}'),
		h('Infinity from an expression', '={{ 1/0 }}'),
		h('traversal from an expression', '={{ "../" + "x" }}'),
	];
}

/** IDs from an item (Wait Until Complete's auto-detection reads them from the input item, not from a parameter). */
export function itemIdValues(): Hostile[] {
	return [
		...idValues()
			.filter((v) => typeof v.value === 'string' && !v.value.startsWith('='))
			.map((v) => h(`${v.name} in the item`, v.value)),
		h('empty in the item', ''),
		h('number in the item', 42),
		h('object in the item', { a: 1 }),
		h('list in the item', ['a']),
	];
}

/** Binary field names: anything but 1–100 letters, digits, ".", "-", "_". */
export function binaryNameValues(): Hostile[] {
	return idValues().filter(
		(v) => !['..', '.', 'ampersand'].includes(v.name) && !/^over-long \(300/.test(v.name),
	);
}

/** Options parameters: values outside the listed options. */
export function optionValues(valid: string[]): Hostile[] {
	return [
		h('unknown value', 'bogus'),
		h('empty', ''),
		h('whitespace', ' '),
		h('different case', valid[valid.length - 1].toUpperCase()),
		h('padded', ` ${valid[valid.length - 1]} `),
		h('__proto__', '__proto__'),
		h('constructor', 'constructor'),
		h('toString', 'toString'),
		h('hasOwnProperty', 'hasOwnProperty'),
		h('number from an expression', '={{ 42 }}'),
		h('object from an expression', '={{ {a:1} }}'),
		h('null character', `${valid[0]}\u0000`),
	];
}

/** Boolean parameters: anything that is not true or false. */
export function booleanValues(): Hostile[] {
	return [
		h('"false" (text) from an expression', '={{ "false" }}'),
		h('"true" (text) from an expression', '={{ "true" }}'),
		h('"no" from an expression', '={{ "no" }}'),
		h('number from an expression', '={{ 42 }}'),
		h('zero from an expression', '={{ 0 }}'),
		h('object from an expression', '={{ {a:1} }}'),
		h('list from an expression', '={{ [] }}'),
		h('text', 'yes'),
	];
}

/** Number options: outside the range, not a number, or not finite. */
export function numberValues(range: [number, number]): Hostile[] {
	return [
		h('-1', -1),
		h('zero', 0),
		h('below the minimum', range[0] / 10),
		h('above the maximum', range[1] * 10 + 1),
		h('huge', 1e12),
		h('NaN', Number.NaN),
		h('Infinity', Number.POSITIVE_INFINITY),
		h('-1 from an expression', '={{ -1 }}'),
		h('text from an expression', '={{ "abc" }}'),
		h('empty text from an expression', '={{ "" }}'),
		h('object from an expression', '={{ {a:1} }}'),
		h('list from an expression', '={{ [5] }}'),
		h('Infinity from an expression', '={{ 1/0 }}'),
		h('NaN from an expression', '={{ 0/0 }}'),
		h('null from an expression', '={{ null }}'),
		h('text', 'ten'),
		h('whitespace', ' '),
	];
}

/**
 * Base URLs that break the URL's shape: a path, query or fragment the request path would be glued onto,
 * user information, other schemes, control characters. (Any host is acceptable: the user picks it, and the
 * trial endpoint gets no credential.)
 */
export function baseUrlValues(validBase: string): Hostile[] {
	return [
		h('empty (expression)', '={{ "" }}'),
		h('whitespace', '   '),
		h('not a URL', 'not a url'),
		h('no host', 'http://'),
		h('ftp:', 'ftp://127.0.0.1/'),
		h('file:', 'file:///etc/passwd'),
		h('javascript:', 'javascript:alert(1)'),
		h('protocol-relative', '//127.0.0.1/'),
		h('query glued on', `${validBase}?x=`),
		h('fragment glued on', `${validBase}#`),
		h('user information', validBase.replace('http://', 'http://user:pass@')),
		h('newline', `${validBase}\n`),
		h('null character', `${validBase}\u0000`),
		h('space in the host', 'http://127.0.0 .1/'),
		h('over-long', `${validBase}/${'a'.repeat(5000)}`),
		h('number from an expression', '={{ 42 }}'),
		h('object from an expression', '={{ {a:1} }}'),
	];
}
