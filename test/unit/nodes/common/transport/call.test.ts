// The one transport: how requests are built and how every kind of answer becomes one outcome.
import { Readable } from 'node:stream';

import type { IHttpRequestOptions } from 'n8n-workflow';

import type { Operation } from '../../../../../nodes/common/adapters/types';
import { tokenFailure } from '../../../../../nodes/common/errors/failure';
import {
	ANSWER_LIMIT,
	call,
	readResponse,
	readThrown,
} from '../../../../../nodes/common/transport/call';
import type { Send } from '../../../../../nodes/common/transport/call';
import { buildRequest } from '../../../../../nodes/common/transport/request';

const PEER = { label: 'test task' };

const GET: Operation<{ id: string }> = {
	method: 'GET',
	path: ({ id }) => `/tasks/${id}`,
	read: (body) => (typeof body.Task === 'object' ? (body.Task as never) : undefined),
	error: (status, _headers, body) => ({
		message: `HTTP ${status}: ${String(body)}`,
		description: 'd',
		code: String(status),
		status,
		kind: status >= 500 ? 'transient' : 'fatal',
	}),
};

const POST: Operation<{ id: string }> = {
	...GET,
	method: 'POST',
	path: () => '/',
	query: ({ id }) => ({ q: id }),
	headers: () => ({ 'x-amz-target': 'Svc.Get', 'Content-Type': 'application/x-amz-json-1.1' }),
	body: ({ id }) => ({ Id: id }),
};

const answer = (statusCode: number, body: unknown) => ({ statusCode, headers: {}, body });
const stream = (...chunks: string[]) => Readable.from(chunks.map((chunk) => Buffer.from(chunk)));

describe('buildRequest', () => {
	it('a GET: answer as a stream, no redirects followed, every status a response, timeouts', () => {
		const signal = new AbortController().signal;
		expect(buildRequest('https://h', GET, { id: 'a' }, { timeoutMs: 1234, signal })).toEqual({
			method: 'GET',
			url: 'https://h/tasks/a',
			headers: { accept: 'application/json' },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 1234,
			abortSignal: signal,
		});
	});

	it('a POST: the JSON body serialised, query and the operation headers (their content type kept)', () => {
		const request = buildRequest(
			'https://h',
			POST,
			{ id: 'a' },
			{ timeoutMs: 1000, throwOn401: true },
		);
		expect(request).toMatchObject({
			method: 'POST',
			url: 'https://h/',
			qs: { q: 'a' },
			body: '{"Id":"a"}',
			headers: {
				accept: 'application/json',
				'x-amz-target': 'Svc.Get',
				'Content-Type': 'application/x-amz-json-1.1',
			},
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		});
		expect(request.headers).not.toHaveProperty('content-type');
	});

	it('a JSON body without a content type gets application/json; a text body is sent as is', () => {
		const json = buildRequest(
			'https://h',
			{ ...POST, headers: undefined },
			{ id: 'a' },
			{ timeoutMs: 1 },
		);
		expect(json.headers).toMatchObject({ 'content-type': 'application/json' });
		const text = buildRequest(
			'https://h',
			{ ...POST, headers: undefined, body: () => 'a=1' },
			{ id: 'a' },
			{ timeoutMs: 1 },
		);
		expect(text).toMatchObject({ body: 'a=1' });
		expect(text.headers).not.toHaveProperty('content-type');
	});

	it('a file: asked for uncompressed; the idle timeout may be shorter than the total one', () => {
		const request = buildRequest(
			'https://h',
			{ ...GET, answer: 'stream' },
			{ id: 'a' },
			{ timeoutMs: 60_000, idleTimeoutMs: 30_000 },
		);
		expect(request).toMatchObject({
			encoding: 'stream',
			headers: { 'accept-encoding': 'identity' },
			timeout: 30_000,
		});
		expect(request.headers).not.toHaveProperty('accept');
	});
});

