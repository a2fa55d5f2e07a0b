/**
 * What n8n's queue mode shares through Redis, with two RedisState instances standing for two n8n worker
 * processes on one real redis-server: the account budget, the rate-limit pause, locks with leases, records.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Redis } from 'ioredis';

import { Patience, RedisState, n8nQueueSettings, queueSettingsFrom, sharedState } from '../../../../nodes/KoreContacts/queue';
import { DECREASE, onRefused } from '../../../../nodes/KoreContacts/transport/learnedRate';
import type { LearnedRate, Recent } from '../../../../nodes/KoreContacts/transport/learnedRate';
import { startRedis } from '../../../helpers/redis';
import type { TestRedis } from '../../../helpers/redis';
import { startRedisProxy } from '../../../helpers/redis-proxy';

let redis: TestRedis;
const clients: Redis[] = [];
const quiet = { info: () => undefined, warn: () => undefined } as never;
const patience = () => new Patience('test', quiet, 2_000);
const wait = { timeoutMs: 10_000, what: 'contact "c1"' };

/** Two workers with one key prefix, as two n8n processes of one installation. */
function twoWorkers(leaseMs?: number): [RedisState, RedisState] {
	const prefix = `test${Math.random().toString(36).slice(2)}`;
	return [0, 1].map(() => {
		const client = new Redis({ host: '127.0.0.1', port: redis.port });
		clients.push(client);
		return new RedisState(client, prefix, { patience: patience(), leaseMs });
	}) as [RedisState, RedisState];
}

beforeAll(async () => {
	redis = await startRedis();
});
const shutdownsHere: Array<() => Promise<void>> = [];
afterAll(async () => {
	await Promise.all(shutdownsHere.map((close) => close()));
	await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
	await redis.stop();
});

const never = new AbortController().signal;

describe('Shared account budget', () => {
	test('two workers together never start more than the limit in any window', async () => {
		const [a, b] = twoWorkers();
		const granted: number[] = [];
		const take = async (state: RedisState) => {
			const done = await state.acquire('acc', 5, 400, 10_000, never);
			granted.push(Date.now());
			await done();
		};
		await Promise.all(Array.from({ length: 15 }, (_, i) => take(i % 2 ? a : b)));
		granted.sort((x, y) => x - y);
		for (let i = 5; i < granted.length; i++) expect(granted[i] - granted[i - 5]).toBeGreaterThanOrEqual(390);
		// 15 at 5 per 400 ms: the third five start after two windows
		expect(granted[14] - granted[0]).toBeGreaterThanOrEqual(790);
	});

	test('Kore, counting each request when it arrives, never sees more than the limit in a window, however late each worker sends', async () => {
		// Between Redis's grant and Kore's count a worker signs and sends; on a busy host that takes from nothing
		// to most of a window, differently for each request. A slot held only from its grant lets a late request
		// and an early one behind it arrive closer than a window apart (Kore's 429); held until a window after
		// the answer, never.
		const [a, b] = twoWorkers();
		const arrivals: number[] = [];
		let seed = 11;
		const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
		const send = async (state: RedisState) => {
			const done = await state.acquire('acc-late', 4, 300, 10_000, never);
			await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 250)));
			arrivals.push(Date.now());
			await new Promise((resolve) => setTimeout(resolve, 5));
			await done();
		};
		await Promise.all(Array.from({ length: 24 }, (_, i) => send(i % 2 ? a : b)));
		arrivals.sort((x, y) => x - y);
		const closest = Math.min(...arrivals.slice(4).map((at, i) => at - arrivals[i]));
		expect(closest).toBeGreaterThanOrEqual(300);
	});

	test('a slot whose worker crashed mid-request frees itself after the request timeout and a window', async () => {
		const [a, b] = twoWorkers();
		// worker a takes the only slot and never answers
		await a.acquire('acc-crash', 1, 200, 500, never);
		const started = Date.now();
		const done = await b.acquire('acc-crash', 1, 200, 500, never);
		const waited = Date.now() - started;
		await done();
		expect(waited).toBeGreaterThanOrEqual(650);
		expect(waited).toBeLessThan(2000);
	});

	test('a rate-limit pause set by one worker holds the other', async () => {
		const [a, b] = twoWorkers();
		// timed from before the pause is set: the pause runs 300 ms from when Redis set it
		const started = Date.now();
		await a.pause('acc', 300);
		await (await b.acquire('acc', 100, 1000, 10_000, never))();
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
	});

	test('a waiting request stops when its execution is cancelled', async () => {
		const [a] = twoWorkers();
		await a.pause('acc', 5000);
		const cancel = new AbortController();
		const waiting = a.acquire('acc', 1, 1000, 10_000, cancel.signal);
		setTimeout(() => cancel.abort(new Error('cancelled')), 50);
		await expect(waiting).rejects.toThrow('cancelled');
	});
});

