// The AWS credential with Assume Role, in n8n's real engine against the emulator's STS: the role is assumed
// once (preAuthentication, stored in the hidden expirable field), every AWS request is signed with its
// temporary credentials, the session is renewed before it expires and after AWS calls it expired, every
// documented AssumeRole error is a clear error naming the field to fix, and no secret shows anywhere.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { AwsSigV4Api } from '../../credentials/AwsSigV4Api.credentials';
import { ROLE_SESSION_FIELD, storedSession } from '../../credentials/common/aws/assume-role';
import type { Emulator, EmulatorOptions } from '../emulator';
import { startEmulator } from '../emulator';
import { emulatorCredentials } from '../e2e/emulator-credentials';
import { node } from '../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../harness/package';
import { runWorkflow } from '../harness/run-workflow';
import type { RunResult } from '../harness/run-workflow';

const ROLE = 'arn:aws:iam::123456789012:role/speech-tasks-reader';
const EXTERNAL_ID = 'speech-tasks-external-id-0042';

async function roleEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return await startEmulator({
		durations: { polly: 0, aspose: 0, chimeVoice: 0, chimeMediaPipeline: 0 },
		roles: [{ arn: ROLE, externalId: EXTERNAL_ID, maxSessionSeconds: 3600 }],
		...options,
	});
}

function roleCredentials(
	emulator: Emulator,
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		...emulatorCredentials(emulator).awsSigV4Api,
		assumeRole: true,
		roleArn: ROLE,
		externalId: EXTERNAL_ID,
		roleSessionName: 'n8n-speech-tasks',
		roleSessionDuration: 3600,
		[ROLE_SESSION_FIELD]: '',
		...extra,
	};
}

function pollyTasks(emulator: Emulator, count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({
		json: <IDataObject>emulator.createPollyTask({
			OutputFormat: 'mp3',
			OutputS3BucketName: 'speech-tasks-output',
			Text: `Item ${i} read through an assumed role.`,
			VoiceId: 'Joanna',
		}),
	}));
}

const getPolly = (extra = {}) =>
	node(TYPES.getPollySynthesisTask, { taskId: '={{ $json.TaskId }}' }, extra);

const waitPolly = (extra = {}) =>
	node(
		TYPES.waitUntilComplete,
		{
			service: 'polly',
			taskId: '={{ $json.TaskId }}',
			downloadAudio: true,
			binaryPropertyName: 'data',
			options: { strategy: 'fixed', interval: 0.1, timeout: 20 },
		},
		extra,
	);

async function run(
	emulator: Emulator,
	credentials: ICredentialDataDecryptedObject,
	n = getPolly(),
	items = 1,
): Promise<RunResult> {
	return await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: { awsSigV4Api: credentials },
		nodes: [n],
		input: pollyTasks(emulator, items),
	});
}

const stsCalls = (emulator: Emulator) => emulator.requestsFor('sts').length;

/** The base secrets and every issued role session secret: none may show in outputs or errors. */
function expectNoSecretOf(
	emulator: Emulator,
	credentials: ICredentialDataDecryptedObject,
	...things: unknown[]
) {
	const secrets = [
		String(credentials.secretAccessKey),
		String(credentials.externalId ?? ''),
		...emulator.roleSessions().flatMap((s) => [s.secretAccessKey, s.sessionToken]),
	].filter((s) => s.length >= 8);
	const text = things
		.map((thing) =>
			thing instanceof Error || (thing && typeof thing === 'object' && 'message' in thing)
				? JSON.stringify(thing, Object.getOwnPropertyNames(thing)) +
					JSON.stringify((thing as { description?: unknown }).description)
				: JSON.stringify(thing),
		)
		.join('\n');
	for (const secret of secrets) expect(text.includes(secret)).toBe(false);
}

