// A loopback server that misbehaves on purpose, in ways the emulator does not: it answers each request
// with whatever the test scripts for it (hostile values, trickles, endless or compressed bodies,
// redirects, echoes of what it was sent). The package's credentials point every service at it.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { asposeCredentials, awsCredentials, SECRETS } from '../../harness/fixtures';

export interface Exchange {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
}

export type Reply = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

export interface HostileServer {
	url: string;
	requests: Exchange[];
	/** The reply for requests whose path starts with `prefix` (longest prefix wins). */
	on(prefix: string, reply: Reply): void;
	reset(): void;
	close(): Promise<void>;
}

export async function startHostileServer(): Promise<HostileServer> {
	const requests: Exchange[] = [];
	const routes = new Map<string, Reply>();
	const sockets = new Set<Socket>();
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		requests.push({
			method: request.method ?? '',
			path: url.pathname + url.search,
			headers: request.headers,
		});
		request.resume();
		const prefix = [...routes.keys()]
			.filter((candidate) => url.pathname.startsWith(candidate))
			.sort((a, b) => b.length - a.length)[0];
		if (prefix === undefined) {
			response.writeHead(404, { 'content-type': 'application/json' });
			response.end('{"message":"no route"}');
			return;
		}
		routes.get(prefix)!(request, response, url);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	const defaults = () => {
		routes.clear();
		// The Aspose token endpoint works unless a test says otherwise.
		routes.set('/aspose/connect/token', (_request, response) => {
			json(response, 200, {
				access_token: SECRETS.accessToken1,
				expires_in: 3600,
				token_type: 'Bearer',
			});
		});
	};
	defaults();
	return {
		url,
		requests,
		on: (prefix, reply) => routes.set(prefix, reply),
		reset: () => {
			requests.length = 0;
			defaults();
		},
		close: async () => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}

export function json(
	response: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) {
	response.writeHead(status, { 'content-type': 'application/json', ...headers });
	response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Both credentials, every endpoint on the hostile server. */
export function hostileCredentials(url: string): Record<string, ICredentialDataDecryptedObject> {
	return {
		awsSigV4Api: awsCredentials({
			customEndpoints: true,
			pollyEndpoint: `${url}/polly`,
			chimeMediaPipelinesEndpoint: `${url}/mp`,
			chimeVoiceEndpoint: `${url}/voice`,
			s3Endpoint: `${url}/s3`,
			stsEndpoint: `${url}/sts`,
		}),
		asposeCloudApi: asposeCredentials({ baseUrl: `${url}/aspose` }),
	};
}

/** Every output item: a JSON object, paired with exactly one input item; returns the items by input index. */
export function itemsByInput(
	outputs: INodeExecutionData[][],
	inputs: number,
): Map<number, INodeExecutionData> {
	const byInput = new Map<number, INodeExecutionData>();
	for (const output of outputs) {
		for (const item of output) {
			if (item.json === null || typeof item.json !== 'object' || Array.isArray(item.json)) {
				throw new Error(
					`an output item is not a JSON object: ${JSON.stringify(item.json)?.slice(0, 80)}`,
				);
			}
			const paired = item.pairedItem as { item: number } | undefined;
			if (typeof paired?.item !== 'number')
				throw new Error('an output item has no paired input item');
			if (byInput.has(paired.item)) throw new Error(`input item ${paired.item} came out twice`);
			byInput.set(paired.item, item);
		}
	}
	if (byInput.size !== inputs) throw new Error(`${inputs} input items, ${byInput.size} came out`);
	return byInput;
}