describe('Shared learned rate', () => {
	test("a rate one worker learned spaces the other worker's grants; forgotten, it no longer does", async () => {
		const [a, b] = twoWorkers();
		const learning = await a.learn('acc-rate', 1000, () => ({ state: { rate: 5, lastUsed: Date.now(), measured: true } }));
		expect(learning?.state?.rate).toBe(5);
		const grants = async () => {
			const granted: number[] = [];
			for (let n = 0; n < 3; n++) {
				const done = await b.acquire('acc-rate', 100, 1000, 10_000, never);
				granted.push(Date.now());
				await done(true);
			}
			return granted.slice(1).map((at, n) => at - granted[n]);
		};
		// a grant is timed on Redis's clock, its arrival here later by up to a round trip
		for (const gap of await grants()) expect(gap).toBeGreaterThanOrEqual(150);
		await a.learn('acc-rate', 1000, () => ({}));
		await new Promise((resolve) => setTimeout(resolve, 250));
		for (const gap of await grants()) expect(gap).toBeLessThan(100);
	});

	test('the rule reads what Kore accepted on every worker; two workers refused at once decrease the rate once', async () => {
		const [a, b] = twoWorkers();
		for (const state of [a, b, a, b]) await (await state.acquire('acc-two', 100, 60_000, 10_000, never))(true);
		const known = await (await a.acquire('acc-two', 100, 60_000, 10_000, never))(false);
		expect(known?.recent.accepted).toBe(4);
		const refused = (state: LearnedRate | undefined, recent: Recent) =>
			onRefused(state, { now: Date.now(), sentAt: Date.now() - 10, ceiling: 100, windowMs: 60_000 }, recent);
		// both start from the same reading: one writes the decrease, the other finds the run of refusals begun
		const both = await Promise.all([a.learn('acc-two', 60_000, refused, known), b.learn('acc-two', 60_000, refused, known)]);
		expect(both.filter((learning) => learning?.change)).toHaveLength(1);
		expect((await b.learn('acc-two', 60_000, (state) => ({ state })))?.state?.rate).toBeCloseTo(4 * DECREASE);
	});
});

describe('Locks', () => {
	test('one holder at a time across workers', async () => {
		const [a, b] = twoWorkers();
		const order: string[] = [];
		const hold = async (state: RedisState, name: string) => {
			const lease = await state.lock(['contact c1'], wait);
			order.push(`${name} in`);
			await new Promise((resolve) => setTimeout(resolve, 100));
			order.push(`${name} out`);
			await lease.release();
		};
		await Promise.all([hold(a, 'a'), hold(b, 'b')]);
		expect([order.slice(0, 2), order.slice(2)].map((pair) => pair[0].split(' ')[0] === pair[1].split(' ')[0])).toEqual([true, true]);
	});

	test('a lock a crashed worker held frees itself when its lease runs out', async () => {
		const [a, b] = twoWorkers(300);
		await a.lock(['contact c2'], wait);
		// worker a "crashes": it never releases, and its renewal stops with its connection
		clients[clients.length - 2].disconnect();
		const started = Date.now();
		const lease = await b.lock(['contact c2'], wait);
		expect(Date.now() - started).toBeLessThan(3000);
		await lease.release();
	});

	test('a live holder keeps its lock past the lease by renewing it', async () => {
		const [a, b] = twoWorkers(300);
		const lease = await a.lock(['contact c3'], wait);
		let bGot = false;
		const bWaits = b.lock(['contact c3'], wait).then((leaseB) => {
			bGot = true;
			return leaseB;
		});
		await new Promise((resolve) => setTimeout(resolve, 900));
		expect(bGot).toBe(false);
		await lease.release();
		await (await bWaits).release();
		expect(bGot).toBe(true);
	});
});

