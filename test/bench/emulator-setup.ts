/** The emulator on loopback, and the package's AWS credential pointed at it. */
import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { startEmulator } from '../emulator';
import type { Emulator, EmulatorOptions } from '../emulator';
import { awsCredentials, node } from '../harness/fixtures';
import { credentialTypes, nodeTypes } from '../harness/package';
import type { RunOptions } from '../harness/run-workflow';

export const BUCKET = 'speech-tasks-output';

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
	return await startEmulator({ requestLogLimit: 1_000_000, ...options });
}

export function credentialFor(
	emu: Pick<Emulator, 'region' | 'awsCredentials' | 'endpoints'>,
): ICredentialDataDecryptedObject {
	return awsCredentials({
		region: emu.region,
		accessKeyId: emu.awsCredentials.accessKeyId,
		secretAccessKey: emu.awsCredentials.secretAccessKey,
		temporaryCredentials: false,
		sessionToken: '',
		customEndpoints: true,
		pollyEndpoint: emu.endpoints.polly,
		s3Endpoint: emu.endpoints.s3,
		chimeMediaPipelinesEndpoint: emu.endpoints.chimeMediaPipeline,
		chimeVoiceEndpoint: emu.endpoints.chimeVoice,
		stsEndpoint: emu.endpoints.sts,
	});
}

/** runWorkflow options: one node of the package, the emulator credential, these input items. */
export function oneNode(
	credential: ICredentialDataDecryptedObject,
	type: string,
	parameters: INodeParameters,
	input: INodeExecutionData[],
	name = 'Node Under Test',
): RunOptions {
	const n: INode = node(type, parameters, { name });
	return {
		nodeTypes,
		credentialTypes,
		credentials: { awsSigV4Api: credential },
		nodes: [n],
		input,
	};
}

/** Plain text of exactly `characters` characters. */
export function textOf(characters: number): string {
	const sentence = 'The quick brown fox jumps over the lazy dog. ';
	return sentence
		.repeat(Math.ceil(characters / sentence.length))
		.slice(0, characters)
		.trimEnd()
		.padEnd(characters, '.');
}

/**
 * `count` standard-engine mp3 Polly tasks of 2–10 s (uniform, seeded), each text as long as the emulator's
 * duration model makes that duration (2 s queue + 0.6 ms per character), so that the node's estimate sees
 * a realistic RequestCharacters; the emulator is told the exact duration. Each task with its duration.
 */
export function shortPollyTasks(
	emu: Emulator,
	count: number,
	random: () => number,
	outputSizeBytes: number,
): Array<{ task: Record<string, unknown>; durationMs: number }> {
	return Array.from({ length: count }, () => {
		const durationMs = Math.round(2000 + random() * 8000);
		const characters = Math.max(1, Math.round((durationMs - 2000) / 0.6));
		const task = emu.createPollyTask(
			{
				OutputS3BucketName: BUCKET,
				VoiceId: 'Joanna',
				OutputFormat: 'mp3',
				Engine: 'standard',
				Text: textOf(characters),
			},
			{ durationMs, outputSizeBytes },
		);
		return { task, durationMs };
	});
}

export function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}
