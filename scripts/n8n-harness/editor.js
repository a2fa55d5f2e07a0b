'use strict';
/**
 * The n8n editor (`n8n start`) on a user folder, for `npm run dev`: bound to 127.0.0.1, its owner created
 * from env so there is no set-up screen. Node built-ins only.
 */
const path = require('node:path');

const { installedN8n } = require('./install');
const { freePort, httpGet, startDaemon } = require('./processes');

/** @typedef {import('./processes').LogFn} LogFn */

/** Default editor login (see startEditor). */
const DEFAULT_OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'E2e-password-1',
	firstName: 'E2E',
	lastName: 'Owner',
});

/**
 * bcrypt hash of DEFAULT_OWNER.password, made with n8n's own bcryptjs 2.4.3 (`hashSync(pw, 10)`);
 * n8n only accepts a pre-hashed password for the env-managed owner.
 */
const DEFAULT_OWNER_PASSWORD_HASH = '$2a$10$yu0DTHw2scJt4iYrJqwO1OW8qeEETYIcvLIJAEuJrlC.xrqVFY.YC';

/**
 * @param {string} cacheDir @param {string} password @returns {string}
 */
function bcryptHash(cacheDir, password) {
	if (password === DEFAULT_OWNER.password) return DEFAULT_OWNER_PASSWORD_HASH;
	// n8n's own dependency, resolved from the cache folder (no new dependency for this project)
	const bcrypt = require(path.join(cacheDir, 'node_modules', 'bcryptjs'));
	return bcrypt.hashSync(password, 10);
}

/**
 * Starts `n8n start` (editor + REST API on http://localhost:<port>, bound to 127.0.0.1) and resolves when
 * `/healthz/readiness` answers 200 (`/healthz` alone answers as soon as the socket listens, before the DB
 * is migrated, the owner set up and the nodes loaded).
 *
 * The owner is created from env at start-up (N8N_INSTANCE_OWNER_MANAGED_BY_ENV, n8n's
 * instance-settings-loader), so there is no owner-setup screen: log in with `owner.email` / `owner.password`.
 * It is the same user that import:credentials / import:workflow assign to, so imported items are visible.
 * Pass `owner: false` to keep n8n's normal first-run "Set up owner account" screen.
 *
 * @param {NodeJS.ProcessEnv} env from baseEnv()
 * @param {{ port?: number, owner?: false | { email: string, password: string, firstName?: string, lastName?: string }, timeoutMs?: number, log?: LogFn }} [options]
 * @returns {Promise<{ url: string, port: number, pid: number | undefined, owner: { email: string, password: string } | null, output: () => string, stop: () => Promise<void> }>}
 */
async function startEditor(env, options = {}) {
	const { nodeBin, n8nBin, cacheDir } = installedN8n(env);
	const port = options.port ?? 5678;
	const owner = options.owner === false ? null : { ...DEFAULT_OWNER, ...(options.owner ?? {}) };
	const url = `http://localhost:${port}`;

	/** @type {NodeJS.ProcessEnv} */
	const editorEnv = {
		...env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_SECURE_COOKIE: 'false', // plain http (also from 127.0.0.1 / another hostname)
		N8N_RUNNERS_BROKER_PORT: env.N8N_RUNNERS_BROKER_PORT || String(await freePort()),
	};
	if (owner) {
		Object.assign(editorEnv, {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: owner.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(cacheDir, owner.password),
		});
	}

	// same process group: Ctrl-C in a terminal reaches n8n too, and n8n shuts down by itself; if this process
	// exits without stop(), n8n gets SIGTERM, so no editor is left holding the port
	const editor = await startDaemon(nodeBin, [n8nBin, 'start'], {
		name: 'n8n start',
		cwd: editorEnv.N8N_USER_FOLDER,
		env: editorEnv,
		log: options.log,
		timeoutMs: options.timeoutMs ?? 120_000,
		pollMs: 500,
		exitSignal: 'SIGTERM',
		isReady: async () => (await httpGet(`http://127.0.0.1:${port}/healthz/readiness`)).status === 200,
	});
	return {
		url,
		port,
		pid: editor.pid,
		owner: owner ? { email: owner.email, password: owner.password } : null,
		output: editor.output,
		// n8n shuts down gracefully on SIGTERM and stops its task runner (N8N_GRACEFUL_SHUTDOWN_TIMEOUT)
		stop: () => editor.stop(),
	};
}

module.exports = { DEFAULT_OWNER, startEditor };
