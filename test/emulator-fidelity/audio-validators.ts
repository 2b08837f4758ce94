/**
 * Independent format checks for the fidelity tests (written from the format specifications, not from the
 * emulator's generators): MPEG audio frame walking, Ogg page parsing with CRC, RIFF/WAVE parsing.
 */

const MPEG1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = {
	3: [44100, 48000, 32000],
	2: [22050, 24000, 16000],
	0: [11025, 12000, 8000],
};

export interface Mp3Info {
	frames: number;
	sampleRate: number;
	version: 'MPEG-1' | 'MPEG-2' | 'MPEG-2.5';
	layer: 3;
	channelMode: number;
	bitrateKbps: number;
	durationMs: number;
	trailingBytes: number;
}

/** Walks an MPEG Layer III stream frame by frame from offset 0; throws on a bad header. `allowTrailingBytes`: tolerate that many bytes of a cut-off tail (when checking a prefix). */
export function walkMp3(buf: Buffer, allowTrailingBytes = 0): Mp3Info {
	let offset = 0;
	let frames = 0;
	let info: Omit<Mp3Info, 'frames' | 'durationMs' | 'trailingBytes'> | undefined;
	let samples = 0;
	while (offset + 4 <= buf.length) {
		const b1 = buf[offset + 1];
		if (buf[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) {
			if (buf.length - offset <= allowTrailingBytes) break;
			throw new Error(`no frame sync at ${offset}`);
		}
		const versionBits = (b1 >> 3) & 3;
		const layerBits = (b1 >> 1) & 3;
		if (versionBits === 1) throw new Error(`reserved MPEG version at ${offset}`);
		if (layerBits !== 1) throw new Error(`not Layer III at ${offset}`);
		const b2 = buf[offset + 2];
		const bitrateIndex = b2 >> 4;
		const rateIndex = (b2 >> 2) & 3;
		const padding = (b2 >> 1) & 1;
		if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
			throw new Error(`bad bitrate/sample rate at ${offset}`);
		const mpeg1 = versionBits === 3;
		const bitrate = (mpeg1 ? MPEG1_L3 : MPEG2_L3)[bitrateIndex] * 1000;
		const sampleRate = RATES[versionBits][rateIndex];
		const length = Math.floor(((mpeg1 ? 144 : 72) * bitrate) / sampleRate) + padding;
		const current = {
			sampleRate,
			version: (mpeg1 ? 'MPEG-1' : versionBits === 2 ? 'MPEG-2' : 'MPEG-2.5') as Mp3Info['version'],
			layer: 3 as const,
			channelMode: buf[offset + 3] >> 6,
			bitrateKbps: bitrate / 1000,
		};
		if (info && (info.sampleRate !== current.sampleRate || info.version !== current.version))
			throw new Error(`stream changes format at ${offset}`);
		info = current;
		if (offset + length > buf.length) {
			if (buf.length - offset <= allowTrailingBytes) break;
			throw new Error(`frame at ${offset} runs past the end`);
		}
		samples += mpeg1 ? 1152 : 576;
		frames++;
		offset += length;
	}
	if (!info) throw new Error('no MPEG frames');
	return {
		...info,
		frames,
		durationMs: (samples / info.sampleRate) * 1000,
		trailingBytes: buf.length - offset,
	};
}

const CRC = (() => {
	const t = new Uint32Array(256);
	for (let i = 0; i < 256; i++) {
		let c = i << 24;
		for (let k = 0; k < 8; k++) c = c & 0x80000000 ? ((c << 1) ^ 0x04c11db7) >>> 0 : (c << 1) >>> 0;
		t[i] = c >>> 0;
	}
	return t;
})();

function crc32Ogg(data: Buffer): number {
	let crc = 0;
	for (const byte of data) crc = (((crc << 8) >>> 0) ^ CRC[((crc >>> 24) & 0xff) ^ byte]) >>> 0;
	return crc;
}

export interface OggPage {
	headerType: number;
	granule: bigint;
	serial: number;
	sequence: number;
	packets: Buffer[];
	continued: boolean;
}

/** Parses every Ogg page, checking capture pattern, version, CRC, sequence numbers and BOS/EOS flags. */
export function parseOgg(buf: Buffer): { pages: OggPage[]; packets: Buffer[] } {
	const pages: OggPage[] = [];
	const packets: Buffer[] = [];
	let partial: Buffer[] = [];
	let offset = 0;
	while (offset < buf.length) {
		if (buf.toString('latin1', offset, offset + 4) !== 'OggS')
			throw new Error(`no OggS at ${offset}`);
		if (buf[offset + 4] !== 0) throw new Error('bad Ogg version');
		const headerType = buf[offset + 5];
		const granule = buf.readBigInt64LE(offset + 6);
		const serial = buf.readUInt32LE(offset + 14);
		const sequence = buf.readUInt32LE(offset + 18);
		const crc = buf.readUInt32LE(offset + 22);
		const segments = buf[offset + 26];
		const lacing = buf.subarray(offset + 27, offset + 27 + segments);
		const bodyLength = lacing.reduce((n, v) => n + v, 0);
		const pageLength = 27 + segments + bodyLength;
		if (offset + pageLength > buf.length) throw new Error(`page at ${offset} runs past the end`);
		const page = Buffer.from(buf.subarray(offset, offset + pageLength));
		page.writeUInt32LE(0, 22);
		if (crc32Ogg(page) !== crc) throw new Error(`bad CRC on page ${sequence}`);
		const pagePackets: Buffer[] = [];
		let pos = offset + 27 + segments;
		for (const value of lacing) {
			partial.push(buf.subarray(pos, pos + value));
			pos += value;
			if (value < 255) {
				const packet = Buffer.concat(partial);
				pagePackets.push(packet);
				packets.push(packet);
				partial = [];
			}
		}
		pages.push({
			headerType,
			granule,
			serial,
			sequence,
			packets: pagePackets,
			continued: (headerType & 1) === 1,
		});
		offset += pageLength;
	}
	pages.forEach((p, i) => {
		if (p.sequence !== i) throw new Error(`page ${i} has sequence ${p.sequence}`);
		if (p.serial !== pages[0].serial) throw new Error('serial changes');
	});
	if (!(pages[0].headerType & 2)) throw new Error('first page lacks BOS');
	if (!(pages[pages.length - 1].headerType & 4)) throw new Error('last page lacks EOS');
	return { pages, packets };
}

export interface WavInfo {
	format: number;
	channels: number;
	sampleRate: number;
	bitsPerSample: number;
	dataBytes: number;
	data: Buffer;
}

export function parseWav(buf: Buffer): WavInfo {
	if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE')
		throw new Error('not RIFF/WAVE');
	if (buf.readUInt32LE(4) !== buf.length - 8)
		throw new Error(`RIFF size ${buf.readUInt32LE(4)} != ${buf.length - 8}`);
	let offset = 12;
	let fmt: Omit<WavInfo, 'dataBytes' | 'data'> | undefined;
	while (offset + 8 <= buf.length) {
		const id = buf.toString('ascii', offset, offset + 4);
		const size = buf.readUInt32LE(offset + 4);
		if (id === 'fmt ') {
			fmt = {
				format: buf.readUInt16LE(offset + 8),
				channels: buf.readUInt16LE(offset + 10),
				sampleRate: buf.readUInt32LE(offset + 12),
				bitsPerSample: buf.readUInt16LE(offset + 22),
			};
			const byteRate = buf.readUInt32LE(offset + 16);
			if (byteRate !== (fmt.sampleRate * fmt.channels * fmt.bitsPerSample) / 8)
				throw new Error('bad byte rate');
		} else if (id === 'data') {
			if (!fmt) throw new Error('data before fmt');
			if (offset + 8 + size !== buf.length)
				throw new Error('data chunk size does not match the file');
			return { ...fmt, dataBytes: size, data: buf.subarray(offset + 8, offset + 8 + size) };
		}
		offset += 8 + size + (size % 2);
	}
	throw new Error('no data chunk');
}

/** Root mean square of 16-bit little-endian samples (0–1). */
export function rms16(data: Buffer): number {
	let sum = 0;
	const n = Math.floor(data.length / 2);
	for (let i = 0; i < n; i++) {
		const v = data.readInt16LE(i * 2) / 32768;
		sum += v * v;
	}
	return n ? Math.sqrt(sum / n) : 0;
}
