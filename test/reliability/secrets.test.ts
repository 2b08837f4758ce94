// Secrets never appear in output items, error messages, error descriptions or logs.
//
// test/setup/secret-scan.ts scans every workflow run and every log line of every test file of the suite. This
// file drives the worst cases through it: every node against an emulator with credentials of its own (secret
// key, session token, client secret; bearer tokens it issues; a pasted token), every fault, once and always,
// with and without Continue On Fail, wrong secrets, and n8n's logger at debug level writing JSON (with error
// metadata) to a file that is scanned too. Then it checks that the scan found nothing, that it looked at enough,
// and that it does find a secret planted in each kind of text.
import { DEBUG_LOG_FILE } from './support/debug-log-file';

import { existsSync, readFileSync } from 'node:fs';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { credentialTypes, nodeTypes } from '../harness/package';
import { secretScan } from '../setup/secret-scan';
import { runBounded } from './support/accounting';
import { emulatorCredentials } from './support/emulator-env';
import { FAULT_CASES } from './support/fault-matrix';
import { TARGETS } from './support/targets';

const OWN = {
	accessKeyId: 'AKIASECRETSCAN000001',
	secretAccessKey: 'secretScan/SECRET-ACCESS-KEY/0123456789abcdef',
	sessionToken: 'secretScan-SESSION-TOKEN-0123456789abcdefghijklmnop',
	clientSecret: 'secretScan-CLIENT-SECRET-0123456789',
};

let emulator: Emulator;
let runs = 0;

const ownEmulator = async () =>
	await startEmulator({
		credentials: {
			accessKeyId: OWN.accessKeyId,
			secretAccessKey: OWN.secretAccessKey,
			sessionToken: OWN.sessionToken,
		},
		asposeClientSecret: OWN.clientSecret,
		durations: { polly: 0, aspose: 0, chimeVoice: 0, chimeMediaPipeline: 0 },
	});

beforeAll(async () => {
	emulator = await ownEmulator();
	for (const value of Object.values(OWN)) secretScan().addSecret(value);
});

afterAll(async () => {
	await emulator.close();
});

const globalEmulator = () => emulator;

async function run(
	targetKey: keyof typeof TARGETS,
	options: {
		fault?: (typeof FAULT_CASES)[number];
		count?: number;
		continueOnFail: boolean;
		credentials?: Record<string, Record<string, unknown>>;
		on?: Emulator;
	},
) {
	const emulator = options.on ?? globalEmulator();
	const target = TARGETS[targetKey];
	emulator.clearFaults();
	if (options.fault)
		emulator.setFaults([
			{ ...options.fault.rule(target.routes), ...(options.count ? { count: options.count } : {}) },
		]);
	const { node: n, input } = target.build(
		emulator,
		2,
		target.wait ? { options: { strategy: 'fixed', interval: 0.1, timeout: 0.5 } } : {},
		{
			onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		},
	);
	const credentials = options.credentials ?? emulatorCredentials(emulator);
	await runBounded(
		{ nodeTypes, credentialTypes, credentials: credentials as never, nodes: [n], input },
		30_000,
	);
	runs++;
}

describe('every node, every fault, once and always, with and without Continue On Fail', () => {
	const targets = [
		'getPolly',
		'getSpeakerSearchPipeline',
		'getSpeakerSearchVoice',
		'fetchAspose',
		'waitPolly',
		'waitPollyDownload',
		'waitPipeline',
		'waitVoice',
		'waitAspose',
	] as const;
	it.concurrent.each(targets)('%s', async (target) => {
		const on = await ownEmulator();
		try {
			for (const fault of FAULT_CASES.filter((f) => f.key !== 'slow')) {
				await run(target, { fault, count: 1, continueOnFail: true, on });
				await run(target, { fault, continueOnFail: false, on });
			}
		} finally {
			await on.close();
		}
	});
});

describe('wrong and odd credentials', () => {
	it('a wrong secret key, a wrong session token, a wrong client secret, a pasted token', async () => {
		const good = emulatorCredentials(emulator);
		const aws = { ...good.awsSigV4Api, temporaryCredentials: true, sessionToken: OWN.sessionToken };
		await run('getPolly', { continueOnFail: true, credentials: { ...good, awsSigV4Api: aws } });
		await run('waitPolly', { continueOnFail: true, credentials: { ...good, awsSigV4Api: aws } });
		const wrongKey = { ...aws, secretAccessKey: 'secretScan/WRONG-secret-access-key/0000000' };
		secretScan().addSecret(wrongKey.secretAccessKey);
		await run('getPolly', {
			continueOnFail: true,
			credentials: { ...good, awsSigV4Api: wrongKey },
		});
		await run('waitPollyDownload', {
			continueOnFail: false,
			credentials: { ...good, awsSigV4Api: wrongKey },
		});
		const wrongToken = { ...aws, sessionToken: 'secretScan-WRONG-session-token-000000000' };
		secretScan().addSecret(wrongToken.sessionToken);
		await run('getSpeakerSearchVoice', {
			continueOnFail: true,
			credentials: { ...good, awsSigV4Api: wrongToken },
		});
		const wrongClient = {
			...good.asposeCloudApi,
			clientSecret: 'secretScan-WRONG-client-secret-000',
		};
		secretScan().addSecret(wrongClient.clientSecret);
		await run('fetchAspose', {
			continueOnFail: true,
			credentials: { ...good, asposeCloudApi: wrongClient },
		});
		await run('waitAspose', {
			continueOnFail: false,
			credentials: { ...good, asposeCloudApi: wrongClient },
		});
		const pasted = emulator.issueAsposeToken();
		const pastedCredential = {
			...good.asposeCloudApi,
			authentication: 'pastedToken',
			pastedToken: pasted,
		};
		await run('fetchAspose', {
			continueOnFail: true,
			credentials: { ...good, asposeCloudApi: pastedCredential },
		});
		emulator.expireTokens();
		await run('waitAspose', {
			continueOnFail: true,
			credentials: { ...good, asposeCloudApi: pastedCredential },
		});
	});
});

