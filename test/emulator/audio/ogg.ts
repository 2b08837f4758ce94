/**
 * Ogg page sequences (RFC 3533) for Polly `ogg_opus` and `ogg_vorbis`.
 *
 * - Opus (RFC 7845): page 0 = `OpusHead` (BOS), page 1 = `OpusTags`, then audio pages of 20 ms silent CELT
 *   packets (`F8 FF FE`), granule positions in 48 kHz samples including the pre-skip; last page has EOS.
 *   This stream decodes (as silence).
 * - Vorbis: page 0 = identification header (`\x01vorbis`, BOS), page 1 = comment (`\x03vorbis`) and setup
 *   (`\x05vorbis`) headers, then audio pages. The header magic, fields and page structure are correct, but the
 *   setup header carries no real codebooks, so the audio packets are not decodable.
 * Every page carries a correct CRC-32 (polynomial 0x04C11DB7).
 */
import type { ContentSource } from './source';

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let i = 0; i < 256; i++) {
		let r = i << 24;
		for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
		table[i] = r >>> 0;
	}
	return table;
})();

export function oggCrc(data: Uint8Array): number {
	let crc = 0;
	for (let i = 0; i < data.length; i++)
		crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xff]) >>> 0;
	return crc >>> 0;
}

export const OGG_FLAG_CONTINUED = 0x01;
export const OGG_FLAG_BOS = 0x02;
export const OGG_FLAG_EOS = 0x04;

/** One Ogg page holding whole packets (each packet ≤ 255*254 bytes; at most 255 segments per page). */
export function oggPage(opts: {
	packets: Buffer[];
	flags: number;
	granule: bigint;
	serial: number;
	sequence: number;
}): Buffer {
	const lacing: number[] = [];
	for (const packet of opts.packets) {
		let remaining = packet.length;
		while (remaining >= 255) {
			lacing.push(255);
			remaining -= 255;
		}
		lacing.push(remaining);
	}
	if (lacing.length > 255) throw new Error(`Ogg page needs ${lacing.length} segments (max 255)`);
	const bodyBytes = opts.packets.reduce((n, p) => n + p.length, 0);
	const page = Buffer.alloc(27 + lacing.length + bodyBytes);
	page.write('OggS', 0, 'ascii');
	page[4] = 0; // version
	page[5] = opts.flags;
	page.writeBigInt64LE(opts.granule, 6);
	page.writeUInt32LE(opts.serial >>> 0, 14);
	page.writeUInt32LE(opts.sequence >>> 0, 18);
	page.writeUInt32LE(0, 22); // CRC placeholder
	page[26] = lacing.length;
	Buffer.from(lacing).copy(page, 27);
	let offset = 27 + lacing.length;
	for (const packet of opts.packets) {
		packet.copy(page, offset);
		offset += packet.length;
	}
	page.writeUInt32LE(oggCrc(page), 22);
	return page;
}

/** Bytes a packet of `length` costs in a page: lacing values + data. */
function packetCost(length: number): number {
	return Math.floor(length / 255) + 1 + length;
}

interface Codec {
	headerPackets: Buffer[][]; // one array per header page
	samplesPerPacket: number;
	granuleOffset: number; // Opus pre-skip
	silentPacket: Buffer; // normal audio packet
	/** Makes an audio packet of exactly `length` bytes (length ≥ 1). */
	packetOfLength(length: number): Buffer;
	maxPacket: number;
	packetsPerSecond: number;
}

const VENDOR = 'speech-tasks-emulator';

