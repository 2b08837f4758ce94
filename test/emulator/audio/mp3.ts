/**
 * MPEG audio Layer III frame sequences (Polly `mp3`), made of silent frames with correct headers.
 *
 * The MPEG version follows the sample rate, as a real encoder's output would: 32/44.1/48 kHz are MPEG-1,
 * 16/22.05/24 kHz (Polly's usual rates) are MPEG-2 (LSF), 8/11.025/12 kHz are MPEG-2.5. Every frame is mono,
 * no CRC; side information and main data are all zero, which decoders play as silence.
 */
import type { ContentSource } from './source';

interface MpegLayout {
	versionBits: number; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
	sampleRateIndex: number;
	bitrateIndex: number;
	bitrateKbps: number;
	samplesPerFrame: number;
	coefficient: number; // frame bytes = floor(coefficient * bitrate / sampleRate) + padding
}

const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

export function mpegLayout(sampleRate: number): MpegLayout {
	const table: Record<number, [number, number, number]> = {
		// sampleRate: [versionBits, sampleRateIndex, kbps]
		44100: [3, 0, 64],
		48000: [3, 1, 64],
		32000: [3, 2, 64],
		22050: [2, 0, 48],
		24000: [2, 1, 48],
		16000: [2, 2, 32],
		11025: [0, 0, 16],
		12000: [0, 1, 16],
		8000: [0, 2, 16],
	};
	const entry = table[sampleRate];
	if (!entry) throw new Error(`No MPEG Layer III layout for sample rate ${sampleRate}`);
	const [versionBits, sampleRateIndex, kbps] = entry;
	const mpeg1 = versionBits === 3;
	const bitrates = mpeg1 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS;
	return {
		versionBits,
		sampleRateIndex,
		bitrateKbps: kbps,
		bitrateIndex: bitrates.indexOf(kbps),
		samplesPerFrame: mpeg1 ? 1152 : 576,
		coefficient: mpeg1 ? 144 : 72,
	};
}

export function mp3FrameHeader(layout: MpegLayout, padding: boolean): Buffer {
	const header = Buffer.alloc(4);
	header[0] = 0xff;
	// 3 sync bits, version (2), layer III = 01, protection bit 1 (no CRC)
	header[1] = 0xe0 | (layout.versionBits << 3) | (0b01 << 1) | 1;
	header[2] = (layout.bitrateIndex << 4) | (layout.sampleRateIndex << 2) | ((padding ? 1 : 0) << 1);
	header[3] = (0b11 << 6) /* mono */ | 0b0100 /* original */;
	return header;
}

function frame(layout: MpegLayout, bytes: number, padding: boolean): Buffer {
	const buffer = Buffer.alloc(bytes);
	mp3FrameHeader(layout, padding).copy(buffer, 0);
	return buffer;
}

/** Silent MP3: `sizeBytes` (exact) wins over `durationMs`. */
export function mp3Source(opts: {
	sampleRate: number;
	durationMs?: number;
	sizeBytes?: number;
}): ContentSource {
	const layout = mpegLayout(opts.sampleRate);
	const exact = (layout.coefficient * layout.bitrateKbps * 1000) / opts.sampleRate;
	const base = Math.floor(exact);
	const fraction = exact - base;
	let frames: number;
	let isPadded: (i: number) => boolean;
	let trailingZeros = 0;
	if (opts.sizeBytes !== undefined) {
		frames = Math.floor(opts.sizeBytes / base);
		const extra = opts.sizeBytes - frames * base;
		if (extra <= frames) {
			isPadded = (i) => i < extra;
		} else {
			isPadded = () => false;
			trailingZeros = extra;
		}
	} else {
		frames = Math.max(
			1,
			Math.ceil(((opts.durationMs ?? 1000) * opts.sampleRate) / 1000 / layout.samplesPerFrame),
		);
		// Like an encoder keeping the average bitrate: pad when the accumulated fraction crosses a byte.
		isPadded = (i) => Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
	}
	const plain = frame(layout, base, false);
	const padded = frame(layout, base + 1, true);
	let size = trailingZeros;
	if (opts.sizeBytes !== undefined) size = opts.sizeBytes;
	else size = frames * base + Math.floor(frames * fraction);
	return {
		size,
		*chunks() {
			const parts: Buffer[] = [];
			let partBytes = 0;
			for (let i = 0; i < frames; i++) {
				const f = isPadded(i) ? padded : plain;
				parts.push(f);
				partBytes += f.length;
				if (partBytes >= 64 * 1024) {
					yield Buffer.concat(parts, partBytes);
					parts.length = 0;
					partBytes = 0;
				}
			}
			if (partBytes) yield Buffer.concat(parts, partBytes);
			if (trailingZeros) yield Buffer.alloc(trailingZeros);
		},
	};
}
