// A minimal AudioContext for unit tests of the audio helpers: `send` is scripted, `prepareBinaryData`
// drains streams the way n8n's binary data store does and records what it was given.
import { Readable } from 'node:stream';

import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import type { AudioContext } from '../../../../../nodes/common/adapters/types';

export interface Scripted {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

export interface Stored {
	input: unknown;
	bytes: Buffer;
	fileName?: string;
	mimeType?: string;
}

export const NODE: INode = {
	id: 'node-1',
	name: 'Wait Until Complete',
	type: 'n8n-nodes-speech-tasks.waitUntilComplete',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function stream(...chunks: Array<string | Buffer>): Readable {
	return Readable.from(
		chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)),
		{
			objectMode: false,
		},
	);
}

export function fakeContext(
	script: Array<Scripted | Error | ((options: IHttpRequestOptions) => Scripted)>,
	credentials: ICredentialDataDecryptedObject = {
		accessKeyId: 'AKID',
		secretAccessKey: 'secret',
		region: 'us-east-1',
	},
) {
	const sent: IHttpRequestOptions[] = [];
	const stored: Stored[] = [];
	const prepareBinaryData = async (
		input: unknown,
		fileName?: string,
		mimeType?: string,
	): Promise<IBinaryData> => {
		let bytes: Buffer;
		if (Buffer.isBuffer(input)) bytes = input;
		else {
			const chunks: Buffer[] = [];
			for await (const chunk of input as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
			bytes = Buffer.concat(chunks);
		}
		stored.push({ input, bytes, fileName, mimeType });
		return {
			data: 'filesystem-v2',
			id: `filesystem-v2:${stored.length}`,
			mimeType: mimeType ?? 'text/plain',
			fileName,
			fileSize: String(bytes.length),
			fileExtension: 'mpga',
		};
	};
	const ctx = {
		getNode: () => NODE,
		helpers: { prepareBinaryData },
	} as unknown as IExecuteFunctions;
	const context: AudioContext = {
		ctx,
		credentials,
		itemIndex: 3,
		binaryPropertyName: 'data',
		deadline: Date.now() + 60_000,
		async send(options) {
			sent.push(options);
			const next = script.shift();
			if (next === undefined) throw new Error(`unexpected request ${options.url}`);
			if (next instanceof Error) throw next;
			const response = typeof next === 'function' ? next(options) : next;
			return {
				statusCode: response.statusCode,
				headers: response.headers ?? {},
				body: response.body,
			};
		},
	};
	return { context, sent, stored };
}

export function s3Error(code: string, message: string, extra = ''): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId></Error>`;
}
