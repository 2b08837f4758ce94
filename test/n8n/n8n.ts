/** Running the real n8n (CLI commands and servers) on Node 24 from the cache, and reading what it prints. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	type CommandResult,
	type Service,
	freePort,
	runCommand,
	startService,
	tail,
} from './processes';
import type { Toolchain } from './toolchain';

export interface Instance {
	/** N8N_USER_FOLDER: n8n keeps `.n8n/` (config, SQLite DB, binary data, nodes) inside. */
	userFolder: string;
	env: NodeJS.ProcessEnv;
	logDir: string;
}

/** Environment of one n8n process: quiet, loopback only, no calls home. */
export async function instanceEnv(
	tools: Toolchain,
	userFolder: string,
	extra: NodeJS.ProcessEnv = {},
): Promise<NodeJS.ProcessEnv> {
	// n8n's temporary files (e.g. n8nDataTableUploads) stay inside the run's folder.
	const tmp = path.join(userFolder, 'tmp');
	fs.mkdirSync(tmp, { recursive: true });
	return {
		...tools.env,
		TMPDIR: tmp,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		// Every n8n process (CLI commands included) starts a task broker for its runners; never the default 5679.
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		NODE_ENV: 'production',
		...extra,
	};
}

export async function n8nCli(
	tools: Toolchain,
	instance: Instance,
	args: string[],
	label: string,
	timeoutMs = 10 * 60000,
): Promise<CommandResult> {
	const logFile = path.join(instance.logDir, `${label}.log`);
	return runCommand(tools.nodeBin, [tools.n8nBin, ...args], {
		env: instance.env,
		cwd: instance.userFolder,
		timeoutMs,
		logFile,
	});
}

export async function n8nCliChecked(
	tools: Toolchain,
	instance: Instance,
	args: string[],
	label: string,
): Promise<CommandResult> {
	const result = await n8nCli(tools, instance, args, label);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} exited ${result.code ?? result.signal}:\n${tail(result.stderr + result.stdout, 30)}`,
		);
	}
	return result;
}

export function startN8n(
	tools: Toolchain,
	instance: Instance,
	command: 'start' | 'worker',
	args: string[],
	label: string,
): Service {
	return startService(
		label,
		tools.nodeBin,
		[tools.n8nBin, command, ...args],
		path.join(instance.logDir, `${label}.log`),
		{
			cwd: instance.userFolder,
			env: instance.env,
			stopSignal: 'SIGTERM',
		},
	);
}

/**
 * `n8n execute --rawOutput` prints log lines (task broker, license SDK, …) and then the run as pretty JSON.
 * Returns the first JSON object that parses, from a line that is exactly `{`.
 */
export function parseExecuteOutput(stdout: string): Record<string, unknown> | undefined {
	const lines = stdout.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (lines[start].trim() !== '{') continue;
		for (let end = lines.length; end > start; end--) {
			if (lines[end - 1].trim() !== '}') continue;
			try {
				return JSON.parse(lines.slice(start, end).join('\n')) as Record<string, unknown>;
			} catch {
				// keep trimming
			}
		}
	}
	return undefined;
}

/** A cookie-keeping client for n8n's REST API. */
export class RestClient {
	private cookies = new Map<string, string>();

	constructor(readonly baseUrl: string) {}

	cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	cookieList(): Array<{ name: string; value: string }> {
		return [...this.cookies].map(([name, value]) => ({ name, value }));
	}

	async request(
		method: string,
		url: string,
		body?: unknown,
	): Promise<{ status: number; json: unknown; text: string }> {
		const response = await fetch(this.baseUrl + url, {
			method,
			headers: {
				'content-type': 'application/json',
				cookie: this.cookieHeader(),
				'browser-id': 'n8n-e2e',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60000),
		});
		for (const header of response.headers.getSetCookie?.() ?? []) {
			const [pair] = header.split(';');
			const index = pair.indexOf('=');
			if (index > 0) this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
		}
		const text = await response.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text };
	}
}

export const OWNER = {
	email: 'owner@speech-tasks.test',
	firstName: 'Speech',
	lastName: 'Tasks',
	password: 'E2e-Passw0rd-Speech',
};

export async function setupOwner(client: RestClient): Promise<void> {
	const setup = await client.request('POST', '/rest/owner/setup', OWNER);
	if (setup.status !== 200)
		throw new Error(`POST /rest/owner/setup answered ${setup.status}: ${setup.text.slice(0, 500)}`);
	const login = await client.request('POST', '/rest/login', {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	if (login.status !== 200)
		throw new Error(`POST /rest/login answered ${login.status}: ${login.text.slice(0, 500)}`);
}

export function writeJson(file: string, value: unknown): string {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}
