/** The emulator's STS AssumeRole as the official SDK (@aws-sdk/client-sts) sees it, and its sessions elsewhere. */
import { ListSpeechSynthesisTasksCommand } from '@aws-sdk/client-polly';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { type AwsCredentialSet, type Emulator, startEmulator } from '../emulator';
import { errorOf, pollyClient, s3Client } from './helpers';

const ROLE = 'arn:aws:iam::123456789012:role/speech-tasks-reader';
const EXTERNAL_ID = 'fidelity-external-id';

function stsClient(
	emulator: Emulator,
	credentials: AwsCredentialSet = emulator.awsCredentials,
	region = 'us-east-1',
) {
	return new STSClient({
		region,
		endpoint: emulator.endpoints.sts,
		credentials,
		maxAttempts: 1,
	});
}

async function assume(
	emulator: Emulator,
	input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {},
) {
	return await stsClient(emulator).send(
		new AssumeRoleCommand({
			RoleArn: ROLE,
			RoleSessionName: 'fidelity',
			ExternalId: EXTERNAL_ID,
			...input,
		}),
	);
}

function sessionOf(answer: Awaited<ReturnType<typeof assume>>): AwsCredentialSet {
	return {
		accessKeyId: answer.Credentials!.AccessKeyId!,
		secretAccessKey: answer.Credentials!.SecretAccessKey!,
		sessionToken: answer.Credentials!.SessionToken!,
	};
}

