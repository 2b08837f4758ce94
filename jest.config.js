/** Every test runs nodes in n8n-core's real WorkflowExecute; see test/harness. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
	},
	setupFiles: ['<rootDir>/test/setup/env.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/setup/network.ts', '<rootDir>/test/setup/secret-scan.ts'],
	testTimeout: 60000,
	maxWorkers: 2,
};
