import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package root, from test sources (ts-jest) and from their compiled copies in .output/ alike. */
export function repoRoot(from = __dirname): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		// .output/ holds a copy of package.json too; only the real root has the lockfile.
		if (
			existsSync(join(dir, 'package-lock.json')) &&
			existsSync(manifest) &&
			JSON.parse(readFileSync(manifest, 'utf8')).name === 'n8n-nodes-speech-tasks'
		)
			return dir;
	}
	throw new Error(`No n8n-nodes-speech-tasks package above ${from}`);
}
