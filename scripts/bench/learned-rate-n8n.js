'use strict';
/**
 * Issue 21's own measurement, in a REAL n8n 2.41.1 (`n8n execute`, this package installed from its npm pack
 * tarball) on Kore's real clock: Kore allows 10 requests per 20 s, the credential says 600 per minute, 25 deletes
 * by ID, no Retry-After. Prints the time from Kore's first request to its last, requests, 429s, contacts left, and
 * the floor: 25 deletes at 10 per 20 s, in bursts, take 40 s after the first (10 at 0 s, 10 at 20 s, 5 at 40 s).
 * The scaled-clock version of the same scenario is in learned-rate.js.
 *
 *   npm run bench -- learned-rate-n8n      (n8n in N8N_E2E_CACHE, as for npm run test:e2e; about a minute)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { SECRET, startServer, activeIds } = require('./kore');

const N = 25;
const FLOOR_MS = (Math.ceil(N / 10) - 1) * 20_000;

/** Manual Trigger -> a Code node with one item per contact id -> Kore Contacts: Delete by ID. */
function workflow(server, ids) {
	const credentials = { koreContactsApi: { id: 'benchLearnedRate', name: 'Kore' } };
	return {
		id: 'benchLearnRate1',
		name: 'learned rate in n8n',
		nodes: [
			{ parameters: {}, id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{ parameters: { jsCode: `return ${JSON.stringify(ids.map((koreId) => ({ json: { koreId } })))};` }, id: 'b', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0] },
			{
				parameters: { resource: 'contact', operation: 'delete', streamId: server.streamId, contactBy: 'id', contactId: '={{ $json.koreId }}' },
				id: 'c',
				name: 'Kore Contacts',
				type: 'n8n-nodes-kore-contacts.koreContacts',
				typeVersion: 1,
				position: [400, 0],
				credentials,
			},
		],
		connections: { Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] }, Items: { main: [[{ node: 'Kore Contacts', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function learnedRateInN8n() {
	const n8n = require('../n8n-harness');
	console.log(`\nLearned rate in a real n8n ${n8n.N8N_VERSION}, real clock: Kore 10 per 20 s, credential 600/min, ${N} deletes, no Retry-After`);
	await n8n.ensureN8n({ log: (line) => process.env.BENCH_VERBOSE && console.error(line) });
	const server = await startServer(['--seed', String(N), '--rate-limit', '10/20000', '--log-limit', '100000']);
	const userFolder = n8n.createUserFolder();
	try {
		const env = n8n.baseEnv(userFolder);
		await n8n.installCommunityPackage(userFolder, await n8n.npmPack(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lr-'))));
		const data = { host: server.url, accountId: server.accountId, clientId: server.clientId, clientSecret: SECRET, requestsPerMinute: 600 };
		await n8n.importCredentials(env, [{ id: 'benchLearnedRate', name: 'Kore', type: 'koreContactsApi', data }]);
		const { ids } = await n8n.importWorkflow(env, workflow(server, await activeIds(server)));
		const run = await n8n.executeWorkflow(env, ids[0], { timeoutMs: 10 * 60_000 });
		const { requests } = await server.admin('requests');
		const times = requests.map((request) => request.at);
		const spanMs = Math.max(...times) - Math.min(...times);
		const figures = {
			'n8n exit code': run.code,
			'first to last request': `${(spanMs / 1000).toFixed(1)} s`,
			floor: `${FLOOR_MS / 1000} s`,
			'× floor': Number((spanMs / FLOOR_MS).toFixed(2)),
			requests: requests.length,
			'429s': requests.filter((request) => request.status === 429).length,
			'contacts not deleted': (await activeIds(server)).length,
		};
		for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(22)}${value}`);
		for (const line of (run.stdout + run.stderr).split('\n').filter((text) => /learned rate for account/.test(text))) console.log(`    ${line.trim()}`);
		if (run.code !== 0) console.log(`  n8n said: ${run.errorMessage}`);
	} finally {
		await server.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

module.exports = { learnedRateInN8n };
