'use strict';
/**
 * Pacing that learns Kore's real limit from its refusals (issue 21), measured in n8n's engine (scripts/lib/engine.js,
 * the built node from dist/) against the local Kore server in a child process, on the benchmark's scaled clock: 6 s
 * stands for Kore's minute (and 2 s for 20 s). Kore sends no Retry-After. Part of `npm run bench`; on its own:
 *
 *   npm run build && node scripts/bench-learned-rate.js [overstated-25 overstated-300 second-client correct]
 *
 * Scenarios, each printed with wall time, requests Kore received, 429s and the floor — the items at the real
 * remaining limit, sent in bursts as a client that knew it would (the first burst at once):
 *   - Kore allows 10 per 20 s while the credential says 600 per minute: 25 and 300 deletes;
 *   - a second client outside the node spends half the account's budget (30 of Kore's 60 a minute, evenly,
 *     from a minute before): 300 deletes, with the node's 429s per minute after its first minute;
 *   - the correct limit (Kore 60 a minute, the credential 60): 300 deletes, as `npm run bench`'s first scenario.
 * It measures; it asserts nothing. The targets are printed next to the figures.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const { runWorkflow, nodeOutputs } = require('./lib/engine');
const { loadSourceModule } = require('./lib/source-module');
const { KoreContacts } = require('../dist/nodes/KoreContacts/KoreContacts.node.js');
const { KoreContactsApi } = require('../dist/credentials/KoreContactsApi.credentials.js');

const MINUTE_MS = 6000; // the scaled minute
const LATENCY_MS = 20;
const SECRET = 'bench-client-secret-0123456789abcdef';
const NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The local Kore server in a child process, keeping its whole request log; resolves with its URL and admin API. */
async function startServer(args) {
	const child = spawn(
		process.execPath,
		[path.join(__dirname, 'kore-server/cli.js'), '--port', '0', '--client-secret', SECRET, '--log-limit', '1000000', '--latency', String(LATENCY_MS), ...args],
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
	const admin = async (route) => (await fetch(`${info.url}/__admin/${route}`)).json();
	const stop = () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
	return { ...info, admin, stop };
}

/**
 * Another system using the same account: `perMinute` list requests a (scaled) minute, evenly, each with its own
 * token; a refused one is not repeated.
 */
function otherClient(server, perMinute) {
	const { signKoreJwt } = loadSourceModule('nodes/KoreContacts/transport/auth.ts');
	const url = `${server.url}/agentassist/api/v1/public/${encodeURIComponent(server.streamId)}/contacts?skip=0&limit=1`;
	const every = MINUTE_MS / perMinute;
	const start = performance.now();
	let sent = 0;
	let stopped = false;
	const done = (async () => {
		while (!stopped) {
			const auth = await signKoreJwt(server.clientId, SECRET);
			void fetch(url, { headers: { auth, accountId: server.accountId } }).then((answer) => answer.arrayBuffer());
			sent++;
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + sent * every - performance.now())));
		}
	})();
	return async () => {
		stopped = true;
		await done;
	};
}

