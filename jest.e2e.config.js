/**
 * The end-to-end suite (`npm run test:e2e`): this package installed into a REAL n8n 2.41.1 process, talking to
 * the local Kore server. See test/e2e/README.md. Same ts-jest set-up as jest.config.js. n8n is installed into
 * .cache/ (or $N8N_E2E_CACHE) by the global set-up, before any test file starts (the first time: several
 * minutes), so no test or hook waits for it. Runs in band: one n8n user folder, one server.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
	},
	// one test waits for its n8n run, which may queue behind the others
	testTimeout: 15 * 60 * 1000,
	slowTestThreshold: 60,
	verbose: true,
};
