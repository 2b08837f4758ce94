/**
 * Child processes of the end-to-end run: every long-running process is started in its own process group
 * and registered, so that a failure, Ctrl+C or the end of the run stops all of them (and their children,
 * such as n8n's task runners) by process-group id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

export interface Service {
	name: string;
	child: ChildProcess;
	logFile: string;
	/** Resolves with the exit code (or signal name) once the process has ended. */
	exited: Promise<number | string>;
	/** Stop gracefully (custom stop first if given), then SIGKILL the group after `graceMs`. */
	stop(graceMs?: number): Promise<void>;
}

const running = new Set<Service>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

export interface StartOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Signal for a graceful stop (default SIGTERM). */
	stopSignal?: NodeJS.Signals;
	/** Runs before the stop signal (e.g. `pg_ctl stop`); errors are ignored. */
	beforeStop?: () => Promise<void>;
}

/** Starts a long-running process in its own process group, stdout+stderr appended to `logFile`. */
export function startService(
	name: string,
	command: string,
	args: string[],
	logFile: string,
	options: StartOptions = {},
): Service {
	const out = fs.openSync(logFile, 'a');
	fs.writeSync(out, `$ ${command} ${args.join(' ')}\n`);
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const exited = new Promise<number | string>((resolve) => {
		child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
		child.once('error', (error) => resolve(`spawn error: ${error.message}`));
	});
	let stopping: Promise<void> | undefined;
	const service: Service = {
		name,
		child,
		logFile,
		exited,
		stop(graceMs = 15000) {
			stopping ??= (async () => {
				if (child.exitCode === null && child.signalCode === null) {
					if (options.beforeStop) await options.beforeStop().catch(() => undefined);
					killGroup(child, options.stopSignal ?? 'SIGTERM');
					const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
					await exited;
					clearTimeout(timer);
				}
				// Children that outlived the group leader (n8n's task runner) get the same treatment.
				killGroup(child, 'SIGKILL');
				running.delete(service);
			})();
			return stopping;
		},
	};
	running.add(service);
	return service;
}

/** Stops every registered process: newest first, or all at once (on Ctrl+C). */
export async function stopAll(parallel = false): Promise<void> {
	const services = [...running].reverse();
	if (parallel) {
		await Promise.all(services.map((service) => service.stop(5000)));
		return;
	}
	for (const service of services) await service.stop();
}

/** Last resort on process exit: SIGKILL every group still registered (synchronous). */
export function killAllNow(): void {
	for (const service of running) killGroup(service.child, 'SIGKILL');
	running.clear();
}

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** Also stream output to this file. */
	logFile?: string;
	/** Echo output to our stdout as it arrives (long installs). */
	echo?: boolean;
	input?: string;
}

/** Runs a command to completion (own process group; killed with its children on timeout). */
export function runCommand(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<CommandResult> {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			detached: true,
			stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
		const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
		log?.write(`$ ${command} ${args.join(' ')}\n`);
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout?.on('data', (chunk: Buffer) => {
			out.push(chunk);
			log?.write(chunk);
			if (options.echo) process.stdout.write(chunk);
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			err.push(chunk);
			log?.write(chunk);
			if (options.echo) process.stderr.write(chunk);
		});
		if (options.input !== undefined) child.stdin?.end(options.input);
		const guard = {
			name: `${command} ${args[0] ?? ''}`,
			child,
			logFile: options.logFile ?? '',
			exited: Promise.resolve(0),
			stop: async () => killGroup(child, 'SIGKILL'),
		} satisfies Service;
		running.add(guard);
		let timedOut = false;
		const timer = options.timeoutMs
			? setTimeout(() => {
					timedOut = true;
					killGroup(child, 'SIGKILL');
				}, options.timeoutMs)
			: undefined;
		const finish = (code: number | null, signal: NodeJS.Signals | null, extra = '') => {
			if (timer) clearTimeout(timer);
			running.delete(guard);
			// Whatever the command left behind in its group goes too.
			killGroup(child, 'SIGKILL');
			const stderr =
				Buffer.concat(err).toString('utf8') +
				extra +
				(timedOut ? `\n[timed out after ${options.timeoutMs} ms]` : '');
			log?.end();
			resolve({
				code: timedOut ? null : code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr,
				ms: Date.now() - started,
			});
		};
		child.once('error', (error) => finish(null, null, `\n[spawn error: ${error.message}]`));
		child.once('close', (code, signal) => finish(code, signal));
	});
}

/** Throws with the command's output tail unless it exited 0. */
export async function runChecked(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<CommandResult> {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (exit ${result.code ?? result.signal ?? 'timeout'}):\n${tail(result.stderr || result.stdout, 40)}`,
		);
	}
	return result;
}

export function tail(text: string, lines: number): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A TCP port that was free a moment ago on 127.0.0.1. Ports handed out once are not handed out again. */
const handedOut = new Set<number>();
export async function freePort(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				const value = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(value));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('no free TCP port found');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true; throws after `timeoutMs` (or when `service` exits first). */
export async function waitFor(
	what: string,
	probe: () => Promise<boolean>,
	timeoutMs: number,
	service?: Service,
): Promise<number> {
	const started = Date.now();
	let exited: number | string | undefined;
	void service?.exited.then((code) => (exited = code));
	while (Date.now() - started < timeoutMs) {
		if (exited !== undefined) {
			throw new Error(
				`${what}: ${service?.name} exited (${exited}) before it was ready; log: ${service?.logFile}\n${tail(readSafe(service?.logFile), 30)}`,
			);
		}
		if (await probe().catch(() => false)) return Date.now() - started;
		await sleep(250);
	}
	throw new Error(
		`${what}: not ready after ${Math.round(timeoutMs / 1000)} s${service ? `; log: ${service.logFile}\n${tail(readSafe(service.logFile), 30)}` : ''}`,
	);
}

export function readSafe(file: string | undefined): string {
	if (!file) return '';
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

/** GET a URL on loopback; true on a 2xx answer. */
export async function httpOk(url: string): Promise<boolean> {
	const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
	await response.arrayBuffer().catch(() => undefined);
	return response.ok;
}
