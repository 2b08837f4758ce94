/** What the emulator says a task's audio is, and whether bytes n8n stored are that audio. */
import type { Emulator } from '../emulator';

export type AudioKind = 'mp3' | 'wav' | 'ogg' | 'unknown';

export function audioKind(bytes: Buffer): AudioKind {
	if (
		bytes.length >= 12 &&
		bytes.toString('latin1', 0, 4) === 'RIFF' &&
		bytes.toString('latin1', 8, 12) === 'WAVE'
	)
		return 'wav';
	if (bytes.length >= 4 && bytes.toString('latin1', 0, 4) === 'OggS') return 'ogg';
	if (bytes.length >= 3 && bytes.toString('latin1', 0, 3) === 'ID3') return 'mp3';
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return 'mp3';
	return 'unknown';
}

export const MIME: Record<'mp3' | 'wav', string> = { mp3: 'audio/mpeg', wav: 'audio/wav' };

/** Size of the Polly output object as the emulator's S3 sent it (largest complete GET of the task's key). */
export function pollyObjectBytes(emulator: Emulator, taskId: string): number | undefined {
	const sizes = emulator
		.requestsFor('s3')
		.filter(
			(r) => r.route === 's3.get' && r.status === 200 && !r.aborted && r.path.includes(taskId),
		)
		.map((r) => r.bytesSent ?? 0);
	return sizes.length ? Math.max(...sizes) : undefined;
}

/** The WAV of a completed Aspose task (base64 in results[].data). */
export function asposeWav(emulator: Emulator, id: string, trial: boolean): Buffer | undefined {
	const response = emulator.getAsposeTask(id, { trial }) as {
		results?: Array<{ data?: string }> | null;
	};
	const data = response.results?.find((r) => typeof r.data === 'string' && r.data.length > 0)?.data;
	return data === undefined ? undefined : Buffer.from(data, 'base64');
}

export function asposeWavBytes(emulator: Emulator, id: string, trial: boolean): number | undefined {
	return asposeWav(emulator, id, trial)?.length;
}
