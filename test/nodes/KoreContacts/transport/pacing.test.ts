import { Pacer, WINDOW_MARGIN, pacerFor } from '../../../../nodes/KoreContacts/transport/pacing';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/**
 * Starts `count` acquisitions and records when (fake ms from start) each one was granted. Each request is
 * answered at once (done), so a slot frees a window after its grant.
 */
function acquireAll(pacer: Pacer, count: number, user?: string) {
	const start = Date.now();
	const granted: number[] = [];
	const all = Promise.all(
		Array.from({ length: count }, async () => {
			(await pacer.acquire(undefined, user)).done();
			granted.push(Date.now() - start);
		}),
	);
	return { granted, all };
}

/** Advances the fake clock by `ms`, then gives what `promise` resolved to. */
async function advanceUntil<T>(promise: Promise<T>, ms: number): Promise<T> {
	await jest.advanceTimersByTimeAsync(ms);
	return await promise;
}

describe('Pacer', () => {
	test('lets `limit` requests through at once, then one per freed slot of the rolling window', async () => {
		const pacer = new Pacer(3, 1000);
		const { granted, all } = acquireAll(pacer, 7);
		await jest.advanceTimersByTimeAsync(5000);
		await all;
		expect(granted).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
	});

	test('never lets more than `limit` start in any window, whenever requests arrive', async () => {
		const pacer = new Pacer(5, 1000);
		const starts: number[] = [];
		const work: Array<Promise<void>> = [];
		for (let tick = 0; tick < 40; tick++) {
			for (let k = 0; k < (tick % 3) + 1; k++) {
				work.push(pacer.acquire().then((slot) => void (starts.push(Date.now()), slot.done())));
			}
			await jest.advanceTimersByTimeAsync(137);
		}
		await jest.advanceTimersByTimeAsync(60_000);
		await Promise.all(work);
		starts.sort((a, b) => a - b);
		for (let i = 5; i < starts.length; i++) expect(starts[i] - starts[i - 5]).toBeGreaterThanOrEqual(1000);
		expect(starts).toHaveLength(work.length);
	});

	test('reports how long a request waited and how many still wait', async () => {
		const pacer = new Pacer(1, 500);
		const first = await pacer.acquire();
		first.done();
		const second = pacer.acquire();
		const third = pacer.acquire();
		const { done: secondDone, ...secondWait } = await advanceUntil(second, 500);
		secondDone();
		const { done: thirdDone, ...thirdWait } = await advanceUntil(third, 500);
		thirdDone();
		expect([{ waitedMs: first.waitedMs, queued: first.queued }, secondWait, thirdWait]).toEqual([
			{ waitedMs: 0, queued: 0 },
			{ waitedMs: 500, queued: 1 },
			{ waitedMs: 1000, queued: 0 },
		]);
	});

	test('pause holds everything back until the given time', async () => {
		const pacer = new Pacer(100, 1000);
		pacer.pause(Date.now() + 4000);
		const { granted, all } = acquireAll(pacer, 2);
		await jest.advanceTimersByTimeAsync(5000);
		await all;
		expect(granted).toEqual([4000, 4000]);
	});

	test('an aborted wait leaves the queue without taking a slot', async () => {
		const pacer = new Pacer(1, 1000);
		(await pacer.acquire()).done();
		const controller = new AbortController();
		const aborted = pacer.acquire(controller.signal);
		const next = pacer.acquire();
		controller.abort(new Error('cancelled'));
		await expect(aborted).rejects.toThrow('cancelled');
		await jest.advanceTimersByTimeAsync(1000);
		await expect(next).resolves.toMatchObject({ waitedMs: 1000, queued: 0 });
	});

	test('a slot stays taken until a window after its request is answered, not after its grant', async () => {
		const pacer = new Pacer(1, 1000);
		const first = await pacer.acquire();
		const { granted, all } = acquireAll(pacer, 1);
		// answered 700 ms after its grant: the next request may start 1000 ms after that answer
		await jest.advanceTimersByTimeAsync(700);
		first.done();
		await jest.advanceTimersByTimeAsync(5000);
		await all;
		expect(granted).toEqual([1700]);
	});

	test('while every slot is in flight, the next request waits for an answer, however long', async () => {
		const pacer = new Pacer(2, 1000);
		const [a, b] = [await pacer.acquire(), await pacer.acquire()];
		const { granted, all } = acquireAll(pacer, 1);
		await jest.advanceTimersByTimeAsync(4000);
		expect(granted).toEqual([]);
		b.done();
		a.done();
		await jest.advanceTimersByTimeAsync(2000);
		await all;
		expect(granted).toEqual([5000]);
	});

	test('Kore, counting each request when it arrives, never sees more than the limit in a window, however late requests leave', async () => {
		// Between its grant and its arrival at Kore a request is signed and sent; on a busy host that takes from
		// nothing to most of a window, differently for each. Counted at the grant, a late request and an early
		// one behind it arrive closer than a window apart (Kore's 429).
		const pacer = new Pacer(5, 1000);
		const arrivals: number[] = [];
		let seed = 7;
		const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
		const send = async () => {
			const slot = await pacer.acquire();
			await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 800)));
			arrivals.push(Date.now());
			await new Promise((resolve) => setTimeout(resolve, 10));
			slot.done();
		};
		const work = Array.from({ length: 40 }, () => send());
		await jest.advanceTimersByTimeAsync(60_000);
		await Promise.all(work);
		arrivals.sort((x, y) => x - y);
		expect(arrivals).toHaveLength(40);
		const closest = Math.min(...arrivals.slice(5).map((at, i) => at - arrivals[i]));
		expect(closest).toBeGreaterThanOrEqual(1000);
	});

	test('one pacer per host and account, shared by every caller in the process', () => {
		const a = pacerFor('https://h', 'acc-shared', 60, 60_000);
		expect(pacerFor('https://h', 'acc-shared', 60, 60_000)).toBe(a);
		expect(pacerFor('https://h', 'acc-other', 60, 60_000)).not.toBe(a);
		expect(pacerFor('https://other', 'acc-shared', 60, 60_000)).not.toBe(a);
		expect(a.windowMs).toBe(Math.round(60_000 * (1 + WINDOW_MARGIN)));
		pacerFor('https://h', 'acc-shared', 30, 60_000);
		expect(a.limit).toBe(30);
	});

	test('a fractional limit never disables pacing: whole requests only, at least one per window', async () => {
		const pacer = pacerFor('https://h', 'acc-fraction', 1.5, 1000);
		expect(pacer.limit).toBe(1);
		const { granted, all } = acquireAll(pacer, 3);
		await jest.advanceTimersByTimeAsync(5000);
		await all;
		expect(granted).toEqual([0, 1020, 2040]);
	});

	test('two credentials for one account: the lowest limit in use applies, whichever registered last', async () => {
		const low = pacerFor('https://h', 'acc-two', 2, 1000, 'credential-low');
		const high = pacerFor('https://h', 'acc-two', 100, 1000, 'credential-high');
		expect(high).toBe(low);
		expect(high.limit).toBe(2);
		const { granted, all } = acquireAll(high, 4, 'credential-high');
		await jest.advanceTimersByTimeAsync(5000);
		await all;
		expect(granted).toEqual([0, 0, 1020, 1020]);
		// The low-limit credential has not been used for a whole window: it no longer holds the others back.
		await jest.advanceTimersByTimeAsync(3000);
		expect(pacerFor('https://h', 'acc-two', 100, 1000, 'credential-high').limit).toBe(100);
		// Using it again brings its limit back; editing a credential replaces its own limit.
		expect(pacerFor('https://h', 'acc-two', 2, 1000, 'credential-low').limit).toBe(2);
		expect(pacerFor('https://h', 'acc-two', 50, 1000, 'credential-low').limit).toBe(50);
	});

	test('a credential with requests still queued keeps its limit, however long they wait', async () => {
		const pacer = pacerFor('https://h', 'acc-queued', 1, 1000, 'slow');
		const { granted, all } = acquireAll(pacer, 5, 'slow'); // 5 requests at 1 per window: the last waits 4 windows
		await jest.advanceTimersByTimeAsync(2500);
		expect(pacerFor('https://h', 'acc-queued', 100, 1000, 'fast').limit).toBe(1);
		await jest.advanceTimersByTimeAsync(5000);
		await all;
		expect(granted).toEqual([0, 1020, 2040, 3060, 4080]);
	});
});

