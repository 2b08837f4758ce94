// The one transport: how requests are built and how every kind of answer becomes one outcome.
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { Operation } from '../../../../../nodes/common/adapters/types';
import { tokenFailure } from '../../../../../nodes/common/errors/failure';
import { call, readResponse, readThrown } from '../../../../../nodes/common/transport/call';
import type { Send } from '../../../../../nodes/common/transport/call';
import { buildRequest } from '../../../../../nodes/common/transport/request';

const PEER = { label: 'test task' };

const GET: Operation<{ id: string }> = {
	method: 'GET',
	path: ({ id }) => `/tasks/${id}`,
	read: (body) => (typeof body.Task === 'object' ? (body.Task as never) : undefined),
	error: (status) => ({
		message: `HTTP ${status}`,
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

describe('buildRequest', () => {
	it('a GET: JSON, no redirects followed, every status a response, a timeout', () => {
		expect(buildRequest('https://h', GET, { id: 'a' }, { timeoutMs: 1234 })).toEqual({
			method: 'GET',
			url: 'https://h/tasks/a',
			headers: { accept: 'application/json' },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 1234,
		});
	});

	it('a POST with a JSON body, query and the headers the operation gives (their content type kept)', () => {
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
			body: { Id: 'a' },
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
		expect(text).toMatchObject({ body: 'a=1', json: false });
		expect(text.headers).not.toHaveProperty('content-type');
	});

	it('a streamed answer: no JSON, no accept header', () => {
		const request = buildRequest(
			'https://h',
			{ ...GET, answer: 'stream' },
			{ id: 'a' },
			{ timeoutMs: 1 },
		);
		expect(request).toMatchObject({ encoding: 'stream', headers: {} });
		expect(request).not.toHaveProperty('json');
	});
});

describe('reading outcomes', () => {
	it('2xx with the expected payload → ok; anything else → unreadable, retried as transient', () => {
		expect(
			readResponse(
				GET,
				{ id: 'a' },
				{ statusCode: 200, headers: {}, body: { Task: { a: 1 } } },
				PEER,
			),
		).toEqual({ ok: true, value: { a: 1 } });
		expect(
			readResponse(
				GET,
				{ id: 'a' },
				{ statusCode: 200, headers: {}, body: '{"Task":{"a":1}}' },
				PEER,
			),
		).toEqual({ ok: true, value: { a: 1 } });
		for (const body of ['<html>', '', { Other: 1 }, [1], null]) {
			const outcome = readResponse(GET, { id: 'a' }, { statusCode: 200, headers: {}, body }, PEER);
			expect(outcome).toMatchObject({
				ok: false,
				failure: { code: 'MalformedResponse', kind: 'transient' },
			});
		}
	});

	it('non-2xx → the operation reads the error', () => {
		expect(
			readResponse(GET, { id: 'a' }, { statusCode: 503, headers: {}, body: '' }, PEER),
		).toMatchObject({
			ok: false,
			failure: { message: 'HTTP 503', kind: 'transient' },
		});
	});

	it('thrown: token failures, answers that threw, network failures, and the rest', () => {
		expect(readThrown(GET, { cause: tokenFailure('Aspose refused', 401) }, PEER)).toMatchObject({
			ok: false,
			failure: { code: 'TokenRequestFailed', kind: 'fatal', message: 'Aspose refused' },
		});
		expect(readThrown(GET, { cause: tokenFailure('no answer', 0) }, PEER)).toMatchObject({
			failure: { kind: 'transient' },
		});
		expect(
			readThrown(GET, { response: { status: 401, headers: {}, data: {} } }, PEER),
		).toMatchObject({ failure: { message: 'HTTP 401' } });
		expect(readThrown(GET, { httpCode: '200' }, PEER)).toMatchObject({
			failure: { code: 'MalformedResponse' },
		});
		expect(
			readThrown(GET, Object.assign(new Error('x'), { code: 'ECONNRESET' }), PEER),
		).toMatchObject({
			failure: {
				code: 'ECONNRESET',
				kind: 'transient',
				message: 'Could not reach the test task endpoint (connection reset)',
			},
		});
		expect(readThrown(GET, new Error('The operation was aborted'), PEER)).toMatchObject({
			failure: {
				code: 'RequestFailed',
				kind: 'fatal',
				message: 'The request failed: The operation was aborted',
			},
		});
	});
});

describe('call', () => {
	it('builds, sends and reads; a thrown send becomes an outcome, never an exception', async () => {
		const sent: IHttpRequestOptions[] = [];
		const ok: Send = async (options) => {
			sent.push(options);
			return { statusCode: 200, headers: {}, body: { Task: { id: 'a' } } };
		};
		await expect(
			call(ok, 'https://h', POST, { id: 'a' }, { timeoutMs: 5, peer: PEER }),
		).resolves.toEqual({ ok: true, value: { id: 'a' } });
		expect(sent[0]).toMatchObject({ method: 'POST', url: 'https://h/', timeout: 5 });

		const failing: Send = async () => {
			throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
		};
		await expect(
			call(failing, 'https://h', GET, { id: 'a' }, { timeoutMs: 5, peer: PEER }),
		).resolves.toMatchObject({
			ok: false,
			failure: { code: 'ECONNRESET' },
		});
	});
});
