/**
 * Queue mode under the orderings a busy CRM produces (issue 17): two workers (fresh copies of the node's
 * modules) on one real redis-server. What a worker knows of a contact is replaced only by knowledge later in
 * the one order every worker shares; every write publishes what Kore answered; Redis trouble makes writes
 * wait and then fail, never fall back to one process; a phone number's lock is not held through a read.
 */
import type { IDataObject } from 'n8n-workflow';

import { Redis } from 'ioredis';

import { deferred, fakeStream } from '../../helpers/fake-stream';
import type { FakeStream } from '../../helpers/fake-stream';
import { contact } from '../../helpers/kore';
import { startRedisProxy } from '../../helpers/redis-proxy';
import { deleteByPhone, queueRedis, run, update, upsert, worker } from '../../helpers/workers';

const redis = queueRedis();
const { queueMode, queueExecution } = redis;
const phoneOf = (i: number) => `+91${9000000000 + i}`;
const withPhone = (stream: FakeStream, phone: string) => stream.contacts.filter((entry) => entry.cellPhone.phoneNumber === phone && entry.status !== 'INACTIVE');

describe('One order for every worker', () => {
	/** Worker a wrote c5 (keeping Kore's answer); then c5's number changed in Kore; then worker b read the stream. */
	async function numberMovedAfterAWrite(prefix: string) {
		queueMode(prefix);
		const stream = fakeStream(250);
		const [a, b] = [worker(), worker()];
		await queueExecution(prefix, 10, '110');
		expect((await update(a, 'c5', { firstName: 'Ada' }, { executionId: '101' })).error).toBeUndefined();
		stream.update('c5', { cellPhone: { phoneNumber: '9111111111' } });
		await queueExecution(prefix, 30, '130');
		expect((await deleteByPhone(b, 1, '120')).error).toBeUndefined();
		return { stream, a };
	}

	test("a write answer a worker kept never outranks another worker's later read: a delete by the old number does not reach the contact", async () => {
		const { stream, a } = await numberMovedAfterAWrite('o1');
		// created before b's read began, so b's read answers it
		const stale = await deleteByPhone(a, 5, '125');
		expect(stale.error?.message).toBe('Item 0: no contact with phone +919000000005 in stream "st-1"');
		expect(stream.byId('c5')!.status).toBe('ACTIVE');
		expect(stream.count('DELETE')).toBe(1);
	});

	test('…and Create or Update of the old number makes a new contact instead of taking the number back', async () => {
		const { stream, a } = await numberMovedAfterAWrite('o1u');
		expect((await upsert(a, '9000000005', 'Newcomer', { executionId: '125' })).error).toBeUndefined();
		expect(stream.byId('c5')).toMatchObject({ firstName: 'Ada', cellPhone: { phoneNumber: '+919111111111' } });
		expect(withPhone(stream, phoneOf(5)).map((entry) => entry.firstName)).toEqual(['Newcomer']);
	});

	test("whatever Kore's updatedAt says, another worker's later write is the newer copy: both workers' changes are kept", async () => {
		queueMode('o6');
		// Kore's stored time of c6 is later than the time its answers to updates carry (clocks, or second precision)
		const stream = fakeStream(30, [contact('c6', { firstName: 'first6', lastName: 'last6', cellPhone: { phoneNumber: '+919099999999', countryCode: '+91', extension: '+' }, updatedAt: '2099-01-01T00:00:00.000Z' })]);
		const [a, b] = [worker(), worker()];
		await queueExecution('o6', 10, '210');
		// b reads the stream (its read answers every execution n8n created before it)
		expect((await deleteByPhone(b, 1, '201')).error).toBeUndefined();
		expect((await update(a, 'c6', { firstName: 'Ada' }, { executionId: '202' })).error).toBeUndefined();
		expect((await update(b, 'c6', { lastName: 'Lovelace' }, { executionId: '205' })).error).toBeUndefined();
		expect(stream.byId('c6')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
	});

	test("a contact another worker's read no longer lists is dropped from what this worker wrote: its number can belong to another", async () => {
		queueMode('o10');
		const stream = fakeStream(250);
		const [a, b] = [worker(), worker()];
		await queueExecution('o10', 10, '510');
		expect((await update(a, 'c10', { firstName: 'Ada' }, { executionId: '501' })).error).toBeUndefined();
		// in Kore, c10 is deleted and its number given to a new contact; then b reads the stream
		stream.remove('c10');
		stream.add(contact('c777', { cellPhone: { phoneNumber: phoneOf(10), countryCode: '+91', extension: '+' } }));
		await queueExecution('o10', 30, '530');
		expect((await deleteByPhone(b, 1, '520')).error).toBeUndefined();
		const removed = await deleteByPhone(a, 10, '525');
		expect(removed.error).toBeUndefined();
		expect(stream.byId('c777')!.status).toBe('INACTIVE');
	});
});

describe('Every write publishes what Kore answered', () => {
	test('a contact another worker created is updated by Create or Update, with no create for Kore to refuse', async () => {
		queueMode('o9');
		const stream = fakeStream(30);
		const [a, b] = [worker(), worker()];
		await queueExecution('o9', 10, '410');
		expect((await deleteByPhone(b, 1, '401')).error).toBeUndefined();
		const created = await run(a, 'create-contact.json', {}, { items: [{ first: 'Grace', last: 'Hopper', title: 'Dr', mobile: '9555555555', cc: '+91' }], executionId: '402' });
		expect(created.error).toBeUndefined();
		// b's read began before the create: what a published tells b that the number is taken
		expect((await upsert(b, '9555555555', 'Grace', { executionId: '405' })).error).toBeUndefined();
		expect(withPhone(stream, '+919555555555')).toHaveLength(1);
		expect(stream.count('POST')).toBe(1);
	});

	test('a write whose answer could not be published leaves "pending": the next worker reads the contact afresh', async () => {
		const proxy = await startRedisProxy(redis.port);
		try {
			const stream = fakeStream(30);
			const [a, b] = [worker({ leaseMs: 1_500, redisWaitMs: 1_000 }), worker()];
			await queueExecution('o7', 10, '310');
			// b reads first (direct to Redis); a reaches Redis through the proxy
			queueMode('o7');
			expect((await deleteByPhone(b, 1, '301')).error).toBeUndefined();
			queueMode('o7', proxy.port);
			stream.beforeWrite = (request) => {
				// Kore applies a's write, but a loses Redis before it can publish the answer
				if (request.method === 'PUT') proxy.cut();
			};
			// (the lock a keeps for its request in flight is not given back: b waits for it, as long as a request may take)
			const quick = { contactBy: 'id', contactId: 'c7', updateFields: { firstName: 'Ada' }, options: { timeout: 2 } };
			expect((await run(a, 'update-contact.json', quick, { executionId: '302' })).error).toBeUndefined();
			stream.beforeWrite = undefined;
			expect((await update(b, 'c7', { lastName: 'Lovelace' }, { executionId: '305' })).error).toBeUndefined();
			expect(stream.byId('c7')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
		} finally {
			await proxy.close();
		}
	});
});

describe("n8n's Redis out of reach", () => {
	test("at a worker's first use: its requests wait for Redis and then share the budget; never one process alone", async () => {
		const proxy = await startRedisProxy(redis.port);
		try {
			const stream = fakeStream(30);
			proxy.cut();
			queueMode('o5', proxy.port);
			const a = worker();
			const removal = run(a, 'delete-by-phone.json', { contactBy: 'id', contactId: 'c3' });
			// longer than an answer may take before the wait is logged
			await new Promise((resolve) => setTimeout(resolve, 2_500));
			expect(stream.count('DELETE')).toBe(0);
			proxy.restore();
			const done = await removal;
			expect(done.error).toBeUndefined();
			expect(stream.byId('c3')!.status).toBe('INACTIVE');
			expect(done.logs.map((line) => line.message)).toContainEqual(expect.stringMatching(/^Kore Contacts: n8n's Redis at 127\.0\.0\.1:\d+ does not answer/));
			const direct = new Redis({ host: '127.0.0.1', port: redis.port });
			expect(await direct.keys('o5:kore-contacts:budget:*')).toHaveLength(1);
			await direct.quit();
		} finally {
			await proxy.close();
		}
	});

	test('for longer than the wait allowed: the write fails with a clear error and is not sent', async () => {
		const proxy = await startRedisProxy(redis.port);
		try {
			const stream = fakeStream(30);
			proxy.cut();
			queueMode('o5b', proxy.port);
			const done = await run(worker({ redisWaitMs: 1_000 }), 'delete-by-phone.json', { contactBy: 'id', contactId: 'c4' });
			expect(done.error?.message).toMatch(/^Item 0: not sent: n8n's Redis at 127\.0\.0\.1:\d+ did not answer for 1 s/);
			expect(stream.count('DELETE')).toBe(0);
		} finally {
			await proxy.close();
		}
	});
});

describe("A phone number's lock", () => {
	test("is not held through a read: another worker's write by that number goes ahead while the read pages", async () => {
		queueMode('o8');
		const stream = fakeStream(250);
		const [a, b] = [worker(), worker()];
		await queueExecution('o8', 10, '610');
		expect((await deleteByPhone(b, 1, '601')).error).toBeUndefined();
		// a's execution was created after b's read: a reads for itself, and its second page is held
		await queueExecution('o8', 30, '630');
		const paging = deferred();
		const pageHeld = deferred();
		stream.beforePage = async (skip) => {
			if (skip < 100) return;
			stream.beforePage = undefined;
			pageHeld.resolve();
			await paging.promise;
		};
		const removal = deleteByPhone(a, 7, '620');
		await pageHeld.promise;
		const updated = await upsert(b, '9000000007', 'Kept', { executionId: '605' });
		expect(updated.error).toBeUndefined();
		expect(stream.byId('c7')!.firstName).toBe('Kept');
		paging.resolve();
		expect((await removal).error).toBeUndefined();
		expect(stream.byId('c7')!.status).toBe('INACTIVE');
	});
});
