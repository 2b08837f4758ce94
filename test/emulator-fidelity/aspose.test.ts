/** Aspose.OCR Cloud text to speech with plain fetch: token, submit, fetch, delete, status, trial, token expiry. */
import { type Emulator, startEmulator } from '../emulator';
import { parseWav, rms16 } from './audio-validators';
import { expectStatesInOrder, pollUntil } from './helpers';

/** The JSON body of a fetch / GetTaskStatus answer. `results` is null for an unknown id. */
interface AsposeTaskResponse {
	id: string;
	responseStatusCode: string;
	taskStatus: string;
	results: Array<{ type: string; data: string }> | null;
	error: { messages: string[]; warnings: string[] } | null;
}

/** An RFC 7807 ProblemDetails body (validation errors add `errors`). */
interface ProblemDetails {
	type?: string;
	title?: string;
	status?: number;
	detail?: string;
	traceId?: string;
	errors?: Record<string, string[]>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const body = (text: string) =>
	JSON.stringify({ text, settings: { language: 'English', resultType: 'Wav' } });

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ durations: { aspose: { queuedMs: 80, runningMs: 160 } } });
});
afterAll(() => emulator.close());

async function token(
	e: Emulator = emulator,
	id = e.credentials.asposeClientId,
	secret = e.credentials.asposeClientSecret,
) {
	return fetch(`${e.endpoints.aspose}/connect/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: id,
			client_secret: secret,
		}),
	});
}

async function bearer(e: Emulator = emulator): Promise<string> {
	const res = await token(e);
	return ((await res.json()) as { access_token: string }).access_token;
}

async function submit(
	text: string,
	auth?: string,
	path = '/v5.0/ocr/ConvertTextToSpeech',
	e: Emulator = emulator,
) {
	return fetch(`${e.endpoints.aspose}${path}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			Accept: 'text/plain',
			...(auth ? { Authorization: `Bearer ${auth}` } : {}),
		},
		body: body(text),
	});
}

