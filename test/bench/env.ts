/**
 * Process set-up for the compiled benchmark scripts (they run outside jest): what test/setup/env.ts does for
 * the tests. Import this module first, before anything that loads n8n-core.
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The temp user folder this process created (children inherit it through the environment), if any. */
export const createdUserFolder = process.env.N8N_USER_FOLDER
	? undefined
	: mkdtempSync(join(tmpdir(), 'speech-tasks-bench-n8n-'));
if (createdUserFolder) process.env.N8N_USER_FOLDER = createdUserFolder;
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';

// The AWS SDK clients (baselines, reference reads) warn that their 2027 versions need Node 22: noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const USER_FOLDER = process.env.N8N_USER_FOLDER;
