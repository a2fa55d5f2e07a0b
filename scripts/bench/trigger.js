'use strict';
/**
 * The Kore Contacts Trigger's part of `npm run bench` (or alone, after `npm run build`:
 * `npm run bench -- trigger`). Measures requests, not time: Kore allows an account 60 a minute and the
 * trigger reads the whole stream each poll. Runs the compiled package (dist/) in n8n's engine
 * (scripts/lib/poller.js for the trigger, scripts/lib/engine.js for Kore Contacts executions) against the local
 * Kore server, with Kore's limit on a scaled clock: 60 requests per 6 s stands for 60 per minute.
 *
 * 1. The request cost of a poll for streams of 3,000 and 20,000 contacts (the activation's read, then a poll
 *    that reports a created, an updated and a deleted contact), the static data it keeps, and the budget guard.
 * 2. A poll sharing its read with a concurrent burst of 40 lookups (Kore Contacts executions updating one
 *    contact each by ID): Kore's requests for the burst alone, and for the burst with the trigger polling at
 *    the same moment.
 */
const { runWorkflow } = require('../lib/engine');
const { Poller } = require('../lib/poller');
const { loadSourceModule } = require('../lib/source-module');
const { demoSeed, startKoreServer } = require('../kore-server');
const { KoreContacts } = require('../../dist/nodes/KoreContacts/KoreContacts.node.js');
const { KoreContactsTrigger } = require('../../dist/nodes/KoreContactsTrigger/KoreContactsTrigger.node.js');
const { KoreContactsApi } = require('../../dist/credentials/KoreContactsApi.credentials.js');
const { LIMIT, WINDOW_MS, listReads } = require('./kore');
const { seconds } = require('./measure');

const { signKoreJwt } = loadSourceModule('nodes/KoreContacts/transport/auth.ts');

const STREAM = 'st-bench-trigger';
const APP = { accountId: 'acc-bench-trigger', clientId: 'cs-bench-trigger', clientSecret: 'bench-trigger-secret-0123456789abcdef', streams: [STREAM] };
/** Another system changing the stream (its own account: its requests are not the trigger's budget). */
const WRITER = { accountId: 'acc-bench-writer', clientId: 'cs-bench-writer', clientSecret: 'bench-writer-secret-0123456789abcdef', streams: [STREAM] };
const TRIGGER_TYPE = 'n8n-nodes-kore-contacts.koreContactsTrigger';
const NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';
const QUICK = process.env.BENCH_QUICK === '1';

async function startServer(contacts) {
	return await startKoreServer({
		accounts: [APP, WRITER],
		contacts: demoSeed({ count: contacts, streamId: STREAM }).contacts,
		rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
		logBodies: false,
		logLimit: 1_000_000,
	});
}

const credentialsFor = (server) => ({ host: server.url, ...APP, testStreamId: STREAM, requestsPerMinute: LIMIT, rateLimitWindowMs: WINDOW_MS });

function newPoller(server) {
	return new Poller({
		node: {
			id: 'bench-trigger-node',
			name: 'Kore Contacts Trigger',
			type: TRIGGER_TYPE,
			parameters: { events: ['created', 'updated', 'deleted'], pollTimes: { item: [{ mode: 'everyMinute' }] } },
			credentials: { koreContactsApi: { id: '1', name: 'bench' } },
		},
		nodeType: new KoreContactsTrigger(),
		credentialType: new KoreContactsApi(),
		credentials: credentialsFor(server),
	});
}

/** One change through Kore's public API by the other system. */
async function write(server, method, path = '', body) {
	const base = `${server.url}/agentassist/api/v1/public/${STREAM}/contacts`;
	const headers = { auth: await signKoreJwt(WRITER.clientId, WRITER.clientSecret), accountId: WRITER.accountId, 'content-type': 'application/json' };
	const response = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
	if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
	return await response.json();
}

/** The trigger's requests since `from` (an index into the server's log). */
const triggerRequests = (server, from = 0) => server.requests.slice(from).filter((entry) => entry.appId === APP.clientId);

/** Lets the budget guard's spacing pass (stands for the minutes between two polls that read). */
function timePasses(poller) {
	poller.nodeStaticData().readAt = 0;
}

