// Reads AWS's SigV4 test suite and the S3 examples from ../shared at test time (never copied here).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import type { HeaderMap } from '../../../../../credentials/common/aws/signer';

export const SUITE_DIR = path.resolve(__dirname, '../../../../../../shared/sigv4-test-suite');

export interface SuiteCase {
	name: string;
	method: string;
	/** Request target exactly as in the .req file (not percent-encoded). */
	target: string;
	headers: HeaderMap;
	body: string;
	creq: string;
	sts: string;
	authz: string;
}

export function findRequestFiles(dir: string = SUITE_DIR): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.map((entry) => path.join(dir, entry))
		.flatMap((entry) => {
			if (statSync(entry).isDirectory()) return findRequestFiles(entry);
			return entry.endsWith('.req') ? [entry] : [];
		})
		.sort();
}

/** Raw HTTP/1.1 request: request line, header lines (obs-fold continuations), blank line, body. */
export function parseRawRequest(text: string) {
	const blank = text.indexOf('\n\n');
	const head = blank === -1 ? text : text.slice(0, blank);
	const body = blank === -1 ? '' : text.slice(blank + 2);
	const [requestLine, ...lines] = head.split('\n');
	const method = requestLine.slice(0, requestLine.indexOf(' '));
	const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' HTTP/'));
	const fields: Array<[string, string]> = [];
	for (const line of lines) {
		if (/^[ \t]/.test(line) && fields.length > 0) {
			fields[fields.length - 1][1] += ` ${line.trim()}`;
		} else if (line !== '') {
			const colon = line.indexOf(':');
			fields.push([line.slice(0, colon), line.slice(colon + 1)]);
		}
	}
	const headers: Record<string, string[]> = {};
	for (const [name, value] of fields) (headers[name] ??= []).push(value);
	return { method, target, headers: headers as HeaderMap, body };
}

export function loadSuiteCase(requestFile: string): SuiteCase {
	const base = requestFile.slice(0, -'.req'.length);
	const read = (ext: string) => readFileSync(`${base}.${ext}`, 'utf8');
	return {
		name: path.relative(SUITE_DIR, base).split(path.sep).slice(0, -1).join('/'),
		...parseRawRequest(read('req')),
		creq: read('creq'),
		sts: read('sts'),
		authz: read('authz'),
	};
}

/** The session token the suite's README gives for get-vanilla-with-session-token. */
export function suiteSessionToken(): string {
	const readme = readFileSync(path.join(SUITE_DIR, 'README.md'), 'utf8');
	const match = /X-Amz-Security-Token: ([0-9a-f]{64})/.exec(readme);
	if (!match) throw new Error('Session token not found in the suite README');
	return match[1];
}

export interface S3Example {
	creq: string;
	/** The full string to sign when the file prints it, else undefined. */
	sts?: string;
	/** Hash line (last line) of the string to sign. */
	stsHash: string;
	signature: string;
}

function fencedBlocks(section: string): string[] {
	return [...section.matchAll(/```\n([\s\S]*?)\n```/g)].map((match) => match[1]);
}

/** Expected values of example `letter` (A–D) of s3-vectors.md. */
export function s3Example(letter: string): S3Example {
	const markdown = readFileSync(path.join(SUITE_DIR, 's3-vectors.md'), 'utf8');
	const section = markdown.split(/^### /m).find((part) => part.startsWith(`${letter}. `));
	if (!section) throw new Error(`Example ${letter} not found in s3-vectors.md`);
	const [creq, second] = fencedBlocks(section);
	const sts = /^sts:\n```/m.test(section) ? second : undefined;
	const stsHash =
		sts?.split('\n').pop() ?? /sts hash line: `([0-9a-f]{64})`/.exec(section)?.[1] ?? '';
	const signature = /Signature: `([0-9a-f]{64})`/.exec(section)?.[1] ?? '';
	return { creq, sts, stsHash, signature };
}

/** Expected signed headers and signature of G3 (header signing of the session-token case). */
export function s3ExampleG3(): { signedHeaders: string; signature: string } {
	const markdown = readFileSync(path.join(SUITE_DIR, 's3-vectors.md'), 'utf8');
	const match =
		/G3\.[\s\S]*?signed headers are `([^`]+)`[\s\S]*?signature is `([0-9a-f]{64})`/.exec(markdown);
	if (!match) throw new Error('Example G3 not found in s3-vectors.md');
	return { signedHeaders: match[1], signature: match[2] };
}
