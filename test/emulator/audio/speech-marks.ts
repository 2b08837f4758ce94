/**
 * Polly speech marks (OutputFormat `json`): newline-delimited JSON objects, one per mark, e.g.
 *   {"time":0,"type":"sentence","start":0,"end":23,"value":"Mary had a little lamb."}
 *   {"time":6,"type":"word","start":0,"end":4,"value":"Mary"}
 *   {"time":6,"type":"viseme","value":"p"}
 *   {"time":300,"type":"ssml","start":34,"end":56,"value":"here"}
 * `start`/`end` are byte offsets into the input text (UTF-8), as Polly documents; tags of SSML input are skipped.
 */
import { SPEECH_MS_PER_CHARACTER } from '../duration-model';
import type { ContentSource } from './source';

export type SpeechMarkType = 'sentence' | 'word' | 'viseme' | 'ssml';

export interface SpeechMark {
	time: number;
	type: SpeechMarkType;
	start?: number;
	end?: number;
	value: string;
}

interface Token {
	text: string;
	start: number; // byte offset
	end: number;
	charIndex: number; // spoken characters before it (for timing)
}

const VISEMES: Record<string, string> = {
	a: 'a',
	e: 'e',
	i: 'i',
	o: 'o',
	u: 'u',
	y: 'i',
	p: 'p',
	b: 'p',
	m: 'p',
	f: 'f',
	v: 'f',
	t: 't',
	d: 't',
	n: 't',
	l: 't',
	s: 's',
	z: 's',
	k: 'k',
	g: 'k',
	q: 'k',
	c: 'k',
	x: 'k',
	r: 'r',
	w: 'u',
	h: 'k',
	j: 'S',
};

/** Words and sentences of a text; for SSML, only text outside tags; `<mark name="x"/>` become ssml marks. */
export function tokenize(
	text: string,
	ssml: boolean,
): { words: Token[]; sentences: Token[]; marks: Token[] } {
	const words: Token[] = [];
	const sentences: Token[] = [];
	const marks: Token[] = [];
	const bytes = (index: number) => Buffer.byteLength(text.slice(0, index), 'utf8');
	let spoken = 0;
	let word: { start: number; charIndex: number } | undefined;
	let sentence: { start: number; charIndex: number } | undefined;
	const closeWord = (end: number) => {
		if (word)
			words.push({
				text: text.slice(word.start, end),
				start: bytes(word.start),
				end: bytes(end),
				charIndex: word.charIndex,
			});
		word = undefined;
	};
	const closeSentence = (end: number) => {
		if (sentence) {
			const raw = text.slice(sentence.start, end);
			const trimmed = raw.trimEnd();
			sentences.push({
				text: trimmed,
				start: bytes(sentence.start),
				end: bytes(sentence.start + trimmed.length),
				charIndex: sentence.charIndex,
			});
		}
		sentence = undefined;
	};
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ssml && ch === '<') {
			const close = text.indexOf('>', i);
			const tag = close === -1 ? text.slice(i) : text.slice(i, close + 1);
			const mark = /^<mark\s+name\s*=\s*["']([^"']*)["']/i.exec(tag);
			if (mark)
				marks.push({
					text: mark[1],
					start: bytes(i),
					end: bytes(i + tag.length),
					charIndex: spoken,
				});
			closeWord(i);
			i = close === -1 ? text.length : close;
			continue;
		}
		if (/\s/.test(ch)) {
			closeWord(i);
			spoken++;
			continue;
		}
		if (!sentence) sentence = { start: i, charIndex: spoken };
		if (/[.!?]/.test(ch)) {
			closeWord(i);
			closeSentence(i + 1);
		} else if (!/[,;:"()]/.test(ch)) {
			if (!word) word = { start: i, charIndex: spoken };
		} else {
			closeWord(i);
		}
		spoken++;
	}
	closeWord(text.length);
	closeSentence(text.length);
	return { words, sentences, marks };
}

export function speechMarks(text: string, types: SpeechMarkType[], ssml = false): SpeechMark[] {
	const { words, sentences, marks } = tokenize(text, ssml);
	const wanted = new Set(types);
	const out: SpeechMark[] = [];
	const at = (charIndex: number) => Math.round(charIndex * SPEECH_MS_PER_CHARACTER);
	if (wanted.has('sentence'))
		for (const s of sentences)
			out.push({
				time: at(s.charIndex),
				type: 'sentence',
				start: s.start,
				end: s.end,
				value: s.text,
			});
	if (wanted.has('ssml'))
		for (const m of marks)
			out.push({ time: at(m.charIndex), type: 'ssml', start: m.start, end: m.end, value: m.text });
	for (const w of words) {
		if (wanted.has('word'))
			out.push({ time: at(w.charIndex), type: 'word', start: w.start, end: w.end, value: w.text });
		if (wanted.has('viseme')) {
			let previous = '';
			let index = 0;
			for (const letter of w.text.toLowerCase()) {
				const viseme = VISEMES[letter];
				if (viseme && viseme !== previous)
					out.push({ time: at(w.charIndex + index), type: 'viseme', value: viseme });
				if (viseme) previous = viseme;
				index++;
			}
		}
	}
	if (wanted.has('viseme') && words.length) {
		const lastWord = words[words.length - 1];
		out.push({ time: at(lastWord.charIndex + lastWord.text.length), type: 'viseme', value: 'sil' });
	}
	// Polly emits marks in time order; sentences before the words that start at the same time.
	const order: Record<SpeechMarkType, number> = { sentence: 0, ssml: 1, word: 2, viseme: 3 };
	return out
		.map((mark, i) => ({ mark, i }))
		.sort(
			(a, b) => a.mark.time - b.mark.time || order[a.mark.type] - order[b.mark.type] || a.i - b.i,
		)
		.map(({ mark }) => mark);
}

export function speechMarksText(text: string, types: SpeechMarkType[], ssml = false): string {
	return speechMarks(text, types, ssml)
		.map((m) => JSON.stringify(m) + '\n')
		.join('');
}

/** Speech marks grown to exactly `sizeBytes`: word marks repeated; the last mark's value pads the remainder. */
export function sizedSpeechMarksSource(sizeBytes: number): ContentSource {
	const lineFor = (index: number, value: string) =>
		JSON.stringify({ time: index * 300, type: 'word', start: 0, end: 5, value }) + '\n';
	const sample = Buffer.from(lineFor(0, 'hello'));
	return {
		size: sizeBytes,
		*chunks() {
			let remaining = sizeBytes;
			let index = 0;
			const parts: Buffer[] = [];
			let partBytes = 0;
			while (remaining > 0) {
				let line = Buffer.from(lineFor(index, 'hello'));
				if (remaining < line.length + sample.length) {
					// Last line: pad its value so the total is exact (or cut, if even an empty value is too long).
					const empty = Buffer.from(lineFor(index, ''));
					line =
						remaining >= empty.length
							? Buffer.from(lineFor(index, 'x'.repeat(remaining - empty.length)))
							: Buffer.alloc(remaining, 0x20);
				}
				parts.push(line);
				partBytes += line.length;
				remaining -= line.length;
				index++;
				if (partBytes >= 64 * 1024) {
					yield Buffer.concat(parts, partBytes);
					parts.length = 0;
					partBytes = 0;
				}
			}
			if (partBytes) yield Buffer.concat(parts, partBytes);
		},
	};
}
