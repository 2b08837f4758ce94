// Runs one fault-matrix cell: a target's node against its own emulator with one fault rule.
import { appendFileSync } from 'node:fs';

import type { INode, INodeParameters } from 'n8n-workflow';

import type { Emulator, FaultRule, RequestLogEntry } from '../../emulator';
import { nodeTypes } from '../../harness/package';
import type { RunResult } from '../../harness/run-workflow';
import { account, runBounded } from './accounting';
import type { Accounting, Place } from './accounting';
import { cappedCredentialTypes, emulatorCredentials, fastEmulator } from './emulator-env';
import type { RequestTimeouts } from './emulator-env';
import { REQUEST_TIMEOUT_CAP_MS } from './fault-matrix';
import type { Target } from './targets';

export interface CellRun {
	result: RunResult;
	accounting: Accounting;
	elapsedMs: number;
	injected: number;
	requests: RequestLogEntry[];
	timeouts: RequestTimeouts;
	node: INode;
}

export const OUTPUT_NAMES = (target: Target): Place[] =>
	target.wait ? ['completed', 'failed', 'timedOut'] : ['ok'];

export async function runCell(
	target: Target,
	options: {
		items: number;
		rule?: FaultRule;
		continueOnFail: boolean | 'errorOutput';
		parameters?: INodeParameters;
		limitMs: number;
		emulator?: Emulator;
	},
): Promise<CellRun> {
	const emulator = options.emulator ?? (await fastEmulator());
	try {
		const { types, timeouts } = cappedCredentialTypes(REQUEST_TIMEOUT_CAP_MS);
		const onError =
			options.continueOnFail === 'errorOutput'
				? 'continueErrorOutput'
				: options.continueOnFail
					? 'continueRegularOutput'
					: 'stopWorkflow';
		const { node, input } = target.build(emulator, options.items, options.parameters, {
			onError,
		} as Partial<INode>);
		emulator.setFaults(options.rule ? [options.rule] : []);
		const before = emulator.requests.length;
		const { result, elapsedMs } = await runBounded(
			{
				nodeTypes,
				credentialTypes: types,
				credentials: emulatorCredentials(emulator),
				nodes: [node],
				input,
			},
			options.limitMs,
		);
		const injected = Object.values(emulator.faultCounts()).reduce((a, b) => a + (b ?? 0), 0);
		const accounting = account(result, node.name, OUTPUT_NAMES(target));
		// MATRIX_LOG=<file>: one JSON line per cell, what each item became (for the README table).
		if (process.env.MATRIX_LOG) {
			appendFileSync(
				process.env.MATRIX_LOG,
				`${JSON.stringify({
					target: target.key,
					fault: options.rule?.fault,
					count: options.rule?.count,
					items: accounting.placed.map((p) =>
						p.place === 'error' ? `error: ${p.message} — ${p.description}` : p.place,
					),
					error:
						result.error &&
						`${result.error.message} — ${(result.error as { description?: string }).description}`,
					elapsedMs,
					injected,
				})}\n`,
			);
		}
		return {
			result,
			accounting,
			elapsedMs,
			injected,
			requests: emulator.requests.slice(before),
			timeouts,
			node,
		};
	} finally {
		if (!options.emulator) await emulator.close();
	}
}

/** Every request went to one of the routes the target is meant to use. */
export function strayRequests(run: CellRun, target: Target): string[] {
	return run.requests
		.filter((r) => !target.intendedRoutes.includes(String(r.route)))
		.map((r) => `${r.method} ${r.url} (${r.route})`);
}
