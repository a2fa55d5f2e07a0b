'use strict';
/**
 * Pacing that learns Kore's real limit from its refusals (issue 21; docs/learned-rate.md), on the bench's scaled
 * clock: 6 s stands for Kore's minute (and 2 s for 20 s). Kore sends no Retry-After. Each scenario prints wall
 * time, requests Kore received, 429s and the floor — the items at the real remaining limit, sent in bursts as a
 * client that knew it would (the first burst at once):
 *   - Kore allows 10 per 20 s while the credential says 600 per minute: 25 and 300 deletes;
 *   - a second client outside the node spends half the account's budget (30 of Kore's 60 a minute, evenly, from a
 *     minute before): 300 deletes, with the node's 429s per minute after its first minute;
 *   - the correct limit (Kore 60 a minute, the credential 60): 300 deletes, as the first Delete x300 scenario.
 *
 *   npm run bench -- learned-rate [overstated-25 overstated-300 second-client correct]
 */
const { loadSourceModule } = require('../lib/source-module');
const { WINDOW_MS: MINUTE_MS, SECRET, startServer, activeIds } = require('./kore');
const { execute, nodeOutputs } = require('./measure');

const LATENCY_MS = 20;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Another system using the same account: `perMinute` list requests a (scaled) minute, evenly, each with its own
 * token; a refused one is not repeated. Resolves with a way to stop it.
 */
function otherClient(server, perMinute) {
	const { signKoreJwt } = loadSourceModule('nodes/KoreContacts/transport/auth.ts');
	const url = `${server.url}/agentassist/api/v1/public/${encodeURIComponent(server.streamId)}/contacts?skip=0&limit=1`;
	const every = MINUTE_MS / perMinute;
	const start = performance.now();
	let sent = 0;
	let stopped = false;
	const running = (async () => {
		while (!stopped) {
			const auth = await signKoreJwt(server.clientId, SECRET);
			void fetch(url, { headers: { auth, accountId: server.accountId } }).then((answer) => answer.arrayBuffer());
			sent++;
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + sent * every - performance.now())));
		}
	})();
	return async () => {
		stopped = true;
		await running;
	};
}

/**
 * One scenario: N deletes against Kore allowing `limit` per `windowMs`, the credential saying `perMinute`, and
 * maybe another client spending `otherPerMinute`.
 */
async function scenario({ label, n, limit, windowMs, perMinute, otherPerMinute = 0, target }) {
	const server = await startServer(['--seed', String(n), '--rate-limit', `${limit}/${windowMs}`, '--latency', String(LATENCY_MS), '--log-limit', '1000000']);
	const learned = [];
	let stopOther;
	try {
		if (otherPerMinute) {
			stopOther = otherClient(server, otherPerMinute);
			await new Promise((resolve) => setTimeout(resolve, MINUTE_MS));
		}
		const ids = await activeIds(server);
		const started = Date.now();
		const print = (level, message) => /learned rate/.test(message) && learned.push(`[${seconds(Date.now() - started)}] ${message.replace(/^Kore Contacts: /, '')}`);
		const parameters = { operation: 'delete', streamId: server.streamId, contactId: '={{ $json.id }}' };
		const result = await execute(server, parameters, ids.map((id) => ({ id })), { requestsPerMinute: perMinute, print });
		const wallMs = Date.now() - started;
		await stopOther?.();
		const failed = (nodeOutputs(result, 'Kore Contacts')[0] ?? []).filter((item) => item.json.error !== undefined).length + (result.error ? 1 : 0);
		const lost = (await activeIds(server)).length + failed;
		const { requests } = await server.admin('requests');
		const node = requests.filter((entry) => entry.method === 'DELETE' && entry.at >= started);
		const other = requests.filter((entry) => entry.method === 'GET' && entry.at >= started && entry.at <= started + wallMs);
		const refused = node.filter((entry) => entry.rateLimited);
		const afterFirstMinute = refused.filter((entry) => entry.at > started + MINUTE_MS).length;
		const remaining = limit - Math.round((otherPerMinute * windowMs) / MINUTE_MS);
		const floorMs = (Math.ceil(n / remaining) - 1) * windowMs;
		const row = {
			scenario: label,
			wall: seconds(wallMs),
			floor: seconds(floorMs),
			'× floor': Number((wallMs / floorMs).toFixed(2)),
			requests: node.length,
			'429s': refused.length,
			'429s/min after 1st': Number((afterFirstMinute / Math.max(1e-9, (wallMs - MINUTE_MS) / MINUTE_MS)).toFixed(2)),
			'other client 429s': otherPerMinute ? `${other.filter((entry) => entry.rateLimited).length} of ${other.length}` : '-',
			lost,
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

/** Runs the scenarios named (all by default), after a warm-up, and prints their summary. */
async function learnedRate(names = []) {
	console.log(`\nLearned rate (issue 21) — scaled clock: ${MINUTE_MS / 1000} s stands for Kore's minute; ${LATENCY_MS} ms latency; no Retry-After.`);
	// warm-up: n8n's engine and HTTP paths compile on first use
	await scenario({ label: 'warm-up', n: 20, limit: 60, windowMs: MINUTE_MS, perMinute: 60, target: '' });
	const rows = [];
	for (const name of names.length ? names : Object.keys(SCENARIOS)) {
		if (!SCENARIOS[name]) throw new Error(`Unknown learned-rate scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
		rows.push(await scenario(SCENARIOS[name]));
	}
	console.log('\nLearned rate summary (scaled seconds; a minute is 6 s)');
	console.table(rows);
}

module.exports = { learnedRate };
