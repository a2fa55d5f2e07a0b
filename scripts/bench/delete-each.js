'use strict';
/** Delete x N by ID, one request per item, against Kore's rate limit (which may be tighter than the node's). */
const { LIMIT, WINDOW_MS, startServer, activeIds } = require('./kore');
const { measure, report, seconds } = require('./measure');

async function deleteEach(n, { latency = 0, concurrency, label, serverLimit = LIMIT, serverArgs = [] }) {
	const server = await startServer(['--seed', String(n), '--rate-limit', `${serverLimit}/${WINDOW_MS}`, '--latency', String(latency), ...serverArgs]);
	try {
		const ids = await activeIds(server);
		const parameters = { operation: 'delete', streamId: server.streamId, contactId: '={{ $json.id }}' };
		if (concurrency) parameters.options = { concurrency };
		const m = await measure(server, parameters, ids.map((id) => ({ id })));
		const left = (await activeIds(server)).length;
		const windows = n / serverLimit;
		report(label ?? `Delete x${n} (Kore limit ${LIMIT} per ${WINDOW_MS / 1000} s, latency ${latency} ms${concurrency ? `, concurrency ${concurrency}` : ''})`, m, {
			items: n,
			lost: `${left} left active, ${m.failedItems.length} failed items`,
			limit: `N/limit = ${windows} windows = ${seconds(windows * WINDOW_MS)} (a first burst allows ${seconds((Math.ceil(windows) - 1) * WINDOW_MS)})`,
		});
		return m;
	} finally {
		await server.stop();
	}
}

/** The three Delete x N scenarios: Kore at the node's limit, then at 50 per 6 s without and with Retry-After. */
async function deleteEachScenarios(n) {
	await deleteEach(n, { latency: 20 });
	await deleteEach(n, {
		latency: 20,
		serverLimit: 50,
		label: `Delete x${n}, Kore allows only 50 per 6 s (another system shares the account), no Retry-After`,
	});
	await deleteEach(n, {
		latency: 20,
		serverLimit: 50,
		serverArgs: ['--retry-after'],
		label: `Delete x${n}, Kore allows only 50 per 6 s, with Retry-After`,
	});
}

module.exports = { deleteEach, deleteEachScenarios };
