/**
 * n8n's queue mode in one jest process: two copies of the node's modules (jest.isolateModules) stand for
 * two `n8n worker` processes — each has its own pacer, lookup layer and Redis connection, as separate
 * processes would — sharing one real redis-server, as n8n's workers share n8n's Redis.
 */
import type { IDataObject } from 'n8n-workflow';

import { fakeStream } from '../../helpers/fake-stream';
import { deleteByPhone, queueRedis, run, update, upsert, worker } from '../../helpers/workers';

const { queueMode, queueExecution } = queueRedis();

describe('Two workers without shared state (n8n regular mode per process): the defect queue mode fixes', () => {
	test('their updates of different fields of one contact can undo each other', async () => {
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		await Promise.all([update(a, 'c5', { firstName: 'Ada' }), update(b, 'c5', { lastName: 'Lovelace' })]);
		const kept = [stream.byId('c5')!.firstName === 'Ada', stream.byId('c5')!.lastName === 'Lovelace'];
		expect(kept).not.toEqual([true, true]);
	});
});

describe('Two workers in queue mode, sharing n8n\'s Redis', () => {
	test('updating different fields of one contact at once: both changes are kept', async () => {
		queueMode('q1');
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		const runs = await Promise.all([update(a, 'c6', { firstName: 'Ada' }), update(b, 'c6', { lastName: 'Lovelace' })]);
		for (const result of runs) expect(result.error).toBeUndefined();
		expect(stream.byId('c6')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
	});

	test('upserting one new number at once: one contact, created once and no duplicate refused by Kore', async () => {
		queueMode('q2');
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		const runs = await Promise.all([upsert(a, '9444444444', 'FromA'), upsert(b, '9444444444', 'FromB')]);
		for (const result of runs) expect(result.error).toBeUndefined();
		expect(stream.contacts.filter((entry) => (entry.cellPhone as IDataObject).phoneNumber === '+919444444444')).toHaveLength(1);
		expect(stream.seen.filter((request) => request.method === 'POST')).toHaveLength(1);
		expect(runs.map((result) => result.outputs[0][0].json.action).sort()).toEqual(['created', 'updated']);
	});

	test('one account budget: two workers together stay within the limit', async () => {
		queueMode('q3');
		const stream = fakeStream(20);
		const sent: number[] = [];
		stream.beforeWrite = () => void sent.push(Date.now());
		const [a, b] = [worker(), worker()];
		const limit = { requestsPerMinute: 3, rateLimitWindowMs: 600 };
		const deletes = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id, i) =>
			run(i % 2 ? a : b, 'delete-by-phone.json', { contactBy: 'id', contactId: id }, { credentials: limit }),
		);
		for (const result of await Promise.all(deletes)) expect(result.error).toBeUndefined();
		sent.sort((x, y) => x - y);
		expect(sent).toHaveLength(6);
		// 6 requests at 3 per 600 ms: the 4th starts a window after the 1st, whichever worker sent them
		expect(sent[3] - sent[0]).toBeGreaterThanOrEqual(550);
	});

	test("a rate one worker learned from Kore's refusals paces the other from its first request", async () => {
		queueMode('q10');
		// the credential says 100 per 3 s; Kore takes 5 per second (15 per 3 s)
		const stream = fakeStream(120);
		stream.server.setRateLimit({ limit: 5, windowMs: 1000 });
		const [a, b] = [worker(), worker()];
		const credentials = { requestsPerMinute: 100, rateLimitWindowMs: 3000 };
		const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ stream: 'st-1', koreId: `c${from + i}` }));
		const first = await run(a, 'delete-from-items.json', {}, { items: items(0, 12), credentials });
		expect(first.error).toBeUndefined();
		expect(first.outputs[0]).toHaveLength(12);
		const before = stream.server.requests.length;
		const second = await run(b, 'delete-from-items.json', {}, { items: items(100, 8), credentials });
		expect(second.error).toBeUndefined();
		expect(second.outputs[0].map((item) => item.json.id)).toEqual(items(100, 8).map((item) => item.koreId));
		const sent = stream.server.requests.slice(before);
		expect(sent.filter((request) => request.rateLimited).length).toBeLessThanOrEqual(1);
		// unlearned, worker b would send 4 at once (its concurrency)
		expect(sent[4].at - sent[0].at).toBeGreaterThanOrEqual(600);
	}, 30_000);

	test('a delete repeated on the other worker succeeds with Succeed If Already Deleted, without a second DELETE', async () => {
		queueMode('q4');
		const stream = fakeStream(20);
		const [a, b] = [worker(), worker()];
		const params = { contactBy: 'id', contactId: 'c9', options: { succeedIfAlreadyDeleted: true } };
		expect((await run(a, 'delete-by-phone.json', params)).error).toBeUndefined();
		const again = await run(b, 'delete-by-phone.json', params);
		expect(again.error).toBeUndefined();
		expect(again.outputs[0][0].json).toMatchObject({ id: 'c9', alreadyDeleted: true });
		expect(stream.count('DELETE')).toBe(1);
	});
});