async function fetchTask(
	id: string,
	auth?: string,
	path = '/v5.0/ocr/ConvertTextToSpeech',
	e: Emulator = emulator,
) {
	return fetch(`${e.endpoints.aspose}${path}?id=${encodeURIComponent(id)}`, {
		headers: { Accept: 'application/json', ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
	});
}

describe('token endpoint', () => {
	test('client credentials → { access_token, expires_in, token_type: "Bearer" }', async () => {
		const res = await token();
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		const json = (await res.json()) as Record<string, unknown>;
		expect(json).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
		expect(String(json.access_token).split('.')).toHaveLength(3);
		const other = await bearer();
		expect(other).not.toBe(json.access_token);
	});

	test('bad client → 400 invalid_client; other grants → unsupported_grant_type', async () => {
		const bad = await token(emulator, emulator.credentials.asposeClientId, 'wrong');
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ error: 'invalid_client' });
		const grant = await fetch(`${emulator.endpoints.aspose}/connect/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=password&username=a&password=b',
		});
		expect(await grant.json()).toEqual({ error: 'unsupported_grant_type' });
	});
});

describe('convert text to speech', () => {
	test('submit → text/plain id; fetch walks Pending → Processing → Completed with a base64 WAV', async () => {
		const auth = await bearer();
		const res = await submit('Hello from Aspose. This is a test of the emulator.', auth);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		const id = (await res.text()).trim();
		expect(id).toMatch(GUID);
		const { seen, last } = await pollUntil(
			async () => (await (await fetchTask(id, auth)).json()) as AsposeTaskResponse,
			(r) => r.taskStatus === 'Completed',
			(r) => r.taskStatus,
			5_000,
			10,
		);
		expectStatesInOrder(seen, ['Pending', 'Processing', 'Completed']);
		expect(last).toMatchObject({
			id,
			responseStatusCode: 'Ok',
			taskStatus: 'Completed',
			error: null,
		});
		expect(last.results).toHaveLength(1);
		expect(last.results![0].type).toBe('WavFile');
		const wav = parseWav(Buffer.from(last.results![0].data, 'base64'));
		expect(wav).toMatchObject({ format: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16 });
		expect(wav.dataBytes / 2 / 16000).toBeCloseTo((50 * 60) / 1000, 0);
		expect(rms16(wav.data)).toBeGreaterThan(0.05);
	});

	test('longer text → longer WAV; lower-case paths work; GetTaskStatus has no results', async () => {
		const auth = await bearer();
		const shortId = emulator.createAsposeTask('Short.', { durationMs: 0 });
		const longId = (
			await (await submit('Long text. '.repeat(30), auth, '/v5.0/ocr/converttexttospeech')).text()
		).trim();
		await pollUntil(
			async () =>
				(await (
					await fetchTask(longId, auth, '/v5.0/ocr/converttexttospeech')
				).json()) as AsposeTaskResponse,
			(r) => r.taskStatus === 'Completed',
			(r) => r.taskStatus,
		);
		const short = (await (await fetchTask(shortId, auth)).json()) as AsposeTaskResponse;
		const long = (await (await fetchTask(longId, auth)).json()) as AsposeTaskResponse;
		expect(long.results![0].data.length).toBeGreaterThan(short.results![0].data.length * 10);
		const status = (await (
			await fetch(`${emulator.endpoints.aspose}/v5.0/ocr/Utilities/GetTaskStatus?id=${longId}`, {
				headers: { Authorization: `Bearer ${auth}` },
			})
		).json()) as AsposeTaskResponse;
		expect(status).toMatchObject({ taskStatus: 'Completed', results: [] });
	});

	test('[[fail]] → Error with messages; unknown id → NotExist; DELETE removes the result', async () => {
		const auth = await bearer();
		const failId = emulator.createAsposeTask('please [[fail]]', { durationMs: 0 });
		expect(await (await fetchTask(failId, auth)).json()).toMatchObject({
			taskStatus: 'Error',
			responseStatusCode: 'Error',
			error: { messages: [expect.any(String)] },
		});
		expect(
			await (await fetchTask('00000000-0000-0000-0000-000000000000', auth)).json(),
		).toMatchObject({ taskStatus: 'NotExist', results: null });
		const id = emulator.createAsposeTask('to delete', { durationMs: 0 });
		const del = await fetch(`${emulator.endpoints.aspose}/v5.0/ocr/ConvertTextToSpeech?id=${id}`, {
			method: 'DELETE',
			headers: { Authorization: `Bearer ${auth}` },
		});
		expect(del.status).toBe(200);
		expect(await del.text()).toBe('');
		expect(((await (await fetchTask(id, auth)).json()) as AsposeTaskResponse).taskStatus).toBe(
			'NotExist',
		);
	});

	test('validation errors are 400 ProblemDetails', async () => {
		const auth = await bearer();
		const post = (payload: unknown) =>
			fetch(`${emulator.endpoints.aspose}/v5.0/ocr/ConvertTextToSpeech`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${auth}` },
				body: JSON.stringify(payload),
			});
		for (const payload of [
			{ text: 'x' },
			{ text: '', settings: { language: 'English', resultType: 'Wav' } },
			{ text: 'x', settings: { language: 'German', resultType: 'Wav' } },
			{ text: 'x', settings: { language: 'English', resultType: 'Mp3' } },
			{ text: 'x', settings: { language: 'English', resultType: 'Wav' }, extra: 1 },
		]) {
			const res = await post(payload);
			expect(res.status).toBe(400);
			expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			const problem = (await res.json()) as ProblemDetails;
			expect(problem).toMatchObject({
				status: 400,
				title: 'One or more validation errors occurred.',
			});
			expect(Object.keys(problem.errors!).length).toBeGreaterThan(0);
		}
		const noId = await fetch(`${emulator.endpoints.aspose}/v5.0/ocr/ConvertTextToSpeech`, {
			headers: { Authorization: `Bearer ${auth}` },
		});
		expect(noId.status).toBe(400);
	});
});

