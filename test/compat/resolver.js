/**
 * Jest resolver for test/compat/jest.config.js: every `n8n-core` and `n8n-workflow` import from outside
 * N8N_COMPAT_DIR (the tests, the harness, the package's nodes and credentials, this project's node_modules)
 * is resolved from N8N_COMPAT_DIR instead, so that they all get the n8n-core / n8n-workflow installed there.
 * Imports from inside N8N_COMPAT_DIR (n8n-core's own imports, its dependencies) resolve as npm laid them out,
 * as they would in an n8n installation of that version. Subpaths (`n8n-core/package.json`) and the packages'
 * `exports` maps are handled by jest's own resolver.
 */
const fs = require('node:fs');
const path = require('node:path');

const SUBSTITUTED = /^n8n-(core|workflow)(\/|$)/;

function compatDir() {
	const dir = process.env.N8N_COMPAT_DIR;
	if (!dir) throw new Error('N8N_COMPAT_DIR is not set (see test/compat/README.md)');
	// Real path: jest hands the resolver real paths (the cache or node_modules may be symbolic links).
	return fs.realpathSync(path.resolve(dir));
}

function isInside(file, dir) {
	const relative = path.relative(dir, file);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

module.exports = (request, options) => {
	const dir = compatDir();
	if (SUBSTITUTED.test(request) && !isInside(options.basedir, dir)) {
		return options.defaultResolver(request, { ...options, basedir: dir });
	}
	return options.defaultResolver(request, options);
};
