// Requests that nock refused because they were aimed at a host other than loopback (test/setup/network.ts
// allows only 127.0.0.1 / localhost): each is an attempt to reach "another host".
import nock from 'nock';

export interface NetAttempts {
	attempts: string[];
	stop(): void;
}

export function recordNetAttempts(): NetAttempts {
	const attempts: string[] = [];
	const onNoMatch = (request: {
		method?: string;
		href?: string;
		path?: string;
		options?: { href?: string; host?: string; path?: string };
	}) => {
		const where =
			request.href ??
			request.options?.href ??
			`${request.options?.host ?? ''}${request.path ?? request.options?.path ?? ''}`;
		if (/^(https?:\/\/)?(127\.0\.0\.1|localhost)(:\d+)?([/?#]|$)/.test(where)) return;
		attempts.push(`${request.method ?? '?'} ${where}`);
	};
	nock.emitter.on('no match', onNoMatch);
	return { attempts, stop: () => nock.emitter.removeListener('no match', onNoMatch) };
}
