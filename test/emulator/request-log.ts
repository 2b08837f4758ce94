/** The log of every request the emulator received (newest last), bounded to `limit` entries. */
import type { FaultName, RequestLogEntry, RouteName, ServiceName } from './types';

export class RequestLog {
	readonly entries: RequestLogEntry[] = [];
	private nextId = 1;

	constructor(private readonly limit: number) {}

	start(
		method: string,
		url: string,
		path: string,
		service: ServiceName | 'unknown',
	): RequestLogEntry {
		const entry: RequestLogEntry = {
			id: this.nextId++,
			time: Date.now(),
			method,
			url,
			path,
			service,
		};
		this.entries.push(entry);
		if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
		return entry;
	}

	clear(): void {
		this.entries.length = 0;
	}

	byRoute(route: RouteName): RequestLogEntry[] {
		return this.entries.filter((e) => e.route === route);
	}

	byService(service: ServiceName): RequestLogEntry[] {
		return this.entries.filter((e) => e.service === service);
	}

	faults(fault?: FaultName): RequestLogEntry[] {
		return this.entries.filter((e) => (fault ? e.fault === fault : e.fault !== undefined));
	}
}