describe('Assume Role: the role session and the external ID', () => {
	const ROLE = 'arn:aws:iam::123456789012:role/secret-scan';
	const EXTERNAL_ID = 'secretScan-EXTERNAL-ID-0123456789';
	// Faults of STS AssumeRole itself (n8n calls it through the credential's preAuthentication).
	const stsFaults = FAULT_CASES.filter((f) =>
		[
			'throttle',
			'error500',
			'error503',
			'reset',
			'truncated',
			'malformedJson',
			'signatureRejected',
		].includes(f.key),
	).map((f) => ({
		...f,
		key: `sts-${f.key}`,
		rule: () => ({ route: 'sts.*' as const, fault: f.fault }),
	}));

	it('every fault of the services and of STS, an expired session, a refused role', async () => {
		const on = await startEmulator({
			credentials: { accessKeyId: OWN.accessKeyId, secretAccessKey: OWN.secretAccessKey },
			roles: [{ arn: ROLE, externalId: EXTERNAL_ID }],
			clock: 'manual',
			durations: { polly: 0, aspose: 0, chimeVoice: 0, chimeMediaPipeline: 0 },
		});
		secretScan().addSecret(EXTERNAL_ID);
		try {
			const good = emulatorCredentials(on);
			const role = {
				...good.awsSigV4Api,
				assumeRole: true,
				roleArn: ROLE,
				externalId: EXTERNAL_ID,
				roleSessionToken: '',
			};
			const credentials = { ...good, awsSigV4Api: role };
			for (const target of ['getPolly', 'waitPollyDownload', 'getSpeakerSearchVoice'] as const) {
				for (const fault of [...FAULT_CASES.filter((f) => f.key !== 'slow'), ...stsFaults]) {
					await run(target, { fault, count: 1, continueOnFail: true, credentials, on });
				}
				await run(target, { fault: stsFaults[2], continueOnFail: false, credentials, on });
			}
			on.advance(61 * 60_000);
			await run('waitPolly', { continueOnFail: true, credentials, on });
			await run('getPolly', {
				continueOnFail: false,
				credentials: {
					...good,
					awsSigV4Api: { ...role, externalId: 'secretScan-WRONG-external-id' },
				},
				on,
			});
			expect(on.roleSessions().length).toBeGreaterThan(1);
		} finally {
			for (const session of on.roleSessions()) {
				secretScan().addSecret(session.secretAccessKey);
				secretScan().addSecret(session.sessionToken);
			}
			await on.close();
		}
	});
});

describe('the scan', () => {
	it('finds no secret in any output item, error or log line, and it looked at all of them', async () => {
		// Runs report to the scan when they settle.
		await new Promise((resolve) => setTimeout(resolve, 50));
		const log = existsSync(DEBUG_LOG_FILE) ? readFileSync(DEBUG_LOG_FILE, 'utf8') : '';
		for (const line of log.split('\n'))
			if (line.trim()) secretScan().addText('n8n debug log', line);
		const { comparisons, hits } = secretScan().scan();
		const stats = secretScan().stats();
		console.log(
			`Secret scan (this file): ${stats.secrets} secret values × ${stats.texts} texts (${stats.runs} runs, ${log.split('\n').length} debug log lines) = ${comparisons} comparisons, ${hits.length} hits`,
		);
		expect(hits).toEqual([]);
		expect(stats.runs).toBeGreaterThanOrEqual(runs);
		expect(log.length).toBeGreaterThan(0);
		// Every secret of both emulator credentials, at least one issued bearer token, the wrong ones.
		expect(stats.secrets).toBeGreaterThanOrEqual(Object.keys(OWN).length + 4);
	});

	it('finds a secret planted in an output item, an error description and a log line', () => {
		const scan = secretScan();
		const item = JSON.stringify({ json: { TaskId: 't', note: `x${OWN.sessionToken}y` } });
		const description = JSON.stringify({
			message: 'AWS rejected the request signature',
			description: `key ${OWN.secretAccessKey}`,
		});
		const logLine = `{"level":"debug","message":"Bearer ${OWN.clientSecret}"}`;
		expect(scan.findSecrets(item)).toEqual([OWN.sessionToken]);
		expect(scan.findSecrets(description)).toEqual([OWN.secretAccessKey]);
		expect(scan.findSecrets(logLine)).toEqual([OWN.clientSecret]);
	});
});
