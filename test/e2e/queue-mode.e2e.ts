/**
 * End-to-end in n8n's queue mode (issue 11): this package in REAL n8n 2.41.1 processes — `n8n start` (main,
 * takes the webhooks) and two `n8n worker`s (run the executions), one user folder, PostgreSQL as n8n's DB and
 * Redis as its queue, all started by the test (scripts/n8n-harness/services.js; installed by .ci/install-services).
 * The same events are also sent to one `n8n start` in regular mode on the same DB, for comparison.
 * The lab (package, DB, credential, webhook workflows) is scripts/n8n-harness/queue-lab.js, shared with
 * `npm run bench -- queue`. Each failed event is reported with why it failed (n8n's answer, the node's error or
 * the client's), so a loss under load can be told apart from a loss by the node.
 *
 * The targets are the issue's: they fail when the node's pacing, 429 pause and per-contact / upsert locks
 * are kept per process instead of through Redis (measured before they were shared: 16 × 429, 1.28 × the time).
 * Part of `npm run test:e2e`; `npm run test:e2e:queue` runs this file alone.
 *
 * Env: E2E_QUEUE_CONTACTS (stream size S, default 400), E2E_QUEUE_EVENTS (default 300),
 * E2E_WORKER_CONCURRENCY (`n8n worker --concurrency`; default: n8n's own, 10), E2E_VERBOSE=1 (n8n's output).
 */

import type { KoreContact } from '../../scripts/kore-server';
import { queueLab } from '../../scripts/n8n-harness';
import type { Burst, Cluster, Lab } from '../../scripts/n8n-harness';

const CONTACTS = Number(process.env.E2E_QUEUE_CONTACTS) || 400;
const EVENTS = Number(process.env.E2E_QUEUE_EVENTS) || 300;
/**
 * `n8n worker --concurrency`; by default none, so n8n's own default (10 executions at a time per worker): a
 * read serves every execution queued before it began, so the burst does not read the stream once per wave.
 */
const CONCURRENCY = Number(process.env.E2E_WORKER_CONCURRENCY) || undefined;
const PAIRS = 20;

function log(line: string): void {
	process.stderr.write(`[e2e queue] ${line}\n`);
}

function describeBurst(name: string, b: Burst): string {
	return (
		`${name}: ${b.events} events on ${b.contacts} contacts, ${b.workers ? `${b.workers} workers` : 'one process'}: ` +
		`wall ${(b.wallMs / 1000).toFixed(1)} s, ${b.requests} requests to Kore (${b.lists} list pages, ${b.deletes} deletes), ` +
		`${b.rateLimited} × 429, lost ${b.lost} (${b.notDeleted.length} not deleted, ${b.wronglyDeleted.length} wrongly deleted), ` +
		`${b.failedEvents.length} failed events${b.failedEvents.length ? ` (why: ${JSON.stringify(b.failureReasons)})` : ''}, ran on ${JSON.stringify(b.byWorker)}`
	);
}

let lab: Lab | undefined;
let single: Burst | undefined;
let queued: Burst | undefined;
let cluster: Cluster | undefined;
let setUpError: unknown;

function ready<T>(value: T | undefined, what: string): T {
	if (value === undefined) throw new Error(`the queue-mode set-up failed before ${what} (see the beforeAll errors): ${String(setUpError)}`);
	return value;
}

/** contact id -> contact, now */
function contactsNow(l: Lab): Map<string, KoreContact> {
	return new Map(l.server.contacts(l.streamId).map((c) => [c.id, c]));
}

/**
 * Pairs (event i and event i + PAIRS) whose two events ran on different workers, and pairs with an event no
 * worker logged. The events are sent as all first halves, then all second halves: Bull hands a worker the
 * jobs in queue order up to its concurrency, so the two halves of a pair mostly land on different workers.
 */
function split(workers: string[]): { across: number; unknown: number } {
	let across = 0;
	let unknown = 0;
	for (let i = 0; i < PAIRS; i++) {
		if (workers[i] === '?' || workers[i + PAIRS] === '?') unknown++;
		else if (workers[i] !== workers[i + PAIRS]) across++;
	}
	return { across, unknown };
}

