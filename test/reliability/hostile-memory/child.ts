// Memory under hostile answers, in its own process (spawned by hostile-memory.test.ts): for each case a
// loopback server sends something huge — a 100 MB status answer, a gzip answer that inflates to 450 MB, an
// endless status body, an Aspose answer carrying a 300 MB WAV, a 300 MB PCM object without Content-Length —
// and the node runs in n8n's engine with the filesystem binary data store, as in production. RSS is
// sampled every 20 ms; the peak growth over the case's baseline is reported as one JSON line.
import '../soak/engine-env';

import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

import type { INode } from 'n8n-workflow';

import { initFilesystemBinaryData } from '../../harness/binary-data';
import { node } from '../../harness/fixtures';
import { credentialTypes, nodeTypes, TYPES } from '../../harness/package';
import { runWorkflow } from '../../harness/run-workflow';
import { hostileCredentials } from '../support/hostile-server';

const MB = 1024 * 1024;

type Send = (response: ServerResponse) => void;

/** Writes `total` bytes made by `chunk` with back-pressure, then ends (unless `total` is Infinity). */
function pump(response: ServerResponse, total: number, chunk: (n: number) => Buffer, end?: string) {
	let sent = 0;
	const next = () => {
		while (sent < total) {
			const piece = chunk(sent);
			sent += piece.length;
			if (!response.write(piece)) return void response.once('drain', next);
		}
		response.end(end);
	};
	response.on('close', () => (sent = total));
	next();
}

const SPACES = Buffer.alloc(64 * 1024, 0x20);
const WAV_B64 = Buffer.alloc(64 * 1024, 0x41); // base64 "AAAA…"

const cases: Array<{ name: string; route: string; send: Send; node: () => INode }> = [
	{
		name: '100 MB status answer (Get Polly Synthesis Task)',
		route: '/polly/',
		send: (response) => {
			response.writeHead(200, {
				'content-type': 'application/json',
				'content-length': String(100 * MB + 2),
			});
			response.write('{');
			pump(response, 100 * MB, () => SPACES, '}');
		},
		node: () =>
			node(TYPES.getPollySynthesisTask, { taskId: 't1' }, { onError: 'continueRegularOutput' }),
	},
	{
		name: 'gzip answer inflating to 450 MB (Get Polly Synthesis Task)',
		route: '/polly/',
		send: (response) => {
			response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
			const gzip = createGzip();
			gzip.pipe(response);
			let sent = 0;
			const next = () => {
				while (sent < 450 * MB) {
					sent += SPACES.length;
					if (!gzip.write(SPACES)) return void gzip.once('drain', next);
				}
				gzip.end();
			};
			next();
		},
		node: () =>
			node(TYPES.getPollySynthesisTask, { taskId: 't1' }, { onError: 'continueRegularOutput' }),
	},
	{
		name: 'endless status body (Wait Until Complete, Timeout 5 s)',
		route: '/polly/',
		send: (response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			pump(response, Infinity, () => SPACES);
		},
		node: () =>
			node(
				TYPES.waitUntilComplete,
				{
					service: 'polly',
					taskId: 't1',
					downloadAudio: true,
					binaryPropertyName: 'data',
					options: { timeout: 5 },
				},
				{ onError: 'continueRegularOutput' },
			),
	},
	{
		name: 'Aspose answer carrying a 300 MB WAV (Fetch Aspose Audio)',
		route: '/aspose/v5.0/',
		send: (response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write('{"id":"t1","taskStatus":"Completed","results":[{"type":"WavFile","data":"');
			pump(response, 400 * MB, () => WAV_B64, '"}],"error":null}');
		},
		node: () =>
			node(
				TYPES.fetchAsposeAudio,
				{ taskId: 't1', useTrial: false, binaryPropertyName: 'data' },
				{ onError: 'continueRegularOutput' },
			),
	},
	{
		name: '300 MB PCM object without Content-Length (Wait Until Complete, filesystem binary data)',
		route: '/s3/',
		send: (response) => {
			response.writeHead(200, { 'content-type': 'audio/pcm' });
			pump(response, 300 * MB, () => SPACES);
		},
		node: () =>
			node(
				TYPES.waitUntilComplete,
				{
					service: 'polly',
					taskId: 't1',
					downloadAudio: true,
					binaryPropertyName: 'data',
					options: { timeout: 120 },
				},
				{ onError: 'continueRegularOutput' },
			),
	},
];

async function main() {
	initFilesystemBinaryData();
	let current: Send = () => undefined;
	let currentRoute = '';
	const server = createServer((request, response) => {
		request.resume();
		const path = request.url ?? '/';
		if (path.startsWith('/aspose/connect/token')) {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"access_token":"hostile-memory-token","expires_in":3600}');
			return;
		}
		if (currentRoute === '/s3/' && path.startsWith('/polly/')) {
			// The Polly task of the PCM case: completed, its output on the server's S3 route.
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(
				JSON.stringify({
					SynthesisTask: {
						TaskId: 't1',
						TaskStatus: 'completed',
						OutputFormat: 'pcm',
						OutputUri: `${url}/s3/bucket/t1.pcm`,
					},
				}),
			);
			return;
		}
		if (path.startsWith(currentRoute)) return current(response);
		response.writeHead(404);
		response.end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const results = [];
	for (const testCase of cases) {
		current = testCase.send;
		currentRoute = testCase.route;
		global.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		const started = Date.now();
		const result = await runWorkflow({
			nodeTypes,
			credentialTypes,
			credentials: hostileCredentials(url),
			nodes: [testCase.node()],
		});
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().rss);
		const outputs = Object.values(result.outputs)[0] ?? [];
		const item = outputs.flat()[0];
		results.push({
			name: testCase.name,
			baselineMb: Math.round(baseline / MB),
			peakGrowthMb: Math.round((peak - baseline) / MB),
			seconds: Math.round((Date.now() - started) / 100) / 10,
			outcome: item
				? String(
						item.json.error ??
							(item.json.waitOutcome as { outcome?: string } | undefined)?.outcome ??
							'item',
					)
				: String(result.error?.message),
			binaryBytes: item?.binary?.data?.fileSize ?? null,
		});
	}
	server.close();
	process.stdout.write(`${JSON.stringify({ hostileMemory: true, results })}\n`);
	process.exit(0);
}

main().catch((error: unknown) => {
	process.stdout.write(
		`${JSON.stringify({ hostileMemory: false, error: String((error as Error)?.stack ?? error) })}\n`,
	);
	process.exit(1);
});
