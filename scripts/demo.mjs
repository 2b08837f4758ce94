// Shows what n8n loads from the built package. (The emulator demo replaces this.)
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'speech-tasks-demo-'));
const require = createRequire(import.meta.url);
require('reflect-metadata');
const { PackageDirectoryLoader } = require('n8n-core');

const root = resolve(fileURLToPath(import.meta.url), '../..');
const loader = new PackageDirectoryLoader(root);
await loader.loadAll();
for (const [name, { type }] of Object.entries(loader.nodeTypes)) console.log(`node        ${name.padEnd(24)} ${type.description.displayName}`);
for (const [name, { type }] of Object.entries(loader.credentialTypes)) console.log(`credential  ${name.padEnd(24)} ${type.displayName}`);
