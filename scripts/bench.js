'use strict';
/**
 * `npm run bench` — measures the Kore Contacts node inside n8n's engine (scripts/lib/engine.js, compiled
 * classes from dist/) against the local Kore-compatible server running in a child process (so its CPU is
 * not counted), with Kore's rate limit on a scaled clock: 60 requests per 6 s stands for 60 per minute.
 * Prints, per scenario: wall time, requests Kore received, 429s, retries, items lost, CPU time per item,
 * next to the physical limit. It measures; it asserts nothing. This file is the runner: which scenarios run,
 * in which order; each scenario is a file in scripts/bench/.
 *
 *   npm run bench                 # all scenarios, then the queue-mode figures
 *   BENCH_QUICK=1 npm run bench   # smaller N, for a quick look
 *   npm run bench -- lookups      # only the lookup bursts (N executions at once on a stream of S contacts)
 *   npm run bench -- lookups 3000/40 20000/500   # the same, with chosen S/N pairs
 *   BENCH_LOG=1 npm run bench -- lookups         # … printing the node's log lines (scans, pacing) as they come
 *   npm run bench -- memory       # only what one read of 20,000 contacts holds, in one process and in n8n's Redis
 *   npm run bench -- trigger      # only the Kore Contacts Trigger's figures (requests per poll, a poll beside a burst)
 *   npm run bench -- learned-rate # only pacing that learns Kore's real limit (issue 21; names of its scenarios may follow)
 *   npm run bench -- learned-rate-n8n  # the same learning in a REAL n8n on Kore's real clock (n8n as for queue; ~1 min)
 *   npm run bench -- queue        # only the queue-mode figures: the same burst of webhook events through a REAL
 *                                 # n8n (scripts/n8n-harness/queue-lab.js) as one process and as main + 1, 2, 3
 *                                 # workers (needs redis-server and PostgreSQL: .ci/install-services; n8n in
 *                                 # N8N_E2E_CACHE, as for npm run test:e2e). BENCH_QUEUE_EVENTS, BENCH_QUEUE_CONTACTS,
 *                                 # BENCH_QUEUE_WORKERS=1,2,3, BENCH_WORKER_CONCURRENCY change the set-up.
 */
const os = require('node:os');

const { LIMIT, WINDOW_MS } = require('./bench/kore');
const { queueMode, servicesMissing } = require('./bench/queue');

const QUICK = process.env.BENCH_QUICK === '1';
const ARGS = process.argv.slice(2);

async function main() {
	const n = QUICK ? 120 : 300;
	console.log(`Kore Contacts benchmark — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}`);
	console.log(`Kore's limit scaled: ${LIMIT} requests per ${WINDOW_MS / 1000} s stands for ${LIMIT} per minute (x10 faster).`);
	const { lookups, parsePairs } = require('./bench/lookups');
	if (ARGS[0] === 'lookups' || process.env.BENCH_ONLY === 'lookups') {
		await lookups(parsePairs(ARGS.slice(ARGS[0] === 'lookups' ? 1 : 0)));
		return;
	}
	if (ARGS.length) throw new Error(`Unknown argument "${ARGS[0]}": \`npm run bench\` runs everything, \`npm run bench -- lookups [S/N …]\` only the lookup bursts`);

	const { rows } = require('./bench/measure');
	const { deleteEach, deleteEachScenarios } = require('./bench/delete-each');
	// Warm-up: the first run compiles n8n's engine and HTTP paths; it is not reported.
	await deleteEach(30, { label: 'warm-up' });
	rows.length = 0;

	await deleteEachScenarios(n);
	await require('./bench/delete-many').deleteMany(QUICK ? 2000 : 10_000, 100);
	await require('./bench/get-many').getMany(QUICK ? 1000 : 5000);
	await require('./bench/faults').faults();
	await require('./bench/concurrency').concurrency();
	await require('./bench/cpu').cpuPerItem(QUICK ? 500 : 2000);
	await lookups([]);
	await require('./bench/read-memory').readMemory();
	await require('./bench/trigger').benchTrigger();
	await require('./bench/learned-rate').learnedRate();

	console.log('\nSummary');
	console.table(rows);
}

async function all() {
	await main();
	if (ARGS.length) return; // `lookups [S/N …]`: those alone
	const missing = servicesMissing();
	if (missing) {
		console.log(`\nQueue mode: skipped — ${missing}`);
		return;
	}
	await queueMode();
	await require('./bench/learned-rate-n8n').learnedRateInN8n();
}

const only = {
	queue: queueMode,
	memory: () => require('./bench/read-memory').readMemory(),
	trigger: () => require('./bench/trigger').benchTrigger(),
	'learned-rate': () => require('./bench/learned-rate').learnedRate(ARGS.slice(1)),
	'learned-rate-n8n': () => require('./bench/learned-rate-n8n').learnedRateInN8n(),
}[ARGS[0]];
(only ? only() : all()).then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
