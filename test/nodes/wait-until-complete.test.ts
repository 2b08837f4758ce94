import nock from 'nock';
import type { INode } from 'n8n-workflow';

import { asposeCredentials, awsCredentials, node, SECRETS, single } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow, startWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';
import { makeWav } from '../harness/wav';

const POLLY = 'https://polly.us-east-1.amazonaws.com';
const S3 = 'https://s3.us-east-1.amazonaws.com';
const MP = 'https://media-pipelines-chime.us-east-1.amazonaws.com';
const VOICE = 'https://voice-chime.us-east-1.amazonaws.com';
const ASPOSE = 'https://api.aspose.cloud';
const GUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const CONNECTOR = 'abcdef1ghij2klmno3pqr4';

const FAST = { strategy: 'fixed', interval: 0.1, timeout: 10 };

const wait = (parameters: Record<string, unknown> = {}, extra: Partial<INode> = {}) =>
	node(
		TYPES.waitUntilComplete,
		{
			service: 'auto',
			downloadAudio: true,
			binaryPropertyName: 'data',
			options: FAST,
			...parameters,
		},
		{ name: 'Wait Until Complete', ...extra },
	);

const pollyTask = (TaskId: string, TaskStatus: string, extra: object = {}) => ({
	TaskId,
	TaskStatus,
	OutputFormat: 'mp3',
	OutputUri: `${S3}/speech-bucket/${TaskId}.mp3`,
	CreationTime: Date.now() / 1000,
	RequestCharacters: 50,
	...extra,
});

/** Replies with each status in turn, the last one for any further request. */
function pollySequence(
	taskId: string,
	statuses: Array<string | [number, object, object?]>,
	extra: object = {},
) {
	const scope = nock(POLLY);
	statuses.forEach((status, index) => {
		const interceptor = scope.get(`/v1/synthesisTasks/${taskId}`);
		const last = index === statuses.length - 1;
		if (last) interceptor.times(1000);
		if (Array.isArray(status))
			interceptor.reply(status[0], status[1], status[2] as Record<string, string>);
		else interceptor.reply(200, { SynthesisTask: pollyTask(taskId, status, extra) });
	});
	return scope;
}

const MP3 = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413, 7)]);

