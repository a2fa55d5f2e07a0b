'use strict';
/**
 * Child processes for the n8n harness: a command run to its end (`run`: npm, tar, the n8n CLI, initdb), a
 * long-running program started until it is ready (`startDaemon`: n8n start / worker, redis-server, postgres),
 * and what both need around them (npm's environment, free ports, an HTTP probe, error text).
 * Node built-ins only.
 */
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number }} RunResult
 * @typedef {(message: string) => void} LogFn
 */

/** @param {number} ms */
function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** @param {string} text @param {number} [lines] the last lines of a program's output, for an error message */
function tail(text, lines = 40) {
	return text.split('\n').slice(-lines).join('\n');
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
 * `uid`/`gid` run it as another user (initdb as `postgres`, see services.js).
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, onOutput?: (chunk: string) => void, detached?: boolean, onSpawn?: (pid: number) => void, uid?: number, gid?: number }} [opts]
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
			uid: opts.uid,
			gid: opts.gid,
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
				stderr += `\n[n8n-harness] timed out after ${seconds(opts.timeoutMs ?? 0)}, sending SIGTERM\n`;
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
	return new Error(
		`${what} failed (exit code ${r.code}${r.signal ? `, signal ${r.signal}` : ''})\n--- stdout (tail)\n${tail(r.stdout)}\n--- stderr (tail)\n${tail(r.stderr)}`,
	);
}

/**
 * Spawns a long-running program and resolves once `isReady()` is true (a throw counts as "not yet"); rejects
 * when it exits first, or when it is not ready after `timeoutMs` (it is stopped with `timeoutSignal` then).
 * Its output is kept (`output()`); each complete line is logged as `[name] line` and handed to `onLine`
 * listeners. If this process exits without stop(), the child gets `exitSignal`. `stop(signal)` sends
 * `signal` and SIGKILL `stopGraceMs` later if it is still running.
 * @param {string} cmd @param {string[]} args
 * @param {{ name: string, isReady: () => boolean | Promise<boolean>, timeoutMs?: number, pollMs?: number, stopGraceMs?: number,
 *   exitSignal?: NodeJS.Signals, timeoutSignal?: NodeJS.Signals, log?: LogFn, env?: NodeJS.ProcessEnv, cwd?: string, uid?: number, gid?: number }} opts
 */
async function startDaemon(cmd, args, opts) {
	const log = opts.log ?? (() => {});
	const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd, uid: opts.uid, gid: opts.gid });
	const onExit = () => child.kill(opts.exitSignal ?? 'SIGKILL');
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
	const stop = async (/** @type {NodeJS.Signals} */ signal = 'SIGTERM') => {
		if (hasExited) return;
		child.kill(signal);
		const timer = setTimeout(() => child.kill('SIGKILL'), opts.stopGraceMs ?? 20_000);
		await exited;
		clearTimeout(timer);
	};
	const timeoutMs = opts.timeoutMs ?? 120_000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (hasExited) throw new Error(`${opts.name} exited before it was ready:\n${tail(output)}`);
		try {
			if (await opts.isReady()) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop(opts.timeoutSignal);
			throw new Error(`${opts.name} was not ready after ${timeoutMs} ms:\n${tail(output)}`);
		}
		await new Promise((r) => setTimeout(r, opts.pollMs ?? 300));
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

/** @returns {Promise<number>} a free TCP port on 127.0.0.1 (the OS picks one; we close it again) */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
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

module.exports = { seconds, npmEnv, run, killGroup, failure, startDaemon, freePort, httpGet };
