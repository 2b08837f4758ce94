// Assume Role of the awsSigV4Api credential: its fields, the checks of the role settings, the STS AssumeRole
// request and the reading of its answers and errors, when a stored session must be renewed, and how
// authenticate signs with the session or asks n8n (status 401) to renew it.
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { AwsSigV4Api } from '../../../../../credentials/AwsSigV4Api.credentials';
import {
	readAssumeRoleAnswer,
	RENEW_BEFORE_MS,
	RENEW_SESSION_KEY,
	renewalReason,
	ROLE_SESSION_FIELD,
	roleSettings,
	settingsFingerprint,
	storedSession,
} from '../../../../../credentials/common/aws/assume-role';
import type { RoleSession } from '../../../../../credentials/common/aws/assume-role';
import { tokenFailureIn } from '../../../../../nodes/common/errors/failure';
import { secretsOf } from '../../../../../nodes/common/errors/redact';

const credentialType = new AwsSigV4Api();
const ROLE = 'arn:aws:iam::123456789012:role/speech-tasks';
const BASE_SECRET = 'base/SECRET-access-key/0123456789abcdefghij';
const ROLE_SECRET = 'role/SECRET-access-key/abcdefghij0123456789';
const ROLE_TOKEN = 'IQoJb3JpZ2luX2VjEROLE-SESSION-TOKEN/+=0123456789';
const NOW = Date.parse('2024-06-01T12:00:00Z');

const creds = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	region: 'eu-west-1',
	accessKeyId: 'AKIDBASEKEY00000001',
	secretAccessKey: BASE_SECRET,
	temporaryCredentials: false,
	sessionToken: '',
	assumeRole: true,
	roleArn: ROLE,
	externalId: 'external-id-42',
	roleSessionName: 'n8n-speech-tasks',
	roleSessionDuration: 3600,
	[ROLE_SESSION_FIELD]: '',
	customEndpoints: false,
	...extra,
});

function session(
	credentials: ICredentialDataDecryptedObject,
	extra: Partial<RoleSession> = {},
): RoleSession {
	return {
		accessKeyId: 'ASIAROLESESSION00001',
		secretAccessKey: ROLE_SECRET,
		sessionToken: ROLE_TOKEN,
		expiration: new Date(NOW + 3600_000).toISOString(),
		obtainedAt: NOW - 10 * 60_000,
		settings: settingsFingerprint(credentials, roleSettings(credentials)),
		...extra,
	};
}

function withSession(extra: Partial<RoleSession> = {}, credentialExtra = {}) {
	const credentials = creds(credentialExtra);
	return { ...credentials, [ROLE_SESSION_FIELD]: JSON.stringify(session(credentials, extra)) };
}

const XML_OK = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><AssumedRoleId>AROA123EXAMPLE123:n8n</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/speech-tasks/n8n</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>${ROLE_SECRET}</SecretAccessKey>
      <SessionToken>${ROLE_TOKEN.replace('+', '&#43;')}&amp;x</SessionToken>
      <Expiration>2024-06-01T13:00:00Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;

