// The fault matrix for the AWS credential's Assume Role: faults of STS AssumeRole (called by n8n through the
// credential's preAuthentication) aimed at Get Polly Synthesis Task and Wait Until Complete. A fault there
// costs at most the items whose request assumed the role, each with a clear error; Wait Until Complete treats
// a throttled, failing, unreachable or slow STS like a throttled or failing status request and tries again.
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { ROLE_SESSION_FIELD, STS_TIMEOUT_MS } from '../../credentials/common/aws/assume-role';
import type { Emulator, FaultRule } from '../emulator';
import { nodeTypes } from '../harness/package';
import { account, expectEachItemOnce, runBounded } from './support/accounting';
import { cappedCredentialTypes, emulatorCredentials, fastEmulator } from './support/emulator-env';
import { REQUEST_TIMEOUT_CAP_MS } from './support/fault-matrix';
import { OUTPUT_NAMES } from './support/run-target';
import { TARGETS, WAIT_OPTIONS } from './support/targets';

const ROLE = 'arn:aws:iam::123456789012:role/fault-matrix';

const roleCredentials = (emulator: Emulator): ICredentialDataDecryptedObject => ({
	...emulatorCredentials(emulator).awsSigV4Api,
	assumeRole: true,
	roleArn: ROLE,
	roleSessionName: 'fault-matrix',
	roleSessionDuration: 3600,
	[ROLE_SESSION_FIELD]: '',
});

async function runAssumeRoleCell(
	targetKey: 'getPolly' | 'waitPolly',
	rule: Omit<FaultRule, 'route'>,
	items = 3,
	limitMs = 30_000,
	parameters: INodeParameters = {},
) {
	const target = TARGETS[targetKey];
	const emulator = await fastEmulator({ roles: [{ arn: ROLE }] });
	try {
		const { types } = cappedCredentialTypes(REQUEST_TIMEOUT_CAP_MS);
		const { node, input } = target.build(emulator, items, parameters, {
			onError: 'continueRegularOutput',
		});
		emulator.setFaults([{ route: 'sts.*', ...rule } as FaultRule]);
		const credentials = roleCredentials(emulator);
		const { result, elapsedMs } = await runBounded(
			{
				nodeTypes,
				credentialTypes: types,
				credentials: { awsSigV4Api: credentials },
				nodes: [node],
				input,
			},
			limitMs,
		);
		const accounting = account(result, node.name, OUTPUT_NAMES(target));
		const secrets = [
			String(credentials.secretAccessKey),
			...emulator.roleSessions().flatMap((s) => [s.secretAccessKey, s.sessionToken]),
		];
		const text = JSON.stringify(result.outputs) + JSON.stringify(result.error ?? null);
		for (const secret of secrets) expect(text.includes(secret)).toBe(false);
		return {
			result,
			accounting,
			elapsedMs,
			injected: Object.values(emulator.faultCounts()).reduce((a, b) => a + (b ?? 0), 0),
			sts: emulator.requestsFor('sts'),
			polly: emulator.requestsFor('polly'),
			sessions: emulator.roleSessions(),
		};
	} finally {
		await emulator.close();
	}
}

const ONCE: Array<[string, Omit<FaultRule, 'route'>, RegExp]> = [
	['throttle', { fault: 'throttle', count: 1 }, /^AWS STS is throttling AssumeRole requests$/],
	['error500', { fault: 'error500', count: 1 }, /^AWS STS failed to assume the role \(HTTP 500\)$/],
	['error503', { fault: 'error503', count: 1 }, /^AWS STS failed to assume the role \(HTTP 503\)$/],
	[
		'reset',
		{ fault: 'reset', count: 1 },
		/^Could not reach AWS STS to assume the role \(connection reset\)$/,
	],
	[
		'truncated',
		{ fault: 'truncated', count: 1 },
		/^(AWS STS answered AssumeRole without credentials|Could not reach AWS STS .*)$/,
	],
	[
		'malformed',
		{ fault: 'malformedJson', count: 1 },
		/^AWS STS answered AssumeRole without credentials$/,
	],
];

describe('Get Polly Synthesis Task, STS fault on the first AssumeRole', () => {
	it.each(ONCE)(
		'%s: that item is a clear error, the others get their task',
		async (_key, rule, message) => {
			const run = await runAssumeRoleCell('getPolly', rule);
			expect(run.result.error).toBeUndefined();
			expectEachItemOnce(run.accounting, 3);
			expect(run.injected).toBe(1);
			expect(run.accounting.errors).toHaveLength(1);
			expect(run.accounting.errors[0].message).toMatch(message);
			expect(run.accounting.count('ok')).toBe(2);
			// Every Polly request went out signed with a role session, never with the keys themselves.
			const keys = new Set(run.sessions.map((s) => s.accessKeyId));
			expect(run.polly.every((r) => keys.has(String(r.accessKeyId)))).toBe(true);
		},
	);

	it('an STS that always fails costs every item, each with the same clear error', async () => {
		const run = await runAssumeRoleCell('getPolly', { fault: 'error503' });
		expectEachItemOnce(run.accounting, 3);
		expect(run.accounting.errors).toHaveLength(3);
		for (const error of run.accounting.errors) {
			expect(error.message).toBe('AWS STS failed to assume the role (HTTP 503)');
			expect(error.description).toMatch(/fault on the AWS side/);
		}
		expect(run.polly).toHaveLength(0);
	});
});

describe('Wait Until Complete, STS fault on the first AssumeRole', () => {
	it.each(ONCE)('%s: retried like a status request, every item completes', async (_key, rule) => {
		const run = await runAssumeRoleCell('waitPolly', rule);
		expect(run.result.error).toBeUndefined();
		expectEachItemOnce(run.accounting, 3);
		expect(run.accounting.count('completed')).toBe(3);
	});

	it(`slower than the AssumeRole timeout (${STS_TIMEOUT_MS / 1000} s): given up, retried, every item completes`, async () => {
		const run = await runAssumeRoleCell(
			'waitPolly',
			{ fault: 'slow', delayMs: STS_TIMEOUT_MS + 2000, count: 1 },
			2,
			45_000,
			// The node's own Timeout must outlast the abandoned AssumeRole, or no check ever succeeds.
			{ options: { ...WAIT_OPTIONS, timeout: 30 } },
		);
		expect(run.result.error).toBeUndefined();
		expectEachItemOnce(run.accounting, 2);
		expect(run.accounting.count('completed')).toBe(2);
		// The slow AssumeRole was abandoned at its timeout, not waited out.
		expect(run.elapsedMs).toBeLessThan(STS_TIMEOUT_MS + 2000 + 8000);
	});

	it('an STS that keeps refusing the signature fails each item at once, without polling on', async () => {
		const run = await runAssumeRoleCell('waitPolly', {
			fault: 'signatureRejected',
		});
		expectEachItemOnce(run.accounting, 3);
		expect(run.accounting.errors).toHaveLength(3);
		for (const error of run.accounting.errors) {
			expect(error.message).toBe('AWS STS rejected the signature of the AssumeRole request');
			expect(error.description).toMatch(/"Secret Access Key" \(secretAccessKey\)/);
		}
		// Fatal: no retries until the timeout (a few AssumeRole requests at most), no polling of Polly.
		expect(run.sts.length).toBeLessThanOrEqual(6);
		expect(run.polly).toHaveLength(0);
	});
});