describe('Wait Until Complete', () => {
	it('waits for a Polly task through scheduled → inProgress → completed and attaches the mp3', async () => {
		const polly = pollySequence('t1', ['scheduled', 'inProgress', 'completed']);
		const s3 = nock(S3)
			.get('/speech-bucket/t1.mp3')
			.matchHeader('authorization', /\/us-east-1\/s3\/aws4_request/)
			.matchHeader('x-amz-content-sha256', /^[0-9a-f]{64}$|UNSIGNED-PAYLOAD/)
			.reply(200, MP3, { 'content-type': 'audio/mpeg', 'content-length': String(MP3.length) });

		const { outputs, error } = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));

		expect(error).toBeUndefined();
		const [completed, failed, timedOut] = outputs['Wait Until Complete'];
		expect(failed).toEqual([]);
		expect(timedOut).toEqual([]);
		expect(completed).toHaveLength(1);
		expect(completed[0].json).toMatchObject({
			TaskId: 't1',
			TaskStatus: 'completed',
			waitOutcome: { outcome: 'completed', checks: 3 },
		});
		expect(completed[0].binary?.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 't1.mp3' });
		expect(Buffer.from(completed[0].binary!.data.data, 'base64').equals(MP3)).toBe(true);
		expect(completed[0].pairedItem).toEqual({ item: 0 });
		expect(s3.isDone()).toBe(true);
		// Every reply of the sequence was used; only the last one (repeated up to 1000 times) can stay pending.
		expect(polly.pendingMocks()).toHaveLength(1);
		expectNoSecrets(outputs);
	});

	it('sends a failed Polly task to Failed with the service reason', async () => {
		pollySequence('t1', ['inProgress', 'failed'], { TaskStatusReason: 'Invalid SSML request' });
		const { outputs } = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));
		const [completed, failed] = outputs['Wait Until Complete'];
		expect(completed).toEqual([]);
		expect(failed[0].json.waitOutcome).toMatchObject({
			outcome: 'failed',
			status: 'failed',
			reason: 'Invalid SSML request',
		});
		expect(failed[0].binary).toBeUndefined();
	});

	it('sends a task still running at the deadline to Timed Out with its last status', async () => {
		pollySequence('t1', ['scheduled', 'inProgress']);
		const started = Date.now();
		const { outputs } = await runWorkflow(
			single(
				wait({
					service: 'polly',
					taskId: 't1',
					options: { strategy: 'fixed', interval: 0.2, timeout: 1 },
				}),
			),
		);
		const elapsed = Date.now() - started;
		const [, , timedOut] = outputs['Wait Until Complete'];
		expect(timedOut[0].json).toMatchObject({
			TaskStatus: 'inProgress',
			waitOutcome: { outcome: 'timedOut', status: 'inProgress' },
		});
		expect(elapsed).toBeGreaterThanOrEqual(1000);
		expect(elapsed).toBeLessThan(4000);
	});

	it('treats an unknown status string as still running, never as done', async () => {
		pollySequence('t1', ['queuedSomewhereNew', 'completed']);
		nock(S3).get('/speech-bucket/t1.mp3').reply(200, MP3);
		const { outputs } = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));
		expect(outputs['Wait Until Complete'][0][0].json.waitOutcome).toMatchObject({ checks: 2 });
	});

	it('waits for Chime Media Pipelines until Stopped, without audio', async () => {
		const statuses = ['NotStarted', 'Initializing', 'InProgress', 'Stopping', 'Stopped'];
		const scope = nock(MP);
		statuses.forEach((s, i) =>
			scope
				.get(`/media-insights-pipelines/pipe-1/speaker-search-tasks/${GUID}`)
				.times(i === statuses.length - 1 ? 100 : 1)
				.reply(200, {
					SpeakerSearchTask: { SpeakerSearchTaskId: GUID, SpeakerSearchTaskStatus: s },
				}),
		);
		const { outputs } = await runWorkflow(
			single(
				wait({ service: 'chimeMediaPipeline', identifier: 'pipe-1', speakerSearchTaskId: GUID }),
			),
		);
		const [completed] = outputs['Wait Until Complete'];
		expect(completed[0].json).toMatchObject({
			SpeakerSearchTaskStatus: 'Stopped',
			MediaInsightsPipelineIdentifier: 'pipe-1',
		});
		expect(completed[0].binary).toBeUndefined();
	});

	it.each([
		['SUCCEEDED', 0],
		['PARTIAL_SUCCESS', 0],
		['FAILED', 1],
		['STOPPED', 1],
	])('sorts a Chime Voice task that ends %s', async (status, output) => {
		const task = (s: string) => ({
			SpeakerSearchTask: {
				SpeakerSearchTaskId: GUID,
				SpeakerSearchTaskStatus: s,
				CallDetails: { VoiceConnectorId: CONNECTOR, TransactionId: 'tx', IsCaller: true },
				SpeakerSearchDetails: { Results: [{ ConfidenceScore: 0.9, VoiceProfileId: 'vp-1' }] },
				StatusMessage: `ended ${s}`,
			},
		});
		nock(VOICE)
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${GUID}`)
			.reply(200, task('IN_QUEUE'))
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${GUID}`)
			.reply(200, task('IN_PROGRESS'))
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${GUID}`)
			.reply(200, task(status));
		const { outputs } = await runWorkflow(
			single(
				wait({ service: 'chimeVoice', voiceConnectorId: CONNECTOR, speakerSearchTaskId: GUID }),
			),
		);
		const item = outputs['Wait Until Complete'][output][0];
		expect(item.json.SpeakerSearchTaskStatus).toBe(status);
		if (output === 0)
			expect(item.json.SpeakerSearchDetails).toEqual({
				Results: [{ ConfidenceScore: 0.9, VoiceProfileId: 'vp-1' }],
			});
		else expect(item.json.waitOutcome).toMatchObject({ reason: `ended ${status}` });
	});

	it('waits for an Aspose task and attaches the WAV; NotExist goes to Failed', async () => {
		const wav = makeWav();
		const body = (id: string, taskStatus: string) => ({
			id,
			taskStatus,
			responseStatusCode: 'Ok',
			results:
				taskStatus === 'Completed' ? [{ type: 'WavFile', data: wav.toString('base64') }] : null,
			error: null,
		});
		nock(ASPOSE)
			.post('/connect/token')
			.reply(200, { access_token: SECRETS.accessToken1, expires_in: 3600 });
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'a1' })
			.reply(200, body('a1', 'Pending'))
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'a1' })
			.reply(200, body('a1', 'Processing'))
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'a1' })
			.reply(200, body('a1', 'Completed'))
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'gone' })
			.reply(200, body('gone', 'NotExist'));
		const { outputs } = await runWorkflow(
			single(wait({ service: 'aspose', taskId: '={{ $json.id }}' }), [
				{ json: { id: 'a1' } },
				{ json: { id: 'gone' } },
			]),
		);
		const [completed, failed] = outputs['Wait Until Complete'];
		expect(completed[0].binary?.data).toMatchObject({ mimeType: 'audio/wav', fileName: 'a1.wav' });
		expect(Buffer.from(completed[0].binary!.data.data, 'base64').equals(wav)).toBe(true);
		expect(JSON.stringify(completed[0].json)).not.toContain(wav.toString('base64').slice(0, 32));
		expect(failed[0].json.waitOutcome).toMatchObject({ status: 'NotExist' });
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expectNoSecrets(outputs);
	});

	it('waits for all items at once: the run costs about the longest task, not the sum', async () => {
		// Task k completes on its k-th check; with 0.3 s between checks the longest needs ~1.2 s.
		for (const [id, checks] of [
			['a', 1],
			['b', 3],
			['c', 5],
		] as const) {
			pollySequence(id, [...Array(checks - 1).fill('inProgress'), 'completed']);
			nock(S3).get(`/speech-bucket/${id}.mp3`).reply(200, MP3);
		}
		const started = Date.now();
		const { outputs } = await runWorkflow(
			single(
				wait({
					service: 'polly',
					taskId: '={{ $json.id }}',
					options: { strategy: 'fixed', interval: 0.3, timeout: 30 },
				}),
				[{ json: { id: 'a' } }, { json: { id: 'b' } }, { json: { id: 'c' } }],
			),
		);
		const elapsed = Date.now() - started;
		const [completed] = outputs['Wait Until Complete'];
		expect(
			completed.map((i) => [i.json.TaskId, (i.json.waitOutcome as { checks: number }).checks]),
		).toEqual([
			['a', 1],
			['b', 3],
			['c', 5],
		]);
		expect(elapsed).toBeLessThan(1200 + 1500);
	});

	it('slows down on throttling, 5xx and connection resets mid-wait and still completes', async () => {
		// Each fault between two good answers, so that the backoff starts afresh each time.
		const running = { SynthesisTask: pollyTask('t1', 'inProgress') };
		const scope = nock(POLLY)
			.get('/v1/synthesisTasks/t1')
			.reply(200, running)
			.get('/v1/synthesisTasks/t1')
			.reply(429, { message: 'slow down' }, { 'Retry-After': '1' })
			.get('/v1/synthesisTasks/t1')
			.reply(200, running)
			.get('/v1/synthesisTasks/t1')
			.reply(400, { message: 'Rate exceeded' }, { 'x-amzn-ErrorType': 'ThrottlingException' })
			.get('/v1/synthesisTasks/t1')
			.reply(200, running)
			.get('/v1/synthesisTasks/t1')
			.reply(503, { message: 'unavailable' }, { 'x-amzn-ErrorType': 'ServiceUnavailableException' })
			.get('/v1/synthesisTasks/t1')
			.reply(200, running)
			.get('/v1/synthesisTasks/t1')
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get('/v1/synthesisTasks/t1')
			.reply(200, running)
			.get('/v1/synthesisTasks/t1')
			.reply(200, '{"SynthesisTask": {"TaskId": "t1", "TaskSt', {
				'content-type': 'application/json',
			})
			.get('/v1/synthesisTasks/t1')
			.reply(200, { SynthesisTask: pollyTask('t1', 'completed') });
		nock(S3)
			.get('/speech-bucket/t1.mp3')
			.reply(
				503,
				'<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>',
			)
			.get('/speech-bucket/t1.mp3')
			.reply(200, MP3);
		const started = Date.now();
		const { outputs, error } = await runWorkflow(
			single(
				wait({
					service: 'polly',
					taskId: 't1',
					options: { strategy: 'fixed', interval: 0.1, timeout: 60 },
				}),
			),
		);
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(outputs['Wait Until Complete'][0][0].binary?.data.mimeType).toBe('audio/mpeg');
		// Retry-After: 1 was honoured.
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('fails the node on an error that retrying cannot fix, and on 5xx that lasts to the deadline', async () => {
		nock(POLLY)
			.get('/v1/synthesisTasks/t1')
			.reply(403, { message: 'no' }, { 'x-amzn-ErrorType': 'AccessDeniedException' });
		const denied = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));
		expect(denied.error?.message).toMatch(/denied access/);

		nock(POLLY)
			.get('/v1/synthesisTasks/t2')
			.times(100)
			.reply(500, { message: 'boom' }, { 'x-amzn-ErrorType': 'ServiceFailureException' });
		const down = await runWorkflow(
			single(
				wait({
					service: 'polly',
					taskId: 't2',
					options: { strategy: 'fixed', interval: 0.1, timeout: 0.5 },
				}),
			),
		);
		expect(down.error?.message).toBe(
			'AWS could not handle the request because of a problem on its side',
		);
		expect(down.error?.description).toContain('[HTTP 500]');
	});

	it('follows an S3 wrong-region answer once', async () => {
		pollySequence('t1', ['completed']);
		nock(S3)
			.get('/speech-bucket/t1.mp3')
			.reply(
				301,
				'<Error><Code>PermanentRedirect</Code><Message>wrong endpoint</Message></Error>',
				{ 'x-amz-bucket-region': 'eu-west-1' },
			);
		const moved = nock('https://s3.eu-west-1.amazonaws.com')
			.get('/speech-bucket/t1.mp3')
			.matchHeader('authorization', /\/eu-west-1\/s3\/aws4_request/)
			.reply(200, MP3);
		const { outputs, error } = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));
		expect(error).toBeUndefined();
		expect(moved.isDone()).toBe(true);
		expect(outputs['Wait Until Complete'][0][0].binary?.data.fileName).toBe('t1.mp3');
	});

	it.each([
		'https://s3.amazonaws.com.example.net/b/t1.mp3',
		'http://169.254.169.254/latest/meta-data/',
		'https://evil.example.com/b/t1.mp3',
		'https://s3.cn-north-1.amazonaws.com.cn/b/t1.mp3',
	])('refuses to download from %s', async (uri) => {
		pollySequence('t1', ['completed'], { OutputUri: uri });
		const trap = nock(/.*/).get(/.*/).reply(200, MP3);
		const { error } = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));
		expect(error).toBeDefined();
		expect(error?.message + ' ' + error?.description).toMatch(/OutputUri|S3/);
		expect(trap.isDone()).toBe(false);
	});

	it('wraps Polly PCM into a playable WAV at the task sample rate', async () => {
		const pcm = Buffer.alloc(3200);
		for (let i = 0; i < 1600; i++) pcm.writeInt16LE(Math.round(Math.sin(i / 3) * 10000), i * 2);
		pollySequence('t1', ['completed'], {
			OutputFormat: 'pcm',
			SampleRate: '8000',
			OutputUri: `${S3}/speech-bucket/t1.pcm`,
		});
		nock(S3)
			.get('/speech-bucket/t1.pcm')
			.reply(200, pcm, { 'content-length': String(pcm.length) });
		const { outputs } = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));
		const binary = outputs['Wait Until Complete'][0][0].binary!.data;
		expect(binary).toMatchObject({ mimeType: 'audio/wav', fileName: 't1.wav' });
		const wav = Buffer.from(binary.data, 'base64');
		expect(wav.length).toBe(44 + pcm.length);
		expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
		expect(wav.readUInt32LE(4)).toBe(36 + pcm.length);
		expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
		expect(wav.readUInt16LE(20)).toBe(1); // PCM
		expect(wav.readUInt16LE(22)).toBe(1); // mono
		expect(wav.readUInt32LE(24)).toBe(8000);
		expect(wav.readUInt32LE(28)).toBe(16000);
		expect(wav.readUInt16LE(34)).toBe(16);
		expect(wav.toString('ascii', 36, 40)).toBe('data');
		expect(wav.readUInt32LE(40)).toBe(pcm.length);
		expect(wav.subarray(44).equals(pcm)).toBe(true);
	});

	it('parses Polly speech marks into the item and keeps the NDJSON file', async () => {
		const marks = [
			{ time: 0, type: 'sentence', start: 0, end: 11, value: 'Hello world' },
			{ time: 6, type: 'word', start: 0, end: 5, value: 'Hello' },
		];
		const ndjson = marks.map((m) => JSON.stringify(m)).join('\n') + '\n';
		pollySequence('t1', ['completed'], {
			OutputFormat: 'json',
			SpeechMarkTypes: ['sentence', 'word'],
			OutputUri: `${S3}/speech-bucket/t1.marks`,
		});
		nock(S3).get('/speech-bucket/t1.marks').reply(200, ndjson);
		const { outputs } = await runWorkflow(single(wait({ service: 'polly', taskId: 't1' })));
		const item = outputs['Wait Until Complete'][0][0];
		expect(item.json.speechMarks).toEqual(marks);
		expect(Buffer.from(item.binary!.data.data, 'base64').toString('utf8')).toBe(ndjson);
	});

	it('stops within a second when the execution is cancelled', async () => {
		pollySequence('t1', ['inProgress']);
		const running = startWorkflow(
			single(
				wait({
					service: 'polly',
					taskId: 't1',
					options: { strategy: 'fixed', interval: 30, timeout: 600 },
				}),
			),
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const cancelledAt = Date.now();
		running.cancel();
		await running.result.catch(() => undefined);
		expect(Date.now() - cancelledAt).toBeLessThan(1000);
	});

	it('refuses a timeout of -1 and bad IDs before any request', async () => {
		const trap = nock(POLLY).get(/.*/).reply(200, {});
		const timeout = await runWorkflow(
			single(wait({ service: 'polly', taskId: 't1', options: { timeout: -1 } })),
		);
		expect(timeout.error?.name).toBe('NodeOperationError');
		expect(timeout.error?.message).toMatch(/Timeout \(Seconds\)/);
		const id = await runWorkflow(single(wait({ service: 'polly', taskId: 'arn:aws:polly:x' })));
		expect(id.error?.message).toMatch(/Task ID is an ARN/);
		const unknown = await runWorkflow(single(wait(), [{ json: { hello: 'world' } }]));
		expect(unknown.error?.message).toMatch(/does not look like a task/);
		expect(trap.isDone()).toBe(false);
	});

	it('with Continue On Fail, every other item still comes out', async () => {
		pollySequence('good', ['completed']);
		nock(S3).get('/speech-bucket/good.mp3').reply(200, MP3);
		nock(POLLY)
			.get('/v1/synthesisTasks/missing')
			.reply(400, { message: 'x' }, { 'x-amzn-ErrorType': 'SynthesisTaskNotFoundException' });
		const input = ['good', 'missing', 'bad id'].map((id) => ({ json: { id } }));
		const { outputs, error } = await runWorkflow(
			single(
				wait({ service: 'polly', taskId: '={{ $json.id }}' }, { onError: 'continueRegularOutput' }),
				input,
			),
		);
		expect(error).toBeUndefined();
		const [completed] = outputs['Wait Until Complete'];
		expect(completed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(completed[0].binary?.data.mimeType).toBe('audio/mpeg');
		expect(completed[1].json.error).toMatch(/no such Polly synthesis task/);
		expect(completed[2].json.error).toMatch(/Task ID contains characters/);
		expectNoSecrets(outputs);
	});
});

describe('Wait Until Complete after the task nodes (auto-detect)', () => {
	const chain = (first: INode, input = [{ json: {} }]) => {
		const waitNode = wait();
		return {
			nodeTypes,
			credentialTypes,
			credentials: { awsSigV4Api: awsCredentials(), asposeCloudApi: asposeCredentials() },
			nodes: [first, waitNode],
			connections: {
				[first.name]: { main: [[{ node: waitNode.name, type: 'main' as const, index: 0 }]] },
			},
			input,
		};
	};

	it('Get Polly Synthesis Task → Wait Until Complete', async () => {
		pollySequence('t1', ['scheduled', 'scheduled', 'completed']);
		nock(S3).get('/speech-bucket/t1.mp3').reply(200, MP3);
		const first = node(
			TYPES.getPollySynthesisTask,
			{ taskId: 't1' },
			{ name: 'Get Polly Synthesis Task' },
		);
		const { outputs, error } = await runWorkflow(chain(first));
		expect(error).toBeUndefined();
		expect(outputs['Wait Until Complete'][0][0].binary?.data.mimeType).toBe('audio/mpeg');
	});

	it('Get Speaker Search Task (Media Pipelines, by ARN) → Wait Until Complete', async () => {
		const arn = 'arn:aws:chime:us-east-1:111122223333:media-insights-pipeline/pipe-9';
		nock(MP)
			.get(`/media-insights-pipelines/${encodeURIComponent(arn)}/speaker-search-tasks/${GUID}`)
			.reply(200, {
				SpeakerSearchTask: { SpeakerSearchTaskId: GUID, SpeakerSearchTaskStatus: 'InProgress' },
			})
			.get(`/media-insights-pipelines/${encodeURIComponent(arn)}/speaker-search-tasks/${GUID}`)
			.reply(200, {
				SpeakerSearchTask: { SpeakerSearchTaskId: GUID, SpeakerSearchTaskStatus: 'Stopped' },
			});
		const first = node(
			TYPES.getSpeakerSearchTask,
			{ source: 'mediaInsightsPipeline', identifier: arn, speakerSearchTaskId: GUID },
			{ name: 'Get Speaker Search Task' },
		);
		const { outputs } = await runWorkflow(chain(first));
		expect(outputs['Wait Until Complete'][0][0].json.SpeakerSearchTaskStatus).toBe('Stopped');
	});

	it('Get Speaker Search Task (Voice) → Wait Until Complete', async () => {
		const t = (s: string) => ({
			SpeakerSearchTask: {
				SpeakerSearchTaskId: GUID,
				SpeakerSearchTaskStatus: s,
				CallDetails: { VoiceConnectorId: CONNECTOR },
			},
		});
		nock(VOICE)
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${GUID}`)
			.reply(200, t('IN_PROGRESS'))
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${GUID}`)
			.reply(200, t('IN_PROGRESS'))
			.get(`/voice-connectors/${CONNECTOR}/speaker-search-tasks/${GUID}`)
			.reply(200, t('SUCCEEDED'));
		const first = node(
			TYPES.getSpeakerSearchTask,
			{ source: 'voiceConnector', voiceConnectorId: CONNECTOR, speakerSearchTaskId: GUID },
			{ name: 'Get Speaker Search Task' },
		);
		const { outputs } = await runWorkflow(chain(first));
		expect(outputs['Wait Until Complete'][0][0].json.SpeakerSearchTaskStatus).toBe('SUCCEEDED');
	});

	it('Fetch Aspose Audio → Wait Until Complete', async () => {
		const wav = makeWav();
		nock(ASPOSE).post('/connect/token').reply(200, { access_token: SECRETS.accessToken1 });
		nock(ASPOSE)
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'a1' })
			.reply(200, { id: 'a1', taskStatus: 'Processing', responseStatusCode: 'NotReady' })
			.get('/v5.0/ocr/ConvertTextToSpeech')
			.query({ id: 'a1' })
			.reply(200, {
				id: 'a1',
				taskStatus: 'Completed',
				responseStatusCode: 'Ok',
				results: [{ type: 'WavFile', data: wav.toString('base64') }],
			});
		const first = node(
			TYPES.fetchAsposeAudio,
			{ taskId: 'a1', useTrial: false, binaryPropertyName: 'data' },
			{ name: 'Fetch Aspose Audio' },
		);
		const { outputs } = await runWorkflow(chain(first));
		expect(outputs['Wait Until Complete'][0][0].binary?.data.mimeType).toBe('audio/wav');
	});
});
