'use strict';
/**
 * `npm run bench` — measures the Kore Contacts node inside n8n's engine (scripts/lib/engine.js, compiled
 * classes from dist/) against the local Kore-compatible server running in a child process (so its CPU is
 * not counted), with Kore's rate limit on a scaled clock: 60 requests per 6 s stands for 60 per minute.
 * Prints, per scenario: wall time, requests Kore received, 429s, retries, items lost, CPU time per item,
 * next to the physical limit. It measures; it asserts nothing.
 *
 *   npm run bench                 # all scenarios, then the queue-mode figures
 *   BENCH_QUICK=1 npm run bench   # smaller N, for a quick look
 *   npm run bench -- lookups      # only the lookup bursts (N executions at once on a stream of S contacts)
 *   npm run bench -- lookups 3000/40 20000/500   # the same, with chosen S/N pairs
 *   BENCH_LOG=1 npm run bench -- lookups         # … printing the node's log lines (scans, pacing) as they come
 *   npm run bench -- queue        # only the queue-mode figures: the same burst of webhook events through a REAL
 *                                 # n8n (scripts/e2e/queue-lab.js) as one process and as main + 1, 2, 3 workers
 *                                 # (needs redis-server and PostgreSQL: .ci/install-services; n8n in
 *                                 # N8N_E2E_CACHE, as for npm run test:e2e). BENCH_QUEUE_EVENTS, BENCH_QUEUE_CONTACTS,
 *                                 # BENCH_QUEUE_WORKERS=1,2,3, BENCH_WORKER_CONCURRENCY change the set-up.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const { runWorkflow, nodeOutputs } = require('./lib/engine');
const { loadSourceModule } = require('./lib/source-module');
// dist/ holds one bundle that exports only the node and credential classes: the micro-benchmarks compile
// the two modules they measure from the sources, the same way (esbuild) the build does.
const { signKoreJwt } = loadSourceModule('nodes/KoreContacts/transport/auth.ts');
const { Pacer } = loadSourceModule('nodes/KoreContacts/transport/pacing.ts');
const { KoreContacts } = require('../dist/nodes/KoreContacts/KoreContacts.node.js');
const { KoreContactsApi } = require('../dist/credentials/KoreContactsApi.credentials.js');

const QUICK = process.env.BENCH_QUICK === '1';
const ARGS = process.argv.slice(2);
const PRINT_LOG = process.env.BENCH_LOG === '1';
const LIMIT = 60;
const WINDOW_MS = 6000; // the scaled minute
const SECRET = 'bench-client-secret-0123456789abcdef';
const NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';

/** Starts the Kore server in a child process; resolves with its URL and a way to stop it. */
async function startServer(args) {
	const child = spawn(
		process.execPath,
		[path.join(__dirname, 'kore-server/cli.js'), '--port', '0', '--client-secret', SECRET, '--log-limit', '0', ...args],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const info = await new Promise((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const line = buffer.split('\n').find((candidate) => candidate.startsWith('{'));
			if (line) resolve(JSON.parse(line));
		});
		child.on('exit', (code) => reject(new Error(`kore server exited with ${code}`)));
	});
	const admin = async (route, init) => (await fetch(`${info.url}/__admin/${route}`, init)).json();
	return {
		...info,
		admin,
		addFault: (rule) => admin('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) }),
		stop: () => new Promise((resolve) => {
			child.once('exit', resolve);
			child.kill('SIGTERM');
		}),
	};
}

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

