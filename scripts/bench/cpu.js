'use strict';
/**
 * CPU per item with nothing to wait for (zero-latency server, no rate limit), and what one request's own work
 * costs: signing its JWT and taking a pacing slot. dist/ holds one bundle that exports only the node and
 * credential classes: the two modules measured here are compiled from the sources, the same way (esbuild) the
 * build does.
 */
const { loadSourceModule } = require('../lib/source-module');
const { SECRET, startServer, activeIds } = require('./kore');
const { measure } = require('./measure');

const { signKoreJwt } = loadSourceModule('nodes/KoreContacts/transport/auth.ts');
const { Pacer } = loadSourceModule('nodes/KoreContacts/transport/pacing.ts');

/** What one request's own work costs: signing its JWT, and taking a pacing slot. */
async function microCosts() {
	const n = 5000;
	let start = performance.now();
	for (let i = 0; i < n; i++) await signKoreJwt('cs-bench', SECRET);
	const jwtMs = (performance.now() - start) / n;
	// a slot as a request takes and gives it back; a window of 0 frees it at once, so the pacer holds as few
	// slots as under Kore's limit (at most 60 per minute), not the n of this loop
	const pacer = new Pacer(1e9, 0);
	start = performance.now();
	for (let i = 0; i < n; i++) (await pacer.acquire()).done();
	const pacerMs = (performance.now() - start) / n;
	return { jwtMs, pacerMs };
}

async function cpuPerItem(count) {
	const zero = await startServer(['--seed', String(count), '--rate-limit', 'off']);
	try {
		const ids = await activeIds(zero);
		const m = await measure(zero, { operation: 'delete', streamId: zero.streamId, contactId: '={{ $json.id }}' }, ids.map((id) => ({ id })), { requestsPerMinute: 1e9 });
		const { jwtMs, pacerMs } = await microCosts();
		const perItem = m.cpuMs / ids.length;
		console.log(`\nCPU per item, zero-latency server, no rate limit (Delete x${ids.length}): ${perItem.toFixed(3)} ms of this process's CPU`);
		console.log(`  of which signing the JWT: ${jwtMs.toFixed(3)} ms (${((jwtMs / perItem) * 100).toFixed(0)}%), taking a pacing slot: ${pacerMs.toFixed(4)} ms (${((pacerMs / perItem) * 100).toFixed(1)}%)`);
		console.log(`  the rest is n8n's engine and HTTP stack (expression resolution, axios, item bookkeeping)`);
	} finally {
		await zero.stop();
	}
}

module.exports = { cpuPerItem };
