/**
 * `npm run bench -- memory` (and part of `npm run bench`): what one read of a 20,000-contact stream costs in memory, in one n8n process (the
 * lookup layer keeps the read for the executions it answers) and in n8n's Redis (queue mode publishes it for
 * the other workers), against the contacts themselves: their JSON as Kore lists them, and the same contacts
 * parsed and held in an array. Prints figures; asserts nothing.
 */
const { spawn } = require('node:child_process');

const { SECRET, startServer } = require('./kore');

const CONTACTS = Number(process.env.BENCH_MEMORY_CONTACTS ?? 20_000);
const NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function settle() {
	for (let i = 0; i < 4; i++) global.gc();
	return process.memoryUsage().heapUsed;
}

/** Runs the measurement in a child Node with the garbage collector exposed, so heap figures are of live objects only. */
function readMemory() {
	console.log('\nMemory of one read');
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', __filename], { stdio: 'inherit' });
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the memory measurement exited with ${code}`))));
	});
}

async function measure() {
	const { startRedis } = require('../n8n-harness/services');
	const { Redis } = require('ioredis');
	const redis = await startRedis();
	const server = await startServer(['--seed', String(CONTACTS), '--rate-limit', 'off']);
	const prefix = 'memory';
	Object.assign(process.env, { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), QUEUE_BULL_PREFIX: prefix });
	const client = new Redis({ host: '127.0.0.1', port: redis.port });
	try {
		// n8n has queued execution 100: a read answers it, so the worker keeps the read (and publishes it)
		await client.set(`${prefix}:jobs:id`, 1);
		await client.hset(`${prefix}:jobs:1`, 'data', JSON.stringify({ workflowId: 'wf', executionId: '100' }));
		const { runWorkflow } = require('../lib/engine');
		const { KoreContacts } = require('../../dist/nodes/KoreContacts/KoreContacts.node.js');
		const { KoreContactsApi } = require('../../dist/credentials/KoreContactsApi.credentials.js');
		const credentials = { host: server.url, accountId: server.accountId, clientId: server.clientId, clientSecret: SECRET, requestsPerMinute: 1_000_000, testStreamId: server.streamId };
		const workflow = {
			nodes: [
				{ parameters: {}, id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
				{
					parameters: { resource: 'contact', operation: 'get', streamId: server.streamId, contactBy: 'phone', phoneNumber: '+1 200 000 0001' },
					id: 'k', name: 'Kore Contacts', type: NODE_TYPE, typeVersion: 1, position: [200, 0],
					credentials: { koreContactsApi: { id: '1', name: 'Kore' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Kore Contacts', type: 'main', index: 0 }]] } },
		};
		const run = (streamId) => {
			workflow.nodes[1].parameters.streamId = streamId;
			return runWorkflow(workflow, { nodeTypes: { [NODE_TYPE]: new KoreContacts() }, credentialType: new KoreContactsApi(), credentials, executionId: '99' });
		};
		// a first run (on a stream Kore does not know: nothing is read) loads n8n's and the node's code, so
		// that the second one's heap growth is the read alone
		await run('st-not-there');
		const before = settle();
		const result = await run(server.streamId);
		const held = settle() - before;
		if (result.error) throw result.error;
		const [readKey] = await client.keys(`${prefix}:kore-contacts:read:*`);
		const inRedis = Number(await client.call('MEMORY', 'USAGE', readKey, 'SAMPLES', '0'));

		// the contacts as Kore listed them to the node: the pages it published
		const pages = Number(await client.hget(readKey, 'pages'));
		const texts = await client.hmget(readKey, ...Array.from({ length: pages }, (_, i) => String(i)));
		const contacts = texts.flatMap((text) => JSON.parse(text).contacts);
		const json = contacts.reduce((sum, contact) => sum + Buffer.byteLength(JSON.stringify(contact)), 0);
		const beforeArray = settle();
		const parsed = JSON.parse(JSON.stringify(contacts));
		const arrayHeap = settle() - beforeArray;
		console.log(`One read of ${contacts.length.toLocaleString('en')} contacts`);
		console.log(`  the contacts' JSON, as Kore lists them:         ${mb(json)}`);
		console.log(`  the same contacts parsed, in an array (heap):   ${mb(arrayHeap)}`);
		console.log(`  held by the lookup layer in one process (heap): ${mb(held)}  (${(held / arrayHeap).toFixed(2)} x the parsed contacts)`);
		console.log(`  published in n8n's Redis (MEMORY USAGE):        ${mb(inRedis)}  (${(inRedis / json).toFixed(2)} x their JSON)`);
		void parsed.length;
	} finally {
		await client.quit();
		await server.stop();
		await redis.stop();
		process.exit(0);
	}
}

module.exports = { readMemory };

if (require.main === module) {
	measure().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
