'use strict';
/**
 * An n8n user folder (N8N_USER_FOLDER: n8n keeps its SQLite DB, config and community `nodes/` in <it>/.n8n)
 * and the environment every n8n process of the harness runs with.
 *
 * Facts checked against n8n 2.41.1:
 *  - The internal JS task runner (Code node) is spawned as plain `node` from PATH
 *    (n8n/dist/task-runners/task-runner-process-js.js), so PATH must start with Node 24's folder.
 *  - bin/n8n loads `.env` from the current directory (dotenv) unless E2E_TESTS=true; E2E_TESTS=true also
 *    switches on n8n's own e2e controller, so instead we run every n8n child with cwd = the user folder.
 * Node built-ins only.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { resolveCacheDir } = require('./install');

/** Fixed, non-secret key so that credentials imported by one command can be decrypted by the next. */
const ENCRYPTION_KEY = 'n8n-e2e-fixed-encryption-key-not-a-secret';

/** @returns {string} a new empty temp dir to use as N8N_USER_FOLDER (n8n keeps its data in <it>/.n8n) */
function createUserFolder() {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
}

/**
 * Environment for n8n child processes: this process's env without any inherited N8N_* / DB_* / … setting
 * (and without npm's npm_* variables), plus settings that make n8n quiet, deterministic and offline-safe.
 * Every name below is read by n8n 2.41.1 (checked in @n8n/config and n8n/dist); defaults in brackets.
 * @param {string} userFolder
 * @returns {NodeJS.ProcessEnv}
 */
function baseEnv(userFolder) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	const inherited = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|NODES_|NODE_FUNCTION_|CREDENTIALS_|WEBHOOK_URL$|GENERIC_TIMEZONE$|E2E_TESTS$|NODE_ENV$|NODE_OPTIONS$|NODE_CONFIG_DIR$|npm_|FORCE_COLOR$|JEST_)/i;
	for (const [key, value] of Object.entries(process.env)) if (!inherited.test(key)) env[key] = value;
	return {
		...env,
		// the internal JS task runner is spawned as `node` from PATH: make that Node 24
		PATH: [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter),
		// jest sets NODE_ENV=test; under NODE_ENV=test n8n sets its log level to 'silent', its node loader
		// throws "Not available in tests" and the command does not set an exit code: `n8n execute` exits 0
		// and prints nothing. Unset means "development" (dev middlewares, stack traces in REST errors).
		// 'production' is what n8n's Docker image runs with.
		NODE_ENV: 'production',
		N8N_E2E_CACHE: resolveCacheDir(), // not n8n's: tells the functions below where n8n is
		N8N_USER_FOLDER: userFolder, // data in <userFolder>/.n8n (SQLite DB, config, nodes/)
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY, // otherwise generated into <userFolder>/.n8n/config on first run
		N8N_LOG_LEVEL: 'info', // `execute --rawOutput` prints its JSON through logger.info
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'text',
		NO_COLOR: '1',
		N8N_DIAGNOSTICS_ENABLED: 'false', // [true] telemetry + PostHog
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false', // [true] api.n8n.io/api/versions
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false', // [true]
		N8N_DYNAMIC_BANNERS_ENABLED: 'false', // [true] api.n8n.io/api/banners
		N8N_HIRING_BANNER_ENABLED: 'false', // [true]
		N8N_TEMPLATES_ENABLED: 'false', // [true] api.n8n.io templates
		N8N_PERSONALIZATION_ENABLED: 'false', // [true] the "customize n8n" survey after first login
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true', // silences the "permissions too wide" warning; n8n chmods 0600
		N8N_SSRF_PROTECTION_ENABLED: 'false', // [false] stated: the suite talks to 127.0.0.1
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true', // [true] loads <userFolder>/.n8n/nodes/node_modules/n8n-nodes-*
		N8N_REINSTALL_MISSING_PACKAGES: 'false', // [false] would go to the npm registry at start
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', // [true, "will change to false"; set to silence the deprecation notice]
		// the mcp-registry module's system task fetches api.n8n.io/api/mcp-servers at start (ENOTFOUND stack trace offline)
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_RUNNERS_MODE: 'internal', // [internal] JS task runner as a child process
		// [30 s] the JS runner must connect within this after n8n hands it its token; on a busy machine it booted
		// later (seen: "invalid or expired grant token", then the Code node waited until n8n was killed)
		N8N_RUNNERS_GRANT_TOKEN_TTL: '600',
		// [60 s] how long a Code node's task waits for a runner to take it: the same slow boot
		N8N_RUNNERS_TASK_REQUEST_TIMEOUT: '600',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
	};
}

module.exports = { ENCRYPTION_KEY, createUserFolder, baseEnv };
