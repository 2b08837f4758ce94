import nock from 'nock';

import { awsCredentials, node, single } from '../harness/fixtures';
import { TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';

const POLLY = 'https://polly.us-east-1.amazonaws.com';
const SIGNED =
	/^AWS4-HMAC-SHA256 Credential=AKIDSPEECHTASKSTEST\/\d{8}\/us-east-1\/polly\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/;

const TASK = {
	TaskId: '70b61c0f-57ce-4715-a247-cae8729dcce9',
	TaskStatus: 'completed',
	TaskStatusReason: 'ok',
	OutputUri:
		'https://s3.us-east-1.amazonaws.com/my-bucket/70b61c0f-57ce-4715-a247-cae8729dcce9.mp3',
	CreationTime: 1603911042.689,
	RequestCharacters: 1311,
	OutputFormat: 'mp3',
	SampleRate: '22050',
	SpeechMarkTypes: ['sentence'],
	TextType: 'text',
	VoiceId: 'Joanna',
	Engine: 'neural',
	LanguageCode: 'en-US',
	LexiconNames: ['lex1'],
	SnsTopicArn: 'arn:aws:sns:us-east-1:111122223333:topic',
};

const polly = (taskId: unknown, extra = {}) =>
	node(TYPES.getPollySynthesisTask, { taskId: taskId as string }, extra);

describe('Get Polly Synthesis Task', () => {
	it('returns the whole SynthesisTask, signed for polly, with pairedItem', async () => {
		const scope = nock(POLLY)
			.get(`/v1/synthesisTasks/${TASK.TaskId}`)
			.matchHeader('authorization', SIGNED)
			.matchHeader('x-amz-security-token', /SESSION-TOKEN/)
			.reply(200, { SynthesisTask: TASK });

		const { output, error } = await runWorkflow(single(polly(TASK.TaskId)));

		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual(TASK);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
		expectNoSecrets(output);
	});

	it('runs one request per item with expression-valued task IDs', async () => {
		const ids = ['task-a', 'task-b', 'task-c'];
		const scope = nock(POLLY);
		for (const id of ids) {
			scope
				.get(`/v1/synthesisTasks/${id}`)
				.reply(200, { SynthesisTask: { TaskId: id, TaskStatus: 'inProgress' } });
		}
		const { output } = await runWorkflow(
			single(
				polly('={{ $json.id }}'),
				ids.map((id) => ({ json: { id } })),
			),
		);
		expect(output.map((o) => o.json.TaskId)).toEqual(ids);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(scope.isDone()).toBe(true);
	});

	it('uses the aws-cn and aws-us-gov partitions and custom endpoints', async () => {
		const cn = nock('https://polly.cn-northwest-1.amazonaws.com.cn')
			.get('/v1/synthesisTasks/t1')
			.matchHeader('authorization', /\/cn-northwest-1\/polly\/aws4_request/)
			.reply(200, { SynthesisTask: { TaskId: 't1', TaskStatus: 'scheduled' } });
		const gov = nock('https://polly.us-gov-west-1.amazonaws.com')
			.get('/v1/synthesisTasks/t1')
			.reply(200, { SynthesisTask: { TaskId: 't1', TaskStatus: 'scheduled' } });
		const custom = nock('http://127.0.0.1:4599')
			.get('/polly/v1/synthesisTasks/t1')
			.matchHeader('authorization', /\/eu-west-1\/polly\/aws4_request/)
			.reply(200, { SynthesisTask: { TaskId: 't1', TaskStatus: 'scheduled' } });

		for (const credentials of [
			awsCredentials({ region: 'cn-northwest-1' }),
			awsCredentials({ region: 'us-gov-west-1' }),
			awsCredentials({
				region: 'eu-west-1',
				customEndpoints: true,
				pollyEndpoint: 'http://127.0.0.1:4599/polly',
			}),
		]) {
			const { output, error } = await runWorkflow(
				single(polly('t1'), undefined, { awsSigV4Api: credentials }),
			);
			expect(error).toBeUndefined();
			expect(output[0].json.TaskStatus).toBe('scheduled');
		}
		expect([cn.isDone(), gov.isDone(), custom.isDone()]).toEqual([true, true, true]);
	});

	const errors: Array<[string, number, object, RegExp, RegExp]> = [
		[
			'InvalidTaskIdException',
			400,
			{ message: 'Invalid task id' },
			/does not accept this task ID/,
			/task ID that Start Polly Synthesis Task or List Polly Synthesis Tasks outputs/,
		],
		[
			'SynthesisTaskNotFoundException',
			400,
			{ message: 'not found' },
			/found no such Polly synthesis task/,
			/72 hours/,
		],
		[
			'ServiceFailureException',
			500,
			{ message: 'boom' },
			/^AWS could not handle the request because of a problem on its side$/,
			/Try again in a few minutes\. \[HTTP 500\]/,
		],
		[
			'AccessDeniedException',
			403,
			{ message: 'no' },
			/denied access/,
			/polly:GetSpeechSynthesisTask/,
		],
		[
			'InvalidSignatureException',
			403,
			{ message: 'The request signature we calculated does not match' },
			/rejected the request signature/,
			/Secret Access Key/,
		],
		[
			'UnrecognizedClientException',
			403,
			{ message: 'The security token included in the request is invalid.' },
			/does not recognise the access key/,
			/Access Key ID/,
		],
		[
			'ExpiredTokenException',
			403,
			{ message: 'The security token included in the request is expired' },
			/session token has expired/,
			/fresh/,
		],
		['ThrottlingException', 400, { message: 'Rate exceeded' }, /throttling/, /Wait Until Complete/],
		[
			'InvalidSignatureException',
			403,
			{ message: 'Signature expired: 20260101T000000Z is now earlier than ...' },
			/clock is off/,
			/NTP/,
		],
	];

	it.each(errors)(
		'explains %s (HTTP %i) in plain words',
		async (code, status, body, message, description) => {
			nock(POLLY)
				.get('/v1/synthesisTasks/t1')
				.reply(status, body, {
					'x-amzn-ErrorType': `${code}:http://internal.amazon.com/coral/com.amazonaws.tts/`,
					'x-amzn-RequestId': 'req-123',
				});
			const { error, output } = await runWorkflow(single(polly('t1')));
			expect(output).toEqual([]);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(description);
			expect(error?.description).toContain(`[${code}]`);
			expect(error?.description).toContain('req-123');
			expectNoSecrets(error);
		},
	);

	it('reads the error code from the body when the header is missing', async () => {
		nock(POLLY).get('/v1/synthesisTasks/t1').reply(400, {
			__type: 'com.amazonaws.polly#SynthesisTaskNotFoundException',
			message: 'gone',
		});
		const { error } = await runWorkflow(single(polly('t1')));
		expect(error?.message).toMatch(/found no such Polly synthesis task/);
	});

	const badIds: Array<[string, unknown, RegExp]> = [
		['whitespace only', '   ', /is empty/],
		['over 128 characters', 'a'.repeat(129), /129 characters long \(at most 128\)/],
		['an ARN', 'arn:aws:polly:us-east-1:111122223333:task/abc', /is an ARN/],
		['a path', '../other', /not allowed/],
		['a query', 'abc?x=1', /not allowed/],
		['a number from an expression', '={{ 12345 }}', /is a number, not text/],
		['an object from an expression', '={{ { a: 1 } }}', /is an object, not text/],
		['a control character', 'abc\u0000def', /control character/],
	];

	it.each(badIds)(
		'refuses a task ID that is %s before any request',
		async (_label, taskId, message) => {
			const trap = nock(POLLY).get(/.*/).reply(200, { SynthesisTask: TASK });
			const { error } = await runWorkflow(single(polly(taskId)));
			// A bad parameter is a NodeOperationError with our message and description; nothing is sent.
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.context?.itemIndex).toBe(0);
			expect(error?.message).toMatch(message);
			expect(error?.message).toContain('Task ID');
			expect(error?.description).toContain('(taskId)');
			expect(trap.isDone()).toBe(false);
		},
	);

	it('an empty task ID never runs: n8n itself refuses the required parameter', async () => {
		const trap = nock(POLLY).get(/.*/).reply(200, { SynthesisTask: TASK });
		const { error } = await runWorkflow(single(polly('')));
		expect(error?.message).toMatch(/has issues/);
		expect(JSON.stringify(error)).toMatch(/Parameter \\"Task ID\\" is required/);
		expect(trap.isDone()).toBe(false);
	});

	it('trims surrounding whitespace from a task ID', async () => {
		const scope = nock(POLLY)
			.get('/v1/synthesisTasks/t1')
			.reply(200, { SynthesisTask: { TaskId: 't1', TaskStatus: 'completed' } });
		const { output } = await runWorkflow(single(polly('  t1\n')));
		expect(output[0].json.TaskId).toBe('t1');
		expect(scope.isDone()).toBe(true);
	});

	it('with Continue On Fail, every good item still comes out', async () => {
		nock(POLLY)
			.get('/v1/synthesisTasks/good-1')
			.reply(200, { SynthesisTask: { TaskId: 'good-1', TaskStatus: 'completed' } })
			.get('/v1/synthesisTasks/missing')
			.reply(400, { message: 'nope' }, { 'x-amzn-ErrorType': 'SynthesisTaskNotFoundException' })
			.get('/v1/synthesisTasks/good-2')
			.reply(200, { SynthesisTask: { TaskId: 'good-2', TaskStatus: 'failed' } });
		const input = ['good-1', 'bad id!', 'missing', 'good-2'].map((id) => ({ json: { id } }));
		const { output, error } = await runWorkflow(
			single(polly('={{ $json.id }}', { onError: 'continueRegularOutput' }), input),
		);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(4);
		expect(output.map((o) => o.json.TaskId)).toEqual(['good-1', undefined, undefined, 'good-2']);
		expect(output.filter((o) => o.json.TaskId === undefined).map((o) => o.pairedItem)).toEqual([
			{ item: 1 },
			{ item: 2 },
		]);
		expectNoSecrets(output);
	});
});
