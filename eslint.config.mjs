// The same rule set `n8n-node lint` enforces (community rules, n8n-nodes-base rules per file type).
import { config } from '@n8n/node-cli/eslint';

export default config;
