/**
 * Tests run the TypeScript sources through ts-jest. Some dependencies (jose 6, nock 15) ship only ES
 * modules: jest loads them natively on Node 24.9+ when Node runs with --experimental-vm-modules, which
 * the `test` script sets, so nothing in node_modules is transformed or patched.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFiles: ['<rootDir>/test/setup-env.ts'],
	// engine tests boot n8n's engine per run; on a busy 2-core machine one can take several seconds (jest's default is 5)
	testTimeout: 60_000,
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
	},
};
