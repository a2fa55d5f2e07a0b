'use strict';
/** Delete x120 at concurrency 1, 2, 4, 8 and two latencies, Kore's limit raised so that it does not bind. */
const { startServer, activeIds } = require('./kore');
const { measure, seconds } = require('./measure');

async function concurrency() {
	console.log('\nConcurrency (Delete x120, Kore at 600 requests per 6 s so the rate limit does not bind):');
	for (const latency of [30, 150]) {
		for (const concurrency of [1, 2, 4, 8]) {
			const server = await startServer(['--seed', '120', '--rate-limit', '600/6000', '--latency', String(latency)]);
			try {
				const ids = await activeIds(server);
				const m = await measure(server, { operation: 'delete', streamId: server.streamId, contactId: '={{ $json.id }}', options: { concurrency } }, ids.map((id) => ({ id })), { requestsPerMinute: 600 });
				console.log(`  latency ${String(latency).padStart(3)} ms (= ${latency * 10} ms at real scale)  concurrency ${concurrency}: ${seconds(m.wallMs)}  (${(120 / (m.wallMs / 1000)).toFixed(1)} req/s)`);
			} finally {
				await server.stop();
			}
		}
	}
}

module.exports = { concurrency };
