// Loads the built package the way n8n loads a community package, from package.json's n8n section.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('built package', () => {
	beforeAll(() => {
		if (!existsSync(join(root, 'dist')))
			throw new Error('Run `npm run build` first (npm test does)');
	});

	it('n8n finds every node and credential listed in package.json, with their icons', async () => {
		const loader = new PackageDirectoryLoader(root);
		await loader.loadAll();

		const nodeNames = Object.keys(loader.nodeTypes).sort();
		const credentialNames = Object.keys(loader.credentialTypes).sort();
		expect(nodeNames).toEqual([
			'fetchAsposeAudio',
			'getPollySynthesisTask',
			'getSpeakerSearchTask',
			'listPollySynthesisTasks',
			'startPollySynthesisTask',
			'startSpeakerSearchTask',
			'submitAsposeTextToSpeech',
			'synthesizePollySpeech',
			'waitUntilComplete',
		]);
		expect(credentialNames).toEqual(['asposeCloudApi', 'awsSigV4Api']);
		expect(nodeNames).toHaveLength(pkg.n8n.nodes.length);
		expect(credentialNames).toHaveLength(pkg.n8n.credentials.length);

		// n8n rewrites `file:` icons into URLs under icons/<package>/, relative to the package root.
		const iconFiles = (iconUrl: unknown) => {
			const { light, dark } = iconUrl as { light: string; dark: string };
			return [light, dark].map((url) =>
				join(root, url.replace(/^icons\/n8n-nodes-speech-tasks\//, '')),
			);
		};
		const described = [
			...nodeNames.map(
				(name) =>
					(loader.nodeTypes[name].type as { description: { iconUrl?: unknown } }).description,
			),
			...credentialNames.map((name) => loader.credentialTypes[name].type as { iconUrl?: unknown }),
		];
		for (const { iconUrl } of described) {
			const [light, dark] = iconFiles(iconUrl);
			expect(existsSync(light) && existsSync(dark)).toBe(true);
			expect(light).not.toBe(dark);
		}
	});

	it('ships no runtime dependencies and keeps n8n-workflow a peer dependency', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.files).toEqual(['dist']);
	});
});