describe("Executions that waited in n8n's queue for a free worker slot", () => {
	test('one read answers every execution n8n had queued before it began, also those the worker starts after it', async () => {
		queueMode('q5');
		const stream = fakeStream(250);
		await queueExecution('q5', 20, '120');
		const a = worker();
		expect((await deleteByPhone(a, 1, '101')).error).toBeUndefined();
		expect(stream.count('GET')).toBe(3);
		// a later wave on this worker: executions 110 and 120 were queued (their events had arrived) before that read
		expect((await deleteByPhone(a, 2, '110')).error).toBeUndefined();
		expect((await deleteByPhone(a, 3, '120')).error).toBeUndefined();
		expect(stream.count('GET')).toBe(3);
		// execution 121 was created after the read began: it waits for a read of its own
		await queueExecution('q5', 21, '121');
		expect((await deleteByPhone(a, 4, '121')).error).toBeUndefined();
		expect(stream.count('GET')).toBe(6);
		expect(['c1', 'c2', 'c3', 'c4'].map((id) => stream.byId(id)!.status)).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE', 'INACTIVE']);
	});

	test('a number given to a contact after the read began is found (on a read that began later), never guessed', async () => {
		queueMode('q6');
		const stream = fakeStream(250);
		await queueExecution('q6', 7, '207');
		const a = worker();
		expect((await deleteByPhone(a, 1, '201')).error).toBeUndefined();
		// elsewhere, c7 gets a new number; execution 205 (queued before the read) deletes by it
		stream.update('c7', { cellPhone: { phoneNumber: '9111111111' } });
		expect((await deleteByPhone(a, '9111111111', '205')).error).toBeUndefined();
		expect(stream.byId('c7')!.status).toBe('INACTIVE');
		// the read it shared did not show the number: the miss was checked on one more read
		expect(stream.count('GET')).toBe(6);
	});

	test('one read for all workers: another worker takes the read that covers its execution instead of reading again', async () => {
		queueMode('q7');
		const stream = fakeStream(250);
		await queueExecution('q7', 30, '330');
		const [a, b] = [worker(), worker()];
		expect((await deleteByPhone(a, 1, '301')).error).toBeUndefined();
		expect(stream.count('GET')).toBe(3);
		const onB = await deleteByPhone(b, 2, '320');
		expect(onB.error).toBeUndefined();
		expect(stream.count('GET')).toBe(3);
		expect(onB.logs.map((line: { message: string }) => line.message)).toContainEqual(
			expect.stringMatching(/^Kore Contacts: took another worker's read of stream st-1: 250 contacts \(it covers executions up to 330\)/),
		);
		// created after that read began: worker b reads for it
		await queueExecution('q7', 31, '331');
		expect((await deleteByPhone(b, 3, '331')).error).toBeUndefined();
		expect(stream.count('GET')).toBe(6);
		expect(['c1', 'c2', 'c3'].map((id) => stream.byId(id)!.status)).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
	});

	test('two workers needing a read at once: one reads, the other waits for it and takes it', async () => {
		queueMode('q8');
		const stream = fakeStream(250);
		await queueExecution('q8', 40, '440');
		const [a, b] = [worker(), worker()];
		const runs = await Promise.all([deleteByPhone(a, 1, '401'), deleteByPhone(b, 2, '402')]);
		for (const result of runs) expect(result.error).toBeUndefined();
		expect(stream.count('GET')).toBe(3);
		expect(stream.count('DELETE')).toBe(2);
	});

	test("a number another worker's read does not show is looked for on this worker's own read, never guessed", async () => {
		queueMode('q9');
		const stream = fakeStream(250);
		await queueExecution('q9', 50, '550');
		const [a, b] = [worker(), worker()];
		expect((await deleteByPhone(a, 1, '501')).error).toBeUndefined();
		stream.update('c9', { cellPhone: { phoneNumber: '9222222222' } });
		expect((await deleteByPhone(b, '9222222222', '505')).error).toBeUndefined();
		expect(stream.byId('c9')!.status).toBe('INACTIVE');
		expect(stream.count('GET')).toBe(6);
	});

	test('not in queue mode, a later execution always reads afresh, whatever its number', async () => {
		const stream = fakeStream(250);
		const a = worker();
		expect((await deleteByPhone(a, 1, '101')).error).toBeUndefined();
		expect((await deleteByPhone(a, 2, '102')).error).toBeUndefined();
		expect(stream.count('GET')).toBe(6);
	});
});
