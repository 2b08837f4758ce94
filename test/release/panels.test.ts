// The README shows each node's panel from docs/panels/<node>.png, taken by `npm run test:n8n` in the real
// editor (UPDATE_SCREENSHOTS=1 writes them): every node has its picture, every picture the README shows is
// there, a PNG of the panel's column size.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const panelsDir = join(root, 'docs', 'panels');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[] };
};

/** `dist/nodes/GetPollySynthesisTask/GetPollySynthesisTask.node.js` → `get-polly-synthesis-task`. */
const pictureOf = (file: string) =>
	file
		.split('/')
		.pop()!
		.split('.')[0]
		.replace(/([a-z])([A-Z])/g, '$1-$2')
		.toLowerCase();

const shown = [...readme.matchAll(/!\[[^\]]*\]\((docs\/panels\/[^)]+)\)/g)].map((m) => m[1]);

describe("the README's panel pictures (docs/panels)", () => {
	it('every node of the package has its picture in the README', () => {
		const expected = pkg.n8n.nodes.map((file) => `docs/panels/${pictureOf(file)}.png`).sort();
		expect(expected).toHaveLength(pkg.n8n.nodes.length);
		expect([...new Set(shown)].sort()).toEqual(expected);
	});

	it.each(shown)('%s is a PNG of a panel column (light theme, 1600×1200 window)', (path) => {
		const file = join(root, path);
		expect(existsSync(file)).toBe(true);
		const bytes = readFileSync(file);
		expect(bytes.subarray(0, 8).equals(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe(true);
		const width = bytes.readUInt32BE(16);
		const height = bytes.readUInt32BE(20);
		expect(width).toBeGreaterThan(300);
		expect(width).toBeLessThan(1600);
		expect(height).toBeGreaterThan(100);
		expect(height).toBeLessThanOrEqual(1200);
	});

	it('docs/panels holds nothing the README does not show', () => {
		const files = readdirSync(panelsDir).map((f) => `docs/panels/${f}`);
		expect(files.sort()).toEqual([...new Set(shown)].sort());
	});
});
