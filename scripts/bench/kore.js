'use strict';
/**
 * The bench's Kore: the local Kore-compatible server (scripts/kore-server) in a child process, so its CPU is
 * not counted, with Kore's rate limit on a scaled clock (60 requests per 6 s stands for 60 per minute), and
 * what the scenarios read from its admin API.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const LIMIT = 60;
const WINDOW_MS = 6000; // the scaled minute
const SECRET = 'bench-client-secret-0123456789abcdef';

/** Starts the Kore server in a child process; resolves with its URL and a way to stop it. */
async function startServer(args) {
	const child = spawn(
		process.execPath,
		[path.join(__dirname, '..', 'kore-server', 'cli.js'), '--port', '0', '--client-secret', SECRET, '--log-limit', '0', ...args],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const info = await new Promise((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const line = buffer.split('\n').find((candidate) => candidate.startsWith('{'));
			if (line) resolve(JSON.parse(line));
		});
		child.on('exit', (code) => reject(new Error(`kore server exited with ${code}`)));
	});
	const admin = async (route, init) => (await fetch(`${info.url}/__admin/${route}`, init)).json();
	return {
		...info,
		admin,
		addFault: (rule) => admin('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) }),
		stop: () => new Promise((resolve) => {
			child.once('exit', resolve);
			child.kill('SIGTERM');
		}),
	};
}

/** Ids of the stream's contacts that are not INACTIVE. */
async function activeIds(server) {
	const listed = await server.admin(`contacts?streamId=${encodeURIComponent(server.streamId)}`);
	const contacts = Array.isArray(listed) ? listed : listed.contacts ?? listed.results ?? [];
	return contacts.filter((contact) => contact.status !== 'INACTIVE').map((contact) => contact.id);
}

/** Contacts of the server's stream by id, as the admin API shows them (INACTIVE ones included). */
async function contactsById(server) {
	const listed = await server.admin(`contacts?streamId=${encodeURIComponent(server.streamId)}`);
	return new Map(listed.map((contact) => [contact.id, contact]));
}

/** Of Kore's logged requests: the list pages (GETs), and how many reads of the stream they make (each starts at skip=0). */
function listReads(requests) {
	const pages = requests.filter((entry) => entry.method === 'GET');
	return { pages, scans: pages.filter((entry) => String(entry.query?.skip ?? '0') === '0').length };
}

/** The credential's data for `server`, at `requestsPerMinute` per `windowMs` (default: the scaled limit). */
function credentialsFor(server, { requestsPerMinute = LIMIT, windowMs = WINDOW_MS } = {}) {
	return {
		host: server.url,
		accountId: server.accountId,
		clientId: server.clientId,
		clientSecret: SECRET,
		requestsPerMinute,
		rateLimitWindowMs: windowMs,
	};
}

module.exports = { LIMIT, WINDOW_MS, SECRET, startServer, activeIds, contactsById, listReads, credentialsFor };
