// A loopback HTTP server that records every request it gets and answers with a scripted reply. It stands in
// for "any other host": if a node ever sends a request it must not send, the recording shows it.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface RecordingServer {
	url: string;
	port: number;
	requests: RecordedRequest[];
	/** Replace the reply (default: 200, a small JSON body). */
	handle(handler: Handler): void;
	close(): Promise<void>;
}

const defaultHandler: Handler = (_request, response) => {
	response.writeHead(200, { 'content-type': 'application/json' });
	response.end('{"recorded":true}');
};

export async function startRecordingServer(): Promise<RecordingServer> {
	const requests: RecordedRequest[] = [];
	const sockets = new Set<Socket>();
	let handler = defaultHandler;
	const server = createServer((request, response) => {
		requests.push({
			method: request.method ?? '',
			url: request.url ?? '',
			headers: request.headers,
		});
		request.resume();
		handler(request, response);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		handle: (next) => {
			handler = next;
		},
		close: async () => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}
