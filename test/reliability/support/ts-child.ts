// Runs a TypeScript file as a child process (for measurements jest must not be in the way of).
/** Compiles TypeScript on the fly in the child (type-stripping only, as ts-jest with diagnostics off). */
// '.ts' goes first among the extensions: "X.node" must resolve to X.node.ts, not to the codex X.node.json.
// Transpiled files are cached in the temp folder (keyed by path, size and mtime) for the next run.
export const TS_CHILD_HOOK = `
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const cacheDir = path.join(require('os').tmpdir(), 'speech-tasks-child-ts-cache');
fs.mkdirSync(cacheDir, { recursive: true });
let ts;
const extensions = require.extensions;
const others = { ...extensions };
for (const key of Object.keys(extensions)) delete extensions[key];
extensions['.ts'] = (module, filename) => {
	const stat = fs.statSync(filename);
	const key = crypto.createHash('sha1').update(filename + ':' + stat.size + ':' + stat.mtimeMs).digest('hex');
	const cached = path.join(cacheDir, key + '.js');
	let code;
	try {
		code = fs.readFileSync(cached, 'utf8');
	} catch {
		ts ??= require('typescript');
		code = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
			fileName: filename,
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
		}).outputText;
		fs.writeFileSync(cached + '.' + process.pid, code);
		fs.renameSync(cached + '.' + process.pid, cached);
	}
	module._compile(code, filename);
};
Object.assign(extensions, others);
require(process.env.TS_CHILD);
`;
