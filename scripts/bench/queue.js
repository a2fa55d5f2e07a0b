'use strict';
/**
 * `npm run bench -- queue`: N concurrent "contact deleted" webhook events (Delete by phone) into a real n8n
 * 2.41.1, on a stream of S contacts, Kore at 60 per 6 s with 20 ms latency; one process (regular mode) against
 * main + K workers (queue mode: Redis + PostgreSQL), all on one n8n database (the n8n harness's queue lab).
 * Each failed event is printed with why it failed: n8n's answer, the node's error, or the client's.
 */
const { LIMIT, WINDOW_MS } = require('./kore');
const { seconds } = require('./measure');

const QUICK = process.env.BENCH_QUICK === '1';

/** Redis and PostgreSQL are installed (.ci/install-services); otherwise why not. */
function servicesMissing() {
	const { findRedis, findPostgresBinDir } = require('../n8n-harness');
	try {
		findRedis();
		findPostgresBinDir();
		return undefined;
	} catch (error) {
		return error.message;
	}
}

async function queueMode() {
	const { ensureN8n, queueLab } = require('../n8n-harness');
	const events = Number(process.env.BENCH_QUEUE_EVENTS) || (QUICK ? 120 : 300);
	const contacts = Number(process.env.BENCH_QUEUE_CONTACTS) || Math.max(400, events + 100);
	const workerCounts = (process.env.BENCH_QUEUE_WORKERS ?? '1,2,3').split(',').map(Number).filter((n) => n > 0);
	const concurrency = Number(process.env.BENCH_WORKER_CONCURRENCY) || undefined;
	console.log(
		`\nQueue mode — ${events} concurrent "contact deleted" webhook events (Delete by phone) on a stream of ${contacts} contacts, ` +
			`Kore at ${LIMIT} per ${WINDOW_MS / 1000} s with 20 ms latency, n8n 2.41.1 on PostgreSQL; worker concurrency ${concurrency ?? "n8n's default (10)"}.`,
	);
	console.log(`  reproduce: npm run bench -- queue   (floor: ${events} deletes at the limit = ${seconds((Math.ceil(events / LIMIT) - 1) * WINDOW_MS)} after the first burst)`);
	// Ctrl-C / SIGTERM: exit through process.exit, so the 'exit' handlers of the n8n harness kill the n8n,
	// redis-server and postgres children instead of leaving them running
	for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
	const log = (line) => process.env.BENCH_VERBOSE && console.error(line);
	await ensureN8n({ log });
	const lab = await queueLab.createLab({ contacts, latencyMs: 20, log });
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
			if (b.failedEvents.length) {
				console.log(`    why: ${Object.entries(b.failureReasons).map(([why, n]) => `${n} × ${why}`).join(' | ')}`);
				console.log(`    first failures: ${b.failedEvents.slice(0, 3).join(' | ')}`);
			}
		}
	} finally {
		await lab.close();
	}
	console.table(queueRows);
}

module.exports = { queueMode, servicesMissing };