describe('Leases that cannot silently lapse', () => {
	/** A worker whose Redis connection goes through a proxy that a test can cut. */
	async function behindProxy(leaseMs: number, prefix: string) {
		const proxy = await startRedisProxy(redis.port);
		const client = new Redis({ host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 1 });
		clients.push(client);
		return { proxy, state: new RedisState(client, prefix, { patience: patience(), leaseMs }) };
	}
	const direct = (prefix: string) => {
		const client = new Redis({ host: '127.0.0.1', port: redis.port });
		clients.push(client);
		return new RedisState(client, prefix, { patience: patience(), leaseMs: 900 });
	};

	test('a renewal that fails in a Redis blip is tried again: the holder keeps its lock', async () => {
		const prefix = `lease${Math.random().toString(36).slice(2)}`;
		const { proxy, state: a } = await behindProxy(900, prefix);
		try {
			const lease = await a.lock(['contact c1'], wait);
			// the first renewal (at a third of the lease) falls in the blip
			await new Promise((resolve) => setTimeout(resolve, 200));
			proxy.cut();
			await new Promise((resolve) => setTimeout(resolve, 350));
			proxy.restore();
			// well past the lease: the other worker still cannot have the lock, and the holder may still send
			await expect(direct(prefix).lock(['contact c1'], { ...wait, timeoutMs: 1_500 })).rejects.toThrow(/held it for more than/);
			await expect(lease.extend(1_000)).resolves.toBeUndefined();
			await lease.release();
		} finally {
			await proxy.close();
		}
	});

	test('a holder whose lease may have lapsed does not send: extend refuses, and the other worker has the lock', async () => {
		const prefix = `lease${Math.random().toString(36).slice(2)}`;
		const { proxy, state: a } = await behindProxy(600, prefix);
		try {
			const lease = await a.lock(['contact c2'], { ...wait, what: 'contact "c2"' });
			proxy.cut();
			const other = await direct(prefix).lock(['contact c2'], { ...wait, timeoutMs: 5_000 });
			proxy.restore();
			await expect(lease.extend(1_000)).rejects.toThrow(/^the lock on contact "c2" may have lapsed/);
			await other.release();
		} finally {
			await proxy.close();
		}
	});
});

describe("n8n's queue of executions", () => {
	test('the newest execution n8n queued is read from its Bull keys; a finished job already removed is skipped', async () => {
		const prefix = `bull${Math.random().toString(36).slice(2)}`;
		const client = new Redis({ host: '127.0.0.1', port: redis.port });
		clients.push(client);
		const a = new RedisState(client, prefix, { patience: patience() });
		expect(await a.newestQueuedExecution()).toBeUndefined();
		await client.set(`${prefix}:jobs:id`, 12);
		await client.hset(`${prefix}:jobs:11`, 'data', JSON.stringify({ workflowId: 'wf', executionId: '311' }));
		// job 12 finished and n8n removed it: the newest one Redis still holds is 11
		expect(await a.newestQueuedExecution()).toBe(311);
		await client.hset(`${prefix}:jobs:12`, 'data', JSON.stringify({ workflowId: 'wf', executionId: '312' }));
		expect(await a.newestQueuedExecution()).toBe(312);
		await client.hset(`${prefix}:jobs:12`, 'data', JSON.stringify({ workflowId: 'wf', executionId: 'not-a-number' }));
		expect(await a.newestQueuedExecution()).toBeUndefined();
	});
});