/** Runs one workflow against `server`, measuring wall time, CPU and what Kore saw. */
async function measure(server, parameters, items, { requestsPerMinute = LIMIT, windowMs = WINDOW_MS } = {}) {
	await server.admin('requests', { method: 'DELETE' });
	const credentials = {
		host: server.url,
		accountId: server.accountId,
		clientId: server.clientId,
		clientSecret: SECRET,
		requestsPerMinute,
		rateLimitWindowMs: windowMs,
	};
	const cpuBefore = process.cpuUsage();
	const start = performance.now();
	const result = await runWorkflow(workflow(parameters), {
		nodeTypes: { [NODE_TYPE]: new KoreContacts() },
		credentialType: new KoreContactsApi(),
		credentials,
		items,
	});
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

async function activeIds(server) {
	const listed = await server.admin(`contacts?streamId=${encodeURIComponent(server.streamId)}`);
	const contacts = Array.isArray(listed) ? listed : listed.contacts ?? listed.results ?? [];
	return contacts.filter((contact) => contact.status !== 'INACTIVE').map((contact) => contact.id);
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const rows = [];

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

const PAGE = 100; // what the node asks Kore for per list page (Kore's maxPageSize)

/** Contacts of the server's stream by id, as the admin API shows them (INACTIVE ones included). */
async function contactsById(server) {
	const listed = await server.admin(`contacts?streamId=${encodeURIComponent(server.streamId)}`);
	return new Map(listed.map((contact) => [contact.id, contact]));
}

/** The fields a change by the node may touch, to compare a contact before and after. */
const shape = ({ firstName, lastName, fullName, salutation, cellPhone, status }) => JSON.stringify({ firstName, lastName, fullName, salutation, cellPhone, status });

/**
 * N separate executions started at once in this process (as n8n runs concurrent webhook executions), each
 * changing one contact of a stream of S contacts through the lookup layer: `delete` by phone number, or
 * `update` of one field by ID. Counts what Kore received (list pages, scans, writes, 429s), times the burst,
 * and checks the stream afterwards: every targeted contact changed as asked and no other contact touched.
 */
async function lookupBurst(s, n, kind, { label } = {}) {
	const server = await startServer(['--seed', String(s), '--rate-limit', `${LIMIT}/${WINDOW_MS}`, '--log-limit', String(1_000_000)]);
	try {
		const before = await contactsById(server);
		// Generated contacts are numbered +1 2000000000 + i in creation order (= list order): N targets spread
		// evenly over the stream, so deletes shift the pages of any scan that runs alongside them.
		const seeded = [...before.values()];
		const targets = Array.from({ length: n }, (_, i) => seeded[Math.floor(((i + 0.5) * s) / n)]);
		const credentials = {
			host: server.url,
			accountId: server.accountId,
			clientId: server.clientId,
			clientSecret: SECRET,
			requestsPerMinute: LIMIT,
			rateLimitWindowMs: WINDOW_MS,
		};
		const newName = (i) => `Bench${i}`;
		const parameters =
			kind === 'delete'
				? { operation: 'delete', streamId: server.streamId, contactBy: 'phone', phoneNumber: '={{ $json.phone }}' }
				: { operation: 'update', streamId: server.streamId, contactBy: 'id', contactId: '={{ $json.id }}', updateFields: { firstName: '={{ $json.firstName }}' } };
		const itemFor = (contact, i) =>
			kind === 'delete' ? { phone: `${contact.cellPhone.countryCode} ${contact.cellPhone.phoneNumber.replace(contact.cellPhone.countryCode, '')}` } : { id: contact.id, firstName: newName(i) };
		await server.admin('requests', { method: 'DELETE' });

		const print = PRINT_LOG ? (level, message) => console.log(`    [${((performance.now() - start) / 1000).toFixed(2)} s] ${message}`) : undefined;
		const start = performance.now();
		const results = await Promise.all(
			targets.map((contact, i) =>
				runWorkflow(workflow(parameters), {
					nodeTypes: { [NODE_TYPE]: new KoreContacts() },
					credentialType: new KoreContactsApi(),
					credentials,
					items: [itemFor(contact, i)],
					print,
				}).then((result) => ({ result, ms: performance.now() - start })),
			),
		);
		const wallMs = performance.now() - start;

		const { requests } = await server.admin('requests');
		const pages = requests.filter((entry) => entry.method === 'GET');
		const scans = pages.filter((entry) => String(entry.query?.skip ?? '0') === '0').length;
		const writes = requests.filter((entry) => entry.method === 'PUT' || entry.method === 'DELETE').length;
		const rateLimited = requests.filter((entry) => entry.status === 429 || entry.rateLimited).length;

		// Correctness: each target changed as asked, every other contact exactly as before.
		const after = await contactsById(server);
		const expected = new Map([...before].map(([id, contact]) => [id, shape(contact)]));
		targets.forEach((contact, i) => {
			const want = kind === 'delete' ? { ...contact, status: 'INACTIVE' } : { ...contact, firstName: newName(i), fullName: `${newName(i)} ${contact.lastName}`.trim() };
			expected.set(contact.id, shape(want));
		});
		let wrong = 0;
		for (const [id, want] of expected) if (!after.has(id) || shape(after.get(id)) !== want) wrong++;
		wrong += [...after.keys()].filter((id) => !expected.has(id)).length;
		const failed = [];
		for (const { result } of results) {
			const output = nodeOutputs(result, 'Kore Contacts')[0] ?? [];
			for (const item of output) if (item.json.error !== undefined) failed.push(item.json.error);
			if (result.error) failed.push(result.error.message);
		}
		// The engine's logger is process-wide (the last execution's capture receives every line): gather all.
		const logs = [...new Set(results.flatMap(({ result }) => result.logs))];
		const scanLines = logs.filter((line) => /scanned stream/.test(line.message)).map((line) => line.message.replace(/^Kore Contacts: scanned stream \S+: /, ''));
		const finishes = results.map(({ ms }) => ms).sort((a, b) => a - b);

		const scanPages = Math.ceil(s / PAGE);
		const floor = scanPages + n;
		const writeWindows = n / LIMIT;
		const name = label ?? `${kind === 'delete' ? 'Delete by phone' : 'Update firstName by ID'}: ${n} executions at once, stream of ${s}`;
		if (label === 'warm-up') return;
		console.log(`\n${name}`);
		console.log(`  events N         ${n}`);
		console.log(`  stream size S    ${s}`);
		console.log(`  requests         ${requests.length} (list pages ${pages.length}, writes ${writes})`);
		console.log(`  scans            ${scans} (GETs with skip=0)`);
		console.log(`  requests/event   ${(requests.length / n).toFixed(2)}`);
		console.log(`  429s             ${rateLimited}`);
		console.log(`  wall time        ${seconds(wallMs)} (first execution done at ${seconds(finishes[0])}, median ${seconds(finishes[Math.floor(n / 2)])})`);
		// A rolling window lets the first 60 requests go at once: the tightest finish is a window earlier.
		const burst = (count) => seconds(Math.max(0, Math.ceil(count / LIMIT) - 1) * WINDOW_MS);
		console.log(`  floor            one scan + N writes = ${scanPages} + ${n} = ${floor} requests = ${(floor / LIMIT).toFixed(2)} windows = ${seconds((floor / LIMIT) * WINDOW_MS)} (${burst(floor)} with the first burst)`);
		console.log(`  N writes alone   ${n}/${LIMIT} = ${writeWindows.toFixed(2)} windows = ${seconds(writeWindows * WINDOW_MS)} at the rate limit (${burst(n)} with the first burst); wall time is ${(wallMs / (writeWindows * WINDOW_MS)).toFixed(2)}× that`);
		console.log(`  failed items     ${failed.length}${failed.length ? `: ${[...new Set(failed)].slice(0, 3).join(' | ')}` : ''}`);
		console.log(`  wrong: ${wrong}`);
		console.log(`  scans logged     ${scanLines.length ? scanLines.join('; ') : 'none'}`);
		lookupRows.push({
			scenario: `${kind} ${s}/${n}`,
			requests: requests.length,
			'list pages': pages.length,
			writes,
			scans,
			'req/event': Number((requests.length / n).toFixed(2)),
			'429s': rateLimited,
			wall: seconds(wallMs),
			floor: `${floor} req, ${seconds((floor / LIMIT) * WINDOW_MS)}`,
			'writes alone': seconds(writeWindows * WINDOW_MS),
			wrong,
			failed: failed.length,
		});
	} finally {
		await server.stop();
	}
}
const lookupRows = [];

/** `npm run bench -- lookups [S/N …]`: the lookup bursts only (both operations for each S/N). */
async function lookups(pairs) {
	const figures = pairs.length ? pairs : QUICK ? [[1000, 20], [5000, 100]] : [[3000, 40], [20_000, 500]];
	// Warm-up: compiles n8n's engine and HTTP paths; not reported.
	await lookupBurst(200, 5, 'update', { label: 'warm-up' });
	for (const [s, n] of figures) {
		await lookupBurst(s, n, 'delete');
		await lookupBurst(s, n, 'update');
	}
	console.log('\nLookups summary (scaled clock: 60 requests per 6 s)');
	console.table(lookupRows);
}

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

async function main() {
	const n = QUICK ? 120 : 300;
	console.log(`Kore Contacts benchmark — Node ${process.version}, ${require('node:os').cpus().length} × ${require('node:os').cpus()[0].model}`);
	console.log(`Kore's limit scaled: ${LIMIT} requests per ${WINDOW_MS / 1000} s stands for ${LIMIT} per minute (x10 faster).`);
	if (ARGS[0] === 'lookups' || process.env.BENCH_ONLY === 'lookups') {
		const pairs = ARGS.slice(ARGS[0] === 'lookups' ? 1 : 0).map((arg) => {
			const match = /^(\d+)\/(\d+)$/.exec(arg);
			if (!match) throw new Error(`Expected S/N (stream size/events), e.g. 3000/40; got "${arg}"`);
			return [Number(match[1]), Number(match[2])];
		});
		await lookups(pairs);
		return;
	}
	if (ARGS.length) throw new Error(`Unknown argument "${ARGS[0]}": \`npm run bench\` runs everything, \`npm run bench -- lookups [S/N …]\` only the lookup bursts`);

	// Warm-up: the first run compiles n8n's engine and HTTP paths; it is not reported.
	rows.length = 0;
	await deleteEach(30, { label: 'warm-up' });
	rows.length = 0;

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
	await deleteMany(QUICK ? 2000 : 10_000, 100);
	await getMany(QUICK ? 1000 : 5000);
	await faults();

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

	const zero = await startServer(['--seed', String(QUICK ? 500 : 2000), '--rate-limit', 'off']);
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

	await lookups([]);

	console.log('\nSummary');
	console.table(rows);
}

/**
 * Queue mode: N concurrent "contact deleted" webhook events (Delete by phone) into a real n8n 2.41.1, on a
 * stream of S contacts, Kore at 60 per 6 s with 20 ms latency; one process (regular mode) against main + K
 * workers (queue mode: Redis + PostgreSQL), all on one n8n database.
 */
async function queueMode() {
	const queueLab = require('./e2e/queue-lab');
	const events = Number(process.env.BENCH_QUEUE_EVENTS) || (QUICK ? 120 : 300);
	const contacts = Number(process.env.BENCH_QUEUE_CONTACTS) || Math.max(400, events + 100);
	const workerCounts = (process.env.BENCH_QUEUE_WORKERS ?? '1,2,3').split(',').map(Number).filter((n) => n > 0);
	const concurrency = Number(process.env.BENCH_WORKER_CONCURRENCY) || undefined;
	console.log(
		`\nQueue mode — ${events} concurrent "contact deleted" webhook events (Delete by phone) on a stream of ${contacts} contacts, ` +
			`Kore at ${LIMIT} per ${WINDOW_MS / 1000} s with 20 ms latency, n8n 2.41.1 on PostgreSQL; worker concurrency ${concurrency ?? "n8n's default (10)"}.`,
	);
	console.log(`  reproduce: npm run bench -- queue   (floor: ${events} deletes at the limit = ${seconds((Math.ceil(events / LIMIT) - 1) * WINDOW_MS)} after the first burst)`);
	// Ctrl-C / SIGTERM: exit through process.exit, so the 'exit' handlers of services.js and n8n.js kill the
	// n8n, redis-server and postgres children instead of leaving them running
	for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
	const lab = await queueLab.createLab({ contacts, latencyMs: 20, log: (line) => process.env.BENCH_VERBOSE && console.error(line) });
	const queueRows = [];
	try {
		for (const workers of [0, ...workerCounts]) {
			const cluster = await lab.startCluster({ workers, concurrency });
			let b;
			try {
				b = await queueLab.deleteBurst(lab, cluster, { events });
			} finally {
				await cluster.stop();
			}
			const row = {
				n8n: workers ? `main + ${workers} worker${workers > 1 ? 's' : ''}` : 'one process',
				wall: seconds(b.wallMs),
				requests: b.requests,
				'list pages': b.lists,
				'429s': b.rateLimited,
				lost: b.lost,
				'failed events': b.failedEvents.length,
				'ran on': Object.entries(b.byWorker).map(([w, n]) => `${w} ${n}`).join(', '),
			};
			queueRows.push(row);
			console.log(`  ${row.n8n.padEnd(18)} wall ${row.wall}, ${b.requests} requests (${b.lists} list pages, ${b.deletes} deletes), ${b.rateLimited} × 429, lost ${b.lost}, ${b.failedEvents.length} failed events; ran on ${row['ran on']}`);
			if (b.failedEvents.length) console.log(`    first failures: ${b.failedEvents.slice(0, 3).join(' | ')}`);
		}
	} finally {
		await lab.close();
	}
	console.table(queueRows);
}

async function all() {
	await main();
	if (ARGS.length) return; // `lookups [S/N …]`: those alone
	await require('./bench-learned-rate').run(); // pacing that learns the real limit (issue 21)
	const { findRedis, findPostgresBinDir } = require('./e2e/services');
	try {
		findRedis();
		findPostgresBinDir();
	} catch (error) {
		console.log(`\nQueue mode: skipped — ${error.message}`);
		return;
	}
	await queueMode();
}

(process.argv[2] === 'queue' ? queueMode() : all()).then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
