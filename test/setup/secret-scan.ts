// Suite-wide secret scan (the README's promise: secrets never appear in output items,
// error messages, error descriptions or logs).
//
// For every test file: every workflow run through n8n-core's WorkflowExecute (output items, item errors, node
// errors: message, description, context, cause, stack) and every line written to the console, stdout or
// stderr (n8n's logger writes through winston to the console) is kept, and after the file's last test it is
// searched for every secret value in use. The file fails on any hit.
//
// Secret values: the harness's SECRETS, the emulator's default secret key and client secret, every secret
// field of every credential a run used (secret key, session token, client secret, access token, pasted token,
// read again after the run so that tokens fetched during the run count), and every bearer token the emulator
// issued. Tests can add more through `secretScan().addSecret(value)`.
//
// Set SECRET_SCAN_REPORT to a file path to append one JSON line of counts per test file.
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_FIELDS = [
	'secretAccessKey',
	'sessionToken',
	'clientSecret',
	'accessToken',
	'pastedToken',
];
/** Shorter values (an empty token, a one-letter test key) would match by accident. */
const MIN_SECRET_LENGTH = 8;

export interface SecretScanStats {
	/** Distinct secret values known. */
	secrets: number;
	/** Texts collected: one per workflow run, one per log write. */
	texts: number;
	runs: number;
	logLines: number;
	/** secrets × texts compared by the last scan. */
	comparisons: number;
	hits: number;
}

export interface SecretScan {
	addSecret(value: unknown): void;
	/** Adds a text to scan (an output or error a test got some other way). */
	addText(label: string, text: string): void;
	/** Scans everything collected so far; returns the hits (secret tails and where). */
	scan(): { comparisons: number; hits: string[] };
	/** The known secrets in one text (nothing is kept): for tests that prove the scan finds what it should. */
	findSecrets(text: string): string[];
	stats(): SecretScanStats;
}

const secrets = new Set<string>();
const texts: Array<{ label: string; text: string }> = [];
let runs = 0;
let logLines = 0;
let lastComparisons = 0;
let lastHits = 0;

function addSecret(value: unknown): void {
	if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

function safeJson(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return (
			JSON.stringify(value, (key, v: unknown) => {
				// Binary payloads are audio bytes in base64: their metadata is scanned, not the samples.
				if (key === 'data' && typeof v === 'string' && v.length > 4096)
					return `[${v.length} characters of binary data]`;
				if (typeof v === 'object' && v !== null) {
					if (seen.has(v)) return '[circular]';
					seen.add(v);
					if (v instanceof Error) {
						const out: Record<string, unknown> = {};
						for (const name of Object.getOwnPropertyNames(v))
							out[name] = (v as unknown as Record<string, unknown>)[name];
						out.message = v.message;
						out.stack = v.stack;
						return out;
					}
				}
				if (typeof v === 'bigint') return String(v);
				return v;
			}) ?? String(value)
		);
	} catch (error) {
		return `[unserialisable: ${(error as Error).message}]`;
	}
}

function addText(label: string, text: string): void {
	texts.push({ label, text });
}

function scan(): { comparisons: number; hits: string[] } {
	const hits: string[] = [];
	let comparisons = 0;
	for (const { label, text } of texts) {
		for (const secret of secrets) {
			comparisons++;
			const at = text.indexOf(secret);
			if (at !== -1) {
				const around = text
					.slice(Math.max(0, at - 80), at + secret.length + 40)
					.split(secret)
					.join('«SECRET»');
				hits.push(`…${secret.slice(-6)} in ${label}: ${around}`);
			}
		}
	}
	lastComparisons = comparisons;
	lastHits = hits.length;
	return { comparisons, hits };
}

const api: SecretScan = {
	addSecret,
	addText,
	scan,
	findSecrets: (text) => [...secrets].filter((secret) => text.includes(secret)),
	stats: () => ({
		secrets: secrets.size,
		texts: texts.length,
		runs,
		logLines,
		comparisons: lastComparisons,
		hits: lastHits,
	}),
};
(globalThis as unknown as { __speechTasksSecretScan: SecretScan }).__speechTasksSecretScan = api;

/** The running scan, for tests that add secrets or texts or read the counts. */
export function secretScan(): SecretScan {
	return (globalThis as unknown as { __speechTasksSecretScan: SecretScan }).__speechTasksSecretScan;
}

// ---- secret values known up front --------------------------------------------------------------------------

function addKnownSecrets(): void {
	try {
		const { SECRETS } =
			jest.requireActual<typeof import('../harness/fixtures')>('../harness/fixtures');
		for (const value of Object.values(SECRETS)) addSecret(value);
	} catch {
		// the harness is not there (yet): nothing to add
	}
	try {
		const { DEFAULT_CREDENTIALS, DEFAULT_ASPOSE } =
			jest.requireActual<typeof import('../emulator/options')>('../emulator/options');
		addSecret(DEFAULT_CREDENTIALS.secretAccessKey);
		addSecret(DEFAULT_CREDENTIALS.sessionToken);
		addSecret(DEFAULT_ASPOSE.clientSecret);
	} catch {
		// no emulator: nothing to add
	}
}