describe('Pacer with a rate learned from Kore\'s refusals', () => {
	test('spaces requests evenly at the learned rate, under the credential\'s limit', async () => {
		const pacer = new Pacer(100, 1000);
		pacer.learn(() => ({ state: { rate: 4, lastUsed: Date.now(), measured: true } }));
		const { granted, all } = acquireAll(pacer, 4);
		await jest.advanceTimersByTimeAsync(5000);
		await all;
		expect(granted).toEqual([0, 250, 500, 750]);
	});

	test('hands the rule what Kore accepted in the last window: refused and unanswered requests do not count', async () => {
		const pacer = new Pacer(100, 1000);
		const slots = await Promise.all([1, 2, 3, 4].map(() => pacer.acquire()));
		slots[0].done(true);
		await jest.advanceTimersByTimeAsync(300);
		slots[1].done(true);
		slots[2].done(false);
		slots[3].done();
		const seen: unknown[] = [];
		pacer.learn((state, recent) => (seen.push(recent), { state }));
		expect(seen).toEqual([{ accepted: 2, oldest: 1_000_000 }]);
		// a window later they have left it
		await jest.advanceTimersByTimeAsync(1000);
		pacer.learn((state, recent) => (seen.push(recent), { state }));
		expect(seen[1]).toEqual({ accepted: 0, oldest: undefined });
	});

	test('forgotten after a quiet period: the rolling window of the credential\'s limit again', async () => {
		const pacer = new Pacer(3, 1000);
		pacer.learn(() => ({ state: { rate: 1, lastUsed: Date.now(), measured: true } }));
		await jest.advanceTimersByTimeAsync(10 * 1000 + 1);
		const { granted, all } = acquireAll(pacer, 3);
		await jest.advanceTimersByTimeAsync(1000);
		await all;
		expect(granted).toEqual([0, 0, 0]);
	});
});