describe('bearer tokens', () => {
	test('missing or invalid token → 401 ProblemDetails with WWW-Authenticate', async () => {
		const missing = await submit('hi');
		expect(missing.status).toBe(401);
		expect(missing.headers.get('www-authenticate')).toBe('Bearer');
		const problem = (await missing.json()) as ProblemDetails;
		expect(problem).toMatchObject({
			type: 'https://tools.ietf.org/html/rfc7235#section-3.1',
			title: 'Unauthorized',
			status: 401,
		});
		expect(problem.traceId).toBeTruthy();
		const invalid = await fetchTask('x', 'not-a-token');
		expect(invalid.status).toBe(401);
		expect(invalid.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
	});

	test('exact Pending → Processing → Completed on a manual clock', async () => {
		const e = await startEmulator({
			clock: 'manual',
			durations: { aspose: { queuedMs: 1_000, runningMs: 1_000 } },
		});
		try {
			const auth = await bearer(e);
			const id = (await (await submit('manual clock', auth, undefined, e)).text()).trim();
			const states: string[] = [];
			for (let i = 0; i < 3; i++) {
				states.push(
					((await (await fetchTask(id, auth, undefined, e)).json()) as AsposeTaskResponse)
						.taskStatus,
				);
				e.advance(1_000);
			}
			expect(states).toEqual(['Pending', 'Processing', 'Completed']);
		} finally {
			await e.close();
		}
	});

	test('tokens expire after their lifetime (manual clock) and a new token works', async () => {
		const e = await startEmulator({ clock: 'manual', asposeTokenLifetimeSeconds: 60 });
		try {
			const auth = await bearer(e);
			const id = e.createAsposeTask('hello', { durationMs: 0 });
			expect((await fetchTask(id, auth, undefined, e)).status).toBe(200);
			e.advance(61_000);
			const expired = await fetchTask(id, auth, undefined, e);
			expect(expired.status).toBe(401);
			expect(expired.headers.get('www-authenticate')).toMatch(
				/^Bearer error="invalid_token", error_description="The token expired at '.+'"$/,
			);
			expect(((await expired.json()) as ProblemDetails).detail).toMatch(/expired/);
			expect((await fetchTask(id, await bearer(e), undefined, e)).status).toBe(200);
			e.advance(24 * 3_600_000);
			expect(
				((await (await fetchTask(id, await bearer(e), undefined, e)).json()) as AsposeTaskResponse)
					.taskStatus,
			).toBe('NotExist');
		} finally {
			await e.close();
		}
	});

	test('expireTokens() expires every current token at once', async () => {
		const a = await bearer();
		const b = await bearer();
		expect(emulator.expireTokens()).toBeGreaterThanOrEqual(2);
		for (const t of [a, b]) expect((await fetchTask('x', t)).status).toBe(401);
		expect((await fetchTask('x', await bearer())).status).toBe(200);
		const log = emulator.requestsFor('aspose').filter((r) => r.route === 'aspose.fetch');
		expect(log.some((r) => r.tokenOk === false)).toBe(true);
		expect(log[log.length - 1].tokenOk).toBe(true);
	});
});

describe('trial endpoints', () => {
	test('no Authorization; 500-character limit; ids are separate from authenticated tasks', async () => {
		const res = await submit('Trial text.', undefined, '/v5.0/ocr/ConvertTextToSpeechTrial');
		expect(res.status).toBe(200);
		const id = (await res.text()).trim();
		const { last } = await pollUntil(
			async () =>
				(await (
					await fetchTask(id, undefined, '/v5.0/ocr/ConvertTextToSpeechTrial')
				).json()) as AsposeTaskResponse,
			(r) => r.taskStatus === 'Completed',
			(r) => r.taskStatus,
		);
		parseWav(Buffer.from(last.results![0].data, 'base64'));
		const tooLong = await submit('x'.repeat(501), undefined, '/v5.0/ocr/ConvertTextToSpeechTrial');
		expect(tooLong.status).toBe(400);
		expect(((await tooLong.json()) as ProblemDetails).detail).toMatch(/500 characters/);
		expect(
			(await submit('x'.repeat(500), undefined, '/v5.0/ocr/converttexttospeechtrial')).status,
		).toBe(200);
		expect(
			((await (await fetchTask(id, await bearer())).json()) as AsposeTaskResponse).taskStatus,
		).toBe('NotExist');
		const del = await fetch(
			`${emulator.endpoints.aspose}/v5.0/ocr/ConvertTextToSpeechTrial?id=${id}`,
			{ method: 'DELETE' },
		);
		expect(del.status).toBe(200);
		expect(emulator.getAsposeTask(id, { trial: true })).toMatchObject({ taskStatus: 'NotExist' });
	});

	test('asposeQuotedTaskId: the id arrives JSON-quoted (for testing defensive clients)', async () => {
		const e = await startEmulator({ asposeQuotedTaskId: true });
		try {
			const text = await (
				await submit('quoted', undefined, '/v5.0/ocr/ConvertTextToSpeechTrial', e)
			).text();
			expect(text).toMatch(/^"[0-9a-f-]{36}"$/);
			expect(
				(
					(await (
						await fetchTask(JSON.parse(text), undefined, '/v5.0/ocr/ConvertTextToSpeechTrial', e)
					).json()) as AsposeTaskResponse
				).taskStatus,
			).not.toBe('NotExist');
		} finally {
			await e.close();
		}
	});

	test('optional daily limit per IP → 429', async () => {
		const e = await startEmulator({ asposeTrialDailyLimit: 2 });
		try {
			expect((await submit('one', undefined, '/v5.0/ocr/ConvertTextToSpeechTrial', e)).status).toBe(
				200,
			);
			expect((await submit('two', undefined, '/v5.0/ocr/ConvertTextToSpeechTrial', e)).status).toBe(
				200,
			);
			const third = await submit('three', undefined, '/v5.0/ocr/ConvertTextToSpeechTrial', e);
			expect(third.status).toBe(429);
			expect(((await third.json()) as ProblemDetails).detail).toMatch(/per day/);
		} finally {
			await e.close();
		}
	});
});

describe('submit in both modes', () => {
	const TTS = '/v5.0/ocr/ConvertTextToSpeech';
	const TRIAL = '/v5.0/ocr/ConvertTextToSpeechTrial';
	/** What a defensive client does with the text/plain answer: trim whitespace, then surrounding quotes. */
	const taskIdOf = (text: string) => text.trim().replace(/^"(.*)"$/, '$1');

	test.each([
		['authenticated', TTS, true],
		['trial', TRIAL, false],
	] as const)(
		'%s: POST %s → 200 text/plain, the bare task id, and the task exists',
		async (_mode, path, withToken) => {
			const auth = withToken ? await bearer() : undefined;
			const res = await submit('Submit fidelity.', auth, path);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
			const text = await res.text();
			expect(text).toMatch(GUID);
			const task = (await (await fetchTask(text, auth, path)).json()) as AsposeTaskResponse;
			expect(task.id).toBe(text);
			expect(['Pending', 'Processing', 'Completed']).toContain(task.taskStatus);
			const log = emulator.requestsFor('aspose').pop()!;
			expect(log.route).toBe(withToken ? 'aspose.fetch' : 'aspose.trial.fetch');
		},
	);

	test('the authenticated endpoint needs the bearer token; the trial endpoint ignores Authorization', async () => {
		const missing = await submit('no token', undefined, TTS);
		expect(missing.status).toBe(401);
		const trialWithBadToken = await submit('ignored token', 'not-a-token', TRIAL);
		expect(trialWithBadToken.status).toBe(200);
		const log = emulator.requestsFor('aspose');
		expect(log[log.length - 1]).toMatchObject({ route: 'aspose.trial.submit', status: 200 });
		expect(log[log.length - 1].tokenOk).toBeUndefined();
	});

	test.each([
		['plain', /^[0-9a-f-]{36}$/],
		['quoted', /^"[0-9a-f-]{36}"$/],
		['padded', /^ [0-9a-f-]{36}\r\n$/],
		['quoted-padded', /^"[0-9a-f-]{36}"\n$/],
	] as const)(
		'asposeTaskIdFormat %s: both modes write the id so; trimmed and unquoted it fetches the task',
		async (format, shape) => {
			const e = await startEmulator({ asposeTaskIdFormat: format });
			try {
				const auth = await bearer(e);
				for (const [path, token] of [
					[TTS, auth],
					[TRIAL, undefined],
				] as const) {
					const res = await submit(`format ${format}`, token, path, e);
					expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
					const text = await res.text();
					expect(text).toMatch(shape);
					const id = taskIdOf(text);
					expect(id).toMatch(GUID);
					const task = (await (await fetchTask(id, token, path, e)).json()) as AsposeTaskResponse;
					expect(task.taskStatus).not.toBe('NotExist');
				}
			} finally {
				await e.close();
			}
		},
	);

	test.each([
		['aspose.submit', TTS, true],
		['aspose.trial.submit', TRIAL, false],
	] as const)(
		'faults on %s: 429 with Retry-After, 500, 503 as ProblemDetails, then success',
		async (route, path, withToken) => {
			const e = await startEmulator();
			try {
				const auth = withToken ? await bearer(e) : undefined;
				for (const [fault, status, title] of [
					['throttle', 429, 'Too Many Requests'],
					['error500', 500, 'Internal Server Error'],
					['error503', 503, 'Service Unavailable'],
				] as const) {
					e.setFaults([{ route, fault, retryAfterSeconds: 3 }]);
					const res = await submit('faulted', auth, path, e);
					expect(res.status).toBe(status);
					expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
					expect((await res.json()) as ProblemDetails).toMatchObject({ status, title });
					if (fault === 'throttle') expect(res.headers.get('retry-after')).toBe('3');
				}
				e.clearFaults();
				const ok = await submit('after the faults', auth, path, e);
				expect(ok.status).toBe(200);
				expect(e.faultCounts()).toEqual({ throttle: 1, error500: 1, error503: 1 });
				expect(
					e
						.requestsFor('aspose')
						.filter((r) => r.route === route)
						.map((r) => r.status),
				).toEqual([429, 500, 503, 200]);
			} finally {
				await e.close();
			}
		},
	);
});
