// `n8n-node lint` runs ESLint with this file over the whole repository. Product code (nodes/,
// credentials/, package.json) gets exactly n8n's rule set; the tests and scripts get the same
// TypeScript rules but not the rules for code that runs inside n8n (globals, imports, console,
// secrets, child processes, n8n error classes), which tests must use: they start servers and
// processes, read files, hold fake secrets and throw plain errors.
import js from '@eslint/js';
import { config } from '@n8n/node-cli/eslint';
import globals from 'globals';

const OUTSIDE_N8N = ['test/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs', '*.js', '*.mjs'];

export default [
	{
		ignores: [
			'dist/**',
			'.output*/**',
			'node_modules/**',
			'test/n8n/node_modules/**',
			'demo-output/**',
		],
	},
	...config,
	{
		files: ['**/*.js', '**/*.mjs'],
		...js.configs.recommended,
		languageOptions: { globals: globals.node },
	},
	{
		files: OUTSIDE_N8N,
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'no-console': 'off',
		},
	},
];
