/**
 * The project's jest configuration with n8n-core and n8n-workflow taken from N8N_COMPAT_DIR (a folder whose
 * node_modules holds the pair to test) for the tests and the package code alike. test/compat/run.ts sets
 * the environment; by hand:
 *
 *   N8N_COMPAT_DIR=<folder> N8N_COMPAT_EXPECT='{"core":"2.41.1","workflow":"2.41.0"}' \
 *     npx jest -c test/compat/jest.config.js test/nodes
 *
 * test/compat/loaded-versions.ts fails every test file that did not load exactly the expected versions.
 */
const path = require('node:path');

const base = require('../../jest.config.js');

module.exports = {
	...base,
	rootDir: path.join(__dirname, '..', '..'),
	resolver: '<rootDir>/test/compat/resolver.js',
	setupFilesAfterEnv: [
		...(base.setupFilesAfterEnv ?? []),
		'<rootDir>/test/compat/loaded-versions.ts',
	],
};
