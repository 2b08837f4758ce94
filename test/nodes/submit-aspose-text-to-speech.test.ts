import nock from 'nock';

import { asposeCredentials, node, SECRETS, single } from '../harness/fixtures';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';

const ASPOSE = 'https://api.aspose.cloud';
const ID = 'TTS01232-9d40-4f2d-8eda-f1fc0b12bce6';
const TEXT = 'Your order has shipped.';

const submit = (params: Record<string, unknown> = {}, extra = {}) =>
	node(
		TYPES.submitAsposeTextToSpeech,
		{ useTrial: false, text: TEXT, ...params },
		{
			name: 'Submit',
			...extra,
		},
	);

function tokenEndpoint(...tokens: string[]) {
	const scope = nock(ASPOSE);
	for (const token of tokens) {
		scope
			.post('/connect/token')
			.reply(200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
	}
	return scope;
}

const BODY = { text: TEXT, settings: { language: 'English', resultType: 'Wav' } };

afterEach(() => nock.cleanAll());

describe('Submit Aspose Text to Speech', () => {
	it('posts the text with a fresh token and outputs the task as Wait Until Complete reads it', async () => {
		const token = tokenEndpoint(SECRETS.accessToken1);
		const api = nock(ASPOSE)
			.post('/v5.0/ocr/ConvertTextToSpeech', BODY)
			.matchHeader('authorization', `Bearer ${SECRETS.accessToken1}`)
			.matchHeader('accept', 'text/plain')
			.reply(200, `  "${ID}"\n`, { 'content-type': 'text/plain' });

		const { output, error } = await runWorkflow(single(submit()));

		expect(error).toBeUndefined();
		expect(token.isDone() && api.isDone()).toBe(true);
		expect(output).toEqual([
			{
				json: { id: ID, taskStatus: 'Pending', textLength: TEXT.length, trial: false },
				pairedItem: { item: 0 },
			},
		]);
		expectNoSecrets(output);
	});

	it('renews an expired token once and submits again', async () => {
		const token = tokenEndpoint(SECRETS.accessToken1, SECRETS.accessToken2);
		const api = nock(ASPOSE)
			.post('/v5.0/ocr/ConvertTextToSpeech')
			.matchHeader('authorization', `Bearer ${SECRETS.accessToken1}`)
			.reply(401, { title: 'Unauthorized' })
			.post('/v5.0/ocr/ConvertTextToSpeech')
			.matchHeader('authorization', `Bearer ${SECRETS.accessToken2}`)
			.reply(200, ID);

		const { output, error } = await runWorkflow(single(submit()));

		expect(error).toBeUndefined();
		expect(token.isDone() && api.isDone()).toBe(true);
		expect(output[0].json.id).toBe(ID);
	});

	it('uses the trial endpoint without any credential', async () => {
		const api = nock('http://127.0.0.1:4999')
			.post('/v5.0/ocr/ConvertTextToSpeechTrial', BODY)
			.reply(function () {
				expect(this.req.headers.authorization).toBeUndefined();
				return [200, ID];
			});

		const { output, error } = await runWorkflow(
			single(
				submit({ useTrial: true, options: { trialBaseUrl: 'http://127.0.0.1:4999' } }),
				[{ json: {} }],
				{},
			),
		);

		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(output[0].json).toEqual({
			id: ID,
			taskStatus: 'Pending',
			textLength: TEXT.length,
			trial: true,
		});
	});

	it('an answer that is not a task ID is an error in words', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE).post('/v5.0/ocr/ConvertTextToSpeech').reply(200, '<html>maintenance</html>');

		const { error } = await runWorkflow(single(submit()));

		expect(error?.message).toBe('The service answered with something that is not a task');
	});

	it('words Aspose refusing the text, with what it says', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE)
			.post('/v5.0/ocr/ConvertTextToSpeech')
			.reply(400, { title: 'One or more validation errors occurred.', status: 400 });

		const { error } = await runWorkflow(single(submit()));

		expect(error?.message).toBe('Aspose refused the request');
		expect(error?.description).toMatch(
			/^Check the text .*Aspose says: One or more validation errors occurred\. \[HTTP 400\]$/,
		);
	});

	it.each([
		['empty', { text: '   ' }, /^The Text is empty$/],
		[
			'over the trial limit',
			{ useTrial: true, text: 'x'.repeat(501) },
			/^The Text is 501 characters long \(at most 500\)$/,
		],
		['with a control character', { text: 'a\u0007b' }, /^The Text contains a control character$/],
		['a number from an expression', { text: '={{ 42 }}' }, /^The Text is not text/],
	])(
		'refuses text that is %s before any request, naming the field',
		async (_label, params, message) => {
			const trap = nock(ASPOSE).post(/.*/).reply(200, ID);
			const { error } = await runWorkflow(single(submit(params)));
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/Parameter "Text" \(text\)/);
			expect(trap.isDone()).toBe(false);
		},
	);

	it('keeps line breaks and tabs, which texts have', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		const api = nock(ASPOSE)
			.post('/v5.0/ocr/ConvertTextToSpeech', {
				text: 'Line one.\n\tLine two.',
				settings: BODY.settings,
			})
			.reply(200, ID);
		const { error } = await runWorkflow(single(submit({ text: 'Line one.\n\tLine two.' })));
		expect(error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('with Continue On Fail, a failing item is { error, details } and the others are submitted', async () => {
		tokenEndpoint(SECRETS.accessToken1);
		nock(ASPOSE).post('/v5.0/ocr/ConvertTextToSpeech').times(2).reply(200, ID);
		const input = [{ json: { t: 'One.' } }, { json: { t: '' } }, { json: { t: 'Three.' } }];
		const { output, error } = await runWorkflow(
			single(submit({ text: '={{ $json.t }}' }, { onError: 'continueRegularOutput' }), input, {
				asposeCloudApi: asposeCredentials(),
			}),
		);
		expect(error).toBeUndefined();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json).toEqual({
			error: 'The Text is empty',
			details: expect.stringContaining('(text)'),
		});
		expect(output[2].json.id).toBe(ID);
	});
});