function opusCodec(inputSampleRate: number): Codec {
	const head = Buffer.alloc(19);
	head.write('OpusHead', 0, 'ascii');
	head[8] = 1; // version
	head[9] = 1; // channels
	head.writeUInt16LE(312, 10); // pre-skip
	head.writeUInt32LE(inputSampleRate, 12);
	head.writeInt16LE(0, 16); // output gain
	head[18] = 0; // mapping family
	const tags = Buffer.alloc(8 + 4 + VENDOR.length + 4);
	tags.write('OpusTags', 0, 'ascii');
	tags.writeUInt32LE(VENDOR.length, 8);
	tags.write(VENDOR, 12, 'ascii');
	tags.writeUInt32LE(0, 12 + VENDOR.length);
	const silent = Buffer.from([0xf8, 0xff, 0xfe]); // TOC: CELT FB 20 ms mono, code 0
	return {
		headerPackets: [[head], [tags]],
		samplesPerPacket: 960,
		granuleOffset: 312,
		silentPacket: silent,
		packetOfLength(length) {
			const packet = Buffer.alloc(length);
			packet[0] = 0xf8;
			if (length > 1) packet[1] = 0xff;
			if (length > 2) packet[2] = 0xfe;
			return packet;
		},
		maxPacket: 1276, // RFC 6716: a code-0 frame is at most 1275 bytes
		packetsPerSecond: 50,
	};
}

function vorbisCodec(sampleRate: number): Codec {
	const id = Buffer.alloc(30);
	id[0] = 0x01;
	id.write('vorbis', 1, 'ascii');
	id.writeUInt32LE(0, 7); // vorbis_version
	id[11] = 1; // channels
	id.writeUInt32LE(sampleRate, 12);
	id.writeInt32LE(0, 16); // bitrate_maximum
	id.writeInt32LE(48000, 20); // bitrate_nominal
	id.writeInt32LE(0, 24); // bitrate_minimum
	id[28] = (11 << 4) | 8; // blocksize_1 = 2^11, blocksize_0 = 2^8
	id[29] = 1; // framing
	const comment = Buffer.alloc(7 + 4 + VENDOR.length + 4 + 1);
	comment[0] = 0x03;
	comment.write('vorbis', 1, 'ascii');
	comment.writeUInt32LE(VENDOR.length, 7);
	comment.write(VENDOR, 11, 'ascii');
	comment.writeUInt32LE(0, 11 + VENDOR.length);
	comment[comment.length - 1] = 1; // framing
	const setup = Buffer.alloc(7 + 9);
	setup[0] = 0x05;
	setup.write('vorbis', 1, 'ascii');
	setup[setup.length - 1] = 1;
	return {
		headerPackets: [[id], [comment, setup]],
		samplesPerPacket: 1024,
		granuleOffset: 0,
		silentPacket: Buffer.alloc(16), // first bit 0 = audio packet
		packetOfLength: (length) => Buffer.alloc(length),
		maxPacket: 1276,
		packetsPerSecond: sampleRate / 1024,
	};
}

/** Splits a byte budget for the last page body into packet lengths (each packet ≤ maxPacket). */
function fillPackets(budget: number, maxPacket: number): number[] | undefined {
	const lengths: number[] = [];
	const fullCost = packetCost(maxPacket);
	while (budget > fullCost) {
		lengths.push(maxPacket);
		budget -= fullCost;
	}
	if (budget === 0) return lengths.length ? lengths : undefined;
	if (budget === 1 && lengths.length) {
		lengths.pop();
		budget += fullCost;
	}
	// Try one packet, else two (lacing makes some costs unreachable with a single packet).
	for (
		let length = Math.max(1, budget - Math.floor(budget / 255) - 2);
		length <= Math.min(budget, maxPacket);
		length++
	) {
		if (packetCost(length) === budget) return [...lengths, length];
	}
	for (let first = 1; first < 20; first++) {
		const rest = budget - packetCost(first);
		for (
			let length = Math.max(1, rest - Math.floor(rest / 255) - 2);
			length <= Math.min(rest, maxPacket);
			length++
		) {
			if (packetCost(length) === rest) return [...lengths, first, length];
		}
	}
	return undefined;
}

