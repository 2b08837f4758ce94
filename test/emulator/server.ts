/**
 * The HTTP core: mounts each service under its prefix, reads bodies, records the request log, applies faults,
 * authenticates, dispatches, and writes replies (buffers or streamed content sources with backpressure).
 *
 * One TCP port speaks HTTP/1.1 and cleartext HTTP/2 (prior knowledge, as the AWS SDK's NodeHttp2Handler uses for
 * Polly): the first bytes of each connection decide (`PRI * HTTP/2.0` preface → HTTP/2).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import {
	type Http2Server,
	type Http2ServerRequest,
	type Http2ServerResponse,
	constants as h2constants,
	createServer as createHttp2Server,
} from 'node:http2';
import { type Server as NetServer, type Socket, createServer as createNetServer } from 'node:net';
import type { ContentSource } from './audio/source';
import { awsRequestId } from './random';
import type { Quotas } from './quotas';
import type { Env, HandlerContext, ServiceHandler } from './service';
import { TRANSPORT_FAULTS } from './service';
import {
	type FaultRule,
	type Query,
	type Reply,
	type RouteName,
	SERVICE_PREFIXES,
	type ServiceName,
} from './types';

const AWS_JSON_SERVICES = new Set<ServiceName>([
	'polly',
	'chimeMediaPipeline',
	'chimeVoice',
	'sts',
]);

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

/** Decodes a raw query string; `+` stays a plus sign (AWS encodes spaces as %20). */
export function parseQuery(raw: string): Query {
	const query: Query = {};
	if (!raw) return query;
	for (const part of raw.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
		const value = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
		const existing = query[key];
		if (existing === undefined) query[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else query[key] = [existing, value];
	}
	return query;
}

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

function isHttp2(req: Req): req is Http2ServerRequest {
	return req.httpVersionMajor === 2;
}

function isDestroyed(res: Res): boolean {
	return 'stream' in res ? res.stream.destroyed || res.stream.closed : res.destroyed;
}

/** Ends the exchange abruptly after what was written: FIN on HTTP/1.1, RST_STREAM on HTTP/2. */
function cutOff(res: Res): void {
	if ('stream' in res) res.stream.close(h2constants.NGHTTP2_INTERNAL_ERROR);
	else res.socket?.end();
}

/** `res.write` with a completion callback on either protocol. */
function writeChunk(res: Res, chunk: Buffer, callback?: () => void): boolean {
	return (res as ServerResponse).write(chunk, callback);
}

function isSource(body: Reply['body']): body is ContentSource {
	return body !== undefined && !Buffer.isBuffer(body);
}

export class EmulatorServer {
	readonly server: NetServer;
	private readonly http1: Server;
	private readonly http2: Http2Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Map<NodeJS.Timeout, () => void>();
	private closed = false;

	constructor(
		private readonly env: Env,
		private readonly services: Map<ServiceName, ServiceHandler>,
		/** Request-rate quotas (off when absent). */
		private readonly quotas?: Quotas,
	) {
		const onRequest = (req: Req, res: Res) => {
			this.handle(req, res).catch((error) => {
				if (!res.headersSent && !isDestroyed(res)) {
					res.writeHead(500, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ message: `Emulator failure: ${(error as Error).message}` }));
				} else cutOff(res);
			});
		};
		this.http1 = createServer(onRequest);
		this.http1.keepAliveTimeout = 5_000;
		this.http2 = createHttp2Server({}, onRequest);
		this.server = createNetServer((socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
			socket.on('error', () => undefined);
			socket.once('readable', () => {
				const head: Buffer | null = socket.read();
				if (!head) return;
				socket.unshift(head);
				(head.subarray(0, 4).toString('latin1') === 'PRI ' ? this.http2 : this.http1).emit(
					'connection',
					socket,
				);
			});
		});
	}

	listen(port: number, host: string): Promise<number> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, () => {
				this.server.off('error', reject);
				const address = this.server.address();
				resolve(typeof address === 'object' && address ? address.port : port);
			});
		});
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const [timer, resolve] of this.timers) {
			clearTimeout(timer);
			resolve();
		}
		this.timers.clear();
		const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.http1.closeAllConnections?.();
		this.http2.close();
		await closing;
	}

	private delay(ms: number): Promise<void> {
		if (this.closed) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			timer.unref?.();
			this.timers.set(timer, resolve);
		});
	}

	private readBody(req: Req, limit: number): Promise<Buffer | undefined> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			let tooLarge = false;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > limit) tooLarge = true;
				else chunks.push(chunk);
			});
			req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
			req.on('error', reject);
		});
	}

	private async handle(req: Req, res: Res): Promise<void> {
		const started = Date.now();
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
		const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
		const method = (req.method ?? 'GET').toUpperCase();
		let service: ServiceName | undefined;
		for (const [name, prefix] of Object.entries(SERVICE_PREFIXES) as Array<[ServiceName, string]>) {
			if (rawPath === prefix || rawPath.startsWith(prefix + '/')) service = name;
		}
		const entry = this.env.log.start(method, rawUrl, rawPath, service ?? 'unknown');
		entry.httpVersion = req.httpVersion;
		res.on('finish', () => {
			entry.durationMs = Date.now() - started;
		});
		res.on('close', () => {
			if (!res.writableFinished && !res.finished) entry.aborted = true;
			entry.durationMs ??= Date.now() - started;
		});

		const body = await this.readBody(req, this.env.options.maxBodyBytes);
		if (!service) {
			this.write(res, entry, method, {
				status: 404,
				headers: { 'Content-Type': 'application/json' },
				body: Buffer.from(
					JSON.stringify({
						message: `No emulated service at ${rawPath}. Mounts: ${Object.values(SERVICE_PREFIXES).join(', ')}`,
					}),
				),
			});
			return;
		}
		const handler = this.services.get(service)!;
		const subPath = rawPath.slice(SERVICE_PREFIXES[service].length) || '/';
		const query = parseQuery(rawQuery);
		const match = handler.match(method, subPath, query);
		const route: RouteName = match?.route ?? `${service}.unknown`;
		entry.route = route;
		const ctx: HandlerContext = {
			id: entry.id,
			method,
			rawUrl,
			rawPath,
			rawQuery,
			subPath,
			query,
			headers: req.headers,
			body: body ?? Buffer.alloc(0),
			service,
			route,
			remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
			log: entry,
		};
		if (body === undefined) {
			this.write(
				res,
				entry,
				method,
				{
					status: 413,
					headers: { 'Content-Type': 'application/json' },
					body: Buffer.from('{"message":"Request entity too large"}'),
				},
				service,
			);
			return;
		}

		// Faults are decided before authentication so that "first N requests" counts are predictable.
		const fault = this.env.faults.pick(
			route,
			(f) => TRANSPORT_FAULTS.includes(f) || handler.appliesFault(f, route),
		);
		if (fault) {
			entry.fault = fault.fault;
			this.env.faults.record(fault.fault);
		}
		if (fault?.fault === 'reset') {
			entry.bytesSent = 0;
			entry.aborted = true;
			if (isHttp2(req)) req.stream.session?.destroy();
			else req.socket.destroy();
			return;
		}
		if (fault?.fault === 'slow') await this.delay(fault.delayMs ?? 2_000);
		if (this.closed) return;

		let reply: Reply;
		if (fault && !TRANSPORT_FAULTS.includes(fault.fault)) {
			reply = handler.faultReply(fault, ctx);
		} else {
			const authError = await handler.authenticate(ctx, route);
			if (authError) reply = authError;
			else if (!match) reply = handler.unknownRoute(ctx);
			// Counted per account and Region once the caller is known; answered as the service throttles.
			else if (this.quotas?.admit(ctx))
				reply = handler.faultReply({ route, fault: 'throttle' }, ctx);
			else {
				try {
					reply = await match.handle(ctx, match.params);
				} catch (error) {
					reply = handler.faultReply(
						{
							route,
							fault: 'error500',
							message: `Emulator internal error: ${(error as Error).message}`,
						},
						ctx,
					);
				}
			}
		}
		this.write(res, entry, method, reply, service, fault);
	}

	private write(
		res: Res,
		entry: HandlerContext['log'],
		method: string,
		reply: Reply,
		service?: ServiceName,
		fault?: FaultRule,
	): void {
		if (isDestroyed(res)) return;
		const headers: Record<string, string | number> = { ...reply.headers };
		if (
			service &&
			AWS_JSON_SERVICES.has(service) &&
			!Object.keys(headers).some((h) => h.toLowerCase() === 'x-amzn-requestid')
		)
			headers['x-amzn-RequestId'] = awsRequestId();
		headers.Date = new Date(this.env.signatureNow()).toUTCString();
		if (reply.errorCode) entry.errorCode = reply.errorCode;
		let body = reply.body;
		if (fault?.fault === 'malformedJson' && body !== undefined && !reply.headOnly) {
			const text = Buffer.isBuffer(body) ? body : Buffer.alloc(Math.min(body.size, 4096), 0x7b);
			body = Buffer.concat([
				text.subarray(0, Math.floor(text.length / 2)),
				Buffer.from('{"<malformed'),
			]);
		}
		const noBody = reply.status === 204 || reply.status === 304;
		const size = body === undefined ? 0 : Buffer.isBuffer(body) ? body.length : body.size;
		if (!noBody)
			headers['Content-Length'] = fault?.fault === 'truncated' && size < 64 ? size + 64 : size;
		res.writeHead(reply.status, headers);
		entry.status = reply.status;
		if (noBody || method === 'HEAD' || reply.headOnly || body === undefined || size === 0) {
			if (fault?.fault === 'truncated' && !noBody && method !== 'HEAD') {
				entry.aborted = true;
				writeChunk(res, Buffer.alloc(0), () => cutOff(res));
				return;
			}
			entry.bytesSent = 0;
			res.end();
			return;
		}
		const limit = fault?.fault === 'truncated' ? Math.floor(size / 2) : size;
		if (!isSource(body)) {
			entry.bytesSent = limit;
			if (limit < size) {
				entry.aborted = true;
				writeChunk(res, body.subarray(0, limit), () => cutOff(res));
				return;
			}
			res.end(body);
			return;
		}
		void this.stream(res, entry, body, limit, size);
	}

	private async stream(
		res: Res,
		entry: HandlerContext['log'],
		source: ContentSource,
		limit: number,
		size: number,
	): Promise<void> {
		let sent = 0;
		for (const chunk of source.chunks()) {
			if (isDestroyed(res) || this.closed) break;
			const piece = sent + chunk.length > limit ? chunk.subarray(0, limit - sent) : chunk;
			if (piece.length === 0) break;
			sent += piece.length;
			if (!writeChunk(res, piece)) {
				await new Promise<void>((resolve) => {
					const done = () => {
						res.off('drain', done);
						res.off('close', done);
						resolve();
					};
					res.on('drain', done);
					res.on('close', done);
				});
			}
			if (sent >= limit) break;
		}
		entry.bytesSent = sent;
		if (isDestroyed(res)) return;
		if (sent < size) {
			entry.aborted = true;
			cutOff(res);
		} else res.end();
	}
}