// ---- workflow runs -----------------------------------------------------------------------------------------

interface HelperLike {
	data?: Record<string, Record<string, unknown>>;
}

function addCredentialSecrets(helper: HelperLike | undefined): void {
	for (const credential of Object.values(helper?.data ?? {})) {
		for (const field of SECRET_FIELDS) addSecret(credential?.[field]);
	}
}

interface RunLike {
	data?: {
		resultData?: {
			error?: unknown;
			runData?: Record<
				string,
				Array<{ error?: unknown; data?: { main?: Array<Array<Record<string, unknown>> | null> } }>
			>;
		};
	};
}

function addRun(run: RunLike | undefined, label: string): void {
	const resultData = run?.data?.resultData;
	if (!resultData) return;
	runs++;
	const parts: string[] = [];
	if (resultData.error) parts.push(safeJson(resultData.error));
	for (const [nodeName, tasks] of Object.entries(resultData.runData ?? {})) {
		for (const task of tasks ?? []) {
			if (task.error) parts.push(safeJson(task.error));
			for (const output of task.data?.main ?? []) {
				for (const item of output ?? []) parts.push(`${nodeName}: ${safeJson(item)}`);
			}
		}
	}
	addText(label, parts.join('\n'));
}

jest.mock('n8n-core', () => {
	const actual = jest.requireActual<typeof import('n8n-core')>('n8n-core');
	const proto = actual.WorkflowExecute.prototype as unknown as Record<string, unknown>;
	if (!proto.__secretScanPatched) {
		const original = proto.processRunExecutionData as (...args: unknown[]) => PromiseLike<RunLike>;
		proto.processRunExecutionData = function (
			this: { additionalData?: { credentialsHelper?: HelperLike; executionId?: string } },
			...args: unknown[]
		) {
			const helper = this.additionalData?.credentialsHelper;
			addCredentialSecrets(helper);
			const execution = original.apply(this, args);
			const label = `workflow run ${this.additionalData?.executionId ?? '?'}`;
			Promise.resolve(execution).then(
				(run) => {
					addCredentialSecrets(helper);
					addRun(run, label);
				},
				(error: unknown) => {
					addCredentialSecrets(helper);
					addText(`${label} (rejected)`, safeJson(error));
				},
			);
			return execution;
		};
		proto.__secretScanPatched = true;
	}
	return actual;
});

// Bearer tokens the emulator hands out are secrets too (only if the emulator is there: mocking a module that
// does not exist would break every test file).
if (existsSync(join(__dirname, '..', 'emulator', 'tokens.ts')))
	jest.mock('../emulator/tokens', () => {
		const actual = jest.requireActual<Record<string, unknown>>('../emulator/tokens');
		const tokens = actual.BearerTokens as { prototype: Record<string, unknown> } | undefined;
		const issue = tokens?.prototype.issue;
		if (typeof issue === 'function' && !tokens!.prototype.__secretScanPatched) {
			tokens!.prototype.issue = function (this: unknown, ...args: unknown[]) {
				const issued = (issue as (...a: unknown[]) => { access_token?: unknown }).apply(this, args);
				addSecret(issued?.access_token);
				return issued;
			};
			tokens!.prototype.__secretScanPatched = true;
		}
		return actual;
	});

// ---- logs --------------------------------------------------------------------------------------------------
// Jest's console keeps what tests and n8n's logger (winston writes through `console`) print in a buffer, read
// after the last test; in verbose runs it writes to stdout / stderr instead. Both are scanned. The console
// methods themselves are not wrapped, so jest still shows where each line was logged from.

const restore: Array<() => void> = [];

function captureStreams(): void {
	for (const [name, stream] of [
		['stdout', process.stdout],
		['stderr', process.stderr],
	] as const) {
		const original = stream.write;
		stream.write = function (this: NodeJS.WritableStream, chunk: unknown, ...rest: unknown[]) {
			logLines++;
			addText(name, Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
			return (original as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest]);
		} as typeof stream.write;
		restore.push(() => {
			stream.write = original;
		});
	}
}
captureStreams();

function addConsoleBuffer(): void {
	const buffered = (
		console as unknown as { getBuffer?: () => Array<{ type: string; message: string }> | undefined }
	).getBuffer?.();
	for (const entry of buffered ?? []) {
		logLines++;
		addText(`console.${entry.type}`, entry.message);
	}
}

afterAll(() => {
	while (restore.length) restore.pop()!();
	addConsoleBuffer();
	addKnownSecrets();
	const { comparisons, hits } = scan();
	const report = process.env.SECRET_SCAN_REPORT;
	if (report) {
		appendFileSync(
			report,
			`${JSON.stringify({ file: expect.getState().testPath, secrets: secrets.size, texts: texts.length, runs, logLines, comparisons, hits: hits.length })}\n`,
		);
	}
	if (hits.length > 0) {
		throw new Error(
			`Secret scan: ${hits.length} secret value(s) found in outputs, errors or logs:\n${hits.slice(0, 10).join('\n')}`,
		);
	}
});
