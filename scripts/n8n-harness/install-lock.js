'use strict';
/**
 * The install's lock on the n8n cache folder, and npm run under it: two processes (two jest runs, a bench and
 * `npm run dev`) never install into one cache at once, and no npm build outlives the process that started it.
 * Node built-ins only.
 */
const fs = require('node:fs');
const path = require('node:path');

const { killGroup, run } = require('./processes');

/** @typedef {import('./processes').LogFn} LogFn */

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
 * npm as its own process group, recorded in the lock while it runs (see npmGroupGuard).
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

module.exports = { acquireLock, npmGroupGuard, runNpmGuarded };
