'use strict';
/** Deletes through Kore's faults: three 503s in a row, then connection resets before and after Kore applied one. */
const { startServer, activeIds } = require('./kore');
const { measure, report } = require('./measure');

async function faults() {
	const server = await startServer(['--seed', '20', '--rate-limit', 'off']);
	try {
		const ids = await activeIds(server);
		await server.addFault({ method: 'DELETE', times: 3, action: { status: 503 } });
		const first = await measure(server, { operation: 'delete', streamId: server.streamId, contactId: '={{ $json.id }}', options: { concurrency: 1 } }, ids.slice(0, 10).map((id) => ({ id })));
		report('Delete x10 with 3 consecutive 503s, then success', first, {
			items: 10,
			lost: `${(await activeIds(server)).filter((id) => ids.slice(0, 10).includes(id)).length} left active, ${first.failedItems.length} failed items`,
			limit: 'back-off 1 s, 2 s, 4 s (with jitter)',
		});
		await server.addFault({ method: 'DELETE', times: 1, action: { reset: 'after' } });
		await server.addFault({ method: 'DELETE', times: 1, action: { reset: 'before' } });
		const second = await measure(server, { operation: 'delete', streamId: server.streamId, contactId: '={{ $json.id }}', options: { concurrency: 1 } }, ids.slice(10).map((id) => ({ id })));
		const leftActive = (await activeIds(server)).filter((id) => ids.slice(10).includes(id)).length;
		report('Delete x10 with a connection reset after Kore applied the delete, and one before', second, {
			items: 10,
			lost: `${leftActive} left active, ${second.failedItems.length} failed items`,
			limit: 'a reset delete is sent again; the repeat finds it already deleted',
		});
	} finally {
		await server.stop();
	}
}

module.exports = { faults };
