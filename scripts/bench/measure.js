'use strict';
/**
 * Runs one workflow (Manual Trigger -> Kore Contacts) inside n8n's engine (scripts/lib/engine.js) with the
 * COMPILED node and credential from dist/, measures it (wall time, CPU, what Kore saw), and prints a
 * scenario's figures; `rows` gathers them for the runner's summary table.
 */
const { runWorkflow, nodeOutputs } = require('../lib/engine');
const { KoreContacts } = require('../../dist/nodes/KoreContacts/KoreContacts.node.js');
const { KoreContactsApi } = require('../../dist/credentials/KoreContactsApi.credentials.js');
const { credentialsFor } = require('./kore');

const NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** The summary table's rows, one per reported scenario. */
const rows = [];

/** Manual Trigger -> Kore Contacts with `parameters`; a failed item goes on as an item (continueRegularOutput). */
function workflow(parameters) {
	return {
		name: 'bench',
		nodes: [
			{ parameters: {}, id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { resource: 'contact', ...parameters },
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
}

/** One execution of `workflow(parameters)` on `items` against `server`, in this process. */
function execute(server, parameters, items, { print, ...limit } = {}) {
	return runWorkflow(workflow(parameters), {
		nodeTypes: { [NODE_TYPE]: new KoreContacts() },
		credentialType: new KoreContactsApi(),
		credentials: credentialsFor(server, limit),
		items,
		print,
	});
}

/** Runs one workflow against `server`, measuring wall time, CPU and what Kore saw. */
async function measure(server, parameters, items, limit = {}) {
	await server.admin('requests', { method: 'DELETE' });
	const cpuBefore = process.cpuUsage();
	const start = performance.now();
	const result = await execute(server, parameters, items, limit);
	const wallMs = performance.now() - start;
	const cpu = process.cpuUsage(cpuBefore);
	const stats = await server.admin('requests?summary=1');
	const output = nodeOutputs(result, 'Kore Contacts')[0] ?? [];
	const failedItems = output.filter((item) => item.json.error !== undefined);
	if (result.error) failedItems.push({ json: { error: result.error.message } });
	return {
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		requests: stats.total,
		rateLimited: stats.rateLimited,
		byStatus: stats.byStatus,
		retries: result.logs.filter((line) => /retry \d+ of/.test(line.message)).length,
		rateLimitWaits: result.logs.filter((line) => /rate limit was exceeded/.test(line.message)).length,
		output,
		failedItems,
		errors: [...new Set(failedItems.map((item) => item.json.error))].slice(0, 3),
	};
}

/** Prints a scenario's figures and adds its row to `rows` (a warm-up is neither). */
function report(name, m, extra) {
	if (name === 'warm-up') return;
	const row = {
		scenario: name,
		wall: seconds(m.wallMs),
		limit: extra.limit,
		requests: m.requests,
		'429s': m.rateLimited,
		retries: m.retries + m.rateLimitWaits,
		lost: extra.lost,
		'CPU/item': `${(m.cpuMs / extra.items).toFixed(3)} ms`,
	};
	rows.push(row);
	console.log(`\n${name}`);
	for (const [key, value] of Object.entries(row)) if (key !== 'scenario') console.log(`  ${key.padEnd(9)} ${value}`);
	if (m.errors.length) console.log(`  errors    ${m.errors.join(' | ')}`);
}

module.exports = { seconds, rows, execute, measure, report, nodeOutputs };