describe('Records and mode', () => {
	test('what one worker records the other reads; a record is replaced only by one with a later position', async () => {
		const [a, b] = twoWorkers();
		await a.publish('contact x', { pos: 5, contact: { id: 'x', firstName: 'Ada' } });
		expect(await b.record('contact x')).toEqual({ pos: 5, contact: { id: 'x', firstName: 'Ada' } });
		expect(await b.record('contact y')).toBeUndefined();
		await b.publish('contact x', { pos: 4, contact: { id: 'x', firstName: 'Older' } });
		expect((await a.record('contact x'))?.contact).toEqual({ id: 'x', firstName: 'Ada' });
		await b.publish('contact x', { pos: 6, pending: true });
		expect(await a.record('contact x')).toEqual({ pos: 6, pending: true });
	});

	test('one order for every worker: positions from two workers never repeat and always grow', async () => {
		const [a, b] = twoWorkers();
		const taken = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).nextPosition()));
		expect(new Set(taken).size).toBe(40);
		const later = await a.nextPosition();
		expect(later).toBeGreaterThan(Math.max(...taken));
	});

	test('n8n\'s QUEUE_BULL_REDIS_* settings are read as n8n reads them', () => {
		expect(
			queueSettingsFrom({
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: 'redis.internal',
				QUEUE_BULL_REDIS_PORT: '6380',
				QUEUE_BULL_REDIS_PASSWORD: 'pw',
				QUEUE_BULL_REDIS_USERNAME: 'user',
				QUEUE_BULL_REDIS_DB: '2',
				QUEUE_BULL_REDIS_TLS: 'true',
				QUEUE_BULL_PREFIX: 'n8nq',
			}),
		).toEqual({ mode: 'queue', host: 'redis.internal', port: '6380', password: 'pw', username: 'user', db: '2', tls: 'true', clusterNodes: undefined, prefix: 'n8nq' });
	});

	test('a `<NAME>_FILE` setting is read from its file, trimmed, as n8n reads it (Docker secrets); the variable itself wins', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kore-queue-'));
		const secret = path.join(dir, 'redis_password');
		fs.writeFileSync(secret, 's3cret\n');
		const saved = { ...process.env };
		try {
			process.env.EXECUTIONS_MODE = 'queue';
			process.env.QUEUE_BULL_REDIS_PASSWORD_FILE = secret;
			delete process.env.QUEUE_BULL_REDIS_PASSWORD;
			expect(n8nQueueSettings()).toMatchObject({ mode: 'queue', password: 's3cret' });
			process.env.QUEUE_BULL_REDIS_PASSWORD = 'from-env';
			expect(n8nQueueSettings().password).toBe('from-env');
		} finally {
			process.env = saved;
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	test('queue settings that cannot be read (a missing _FILE): in-process only, with a warning', async () => {
		const lines: string[] = [];
		const logger = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) } as never;
		let queueMode: boolean | undefined;
		await new Promise<void>((resolve) =>
			jest.isolateModules(() => {
				const fresh = require('../../../../nodes/KoreContacts/queue') as typeof import('../../../../nodes/KoreContacts/queue');
				void fresh
					.sharedState(logger, () => fresh.queueSettingsFrom({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_PASSWORD_FILE: '/nonexistent/redis_password' }))
					.then((state) => {
						queueMode = state.queueMode;
						resolve();
					});
			}),
		);
		expect(queueMode).toBe(false);
		expect(lines).toEqual([
			"Kore Contacts: n8n's queue settings could not be read (cannot read /nonexistent/redis_password); pacing and write locks are kept per process",
		]);
	});

	test('not in queue mode: in-process only, and the log says so', async () => {
		const lines: string[] = [];
		const logger = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) } as never;
		jest.isolateModules(() => {
			const fresh = require('../../../../nodes/KoreContacts/queue') as typeof import('../../../../nodes/KoreContacts/queue');
			void fresh.sharedState(logger, () => ({})).then((state) => lines.push(`queueMode=${state.queueMode}`));
		});
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(lines).toEqual(['Kore Contacts: pacing and write locks are kept in this n8n process (n8n is not in queue mode)', 'queueMode=false']);
	});

	test('queue mode with no reachable Redis: still queue mode, never one process alone; calls wait for Redis, then fail clearly', async () => {
		const lines: string[] = [];
		const logger = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) } as never;
		const proxy = await startRedisProxy(redis.port);
		proxy.cut();
		try {
			let state!: import('../../../../nodes/KoreContacts/queue').SharedState;
			await new Promise<void>((resolve) =>
				jest.isolateModules(() => {
					const fresh = require('../../../../nodes/KoreContacts/queue') as typeof import('../../../../nodes/KoreContacts/queue');
					fresh.queueTiming.redisWaitMs = 1_500;
					shutdownsHere.push(fresh.closeSharedState);
					void fresh.sharedState(logger, () => ({ mode: 'queue', host: '127.0.0.1', port: String(proxy.port) })).then((opened) => {
						state = opened;
						resolve();
					});
				}),
			);
			expect(state.queueMode).toBe(true);
			await expect(state.nextPosition()).rejects.toThrow(/^n8n's Redis at 127\.0\.0\.1:\d+ did not answer for \d+ s/);
			expect(lines).toContainEqual(expect.stringMatching(/^Kore Contacts: n8n's Redis at 127\.0\.0\.1:\d+ does not answer/));
			// Redis back: the same state uses it
			proxy.restore();
			expect(await state.nextPosition()).toBeGreaterThan(0);
			expect(lines).toContainEqual(expect.stringMatching(/^Kore Contacts: n8n's Redis at 127\.0\.0\.1:\d+ answers again/));
		} finally {
			await proxy.close();
		}
	});
});