describe('Assume Role: Get Polly Synthesis Task', () => {
	let emulator: Emulator;
	beforeEach(async () => {
		emulator = await roleEmulator();
	});
	afterEach(async () => {
		await emulator.close();
	});

	it('assumes the role once for all items, signs every Polly request with its session and stores it', async () => {
		const credentials = roleCredentials(emulator);
		const result = await run(emulator, credentials, getPolly(), 4);

		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(4);
		expect(result.output.every((o) => o.json.TaskStatus === 'completed')).toBe(true);
		expect(stsCalls(emulator)).toBe(1);
		const [session] = emulator.roleSessions();
		expect(session.roleArn).toBe(ROLE);
		expect(session.assumedRoleArn).toBe(
			'arn:aws:sts::123456789012:assumed-role/speech-tasks-reader/n8n-speech-tasks',
		);
		const polly = emulator.requestsFor('polly');
		expect(polly).toHaveLength(4);
		expect(polly.every((r) => r.accessKeyId === session.accessKeyId && r.status === 200)).toBe(
			true,
		);
		// The AssumeRole request itself is signed with the credential's own keys.
		expect(emulator.requestsFor('sts')[0].accessKeyId).toBe(credentials.accessKeyId);

		const stored = storedSession(result.credentialsHelper.data.awsSigV4Api);
		expect(stored?.accessKeyId).toBe(session.accessKeyId);
		expect(stored?.sessionToken).toBe(session.sessionToken);
		expect(Date.parse(stored!.expiration)).toBe(Math.floor(session.expiresAt / 1000) * 1000);
		expectNoSecretOf(emulator, credentials, result.output, result.error);
	});

	it('reuses the stored session in the next execution', async () => {
		const first = await run(emulator, roleCredentials(emulator));
		const stored = first.credentialsHelper.data.awsSigV4Api;
		const second = await run(emulator, { ...stored });
		expect(second.error).toBeUndefined();
		expect(second.output[0].json.TaskStatus).toBe('completed');
		expect(stsCalls(emulator)).toBe(1);
	});

	it('keeps an existing credential without Assume Role working as before: no STS request', async () => {
		const { awsSigV4Api } = emulatorCredentials(emulator);
		const result = await run(emulator, awsSigV4Api);
		expect(result.error).toBeUndefined();
		expect(stsCalls(emulator)).toBe(0);
		expect(emulator.requestsFor('polly')[0].accessKeyId).toBe(awsSigV4Api.accessKeyId);
	});

	it('assumes the role again when the role settings were edited since', async () => {
		const first = await run(emulator, roleCredentials(emulator));
		const stored = first.credentialsHelper.data.awsSigV4Api;
		const edited = { ...stored, roleSessionName: 'edited-session' };
		const second = await run(emulator, edited);
		expect(second.error).toBeUndefined();
		expect(stsCalls(emulator)).toBe(2);
		expect(emulator.roleSessions()[1].assumedRoleArn).toMatch(/\/edited-session$/);
		expect(emulator.requestsFor('polly')[1].accessKeyId).toBe(
			emulator.roleSessions()[1].accessKeyId,
		);
	});
});

describe('Assume Role: renewal', () => {
	it('renews a session that expires within five minutes before sending', async () => {
		// The emulator's clock runs 57 minutes behind: a one-hour session it issues ends 3 minutes from now.
		const emulator = await roleEmulator({ clock: 'manual', startTime: Date.now() - 57 * 60_000 });
		try {
			const first = await run(emulator, roleCredentials(emulator));
			expect(first.error).toBeUndefined();
			const stored = first.credentialsHelper.data.awsSigV4Api;
			// As if that run had been 57 minutes ago, when the session was obtained.
			const session = storedSession(stored)!;
			const aged = {
				...stored,
				[ROLE_SESSION_FIELD]: JSON.stringify({ ...session, obtainedAt: Date.now() - 57 * 60_000 }),
			};
			const second = await run(emulator, aged);
			expect(second.error).toBeUndefined();
			expect(stsCalls(emulator)).toBe(2);
			const renewed = emulator.roleSessions()[1];
			const polly = emulator.requestsFor('polly');
			expect(polly.map((r) => r.status)).toEqual([200, 200]);
			expect(polly[1].accessKeyId).toBe(renewed.accessKeyId);
			expect(storedSession(second.credentialsHelper.data.awsSigV4Api)?.accessKeyId).toBe(
				renewed.accessKeyId,
			);
		} finally {
			await emulator.close();
		}
	});

	it('renews after AWS answers ExpiredTokenException (session expired on the emulator clock) and sends again', async () => {
		const emulator = await roleEmulator({ clock: 'manual' });
		try {
			const first = await run(emulator, roleCredentials(emulator));
			expect(first.error).toBeUndefined();
			emulator.advance(61 * 60_000);
			const second = await run(emulator, { ...first.credentialsHelper.data.awsSigV4Api });
			expect(second.error).toBeUndefined();
			expect(second.output[0].json.TaskStatus).toBe('completed');
			expect(stsCalls(emulator)).toBe(2);
			const polly = emulator.requestsFor('polly');
			expect(polly.map((r) => [r.status, r.errorCode])).toEqual([
				[200, undefined],
				[403, 'ExpiredTokenException'],
				[200, undefined],
			]);
			expect(polly[2].accessKeyId).toBe(emulator.roleSessions()[1].accessKeyId);
		} finally {
			await emulator.close();
		}
	});

	it('renews after an ExpiredToken answer of S3 during the audio download (Wait Until Complete)', async () => {
		const emulator = await roleEmulator();
		try {
			emulator.setFaults([{ route: 's3.get', fault: 'expiredToken', count: 1 }]);
			const credentials = roleCredentials(emulator);
			const result = await run(emulator, credentials, waitPolly(), 2);
			expect(result.error).toBeUndefined();
			const completed = result.outputs['Node Under Test'][0];
			expect(completed).toHaveLength(2);
			expect(completed.every((o) => o.binary?.data !== undefined)).toBe(true);
			expect(stsCalls(emulator)).toBe(2);
			const s3 = emulator.requestsFor('s3');
			expect(s3.filter((r) => r.errorCode === 'ExpiredToken')).toHaveLength(1);
			expect(s3.filter((r) => r.status === 200)).toHaveLength(2);
			expectNoSecretOf(emulator, credentials, result.outputs, result.error);
		} finally {
			await emulator.close();
		}
	});

	it('gives a clear error when AWS still calls the renewed session expired', async () => {
		const emulator = await roleEmulator();
		try {
			emulator.setFaults([{ route: 'polly.get', fault: 'expiredToken' }]);
			const credentials = roleCredentials(emulator);
			const result = await run(emulator, credentials);
			expect(result.error?.message).toBe('The AWS session token has expired');
			expect((result.error as { description?: string }).description).toMatch(
				/With Assume Role on, n8n renewed the role session/,
			);
			// One renewal, one repeat: no loop.
			expect(stsCalls(emulator)).toBe(2);
			expect(emulator.requestsFor('polly')).toHaveLength(2);
			expectNoSecretOf(emulator, credentials, result.error);
		} finally {
			await emulator.close();
		}
	});
});