describe('STS AssumeRole through @aws-sdk/client-sts', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({
			clock: 'manual',
			roles: [
				{ arn: ROLE, externalId: EXTERNAL_ID, maxSessionSeconds: 7200 },
				{ arn: 'arn:aws:iam::123456789012:role/packed', error: 'PackedPolicyTooLarge' },
			],
			stsDisabledRegions: ['eu-west-3'],
			acceptedRegions: '*',
		});
		emulator.putObject('speech-tasks-output', 'hello.txt', 'hello', { contentType: 'text/plain' });
	});
	afterAll(() => emulator.close());

	test('issues temporary credentials the SDK reads, for the requested duration', async () => {
		const answer = await assume(emulator, { DurationSeconds: 5400 });
		expect(answer.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
		expect(answer.Credentials?.SecretAccessKey?.length).toBe(40);
		expect(answer.Credentials?.SessionToken?.length).toBeGreaterThan(100);
		expect(answer.Credentials?.Expiration).toBeInstanceOf(Date);
		expect(answer.Credentials!.Expiration!.getTime()).toBe(
			Math.floor((emulator.now() + 5400_000) / 1000) * 1000,
		);
		expect(answer.AssumedRoleUser?.Arn).toBe(
			'arn:aws:sts::123456789012:assumed-role/speech-tasks-reader/fidelity',
		);
		expect(answer.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:fidelity$/);
		expect(answer.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('its session signs Polly, S3 and STS requests, as the assumed role', async () => {
		const session = sessionOf(await assume(emulator));
		await pollyClient(emulator, { credentials: session }).send(
			new ListSpeechSynthesisTasksCommand({}),
		);
		const object = await s3Client(emulator, { credentials: session }).send(
			new GetObjectCommand({ Bucket: 'speech-tasks-output', Key: 'hello.txt' }),
		);
		expect(object.$metadata.httpStatusCode).toBe(200);
		const who = await stsClient(emulator, session).send(new GetCallerIdentityCommand({}));
		expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/speech-tasks-reader/fidelity');
	});

	test('after the session expires on the emulator clock: ExpiredTokenException, S3 ExpiredToken, STS ExpiredToken', async () => {
		const session = sessionOf(await assume(emulator, { DurationSeconds: 900 }));
		emulator.advance(900_000);
		const polly = await errorOf(() =>
			pollyClient(emulator, { credentials: session }).send(new ListSpeechSynthesisTasksCommand({})),
		);
		expect(polly.name).toBe('ExpiredTokenException');
		expect(polly.$metadata.httpStatusCode).toBe(403);
		const s3 = await errorOf(() =>
			s3Client(emulator, { credentials: session }).send(
				new GetObjectCommand({ Bucket: 'speech-tasks-output', Key: 'hello.txt' }),
			),
		);
		expect(s3.name).toBe('ExpiredToken');
		expect(s3.$metadata.httpStatusCode).toBe(400);
		const sts = await errorOf(() =>
			stsClient(emulator, session).send(new GetCallerIdentityCommand({})),
		);
		expect(sts.name).toBe('ExpiredToken');
	});

	test('a role that does not trust the caller, or a wrong external ID: AccessDenied 403', async () => {
		for (const input of [
			{ RoleArn: 'arn:aws:iam::123456789012:role/unknown' },
			{ ExternalId: 'wrong-id' },
		]) {
			const error = await errorOf(() => assume(emulator, input));
			expect(error.name).toBe('AccessDenied');
			expect(error.$metadata.httpStatusCode).toBe(403);
			expect(error.message).toMatch(
				/^User: arn:aws:iam::123456789012:user\/speech-tasks-emulator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\//,
			);
		}
	});

	test('documented errors: ValidationError, MalformedPolicyDocument, PackedPolicyTooLarge, RegionDisabledException', async () => {
		const tooLong = await errorOf(() => assume(emulator, { DurationSeconds: 43201 }));
		expect(tooLong.name).toBe('ValidationError');
		expect(tooLong.message).toMatch(
			/at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200/,
		);
		const overMax = await errorOf(() => assume(emulator, { DurationSeconds: 10800 }));
		expect(overMax.name).toBe('ValidationError');
		expect(overMax.message).toBe(
			'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
		);
		const badName = await errorOf(() => assume(emulator, { RoleSessionName: 'no spaces allowed' }));
		expect(badName.name).toBe('ValidationError');
		const malformed = await errorOf(() => assume(emulator, { Policy: '{"Version": ' }));
		expect(malformed.name).toBe('MalformedPolicyDocumentException');
		expect(malformed.$metadata.httpStatusCode).toBe(400);
		const packed = await errorOf(() =>
			assume(emulator, { RoleArn: 'arn:aws:iam::123456789012:role/packed', ExternalId: undefined }),
		);
		expect(packed.name).toBe('PackedPolicyTooLargeException');
		const disabled = await errorOf(() =>
			stsClient(emulator, emulator.awsCredentials, 'eu-west-3').send(
				new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 's1', ExternalId: EXTERNAL_ID }),
			),
		);
		expect(disabled.name).toBe('RegionDisabledException');
		expect(disabled.$metadata.httpStatusCode).toBe(403);
	});

	test('role chaining is capped at one hour', async () => {
		const session = sessionOf(await assume(emulator));
		const chained = await errorOf(() =>
			stsClient(emulator, session).send(
				new AssumeRoleCommand({
					RoleArn: ROLE,
					RoleSessionName: 'chained',
					ExternalId: EXTERNAL_ID,
					DurationSeconds: 3601,
				}),
			),
		);
		expect(chained.name).toBe('ValidationError');
		const ok = await stsClient(emulator, session).send(
			new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'chained', ExternalId: EXTERNAL_ID }),
		);
		expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
	});

	test('reset() forgets issued sessions: their keys are unknown afterwards', async () => {
		const fresh = await startEmulator({ roles: [{ arn: ROLE }] });
		try {
			const session = sessionOf(
				await stsClient(fresh).send(
					new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'r1' }),
				),
			);
			expect(fresh.roleSessions()).toHaveLength(1);
			fresh.reset();
			expect(fresh.roleSessions()).toHaveLength(0);
			const error = await errorOf(() =>
				pollyClient(fresh, { credentials: session }).send(new ListSpeechSynthesisTasksCommand({})),
			);
			expect(error.name).toBe('UnrecognizedClientException');
		} finally {
			await fresh.close();
		}
	});
});