const stsError = (code: string, message: string) =>
	`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;

/** A helper whose httpRequest answers from a list and records what it was asked to send. */
function fakeHelper(...answers: Array<{ status: number; body: string } | Error>) {
	const sent: IHttpRequestOptions[] = [];
	const helper = {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				sent.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('no more answers');
				if (answer instanceof Error) throw answer;
				return {
					statusCode: answer.status,
					headers: { 'content-type': 'text/xml' },
					body: Buffer.from(answer.body),
				};
			},
		},
	} as unknown as IHttpRequestHelper;
	return { helper, sent };
}

const preAuth = async (helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) =>
	await credentialType.preAuthentication.call(helper, credentials);

async function thrown(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		return error as Error & { response?: { status: number } };
	}
	throw new Error('expected a failure');
}

describe('Assume Role fields', () => {
	const byName = Object.fromEntries(credentialType.properties.map((p) => [p.name, p]));

	it('are off by default and shown only with Assume Role on; the session field is hidden, expirable, secret', () => {
		expect(byName.assumeRole).toMatchObject({ type: 'boolean', default: false });
		for (const name of ['roleArn', 'externalId', 'roleSessionName', 'roleSessionDuration']) {
			expect(byName[name].displayOptions?.show?.assumeRole).toEqual([true]);
		}
		// Written in the clear into the role's trust policy: a plain field (it is still cut out of errors).
		expect(byName.externalId.typeOptions?.password).toBeUndefined();
		expect(byName.roleSessionName.default).toBe('n8n-speech-tasks');
		expect(byName.roleSessionDuration).toMatchObject({
			type: 'number',
			default: 3600,
			typeOptions: { minValue: 900, maxValue: 43200 },
		});
		expect(byName[ROLE_SESSION_FIELD]).toMatchObject({
			type: 'hidden',
			default: '',
			typeOptions: { expirable: true, password: true },
		});
		// n8n uses the first hidden expirable field: there must be exactly one.
		expect(
			credentialType.properties.filter((p) => p.type === 'hidden' && p.typeOptions?.expirable),
		).toHaveLength(1);
	});
});

describe('role settings', () => {
	it('takes defaults for an empty session name and duration', () => {
		expect(roleSettings(creds({ roleSessionName: ' ', roleSessionDuration: '' }))).toEqual({
			roleArn: ROLE,
			externalId: 'external-id-42',
			roleSessionName: 'n8n-speech-tasks',
			durationSeconds: 3600,
		});
	});

	it.each([
		[{ roleArn: '' }, /no Role ARN/],
		[{ roleArn: 'arn:aws:iam::123456789012:user/bob' }, /not the ARN of an IAM role/],
		[{ roleArn: 'arn:aws:sts::123456789012:assumed-role/x/y' }, /not the ARN of an IAM role/],
		[{ roleSessionName: 'a b' }, /Role Session Name/],
		[{ roleSessionDuration: 899 }, /Session Duration/],
		[{ roleSessionDuration: 43201 }, /Session Duration/],
		[{ roleSessionDuration: 1000.5 }, /Session Duration/],
		[{ externalId: 'x' }, /External ID/],
	])('refuses %j, as a fatal setting problem', (extra, message) => {
		let error: unknown;
		try {
			roleSettings(creds(extra));
		} catch (e) {
			error = e;
		}
		expect((error as Error).message).toMatch(message);
		expect(tokenFailureIn(error)).toMatchObject({ tokenKind: 'fatal' });
	});

	it('accepts role paths and other partitions', () => {
		expect(
			roleSettings(creds({ roleArn: 'arn:aws-cn:iam::123456789012:role/team/app/reader' })).roleArn,
		).toBe('arn:aws-cn:iam::123456789012:role/team/app/reader');
	});
});

describe('when a stored session must be renewed', () => {
	const credentials = creds();
	it.each<
		[string, Partial<RoleSession> | undefined, number, string | undefined, string | undefined]
	>([
		['none stored', undefined, NOW, undefined, 'none stored yet'],
		['valid for an hour', {}, NOW, undefined, undefined],
		[
			'expires in 6 minutes',
			{ expiration: new Date(NOW + 6 * 60_000).toISOString() },
			NOW,
			undefined,
			undefined,
		],
		[
			'expires in 4 minutes',
			{ expiration: new Date(NOW + 4 * 60_000).toISOString() },
			NOW,
			undefined,
			'expires within five minutes',
		],
		[
			'expired',
			{ expiration: new Date(NOW - 1000).toISOString() },
			NOW,
			undefined,
			'expires within five minutes',
		],
		[
			'near expiry but obtained seconds ago (clock ahead of AWS): used',
			{ expiration: new Date(NOW + 60_000).toISOString(), obtainedAt: NOW - 5000 },
			NOW,
			undefined,
			undefined,
		],
		[
			'named by the transport as rejected',
			{},
			NOW,
			'ASIAROLESESSION00001',
			'AWS called it expired',
		],
		['another session was rejected', {}, NOW, 'ASIAOTHERSESSION0001', undefined],
		['assumed with other settings', { settings: 'stale' }, NOW, undefined, 'settings changed'],
	])('%s', (_label, extra, now, rejected, reason) => {
		const stored = extra === undefined ? undefined : session(credentials, extra);
		expect(renewalReason(credentials, stored, now, rejected)).toBe(reason);
	});

	it('renews when the role, external ID, duration or keys were edited', () => {
		const stored = session(credentials);
		for (const edit of <ICredentialDataDecryptedObject[]>[
			{ roleArn: 'arn:aws:iam::123456789012:role/other' },
			{ externalId: 'external-id-43' },
			{ roleSessionDuration: 7200 },
			{ accessKeyId: 'AKIDBASEKEY00000002' },
		]) {
			expect(renewalReason(creds(edit), stored, NOW)).toBe('settings changed');
		}
		expect(RENEW_BEFORE_MS).toBe(300_000);
	});

	it('reads only a complete stored session', () => {
		expect(storedSession(creds())).toBeUndefined();
		expect(storedSession(creds({ [ROLE_SESSION_FIELD]: '{"accessKeyId":"A"}' }))).toBeUndefined();
		expect(storedSession(creds({ [ROLE_SESSION_FIELD]: 'not json' }))).toBeUndefined();
		expect(storedSession(withSession())?.accessKeyId).toBe('ASIAROLESESSION00001');
	});
});

describe('authenticate with Assume Role', () => {
	beforeEach(() => {
		jest.useFakeTimers({
			now: NOW,
			doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval'],
		});
	});
	afterEach(() => {
		jest.useRealTimers();
	});

	const request: IHttpRequestOptions = {
		method: 'GET',
		url: 'https://polly.eu-west-1.amazonaws.com/v1/synthesisTasks/t1',
	};

	it('signs with the session: its key in the scope, its token signed, the renewal key never sent', async () => {
		const signed = await credentialType.authenticate(withSession(), {
			...request,
			qs: { [RENEW_SESSION_KEY]: 'ASIAOTHERSESSION0001' },
		});
		expect(String(signed.headers?.authorization)).toMatch(
			/^AWS4-HMAC-SHA256 Credential=ASIAROLESESSION00001\/20240601\/eu-west-1\/polly\/aws4_request, SignedHeaders=[^,]*x-amz-security-token/,
		);
		expect(signed.headers?.['x-amz-security-token']).toBe(ROLE_TOKEN);
		expect(signed.url).toBe('https://polly.eu-west-1.amazonaws.com/v1/synthesisTasks/t1');
		expect(JSON.stringify(signed)).not.toContain(BASE_SECRET);
		expect(JSON.stringify(signed)).not.toContain(ROLE_SECRET);
	});

	it('signs with the keys when Assume Role is off, whatever session is stored', async () => {
		const signed = await credentialType.authenticate(withSession({}, {}), request);
		const off = { ...withSession(), assumeRole: false };
		const plain = await credentialType.authenticate(off, request);
		expect(String(signed.headers?.authorization)).toContain('Credential=ASIAROLESESSION00001/');
		expect(String(plain.headers?.authorization)).toContain('Credential=AKIDBASEKEY00000001/');
		expect(plain.headers?.['x-amz-security-token']).toBeUndefined();
	});

	it.each([
		['no session stored', creds()],
		[
			'a session about to expire',
			withSession({ expiration: new Date(NOW + 60_000).toISOString() }),
		],
	])('with %s: throws status 401 before anything is sent, so that n8n renews it', async (_l, c) => {
		const error = await thrown(credentialType.authenticate(c, request));
		expect(error.response?.status).toBe(401);
		expect(error.message).toMatch(/must be renewed/);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(BASE_SECRET);
	});

	it('throws status 401 for the session the transport names as rejected by AWS', async () => {
		const error = await thrown(
			credentialType.authenticate(withSession(), {
				...request,
				qs: { [RENEW_SESSION_KEY]: 'ASIAROLESESSION00001' },
			}),
		);
		expect(error.response?.status).toBe(401);
	});
});

describe('preAuthentication: STS AssumeRole', () => {
	it('without Assume Role returns nothing to store and sends nothing', async () => {
		const { helper, sent } = fakeHelper();
		expect(await preAuth(helper, creds({ assumeRole: false }))).toEqual({});
		expect(sent).toHaveLength(0);
	});

	it('POSTs a form signed with the keys to the regional STS endpoint and stores the session', async () => {
		const { helper, sent } = fakeHelper({ status: 200, body: XML_OK });
		const credentials = creds({
			temporaryCredentials: true,
			sessionToken: 'BASE-SESSION-TOKEN-0123456789',
		});
		const output = await preAuth(helper, credentials);
		expect(sent).toHaveLength(1);
		const [options] = sent;
		expect(options.method).toBe('POST');
		expect(options.url).toBe('https://sts.eu-west-1.amazonaws.com/');
		expect(options.body).toBe(
			'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fspeech-tasks&RoleSessionName=n8n-speech-tasks&DurationSeconds=3600&ExternalId=external-id-42',
		);
		expect(String(options.headers?.authorization)).toMatch(
			/Credential=AKIDBASEKEY00000001\/\d{8}\/eu-west-1\/sts\/aws4_request/,
		);
		expect(options.headers?.['x-amz-security-token']).toBe('BASE-SESSION-TOKEN-0123456789');
		expect(options.disableFollowRedirect).toBe(true);
		const stored = storedSession({ [ROLE_SESSION_FIELD]: String(output[ROLE_SESSION_FIELD]) });
		expect(stored).toMatchObject({
			accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
			secretAccessKey: ROLE_SECRET,
			sessionToken: `${ROLE_TOKEN}&x`,
			expiration: '2024-06-01T13:00:00Z',
			assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/speech-tasks/n8n',
			settings: settingsFingerprint(credentials, roleSettings(credentials)),
		});
		expect(renewalReason(credentials, stored, Date.parse('2024-06-01T12:00:00Z'))).toBeUndefined();
	});

	it('goes to the custom STS endpoint when one is set, and sends no External ID when there is none', async () => {
		const { helper, sent } = fakeHelper({ status: 200, body: XML_OK });
		await preAuth(
			helper,
			creds({
				customEndpoints: true,
				stsEndpoint: 'http://127.0.0.1:4566/{region}/sts',
				externalId: '',
			}),
		);
		expect(sent[0].url).toBe('http://127.0.0.1:4566/eu-west-1/sts/');
		expect(String(sent[0].body)).not.toContain('ExternalId');
	});

	it.each([
		[
			'AccessDenied',
			403,
			'fatal',
			/refused to let the credential's keys assume the role/,
			/"Role ARN" \(roleArn\)/,
		],
		[
			'InvalidClientTokenId',
			403,
			'fatal',
			/does not recognise the Access Key ID/,
			/"Access Key ID"/,
		],
		['SignatureDoesNotMatch', 403, 'fatal', /rejected the signature/, /"Secret Access Key"/],
		[
			'ExpiredToken',
			403,
			'fatal',
			/session token of the AWS credential's keys has expired/,
			/fresh/,
		],
		['RegionDisabledException', 403, 'fatal', /not activated/, /"STS Endpoint"/],
		['MalformedPolicyDocument', 400, 'fatal', /rejected a policy/, /session policy/],
		['PackedPolicyTooLarge', 400, 'fatal', /too large/, /session tags/],
		['Throttling', 400, 'throttling', /throttling AssumeRole/, /Try again shortly/],
		['InternalFailure', 500, 'transient', /failed to assume the role \(HTTP 500\)/, /AWS side/],
		['ServiceUnavailable', 503, 'transient', /HTTP 503/, /AWS side/],
	])(
		'%s (HTTP %s) → a %s token failure in plain words',
		async (code, status, kind, message, description) => {
			const { helper } = fakeHelper({ status, body: stsError(code, `the STS says ${code}`) });
			const error = await thrown(preAuth(helper, creds()));
			expect(error.message).toMatch(message);
			expect(tokenFailureIn(error)).toMatchObject({
				tokenStatus: status,
				tokenKind: kind,
				tokenCode: code,
			});
			expect(tokenFailureIn(error)?.tokenDescription).toMatch(description);
			expect(error.response).toBeUndefined();
		},
	);

	it.each([
		["Value '99999' at 'durationSeconds' failed to satisfy constraint", /Session Duration/],
		[
			'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
			/Session Duration/,
		],
		["Value 'x' at 'roleArn' failed to satisfy constraint", /Role ARN/],
		["Value 'a b' at 'roleSessionName' failed", /Role Session Name/],
		["Value 'x' at 'externalId' failed", /External ID/],
	])('ValidationError "%s" names its field', async (awsMessage, field) => {
		const { helper } = fakeHelper({ status: 400, body: stsError('ValidationError', awsMessage) });
		const error = await thrown(preAuth(helper, creds()));
		expect(error.message).toMatch(field);
		expect(tokenFailureIn(error)?.tokenDescription).toContain(`AWS says: ${awsMessage}`);
	});

	it('an answer without credentials, or no answer at all, is a transient failure pointing at the endpoint', async () => {
		const empty = fakeHelper({ status: 200, body: '<html>proxy login</html>' });
		const noCredentials = await thrown(preAuth(empty.helper, creds()));
		expect(noCredentials.message).toBe('AWS STS answered AssumeRole without credentials');
		expect(tokenFailureIn(noCredentials)).toMatchObject({ tokenKind: 'transient' });

		const reset = fakeHelper(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const unreachable = await thrown(preAuth(reset.helper, creds()));
		expect(unreachable.message).toBe(
			'Could not reach AWS STS to assume the role (connection reset)',
		);
		expect(tokenFailureIn(unreachable)).toMatchObject({ tokenKind: 'transient', tokenStatus: 0 });
	});

	it('checks the settings before sending anything', async () => {
		const { helper, sent } = fakeHelper();
		const error = await thrown(preAuth(helper, creds({ roleArn: 'not-an-arn' })));
		expect(error.message).toMatch(/not the ARN of an IAM role/);
		expect(sent).toHaveLength(0);
	});

	it('never puts a secret into its errors, even when STS echoes one', async () => {
		const { helper } = fakeHelper({
			status: 403,
			body: stsError('AccessDenied', `denied for ${BASE_SECRET} and external-id-42`),
		});
		const error = await thrown(preAuth(helper, creds()));
		const text = JSON.stringify(error, Object.getOwnPropertyNames(error));
		expect(text).not.toContain(BASE_SECRET);
		expect(text).not.toContain('external-id-42');
	});
});

describe('the answer and the redaction', () => {
	it('reads the credentials and the assumed role user, decoding XML entities', () => {
		expect(readAssumeRoleAnswer(XML_OK)).toEqual({
			accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
			secretAccessKey: ROLE_SECRET,
			sessionToken: `${ROLE_TOKEN}&x`,
			expiration: '2024-06-01T13:00:00Z',
			assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/speech-tasks/n8n',
		});
		expect(
			readAssumeRoleAnswer(XML_OK.replace(/<Expiration>.*<\/Expiration>/, '')),
		).toBeUndefined();
		expect(readAssumeRoleAnswer('<AssumeRoleResult></AssumeRoleResult>')).toBeUndefined();
	});

	it("cuts the session's secret key and token, and the external ID, out of errors and outputs", () => {
		const secrets = secretsOf(withSession());
		expect(secrets).toEqual(
			expect.arrayContaining([ROLE_SECRET, ROLE_TOKEN, BASE_SECRET, 'external-id-42']),
		);
		expect(secrets).not.toContain('ASIAROLESESSION00001');
	});
});