describe('Assume Role: Wait Until Complete', () => {
	it('polls and downloads the audio with the role session', async () => {
		const emulator = await roleEmulator({ durations: { polly: 300 } });
		try {
			const credentials = roleCredentials(emulator);
			const result = await run(emulator, credentials, waitPolly(), 3);
			expect(result.error).toBeUndefined();
			const completed = result.outputs['Node Under Test'][0];
			expect(completed).toHaveLength(3);
			expect(completed.every((o) => o.binary?.data?.mimeType === 'audio/mpeg')).toBe(true);
			expect(stsCalls(emulator)).toBe(1);
			const key = emulator.roleSessions()[0].accessKeyId;
			const signed = [...emulator.requestsFor('polly'), ...emulator.requestsFor('s3')];
			expect(signed.every((r) => r.accessKeyId === key)).toBe(true);
			expectNoSecretOf(emulator, credentials, result.outputs, result.error);
		} finally {
			await emulator.close();
		}
	});
});

describe('Assume Role: every AssumeRole error is a clear error naming what to fix', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await roleEmulator({
			roles: [
				{ arn: ROLE, externalId: EXTERNAL_ID, maxSessionSeconds: 3600 },
				{
					arn: 'arn:aws:iam::123456789012:role/malformed-policy',
					error: 'MalformedPolicyDocument',
				},
				{ arn: 'arn:aws:iam::123456789012:role/packed-too-large', error: 'PackedPolicyTooLarge' },
			],
			stsDisabledRegions: ['eu-west-3'],
			acceptedRegions: '*',
		});
	});
	afterAll(async () => {
		await emulator.close();
	});

	const cases: Array<[string, ICredentialDataDecryptedObject, RegExp, RegExp, boolean]> = [
		[
			'a role that does not trust the keys (unknown role)',
			{ roleArn: 'arn:aws:iam::123456789012:role/not-trusting' },
			/^AWS STS refused to let the credential's keys assume the role arn:aws:iam::123456789012:role\/not-trusting$/,
			/"Role ARN" \(roleArn\).*trust policy.*sts:AssumeRole.*is not authorized to perform: sts:AssumeRole/,
			true,
		],
		[
			'a wrong external ID',
			{ externalId: 'wrong-external-id-000' },
			/^AWS STS refused to let the credential's keys assume the role/,
			/"External ID" \(externalId\)/,
			true,
		],
		[
			'a duration over the role maximum',
			{ roleSessionDuration: 7200 },
			/^AWS STS refused the Session Duration of the AWS credential$/,
			/"Session Duration" \(roleSessionDuration\).*MaxSessionDuration/,
			true,
		],
		[
			'STS not activated in the region',
			{ region: 'eu-west-3' },
			/^AWS STS is not activated in the AWS credential's region$/,
			/IAM → Account settings.*"STS Endpoint" \(stsEndpoint/,
			true,
		],
		[
			'MalformedPolicyDocument',
			{ roleArn: 'arn:aws:iam::123456789012:role/malformed-policy' },
			/^AWS STS rejected a policy of the role session$/,
			/session policy/,
			true,
		],
		[
			'PackedPolicyTooLarge',
			{ roleArn: 'arn:aws:iam::123456789012:role/packed-too-large' },
			/^The session policies and tags of the role session are too large for AWS STS$/,
			/session tags/,
			true,
		],
		[
			'a wrong secret access key',
			{ secretAccessKey: 'assumeRole/WRONG-secret-access-key/000' },
			/^AWS STS rejected the signature of the AssumeRole request$/,
			/"Secret Access Key" \(secretAccessKey\)/,
			true,
		],
		[
			'an unknown access key',
			{ accessKeyId: 'AKIAUNKNOWNKEY000000' },
			/^AWS STS does not recognise the Access Key ID of the AWS credential$/,
			/"Access Key ID" \(accessKeyId\)/,
			true,
		],
		[
			'no Role ARN (checked before sending)',
			{ roleArn: '' },
			/^The AWS credential has Assume Role on but no Role ARN$/,
			/"Role ARN" \(roleArn\)/,
			false,
		],
		[
			'a user ARN instead of a role ARN (checked before sending)',
			{ roleArn: 'arn:aws:iam::123456789012:user/someone' },
			/^The Role ARN in the AWS credential is not the ARN of an IAM role$/,
			/arn:aws:iam::123456789012:role\/RoleName/,
			false,
		],
		[
			'a duration out of range (checked before sending)',
			{ roleSessionDuration: 60 },
			/^The Session Duration in the AWS credential is out of range$/,
			/from 900 to 43200/,
			false,
		],
		[
			'a session name STS would refuse (checked before sending)',
			{ roleSessionName: 'has spaces' },
			/^The Role Session Name in the AWS credential is not usable$/,
			/"Role Session Name" \(roleSessionName\)/,
			false,
		],
	];

	it.each(cases)('%s', async (_label, extra, message, description, sent) => {
		const before = stsCalls(emulator);
		const beforePolly = emulator.requestsFor('polly').length;
		const credentials = roleCredentials(emulator, extra);
		const result = await run(emulator, credentials);
		expect(result.error?.message).toMatch(message);
		expect((result.error as { description?: string }).description).toMatch(description);
		expect(stsCalls(emulator) - before).toBe(sent ? 1 : 0);
		expect(emulator.requestsFor('polly').length).toBe(beforePolly);
		expect(result.credentialsHelper.data.awsSigV4Api[ROLE_SESSION_FIELD]).toBe('');
		expectNoSecretOf(emulator, credentials, result.output, result.error);
	});

	it('with Continue On Fail, every item gets the error and the workflow goes on', async () => {
		const credentials = roleCredentials(emulator, { externalId: 'wrong-external-id-000' });
		const result = await run(
			emulator,
			credentials,
			getPolly({ onError: 'continueRegularOutput' }),
			2,
		);
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(2);
		for (const item of result.output) {
			expect(String(item.json.error)).toMatch(/AWS STS refused to let the credential's keys/);
		}
		expectNoSecretOf(emulator, credentials, result.output);
	});
});

