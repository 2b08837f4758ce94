// Import first: n8n's logger at debug level, in JSON, into a file of its own (read back by secrets.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEBUG_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'speech-tasks-log-')), 'n8n.log');
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_FORMAT = 'json';
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_FILE_LOCATION = DEBUG_LOG_FILE;
