// The README's "Adding a service" recipe, done: a fifth service defined in one file and registered with
// one line, then polled to its end by Wait Until Complete in n8n's real engine. Nothing else changes.
import nock from 'nock';

import { ADAPTERS } from '../../nodes/common/adapters';
import { awsEndpoints } from '../../nodes/common/adapters/lookup';
import { node, single } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import { expectNoSecrets } from '../harness/secrets';
import { TRANSCRIBE_ENDPOINT, transcribeAdapter } from './fifth-service/transcribe';

jest.mock('../../nodes/common/adapters/index', () => {
	const actual = jest.requireActual('../../nodes/common/adapters/index');
	const { transcribeAdapter: fifth } = jest.requireActual('./fifth-service/transcribe');
	// The one line a contributor adds to nodes/common/adapters/index.ts:
	return { ADAPTERS: [...actual.ADAPTERS, fifth] };
});

const TRANSCRIBE = 'https://transcribe.us-east-1.amazonaws.com';

const wait = (parameters: Record<string, unknown>) =>
	node(
		TYPES.waitUntilComplete,
		{
			downloadAudio: true,
			binaryPropertyName: 'data',
			options: { strategy: 'fixed', interval: 0.1, timeout: 10 },
			...parameters,
		},
		{ name: 'Wait Until Complete' },
	);

/** Answers GetTranscriptionJob for `name` with each status in turn (the last one for good). */
function transcribeJob(name: string, statuses: string[], extra: object = {}) {
	const requests: Array<{
		target: string;
		contentType: string;
		authorization: string;
		body: unknown;
	}> = [];
	let answered = 0;
	const scope = nock(TRANSCRIBE)
		.post('/')
		.times(50)
		.reply(function (_uri, body) {
			requests.push({
				target: String(this.req.headers['x-amz-target']),
				contentType: String(this.req.headers['content-type']),
				authorization: String(this.req.headers.authorization),
				body,
			});
			const status = statuses[Math.min(answered++, statuses.length - 1)];
			return [
				200,
				{
					TranscriptionJob: {
						TranscriptionJobName: name,
						TranscriptionJobStatus: status,
						CreationTime: Date.now() / 1000,
						...extra,
					},
				},
			];
		});
	return { scope, requests };
}

afterEach(() => nock.cleanAll());

describe('a fifth service registered with one line', () => {
	it('is in the list, and the credential signs for its endpoint and offers a custom endpoint for it', () => {
		expect(ADAPTERS.map((adapter) => adapter.service)).toEqual([
			'polly',
			'chimeMediaPipeline',
			'chimeVoice',
			'aspose',
			'transcribe',
		]);
		expect(awsEndpoints()).toContain(TRANSCRIBE_ENDPOINT);
		const fields = credentialTypes.awsSigV4Api.properties.map((property) => property.name);
		expect(fields).toContain('transcribeEndpoint');
	});

	it("appears in Wait Until Complete's Service options with its ID parameter, and needs the AWS credential only", () => {
		const { properties, credentials } = nodeTypes[TYPES.waitUntilComplete].description;
		const service = properties.find((property) => property.name === 'service');
		expect(
			service?.options?.map((option) => ('value' in option ? option.value : undefined)),
		).toContain('transcribe');
		const id = properties.find((property) => property.name === 'transcriptionJobName');
		expect(id?.displayOptions?.show?.service).toEqual(['transcribe']);
		expect(id?.default).toBe('={{ $json.TranscriptionJobName }}');
		const aspose = credentials?.find((credential) => credential.name === 'asposeCloudApi');
		expect(aspose?.displayOptions?.hide?.service).toContain('transcribe');
		const aws = credentials?.find((credential) => credential.name === 'awsSigV4Api');
		expect(aws?.displayOptions?.hide?.service).not.toContain('transcribe');
	});

	it('is polled through its POST status call to Completed', async () => {
		const { requests } = transcribeJob('job-1', ['QUEUED', 'IN_PROGRESS', 'COMPLETED']);

		const { outputs, error } = await runWorkflow(
			single(wait({ service: 'transcribe', transcriptionJobName: 'job-1' })),
		);

		expect(error).toBeUndefined();
		const [completed, failed, timedOut] = outputs['Wait Until Complete'];
		expect(failed).toHaveLength(0);
		expect(timedOut).toHaveLength(0);
		expect(completed).toHaveLength(1);
		expect(completed[0].json).toMatchObject({
			TranscriptionJobName: 'job-1',
			TranscriptionJobStatus: 'COMPLETED',
			waitOutcome: { outcome: 'completed', status: 'COMPLETED', checks: 3 },
		});
		expect(requests).toHaveLength(3);
		for (const request of requests) {
			expect(request.target).toBe('Transcribe.GetTranscriptionJob');
			expect(request.contentType).toBe('application/x-amz-json-1.1');
			expect(JSON.parse(String(request.body))).toEqual({ TranscriptionJobName: 'job-1' });
			expect(request.authorization).toMatch(
				/\/us-east-1\/transcribe\/aws4_request, SignedHeaders=[^,]*x-amz-target/,
			);
		}
		expectNoSecrets({ outputs });
	});

	it('is recognised by auto-detection and its failures land in Failed with the reason', async () => {
		transcribeJob('job-2', ['FAILED'], { FailureReason: 'The media format is not supported.' });
		const input = [
			{ json: { TranscriptionJobName: 'job-2', TranscriptionJobStatus: 'IN_PROGRESS' } },
		];

		const { outputs, error } = await runWorkflow(single(wait({ service: 'auto' }), input));

		expect(error).toBeUndefined();
		const [completed, failed] = outputs['Wait Until Complete'];
		expect(completed).toHaveLength(0);
		expect(failed.map((item) => item.json.waitOutcome)).toEqual([
			expect.objectContaining({
				outcome: 'failed',
				status: 'FAILED',
				reason: 'The media format is not supported.',
			}),
		]);
	});

	it('refuses a bad job name before any request, naming the field', async () => {
		const { requests } = transcribeJob('unused', ['COMPLETED']);

		const { error } = await runWorkflow(
			single(wait({ service: 'transcribe', transcriptionJobName: 'arn:aws:transcribe:x' })),
		);

		expect(error?.message).toBe(
			'The Transcription Job Name is an ARN, but the transcription job name belongs here',
		);
		expect(error?.description).toMatch(
			/Parameter "Transcription Job Name" \(transcriptionJobName\) must be a job name/,
		);
		expect(requests).toHaveLength(0);
	});

	it('is the adapter the one file defines', () => {
		expect(ADAPTERS[ADAPTERS.length - 1]).toBe(transcribeAdapter);
	});
});