describe('Assume Role: the credential test', () => {
	// What n8n's credential tester runs: a declarative node whose one property routes the credential's
	// test request; httpRequestWithAuthentication runs preAuthentication first, then authenticate.
	const probe: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'awsSigV4Api', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: new AwsSigV4Api().test.request },
				},
			],
		},
	};

	async function testCredential(emulator: Emulator, credentials: ICredentialDataDecryptedObject) {
		return await runWorkflow({
			nodeTypes: { ...nodeTypes, credentialTest: probe },
			credentialTypes,
			credentials: { awsSigV4Api: credentials },
			nodes: [node('credentialTest', {})],
		});
	}

	it('assumes the role and calls GetCallerIdentity as the role', async () => {
		const emulator = await roleEmulator();
		try {
			const result = await testCredential(emulator, roleCredentials(emulator));
			expect(result.error).toBeUndefined();
			const answer = JSON.stringify(result.output[0].json);
			expect(answer).toContain('assumed-role/speech-tasks-reader/n8n-speech-tasks');
			const sts = emulator.requestsFor('sts');
			expect(sts).toHaveLength(2);
			expect(sts[1].accessKeyId).toBe(emulator.roleSessions()[0].accessKeyId);
		} finally {
			await emulator.close();
		}
	});

	it('fails when the role cannot be assumed', async () => {
		const emulator = await roleEmulator();
		try {
			const credentials = roleCredentials(emulator, { externalId: 'wrong-external-id-000' });
			const result = await testCredential(emulator, credentials);
			expect(result.error).toBeDefined();
			expect(JSON.stringify(result.error, Object.getOwnPropertyNames(result.error))).toMatch(
				/AWS STS refused to let the credential's keys assume the role/,
			);
			expectNoSecretOf(emulator, credentials, result.error);
		} finally {
			await emulator.close();
		}
	});
});
