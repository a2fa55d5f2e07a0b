'use strict';
/** Get Many (return all) over a stream of N contacts: pages of 100. */
const { LIMIT, WINDOW_MS, startServer } = require('./kore');
const { measure, report, seconds } = require('./measure');

async function getMany(n) {
	const server = await startServer(['--seed', String(n), '--rate-limit', `${LIMIT}/${WINDOW_MS}`]);
	try {
		const m = await measure(server, { operation: 'getAll', streamId: server.streamId, returnAll: true }, [{}]);
		const pages = Math.ceil(n / 100);
		report(`Get Many over ${n} contacts (pages of 100)`, m, {
			items: n,
			lost: `${n - m.output.length} contacts missing from the output`,
			limit: `ceil(N/100) = ${pages} requests = ${seconds(Math.max(0, Math.ceil(pages / LIMIT) - 1) * WINDOW_MS)} minimum`,
		});
	} finally {
		await server.stop();
	}
}

module.exports = { getMany };
