import nock from 'nock';

import { asposeCredentials, node, SECRETS, single } from '../harness/fixtures';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';
import { makeWav } from '../harness/wav';

const ASPOSE = 'https://api.aspose.cloud';
const ID = 'TTS01232-9d40-4f2d-8eda-f1fc0b12bce6';
const WAV = makeWav();

const fetchNode = (params: Record<string, unknown> = {}, extra = {}) =>
	node(
		TYPES.fetchAsposeAudio,
		{ taskId: ID, useTrial: false, binaryPropertyName: 'data', ...params },
		extra,
	);

const response = (taskStatus: string, extra: object = {}) => ({
	id: ID,
	responseStatusCode: taskStatus === 'Completed' ? 'Ok' : 'NotReady',
	taskStatus,
	results: taskStatus === 'Completed' ? [{ type: 'WavFile', data: WAV.toString('base64') }] : null,
	error: null,
	...extra,
});

function tokenEndpoint(...tokens: string[]) {
	const scope = nock(ASPOSE);
	for (const token of tokens) {
		// nock hands over a form-encoded body already decoded.
		scope
			.post('/connect/token', {
				grant_type: 'client_credentials',
				client_id: 'aspose-client-id',
				client_secret: SECRETS.clientSecret,
			})
			.matchHeader('content-type', 'application/x-www-form-urlencoded')
			.reply(200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
	}
	return scope;
}

describe('Fetch Aspose Audio', () => {
	it('fetches a token, then attaches the completed WAV as binary data without repeating the base64', async () => {
		const token = tokenEndpoint(SECRETS.accessToken1);
		const api = nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.matchHeader('authorization', `Bearer ${SECRETS.accessToken1}`)
			.reply(200, response('Completed', { error: { messages: null, warnings: ['minor'] } }));

		const { output, error } = await runWorkflow(single(fetchNode()));

		expect(error).toBeUndefined();
		expect(token.isDone() && api.isDone()).toBe(true);
		const [item] = output;
		expect(item.json).toMatchObject({ id: ID, taskStatus: 'Completed', responseStatusCode: 'Ok' });
		expect(JSON.stringify(item.json)).not.toContain(WAV.toString('base64').slice(0, 40));
		expect(item.binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: `${ID}.wav` });
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(WAV)).toBe(true);
		expect(item.pairedItem).toEqual({ item: 0 });
		expectNoSecrets(output);
	});

	it.each(['Pending', 'Processing'])(
		'outputs a %s task as an item with its status and no binary',
		async (status) => {
			tokenEndpoint(SECRETS.accessToken1);
			nock(ASPOSE)
				.get('/v5.0/ocr/ConvertTextToSpeech')
				.query({ id: ID })
				.reply(200, response(status));
			const { output, error } = await runWorkflow(single(fetchNode()));
			expect(error).toBeUndefined();
			expect(output[0].json.taskStatus).toBe(status);
			expect(output[0].binary).toBeUndefined();
		},
	);

	it('explains Error with the service messages', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.reply(200, response('Error', { error: { messages: ['Text is too long'], warnings: [] } }));
		const { error } = await runWorkflow(single(fetchNode()));
		expect(error?.message).toBe('The Aspose text-to-speech task failed');
		expect(error?.description).toContain('Text is too long');
		expect(error?.description).toMatch(/\[Error\]$/);
	});

	it('explains NotExist as an unknown ID or results older than 24 hours', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.reply(200, response('NotExist'));
		const { error } = await runWorkflow(single(fetchNode()));
		expect(error?.message).toBe('Aspose has no such text-to-speech task');
		expect(error?.description).toMatch(/unknown.*24 hours.*\[NotExist\]$/);
	});

	it('refreshes the token exactly once after a 401 and retries', async () => {
		const tokens = tokenEndpoint(SECRETS.accessToken1, SECRETS.accessToken2);
		const api = nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.matchHeader('authorization', `Bearer ${SECRETS.accessToken1}`)
			.reply(401, { title: 'Unauthorized', status: 401 })
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.matchHeader('authorization', `Bearer ${SECRETS.accessToken2}`)
			.reply(200, response('Completed'));
		const { output, error, credentialsHelper } = await runWorkflow(single(fetchNode()));
		expect(error).toBeUndefined();
		expect(tokens.isDone() && api.isDone()).toBe(true);
		expect(output[0].binary?.data.mimeType).toBe('audio/wav');
		expect(credentialsHelper.preAuthenticationCalls).toBe(2);
		expect(credentialsHelper.data.asposeCloudApi.accessToken).toBe(SECRETS.accessToken2);
	});

	it('gives a clear error when the 401 persists after one refresh', async () => {
		tokenEndpoint(SECRETS.accessToken1, SECRETS.accessToken2);
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.times(2)
			.reply(401, { title: 'Unauthorized', status: 401, detail: 'token invalid' });
		const { error } = await runWorkflow(single(fetchNode()));
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Aspose rejected the access token');
		expectNoSecrets(error);
	});

	it('says the Client ID and Secret were refused when the token endpoint answers 400', async () => {
		nock(ASPOSE).post('/connect/token').reply(400, { error: 'invalid_client' });
		const { error } = await runWorkflow(single(fetchNode()));
		expect(error?.message).toMatch(/refused the Client ID and Client Secret/);
		expectNoSecrets(error);
	});

	it('uses a pasted access token without calling the token endpoint', async () => {
		const api = nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.matchHeader('authorization', `Bearer ${SECRETS.pastedToken}`)
			.reply(200, response('Processing'));
		const { output } = await runWorkflow(
			single(fetchNode(), undefined, {
				asposeCloudApi: asposeCredentials({
					authentication: 'pastedToken',
					pastedToken: SECRETS.pastedToken,
				}),
			}),
		);
		expect(output[0].json.taskStatus).toBe('Processing');
		expect(api.isDone()).toBe(true);
	});

	it('uses the trial endpoint without any Authorization header', async () => {
		const api = nock('http://127.0.0.1:4588', { badheaders: ['authorization'] })
			.get('/aspose/v5.0/ocr/ConvertTextToSpeechTrial')
			.query({ id: ID })
			.reply(200, response('Completed'));
		const { output, error } = await runWorkflow(
			single(
				fetchNode({ useTrial: true, options: { trialBaseUrl: 'http://127.0.0.1:4588/aspose/' } }),
				undefined,
				{},
			),
		);
		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(output[0].binary?.data.fileName).toBe(`${ID}.wav`);
	});

	const corrupt: Array<[string, unknown]> = [
		['empty data', [{ type: 'WavFile', data: '' }]],
		['non-base64 data', [{ type: 'WavFile', data: '!!!not base64***' }]],
		[
			'base64 that is not a WAV',
			[
				{
					type: 'WavFile',
					data: Buffer.from('hello world, not a wave file at all, long enough to pass').toString(
						'base64',
					),
				},
			],
		],
		['no results', null],
	];

	it.each(corrupt)('gives a clear error and no binary for %s', async (_label, results) => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.reply(200, { ...response('Completed'), results });
		const { error, output } = await runWorkflow(single(fetchNode()));
		expect(output).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/audio/i);
	});

	it('gives a clear error for a body that is not JSON', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: ID })
			.reply(200, '<html>gateway</html>', { 'content-type': 'text/html' });
		const { error } = await runWorkflow(single(fetchNode()));
		expect(error?.message).toBe('The service answered with something that is not JSON');
	});

	it('refuses a bad task ID or binary field before any request', async () => {
		const trap = nock(ASPOSE).post(/.*/).reply(200, {}).get(/.*/).reply(200, {});
		for (const params of [
			{ taskId: ' ' },
			{ taskId: 'a/b' },
			{ taskId: '={{ 42 }}' },
			{ binaryPropertyName: ' ' },
		]) {
			const { error } = await runWorkflow(single(fetchNode(params)));
			expect(error?.name).toBe('NodeOperationError');
		}
		expect(trap.isDone()).toBe(false);
	});

	it('with Continue On Fail, every good item still comes out', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'ok-1' })
			.reply(200, { ...response('Completed'), id: 'ok-1' })
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'gone' })
			.reply(200, { ...response('NotExist'), id: 'gone' })
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'ok-2' })
			.reply(200, { ...response('Pending'), id: 'ok-2' });
		const input = ['ok-1', 'gone', 'bad/id', 'ok-2'].map((id) => ({ json: { id } }));
		const { output, error } = await runWorkflow(
			single(fetchNode({ taskId: '={{ $json.id }}' }, { onError: 'continueRegularOutput' }), input),
		);
		expect(error).toBeUndefined();
		expect(output.map((o) => o.json.taskStatus ?? 'error')).toEqual([
			'Completed',
			'error',
			'error',
			'Pending',
		]);
		expect(output[0].binary?.data.mimeType).toBe('audio/wav');
		expect(output[1].json.error).toBe('Aspose has no such text-to-speech task');
		expect(output[1].json.details).toMatch(/\[NotExist\]$/);
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expectNoSecrets(output);
	});
});
