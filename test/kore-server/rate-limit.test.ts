/**
 * Per-account rate limiting of the local Kore server (Kore: 60 requests per minute per account).
 * Short windows keep these tests fast.
 */
import { ACCOUNT, BASE, RATE_LIMIT_MESSAGE, call, contactInput, seedContacts, sleep, start, token } from './helpers';

const OTHER = { accountId: '65f7d49a5dd06e2cefa00003', clientId: 'cs-other', clientSecret: 'other-secret-abcdefghijklmnopqrstuvwxyz01' };

test('defaults: 60 per minute, 429 with Kore’s message, no Retry-After', async () => {
	const s = await start();
	try {
		const statuses: number[] = [];
		for (let i = 0; i < 61; i++) statuses.push((await call(s, 'GET', BASE)).status);
		expect(statuses.slice(0, 60).every((x) => x === 200)).toBe(true);
		const r = await call(s, 'GET', BASE);
		expect(r.status).toBe(429);
		expect(r.json).toEqual({ errors: [{ msg: RATE_LIMIT_MESSAGE, code: 429 }] });
		expect(r.headers.get('retry-after')).toBeNull();
		expect(s.requests.at(-1)).toMatchObject({ status: 429, rateLimited: true });
		expect(s.stats().rateLimited).toBe(2);
	} finally {
		await s.close();
	}
});

test('sliding window: the request after the limit is refused until the oldest leaves the window', async () => {
	const s = await start({ rateLimit: { limit: 3, windowMs: 300 } });
	try {
		for (let i = 0; i < 3; i++) expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect((await call(s, 'GET', BASE)).status).toBe(429);
		await sleep(320);
		expect((await call(s, 'GET', BASE)).status).toBe(200);
	} finally {
		await s.close();
	}
});

test('fixed window, custom status and Retry-After (seconds, rounded up)', async () => {
	const s = await start({ rateLimit: { limit: 2, windowMs: 1500, mode: 'fixed', status: 503, retryAfter: true } });
	try {
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		const r = await call(s, 'GET', BASE);
		expect(r.status).toBe(503);
		expect(r.json.errors[0].msg).toBe(RATE_LIMIT_MESSAGE);
		expect(r.headers.get('retry-after')).toBe('2');
	} finally {
		await s.close();
	}
});

test('a rate-limited request changes no data', async () => {
	const s = await start({ rateLimit: { limit: 1, windowMs: 60000 }, contacts: seedContacts(2) });
	try {
		const [a] = s.contacts('st-test-0001');
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect((await call(s, 'POST', BASE, { body: [contactInput(50)] })).status).toBe(429);
		expect((await call(s, 'DELETE', `${BASE}/${a.id}`)).status).toBe(429);
		expect((await call(s, 'DELETE', `${BASE}/bulk-delete`, { body: { ids: [a.id] } })).status).toBe(429);
		expect((await call(s, 'PUT', `${BASE}/${a.id}`, { body: { firstName: 'X' } })).status).toBe(429);
		expect(s.contacts('st-test-0001')).toEqual(seedContacts(2).map((_, i) => expect.objectContaining({ firstName: `First${i}`, status: 'ACTIVE' })));
	} finally {
		await s.close();
	}
});

test('limits are per account; every authenticated request counts (errors too), unauthenticated ones do not', async () => {
	const s = await start({ accounts: [ACCOUNT, OTHER], rateLimit: { limit: 2, windowMs: 60000 } });
	try {
		expect((await call(s, 'GET', BASE, { token: null })).status).toBe(401);
		expect((await call(s, 'DELETE', `${BASE}/unknown`)).status).toBe(404);
		expect((await call(s, 'POST', BASE, { body: {} })).status).toBe(412);
		expect((await call(s, 'GET', BASE)).status).toBe(429);
		const other = await call(s, 'GET', '/agentassist/api/v1/public/st-o/contacts', {
			accountId: OTHER.accountId,
			token: await token({ appId: OTHER.clientId, secret: OTHER.clientSecret }),
		});
		expect(other.status).toBe(200);
	} finally {
		await s.close();
	}
});

test('setRateLimit changes the limit at run time and forgets counts; limit 0 turns it off', async () => {
	const s = await start({ rateLimit: { limit: 1, windowMs: 60000 } });
	try {
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect((await call(s, 'GET', BASE)).status).toBe(429);
		s.setRateLimit({ limit: 0 });
		for (let i = 0; i < 5; i++) expect((await call(s, 'GET', BASE)).status).toBe(200);
		s.setRateLimit({ limit: 2 });
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect((await call(s, 'GET', BASE)).status).toBe(429);
		s.reset(); // back to the start options: limit 1
		expect((await call(s, 'GET', BASE)).status).toBe(200);
		expect((await call(s, 'GET', BASE)).status).toBe(429);
	} finally {
		await s.close();
	}
});