describe(`n8n queue mode (main + 2 workers, PostgreSQL, Redis): ${EVENTS} concurrent webhook events, Kore at ${queueLab.LIMIT} per ${queueLab.WINDOW_MS / 1000} s`, () => {
	// Three steps, each with its own time budget (a busy machine slows every n8n boot many times over; one budget
	// for all three timed the set-up out): the lab, the regular-mode burst, the queue-mode burst.
	const step = (what: string, fn: () => Promise<void>) => async () => {
		if (setUpError !== undefined) return; // an earlier step failed: the tests say so
		try {
			await fn();
		} catch (error) {
			setUpError = error;
			throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
		}
	};
	beforeAll(
		step('the lab', async () => {
			lab = await queueLab.createLab({ contacts: CONTACTS, log });
		}),
		10 * 60_000,
	);
	beforeAll(
		step('the regular-mode run', async () => {
			const one = await lab!.startCluster({ workers: 0 });
			try {
				single = await queueLab.deleteBurst(lab!, one, { events: EVENTS });
			} finally {
				await one.stop();
			}
			log(describeBurst('regular mode', single));
		}),
		10 * 60_000,
	);
	beforeAll(
		step('the queue-mode run', async () => {
			cluster = await lab!.startCluster({ workers: 2, concurrency: CONCURRENCY });
			queued = await queueLab.deleteBurst(lab!, cluster, { events: EVENTS });
			log(describeBurst('queue mode', queued));
		}),
		10 * 60_000,
	);

	afterAll(async () => {
		await cluster?.stop();
		await lab?.close();
	}, 2 * 60_000);

	test(`one process: ${EVENTS} concurrent "contact deleted" events lose nothing (the baseline)`, () => {
		const b = ready(single, 'the regular-mode run');
		expect(b.failedEvents).toEqual([]);
		expect({ notDeleted: b.notDeleted, wronglyDeleted: b.wronglyDeleted }).toEqual({ notDeleted: [], wronglyDeleted: [] });
	});

	test(`2 workers: ${EVENTS} concurrent "contact deleted" events lose nothing, and both workers ran events`, () => {
		const b = ready(queued, 'the queue-mode run');
		expect(b.failedEvents).toEqual([]);
		expect({ notDeleted: b.notDeleted, wronglyDeleted: b.wronglyDeleted }).toEqual({ notDeleted: [], wronglyDeleted: [] });
		// every event was run by a worker that logged it, and each of the two ran a real share
		expect(b.byWorker['?']).toBeUndefined();
		expect(Object.keys(b.byWorker).sort()).toEqual(['worker1', 'worker2']);
		for (const n of Object.values(b.byWorker)) expect(n).toBeGreaterThanOrEqual(EVENTS / 10);
	});

	test('2 workers: at most 2 rate-limit refusals (429) from Kore in the run (one account budget across workers)', () => {
		const b = ready(queued, 'the queue-mode run');
		log(`429s: queue mode ${b.rateLimited}, one process ${single?.rateLimited}`);
		expect(b.rateLimited).toBeLessThanOrEqual(2);
	});

	test('2 workers: wall time within 1.1 × one process', () => {
		const b = ready(queued, 'the queue-mode run');
		const one = ready(single, 'the regular-mode run');
		log(`wall time: queue mode ${(b.wallMs / 1000).toFixed(1)} s, one process ${(one.wallMs / 1000).toFixed(1)} s (${(b.wallMs / one.wallMs).toFixed(2)} ×)`);
		expect(b.wallMs).toBeLessThanOrEqual(1.1 * one.wallMs);
	});

	test(`2 workers updating different fields of one contact at once: both changes kept (${PAIRS} contacts, two events each)`, async () => {
		const l = ready(lab, 'the update scenario');
		const c = ready(cluster, 'the update scenario');
		l.server.reset();
		// contacts the delete burst does not target; event 2i changes the first name, 2i+1 the last name
		const targets = l.seeded.slice(EVENTS, EVENTS + PAIRS);
		expect(targets).toHaveLength(PAIRS);
		const bodies = [
			...targets.map((t, i) => ({ phone: t.phone, firstName: `First${i}` })),
			...targets.map((t, i) => ({ phone: t.phone, lastName: `Last${i}` })),
		];
		const { answers } = await queueLab.fire(c.url, 'update', bodies);
		const workers = queueLab.workerOf(c, answers);
		const { across, unknown } = split(workers);
		log(`update pairs: ${across} of ${PAIRS} ran on two different workers (${unknown} unattributed); ran on ${JSON.stringify(workers)}`);
		expect(queueLab.failures(answers)).toEqual([]);
		const now = contactsNow(l);
		expect(targets.map((t) => [now.get(t.id)?.firstName, now.get(t.id)?.lastName])).toEqual(targets.map((_, i) => [`First${i}`, `Last${i}`]));
		// the scenario is only meaningful when some pairs really were split across the workers
		expect(across).toBeGreaterThan(0);
	});

	test(`2 workers upserting one new number at once: one contact (${PAIRS} numbers, two events each)`, async () => {
		const l = ready(lab, 'the upsert scenario');
		const c = ready(cluster, 'the upsert scenario');
		l.server.reset();
		const numbers = Array.from({ length: PAIRS }, (_, i) => String(3000000000 + i));
		const bodies = [
			...numbers.map((n, i) => ({ firstName: `Ann${i}`, lastName: 'Upsert-A', salutation: 'Ms', phoneNumber: n, countryCode: '+1', extension: '+' })),
			...numbers.map((n, i) => ({ firstName: `Bob${i}`, lastName: 'Upsert-B', salutation: 'Mr', phoneNumber: n, countryCode: '+1', extension: '+' })),
		];
		const { answers } = await queueLab.fire(c.url, 'upsert', bodies);
		const workers = queueLab.workerOf(c, answers);
		const { across, unknown } = split(workers);
		log(`upsert pairs: ${across} of ${PAIRS} ran on two different workers (${unknown} unattributed); actions ${JSON.stringify(answers.map((a) => a.json?.action ?? a.status))}`);
		expect(queueLab.failures(answers)).toEqual([]);
		const active = l.server.contacts(l.streamId).filter((x) => x.status === 'ACTIVE');
		for (const [i, n] of numbers.entries()) {
			const holders = active.filter((x) => x.cellPhone.phoneNumber.replace(/\D/g, '').endsWith(n));
			expect({ number: n, contacts: holders.length }).toEqual({ number: n, contacts: 1 });
			// exactly one of the pair created it, the other updated that contact
			expect([answers[i].json?.action, answers[i + PAIRS].json?.action].sort()).toEqual(['created', 'updated']);
			expect([`Ann${i}`, `Bob${i}`]).toContain(holders[0].firstName);
		}
		expect(across).toBeGreaterThan(0);
	});
});
