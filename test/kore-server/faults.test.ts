/**
 * Fault injection and latency of the local Kore server.
 */
import { BASE, RATE_LIMIT_MESSAGE, STREAM, call, contactInput, seedContacts, start, type KoreServer } from './helpers';

let server: KoreServer;
beforeAll(async () => {
	server = await start({ contacts: seedContacts(3) });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

test('a status fault answers its status, body and headers, `times` times, without touching data', async () => {
	const [a] = server.contacts(STREAM);
	server.addFault({ method: 'DELETE', path: BASE, times: 2, action: { status: 503, body: { errors: [{ msg: 'down', code: 503 }] }, headers: { 'x-fault': 'yes' } } });
	const get = await call(server, 'GET', BASE); // method does not match
	expect(get.status).toBe(200);
	for (let i = 0; i < 2; i++) {
		const r = await call(server, 'DELETE', `${BASE}/${a.id}`);
		expect(r.status).toBe(503);
		expect(r.json).toEqual({ errors: [{ msg: 'down', code: 503 }] });
		expect(r.headers.get('x-fault')).toBe('yes');
		expect(server.contacts(STREAM)[0].status).toBe('ACTIVE');
	}
	const third = await call(server, 'DELETE', `${BASE}/${a.id}`);
	expect(third.status).toBe(200);
	expect(server.requests.map((e) => e.fault ?? null)).toEqual([null, 'status', 'status', null]);
	expect(server.stats().faults).toEqual({ status: 2 });
});

test('a status fault without a body answers Kore’s error shape; faults are consumed in order', async () => {
	server.addFault({ path: /\/contacts$/, action: { status: 500 } });
	server.addFault({ path: /\/contacts$/, action: { status: 502 } });
	const first = await call(server, 'GET', BASE);
	expect([first.status, first.json]).toEqual([500, { errors: [{ msg: 'Internal Server Error', code: 500 }] }]);
	expect((await call(server, 'GET', BASE)).status).toBe(502);
	expect((await call(server, 'GET', BASE)).status).toBe(200);
});

test('reset before: the connection drops and nothing changes', async () => {
	server.addFault({ method: 'POST', action: 'reset' });
	await expect(call(server, 'POST', BASE, { body: [contactInput(100)] })).rejects.toThrow();
	expect(server.contacts(STREAM)).toHaveLength(3);
	expect(server.requests.at(-1)).toMatchObject({ fault: 'reset-before', status: null });
});

test('reset after: the change is applied but the answer is lost', async () => {
	const [a] = server.contacts(STREAM);
	server.addFault({ method: 'DELETE', action: { reset: 'after' } });
	await expect(call(server, 'DELETE', `${BASE}/${a.id}`)).rejects.toThrow();
	expect(server.contacts(STREAM)[0].status).toBe('INACTIVE');
	expect(server.requests.at(-1)).toMatchObject({ fault: 'reset-after', status: 200 });
	// the client's retry now sees the contact as already deleted
	expect((await call(server, 'DELETE', `${BASE}/${a.id}`)).status).toBe(404);
});

test('hang: no answer at all (the client times out); close() still returns promptly', async () => {
	const s = await start();
	s.addFault({ action: 'hang' });
	const t = Date.now();
	await expect(call(s, 'GET', BASE, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
	expect(Date.now() - t).toBeGreaterThanOrEqual(140);
	expect(s.requests.at(-1)).toMatchObject({ fault: 'hang', status: null });
	expect((await call(s, 'GET', BASE)).status).toBe(200);
	const c = Date.now();
	await s.close();
	expect(Date.now() - c).toBeLessThan(500);
});

test('rateLimitMessage: Kore’s rate-limit message under another status', async () => {
	server.addFault({ action: { rateLimitMessage: true, status: 200 } });
	const r = await call(server, 'GET', BASE);
	expect(r.status).toBe(200);
	expect(r.json).toEqual({ errors: [{ msg: RATE_LIMIT_MESSAGE, code: 429 }] });
});

test('invalid fault rules are refused', () => {
	expect(() => server.addFault({ action: 'explode' } as any)).toThrow();
	expect(() => server.addFault({ action: { status: 503 }, times: 0 })).toThrow();
});

test('latency: fixed and [min, max]', async () => {
	const s = await start({ latencyMs: 80 });
	try {
		let t = Date.now();
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect(Date.now() - t).toBeGreaterThanOrEqual(75);
		s.setLatency([20, 40]);
		const took: number[] = [];
		for (let i = 0; i < 5; i++) {
			t = Date.now();
			await call(s, 'GET', BASE);
			took.push(Date.now() - t);
		}
		// every request waits at least the new minimum; the quickest of five shows the old 80 ms is gone (a busy
		// machine adds its own delay to each, so no one request is held to an upper bound)
		expect(Math.min(...took)).toBeGreaterThanOrEqual(18);
		expect(Math.min(...took)).toBeLessThan(80);
	} finally {
		await s.close();
	}
});
