'use strict';
/** Delete Many x N in batches: ceil(N / batch) requests. */
const { LIMIT, WINDOW_MS, startServer, activeIds } = require('./kore');
const { measure, report, seconds } = require('./measure');

async function deleteMany(n, batchSize) {
	const server = await startServer(['--seed', String(n), '--rate-limit', `${LIMIT}/${WINDOW_MS}`]);
	try {
		const ids = await activeIds(server);
		const m = await measure(server, { operation: 'deleteMany', streamId: server.streamId, contactId: '={{ $json.id }}', options: { batchSize } }, ids.map((id) => ({ id })));
		const left = (await activeIds(server)).length;
		const expected = Math.ceil(n / batchSize);
		report(`Delete Many x${n} (batch ${batchSize})`, m, {
			items: n,
			lost: `${left} left active, ${m.failedItems.length} failed items`,
			limit: `ceil(N/batch) = ${expected} requests = ${seconds(Math.max(0, Math.ceil(expected / LIMIT) - 1) * WINDOW_MS)} minimum`,
		});
	} finally {
		await server.stop();
	}
}

module.exports = { deleteMany };
