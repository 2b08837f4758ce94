/**
 * A content source: an object body of known size whose bytes are produced on demand, in order, so that large
 * objects (hundreds of MB) can be served as a stream without being held in memory.
 */
export interface ContentSource {
	readonly size: number;
	/** Yields the bytes [0, size) in order. Chunks may be views into shared buffers: do not modify them. */
	chunks(): Iterable<Buffer>;
}

export function bufferSource(buffer: Buffer): ContentSource {
	return { size: buffer.length, chunks: () => [buffer] };
}

/** A source made of a fixed prefix followed by `pattern` repeated until `size` bytes. */
export function repeatingSource(
	prefix: Buffer,
	pattern: Buffer,
	size: number,
	chunkBytes = 64 * 1024,
): ContentSource {
	if (pattern.length === 0 && size > prefix.length) throw new Error('empty pattern');
	// Build a chunk-sized run of whole patterns so each yield is large.
	const repeats = Math.max(1, Math.floor(chunkBytes / Math.max(1, pattern.length)));
	const run =
		pattern.length > 0
			? Buffer.concat(Array.from({ length: repeats }, () => pattern))
			: Buffer.alloc(0);
	return {
		size,
		*chunks() {
			let remaining = size;
			if (remaining <= 0) return;
			const head = prefix.subarray(0, Math.min(prefix.length, remaining));
			if (head.length) yield head;
			remaining -= head.length;
			while (remaining > 0) {
				const piece = run.subarray(0, Math.min(run.length, remaining));
				yield piece;
				remaining -= piece.length;
			}
		},
	};
}

/** The bytes [start, endExclusive) of a source, in chunks. Skips (without buffering) what precedes `start`. */
export function* rangeChunks(
	source: ContentSource,
	start: number,
	endExclusive: number,
): Generator<Buffer> {
	let offset = 0;
	for (const chunk of source.chunks()) {
		const chunkEnd = offset + chunk.length;
		if (chunkEnd > start) {
			const from = Math.max(0, start - offset);
			const to = Math.min(chunk.length, endExclusive - offset);
			if (to > from) yield chunk.subarray(from, to);
		}
		offset = chunkEnd;
		if (offset >= endExclusive) return;
	}
}

/** All bytes of a (small) source. */
export function materialize(source: ContentSource): Buffer {
	const parts: Buffer[] = [];
	for (const chunk of source.chunks()) parts.push(Buffer.from(chunk));
	return Buffer.concat(parts);
}