async function pollCost(s) {
	const server = await startServer(s);
	try {
		const poller = newPoller(server);
		let start = performance.now();
		await poller.activate();
		const baseline = triggerRequests(server).length;
		const baselineMs = performance.now() - start;
		const bytes = Buffer.byteLength(JSON.stringify(poller.nodeStaticData()));

		// the guard: a poll right after the read does nothing
		let from = server.requests.length;
		const guarded = await poller.poll();
		const guardLine = guarded.logs.find((line) => line.level === 'warn')?.message ?? '(no warning)';
		const guardRequests = triggerRequests(server, from).length;

		const [first, second, third] = server.contacts(STREAM);
		await write(server, 'POST', '', [{ firstName: 'Bench', lastName: 'New', salutation: 'Ms', cellPhone: { phoneNumber: '5550000001', countryCode: '+1', extension: '+' } }]);
		await write(server, 'PUT', `/${first.id}`, { firstName: 'Changed' });
		await write(server, 'DELETE', `/${second.id}`);
		timePasses(poller);
		from = server.requests.length;
		start = performance.now();
		const changed = await poller.poll();
		const pollMs = performance.now() - start;
		const polled = triggerRequests(server, from);
		const eventsOf = (outcome) => (outcome.emitted?.[0] ?? []).map((item) => item.json.event).join(', ') || 'none';
		const events = eventsOf(changed);
		// Kore leaves deleted contacts out of its list here: the next read that misses the contact too reports it
		timePasses(poller);
		from = server.requests.length;
		const confirmed = await poller.poll();
		const confirmRequests = triggerRequests(server, from).length;
		console.log(`\nTrigger poll, stream of ${s} contacts (Kore at ${LIMIT} per ${WINDOW_MS / 1000} s)`);
		console.log(`  activation read  ${baseline} requests (⌈${s}/100⌉ = ${Math.ceil(s / 100)}), ${seconds(baselineMs)} scaled = ${seconds(baselineMs * 10)} real`);
		console.log(`  poll             ${polled.length} requests (list pages), ${seconds(pollMs)} scaled = ${seconds(pollMs * 10)} real; reported: ${events}`);
		console.log(`  next poll        ${confirmRequests} requests; reported: ${eventsOf(confirmed)} (a contact Kore no longer lists is reported by the second read that misses it)`);
		console.log(`  static data      ${bytes} bytes (${(bytes / s).toFixed(1)} per contact)`);
		console.log(`  a poll right after a read: ${guardRequests} requests; log: ${guardLine}`);
		console.log(`  429s             ${server.stats().rateLimited}; contact ${third.id} untouched`);
		return { stream: s, 'activation read': baseline, poll: polled.length, 'static data bytes': bytes, 'poll wall (real)': seconds(pollMs * 10) };
	} finally {
		await server.close();
	}
}

/** 40 Kore Contacts executions at once, each updating one contact by ID, with or without a poll alongside. */
async function burst(s, n, withTrigger) {
	const server = await startServer(s);
	try {
		const poller = newPoller(server);
		if (withTrigger) {
			await poller.activate();
			timePasses(poller);
		}
		const from = server.requests.length;
		const targets = server.contacts(STREAM).filter((_, i) => i % Math.floor(s / n) === 0).slice(0, n);
		const workflow = require('../../test/fixtures/update-contact.json');
		Object.assign(workflow.nodes.find((node) => node.type === NODE_TYPE).parameters, {
			streamId: STREAM,
			contactId: '={{ $json.id }}',
			updateFields: { firstName: '={{ $json.name }}' },
		});
		const start = performance.now();
		const runs = targets.map((contact, i) =>
			runWorkflow(workflow, { nodeTypes: { [NODE_TYPE]: new KoreContacts() }, credentialType: new KoreContactsApi(), credentials: credentialsFor(server), items: [{ id: contact.id, name: `Burst${i}` }] }),
		);
		const polled = withTrigger ? poller.poll() : Promise.resolve(undefined);
		const [results, poll] = await Promise.all([Promise.all(runs), polled]);
		const wallMs = performance.now() - start;
		const requests = triggerRequests(server, from);
		const { pages, scans } = listReads(requests);
		const failed = results.filter((result) => result.error).length + (poll?.error ? 1 : 0);
		return { requests: requests.length, pages: pages.length, scans, writes: requests.length - pages.length, failed, wallMs, reported: poll?.emitted?.[0]?.length ?? 0 };
	} finally {
		await server.close();
	}
}

async function sharedRead() {
	const s = QUICK ? 1000 : 3000;
	const n = 40;
	const alone = await burst(s, n, false);
	const together = await burst(s, n, true);
	const poll = Math.ceil(s / 100);
	console.log(`\nA poll sharing its read with a burst of ${n} lookups (update by ID), stream of ${s} contacts`);
	console.log(`  burst alone              ${alone.requests} requests (${alone.pages} list pages in ${alone.scans} read(s), ${alone.writes} writes), ${seconds(alone.wallMs)} scaled`);
	console.log(`  burst + trigger poll     ${together.requests} requests (${together.pages} list pages in ${together.scans} read(s), ${together.writes} writes), ${seconds(together.wallMs)} scaled; the poll reported ${together.reported} change(s)`);
	console.log(`  a poll's own read        ${poll} requests: with no sharing the two would cost ${alone.requests + poll}`);
	console.log(`  failed                   ${alone.failed + together.failed}`);
	return [
		{ stream: s, scenario: `burst of ${n} alone`, requests: alone.requests, 'list pages': alone.pages, reads: alone.scans },
		{ stream: s, scenario: `burst of ${n} + poll`, requests: together.requests, 'list pages': together.pages, reads: together.scans },
	];
}

async function benchTrigger() {
	console.log('\nKore Contacts Trigger — requests per poll (scaled clock: 60 requests per 6 s stands for 60 per minute)');
	const costs = [];
	for (const s of QUICK ? [3000] : [3000, 20_000]) costs.push(await pollCost(s));
	console.table(costs);
	console.table(await sharedRead());
}

module.exports = { benchTrigger };

if (require.main === module) {
	benchTrigger().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
