'use strict';
/**
 * What `npm run dev` needs around the editor: its two ports (from the environment, checked free before
 * anything starts), the Kore server's requests printed as they arrive, and a watch on the editor process.
 */
const net = require('node:net');

function say(text = '') {
	process.stdout.write(text + '\n');
}

/** The first of `names` set in the environment, as a port number; `fallback` when none is set. */
function portFromEnv(names, fallback) {
	for (const name of names) {
		const raw = (process.env[name] ?? '').trim();
		if (raw === '') continue;
		const port = Number(raw);
		if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a port number`);
		return port;
	}
	return fallback;
}

/** Resolves when nothing listens on 127.0.0.1:port; rejects with a readable message otherwise. */
function assertPortFree(port, what, envNames) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () =>
			reject(new Error(`Port ${port} (${what}) is already in use. Stop what uses it, or pick another port with ${envNames}.`)),
		);
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
	});
}

/** Prints each request the Kore server gets, as it arrives. Returns a stop function. */
function followServerLog(server) {
	const printed = new WeakSet();
	const timer = setInterval(() => {
		for (const r of server.requests.slice(-200)) {
			if (printed.has(r)) continue;
			printed.add(r);
			const why = r.authError ? ` (${r.authError})` : r.rateLimited ? ' (rate limit)' : '';
			const query = Object.keys(r.query ?? {}).length ? `?${new URLSearchParams(r.query)}` : '';
			say(`[kore] ${new Date(r.at).toISOString().slice(11, 19)} ${r.method} ${r.path}${query} -> ${r.status ?? 'no answer'}${why}`);
		}
	}, 300);
	return () => clearInterval(timer);
}

/** Stops everything if the editor process ends on its own. Returns a stop function. */
function watchEditor(editor, shutdown) {
	const timer = setInterval(() => {
		try {
			process.kill(editor.pid, 0);
		} catch {
			clearInterval(timer);
			say('\nThe n8n editor stopped unexpectedly. Last lines of its log:');
			say(editor.output().split('\n').slice(-20).join('\n'));
			void shutdown(1);
		}
	}, 2000);
	timer.unref();
	return () => clearInterval(timer);
}

module.exports = { say, portFromEnv, assertPortFree, followServerLog, watchEditor };