/** Deletes every contact of the server's stream in one execution, paced by a credential allowing `perMinute`. */
async function deleteAll(server, perMinute, learnedLines) {
	const listed = await server.admin(`contacts?streamId=${encodeURIComponent(server.streamId)}`);
	const ids = listed.filter((contact) => contact.status !== 'INACTIVE').map((contact) => contact.id);
	const workflow = {
		name: 'bench',
		nodes: [
			{ parameters: {}, id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { resource: 'contact', operation: 'delete', streamId: server.streamId, contactId: '={{ $json.id }}' },
				id: 'b',
				name: 'Kore Contacts',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				credentials: { koreContactsApi: { id: '1', name: 'bench' } },
				onError: 'continueRegularOutput',
			},
		],
		connections: { Start: { main: [[{ node: 'Kore Contacts', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const credentials = {
		host: server.url,
		accountId: server.accountId,
		clientId: server.clientId,
		clientSecret: SECRET,
		requestsPerMinute: perMinute,
		rateLimitWindowMs: MINUTE_MS,
	};
	const started = Date.now();
	const print = (level, message) => /learned rate/.test(message) && learnedLines.push(`[${seconds(Date.now() - started)}] ${message.replace(/^Kore Contacts: /, '')}`);
	const result = await runWorkflow(workflow, { nodeTypes: { [NODE_TYPE]: new KoreContacts() }, credentialType: new KoreContactsApi(), credentials, items: ids.map((id) => ({ id })), print });
	const wallMs = Date.now() - started;
	const failed = (nodeOutputs(result, 'Kore Contacts')[0] ?? []).filter((item) => item.json.error !== undefined).length + (result.error ? 1 : 0);
	const left = (await server.admin(`contacts?streamId=${encodeURIComponent(server.streamId)}`)).filter((contact) => contact.status !== 'INACTIVE').length;
	return { started, wallMs, lost: left, failed };
}

/**
 * One scenario: N deletes against Kore allowing `limit` per `windowMs`, the credential saying `perMinute`, and
 * maybe another client spending `otherPerMinute`. `remaining` is what is left for the node per `windowMs`.
 */
async function scenario({ label, n, limit, windowMs, perMinute, otherPerMinute = 0, target }) {
	const server = await startServer(['--seed', String(n), '--rate-limit', `${limit}/${windowMs}`]);
	const learned = [];
	let stopOther;
	try {
		if (otherPerMinute) {
			stopOther = otherClient(server, otherPerMinute);
			await new Promise((resolve) => setTimeout(resolve, MINUTE_MS));
		}
		const run = await deleteAll(server, perMinute, learned);
		await stopOther?.();
		const { requests } = await server.admin('requests');
		const node = requests.filter((entry) => entry.method === 'DELETE' && entry.at >= run.started);
		const other = requests.filter((entry) => entry.method === 'GET' && entry.at >= run.started && entry.at <= run.started + run.wallMs);
		const refused = node.filter((entry) => entry.rateLimited);
		const afterFirstMinute = refused.filter((entry) => entry.at > run.started + MINUTE_MS).length;
		const remaining = limit - Math.round((otherPerMinute * windowMs) / MINUTE_MS);
		const floorMs = (Math.ceil(n / remaining) - 1) * windowMs;
		const row = {
			scenario: label,
			wall: seconds(run.wallMs),
			floor: seconds(floorMs),
			'× floor': Number((run.wallMs / floorMs).toFixed(2)),
			requests: node.length,
			'429s': refused.length,
			'429s/min after 1st': Number((afterFirstMinute / Math.max(1e-9, (run.wallMs - MINUTE_MS) / MINUTE_MS)).toFixed(2)),
			'other client 429s': otherPerMinute ? `${other.filter((entry) => entry.rateLimited).length} of ${other.length}` : '-',
			lost: run.lost + run.failed,
			target,
		};
		if (label === 'warm-up') return row;
		console.log(`\n${label}`);
		for (const [key, value] of Object.entries(row)) if (key !== 'scenario') console.log(`  ${key.padEnd(19)} ${value}`);
		for (const line of learned.slice(0, 12)) console.log(`    ${line}`);
		if (learned.length > 12) console.log(`    … ${learned.length - 12} more learned-rate lines`);
		return row;
	} finally {
		await stopOther?.();
		await server.stop();
	}
}

const overstated = { limit: 10, windowMs: 2000, perMinute: 600 };
const SCENARIOS = {
	'overstated-25': { label: 'Kore 10 per 20 s, credential 600/min: 25 deletes', n: 25, ...overstated, target: 'within 1.5× floor (before: 3.2×)' },
	'overstated-300': { label: 'Kore 10 per 20 s, credential 600/min: 300 deletes', n: 300, ...overstated, target: 'within 1.25× floor' },
	'second-client': {
		label: "Second client spends 30 of Kore's 60/min, credential 60/min: 300 deletes",
		n: 300,
		limit: 60,
		windowMs: MINUTE_MS,
		perMinute: 60,
		otherPerMinute: 30,
		target: '≤ 1 × 429 per minute after the first',
	},
	correct: { label: 'Correct limit: Kore 60/min, credential 60/min: 300 deletes', n: 300, limit: 60, windowMs: MINUTE_MS, perMinute: 60, target: 'as before ±5 %, 0 × 429' },
};

/** Runs the scenarios named (all by default: overstated-25, overstated-300, second-client, correct). */
async function run(names = Object.keys(SCENARIOS)) {
	console.log(`\nLearned rate (issue 21) — scaled clock: ${MINUTE_MS / 1000} s stands for Kore's minute; ${LATENCY_MS} ms latency; no Retry-After.`);
	// warm-up: n8n's engine and HTTP paths compile on first use
	await scenario({ label: 'warm-up', n: 20, limit: 60, windowMs: MINUTE_MS, perMinute: 60, target: '' });
	const rows = [];
	for (const name of names) {
		if (!SCENARIOS[name]) throw new Error(`Unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
		rows.push(await scenario(SCENARIOS[name]));
	}
	console.log('\nLearned rate summary (scaled seconds; a minute is 6 s)');
	console.table(rows);
}

module.exports = { run };

if (require.main === module) {
	run(process.argv.length > 2 ? process.argv.slice(2) : undefined).then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