export function oggSource(opts: {
	codec: 'opus' | 'vorbis';
	sampleRate: number;
	durationMs?: number;
	sizeBytes?: number;
	serial?: number;
}): ContentSource {
	const codec = opts.codec === 'opus' ? opusCodec(opts.sampleRate) : vorbisCodec(opts.sampleRate);
	const serial = (opts.serial ?? 0x53504545) >>> 0;
	const headerPages = codec.headerPackets.map((packets, i) =>
		oggPage({ packets, flags: i === 0 ? OGG_FLAG_BOS : 0, granule: 0n, serial, sequence: i }),
	);
	const headerBytes = headerPages.reduce((n, p) => n + p.length, 0);
	/** Each audio page: list of packet lengths. */
	let plan: { pages: number; packetsPerPage: number; packetLength: number; lastPage: number[] };

	if (opts.sizeBytes !== undefined) {
		const perPage = Math.floor(250 / (Math.floor(codec.maxPacket / 255) + 1));
		const fullPageSize = 27 + perPage * packetCost(codec.maxPacket);
		const available = Math.max(29, opts.sizeBytes - headerBytes);
		let pages = Math.floor(available / fullPageSize);
		let remainder = available - pages * fullPageSize;
		if (remainder < 29 && pages > 0) {
			pages -= 1;
			remainder += fullPageSize;
		}
		let last = fillPackets(remainder - 27, codec.maxPacket);
		if (!last) last = [Math.max(1, remainder - 28)];
		plan = { pages, packetsPerPage: perPage, packetLength: codec.maxPacket, lastPage: last };
	} else {
		const packets = Math.max(
			1,
			Math.ceil(((opts.durationMs ?? 1000) / 1000) * codec.packetsPerSecond),
		);
		const perPage = 50;
		const pages = Math.floor((packets - 1) / perPage);
		const lastCount = packets - pages * perPage;
		plan = {
			pages,
			packetsPerPage: perPage,
			packetLength: codec.silentPacket.length,
			lastPage: Array.from({ length: lastCount }, () => codec.silentPacket.length),
		};
	}
	const fullPageSize = 27 + plan.packetsPerPage * packetCost(plan.packetLength);
	const lastPageSize = 27 + plan.lastPage.reduce((n, l) => n + packetCost(l), 0);
	const size = headerBytes + plan.pages * fullPageSize + lastPageSize;
	const standardPacket =
		plan.packetLength === codec.silentPacket.length
			? codec.silentPacket
			: codec.packetOfLength(plan.packetLength);

	return {
		size,
		*chunks() {
			for (const page of headerPages) yield page;
			let sequence = headerPages.length;
			let packetsSoFar = 0;
			const fullPackets = Array.from({ length: plan.packetsPerPage }, () => standardPacket);
			const batch: Buffer[] = [];
			let batchBytes = 0;
			for (let p = 0; p < plan.pages; p++) {
				packetsSoFar += plan.packetsPerPage;
				const granule = BigInt(codec.granuleOffset + packetsSoFar * codec.samplesPerPacket);
				const page = oggPage({
					packets: fullPackets,
					flags: 0,
					granule,
					serial,
					sequence: sequence++,
				});
				batch.push(page);
				batchBytes += page.length;
				if (batchBytes >= 64 * 1024) {
					yield Buffer.concat(batch, batchBytes);
					batch.length = 0;
					batchBytes = 0;
				}
			}
			if (batchBytes) yield Buffer.concat(batch, batchBytes);
			packetsSoFar += plan.lastPage.length;
			const lastPackets = plan.lastPage.map((l) =>
				l === codec.silentPacket.length ? codec.silentPacket : codec.packetOfLength(l),
			);
			yield oggPage({
				packets: lastPackets,
				flags: OGG_FLAG_EOS,
				granule: BigInt(codec.granuleOffset + packetsSoFar * codec.samplesPerPacket),
				serial,
				sequence: sequence++,
			});
		},
	};
}