describe('reading outcomes', () => {
	it('2xx with the expected payload → ok, from a stream, a Buffer or parsed JSON', async () => {
		for (const body of [
			stream('{"Task":', '{"a":1}}'),
			Buffer.from('{"Task":{"a":1}}'),
			{ Task: { a: 1 } },
		]) {
			await expect(readResponse(GET, { id: 'a' }, answer(200, body), PEER)).resolves.toEqual({
				ok: true,
				value: { a: 1 },
			});
		}
	});

	it('2xx that is not JSON → unreadable; JSON of another shape → not a task; both retried', async () => {
		for (const body of [stream('<html>'), stream(''), stream('[1]'), stream('{"Task":')]) {
			await expect(readResponse(GET, { id: 'a' }, answer(200, body), PEER)).resolves.toMatchObject({
				ok: false,
				failure: {
					code: 'MalformedResponse',
					kind: 'transient',
					message: 'The service answered with something that is not JSON',
				},
			});
		}
		await expect(
			readResponse(GET, { id: 'a' }, answer(200, stream('{"Other":1}')), PEER),
		).resolves.toMatchObject({
			ok: false,
			failure: {
				code: 'UnexpectedAnswer',
				kind: 'transient',
				message: 'The service answered with something that is not a task',
			},
		});
	});

	it('an answer over the size limit is refused without reading it all', async () => {
		let produced = 0;
		const endless = new Readable({
			read() {
				produced++;
				this.push(Buffer.alloc(64 * 1024, 0x20));
			},
		});
		const outcome = await readResponse(GET, { id: 'a' }, answer(200, endless), PEER);
		expect(outcome).toMatchObject({
			ok: false,
			failure: { code: 'AnswerTooLarge', kind: 'fatal' },
		});
		expect(produced * 64 * 1024).toBeLessThan(ANSWER_LIMIT + 256 * 1024);
		expect(endless.destroyed).toBe(true);
		const small = { ...GET, maxAnswerBytes: 10 };
		await expect(
			readResponse(small, { id: 'a' }, answer(200, stream('{"Task":{"a":1}}')), PEER),
		).resolves.toMatchObject({
			failure: { code: 'AnswerTooLarge' },
		});
	});

	it('an answer that does not finish within the time limit is given up, and the stream released', async () => {
		const trickle = new Readable({ read() {} });
		trickle.push('{"Task":');
		const limit = new AbortController();
		const reading = readResponse(GET, { id: 'a' }, answer(200, trickle), PEER, limit.signal);
		limit.abort();
		await expect(reading).resolves.toMatchObject({
			ok: false,
			failure: { code: 'AnswerTimedOut', kind: 'transient' },
		});
		expect(trickle.destroyed).toBe(true);
	});

	it('non-2xx → the operation reads the error from the text of the body', async () => {
		await expect(
			readResponse(GET, { id: 'a' }, answer(503, stream('busy')), PEER),
		).resolves.toMatchObject({
			ok: false,
			failure: { message: 'HTTP 503: busy', kind: 'transient' },
		});
	});

	it('a redirect is never followed: a failure in words, whatever the Location', async () => {
		const redirect = {
			statusCode: 307,
			headers: { location: 'https://elsewhere.example/' },
			body: stream(''),
		};
		await expect(readResponse(GET, { id: 'a' }, redirect, PEER)).resolves.toMatchObject({
			ok: false,
			failure: {
				code: 'Redirect',
				status: 307,
				kind: 'fatal',
				message: 'The service answered with a redirect (HTTP 307), which is not followed',
			},
		});
	});

	it('thrown: token failures, answers that threw, network failures, and the rest', async () => {
		await expect(
			readThrown(GET, { cause: tokenFailure('Aspose refused', 401) }, PEER),
		).resolves.toMatchObject({
			ok: false,
			failure: { code: 'TokenRequestFailed', kind: 'fatal', message: 'Aspose refused' },
		});
		await expect(
			readThrown(GET, { cause: tokenFailure('no answer', 0) }, PEER),
		).resolves.toMatchObject({
			failure: { kind: 'transient' },
		});
		await expect(
			readThrown(GET, { response: { status: 401, headers: {}, data: stream('no') } }, PEER),
		).resolves.toMatchObject({ failure: { message: 'HTTP 401: no' } });
		await expect(readThrown(GET, { httpCode: '200' }, PEER)).resolves.toMatchObject({
			failure: { code: 'MalformedResponse' },
		});
		await expect(
			readThrown(GET, Object.assign(new Error('x'), { code: 'ECONNRESET' }), PEER),
		).resolves.toMatchObject({
			failure: {
				code: 'ECONNRESET',
				kind: 'transient',
				message: 'Could not reach the test task endpoint (connection reset)',
			},
		});
		await expect(
			readThrown(GET, Object.assign(new Error('x'), { code: 'ERR_CANCELED' }), PEER),
		).resolves.toMatchObject({
			failure: {
				kind: 'transient',
				message: 'Could not reach the test task endpoint (no answer within the time limit)',
			},
		});
		await expect(
			readThrown(GET, new Error('The operation was aborted'), PEER),
		).resolves.toMatchObject({
			failure: {
				code: 'RequestFailed',
				kind: 'fatal',
				message: 'The request failed: The operation was aborted',
			},
		});
	});
});

describe('call', () => {
	it('builds, sends with a total time limit and reads; a thrown send becomes an outcome, never an exception', async () => {
		const sent: IHttpRequestOptions[] = [];
		const ok: Send = async (options) => {
			sent.push(options);
			return answer(200, stream('{"Task":{"id":"a"}}'));
		};
		await expect(
			call(ok, 'https://h', POST, { id: 'a' }, { timeoutMs: 5000, peer: PEER }),
		).resolves.toEqual({
			ok: true,
			value: { id: 'a' },
		});
		expect(sent[0]).toMatchObject({ method: 'POST', url: 'https://h/', timeout: 5000 });
		const signal = sent[0].abortSignal as AbortSignal;
		expect(signal.aborted).toBe(false);

		const failing: Send = async () => {
			throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
		};
		await expect(
			call(failing, 'https://h', GET, { id: 'a' }, { timeoutMs: 5000, peer: PEER }),
		).resolves.toMatchObject({
			ok: false,
			failure: { code: 'ECONNRESET' },
		});
	});

	it('the time limit ends a trickling answer', async () => {
		const trickle: Send = async () => {
			const body = new Readable({ read() {} });
			body.push('{"Task":');
			return answer(200, body);
		};
		const started = Date.now();
		const outcome = await call(
			trickle,
			'https://h',
			GET,
			{ id: 'a' },
			{ timeoutMs: 200, peer: PEER },
		);
		expect(outcome).toMatchObject({ ok: false, failure: { code: 'AnswerTimedOut' } });
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
