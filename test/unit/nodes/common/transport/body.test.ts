import { Readable } from 'node:stream';

import {
	BodyProblem,
	collectBody,
	isAsyncIterable,
	jsonObjectOf,
	readErrorBody,
	textOf,
	toBuffer,
} from '../../../../../nodes/common/transport/body';

describe('readErrorBody', () => {
	it('reads at most 64 KB and stops the stream', async () => {
		const chunk = Buffer.alloc(16 * 1024, 0x41);
		let produced = 0;
		const endless = new Readable({
			read() {
				produced++;
				this.push(chunk);
			},
		});
		const text = await readErrorBody(endless);
		expect(text).toHaveLength(64 * 1024);
		expect(endless.destroyed).toBe(true);
		expect(produced).toBeLessThan(20);
	});

	it('takes Buffers, strings, objects and nothing', async () => {
		expect(await readErrorBody(Buffer.from('abc'))).toBe('abc');
		expect(await readErrorBody('x'.repeat(70_000))).toHaveLength(65_536);
		expect(await readErrorBody({ message: 'm' })).toBe('{"message":"m"}');
		expect(await readErrorBody(undefined)).toBe('');
	});
});

describe('collectBody', () => {
	it('joins a stream and refuses more than the limit with a TooLarge problem', async () => {
		expect(
			(await collectBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]))).toString(),
		).toBe('abcd');
		const error = await collectBody(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), 10).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(BodyProblem);
		expect((error as BodyProblem).code).toBe('TooLarge');
		await expect(collectBody('x'.repeat(11), 10)).rejects.toThrow('larger than 10 bytes');
	});

	it('takes Buffers, typed arrays, strings and nothing; refuses what cannot be read', async () => {
		expect((await collectBody(new Uint8Array([104, 105]))).toString()).toBe('hi');
		expect((await collectBody('hi')).toString()).toBe('hi');
		expect(await collectBody(undefined)).toHaveLength(0);
		await expect(collectBody({ not: 'a stream' })).rejects.toMatchObject({
			code: 'UnreadableBody',
		});
	});
});

describe('jsonObjectOf and textOf', () => {
	it('accepts a parsed object or text holding one; nothing else', () => {
		expect(jsonObjectOf({ a: 1 })).toEqual({ a: 1 });
		expect(jsonObjectOf(' {"a":1}')).toEqual({ a: 1 });
		expect(jsonObjectOf(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
		for (const other of ['[1]', '{broken', 'null', '', 42, null, [1], Readable.from([])]) {
			expect(jsonObjectOf(other)).toBeUndefined();
		}
	});

	it('reads text from strings and Buffers only', () => {
		expect(textOf(Buffer.from('é'))).toBe('é');
		expect(textOf('x')).toBe('x');
		expect(textOf({ a: 1 })).toBe('');
	});

	it('knows streams and converts chunks', () => {
		expect(isAsyncIterable(Readable.from([]))).toBe(true);
		expect(isAsyncIterable('text')).toBe(false);
		expect(toBuffer('a').toString()).toBe('a');
		expect(toBuffer(new Uint8Array([1, 2])).equals(Buffer.from([1, 2]))).toBe(true);
	});
});
