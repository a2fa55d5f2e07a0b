/**
 * The admin HTTP API (/__admin/…) and the CLI of the local Kore server, as a benchmark in another process uses them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ACCOUNT, BASE, STREAM, call, demoSeed, seedContacts, start, startKoreServer, token, type KoreServer } from './helpers';

async function admin(server: { url: string }, method: string, p: string, body?: unknown) {
	const res = await fetch(`${server.url}/__admin${p}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, json: (await res.json()) as any };
}

describe('admin API', () => {
	let server: KoreServer;
	beforeAll(async () => {
		server = await start({ contacts: seedContacts(4), rateLimit: { limit: 3, windowMs: 60000 } });
	});
	afterAll(() => server.close());
	beforeEach(() => server.reset());

	test('GET /__admin/requests: the log plus counters (total, by status, 429s); not itself logged', async () => {
		for (let i = 0; i < 4; i++) await call(server, 'GET', BASE);
		await call(server, 'GET', BASE, { token: null });
		const r = await admin(server, 'GET', '/requests');
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ total: 5, byStatus: { '200': 3, '429': 1, '401': 1 }, rateLimited: 1, logged: 5 });
		expect(r.json.requests.map((e: any) => e.status)).toEqual([200, 200, 200, 429, 401]);
		expect((await admin(server, 'GET', '/requests?limit=2')).json.requests).toHaveLength(2);
		expect((await admin(server, 'GET', '/requests?summary=1')).json.requests).toBeUndefined();
	});

	test('POST /__admin/faults (with pathRegex), GET and DELETE', async () => {
		const add = await admin(server, 'POST', '/faults', [
			{ method: 'get', pathRegex: '/contacts$', times: 1, action: { status: 503 } },
			{ path: '/agentassist', action: { reset: 'before' }, times: 2 },
		]);
		expect(add.status).toBe(200);
		expect(add.json.faults).toHaveLength(2);
		expect((await call(server, 'GET', BASE)).status).toBe(503);
		expect((await admin(server, 'GET', '/faults')).json.faults).toEqual([{ path: '/agentassist', times: 2, action: { reset: 'before' } }]);
		expect((await admin(server, 'DELETE', '/faults')).json.faults).toEqual([]);
		expect((await call(server, 'GET', BASE)).status).toBe(200);
		expect((await admin(server, 'POST', '/faults', { action: 'nonsense' })).status).toBe(400);
	});

	test('POST /__admin/rate-limit, GET /__admin/contacts, POST /__admin/reset', async () => {
		expect((await admin(server, 'POST', '/rate-limit', { limit: 1, retryAfter: true })).json).toMatchObject({ limit: 1, windowMs: 60000, retryAfter: true });
		const [a] = (await admin(server, 'GET', `/contacts?streamId=${STREAM}`)).json;
		expect((await call(server, 'DELETE', `${BASE}/${a.id}`)).status).toBe(200);
		const limited = await call(server, 'GET', BASE);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('60');
		const contacts = (await admin(server, 'GET', `/contacts?streamId=${STREAM}`)).json;
		expect(contacts.map((c: any) => c.status)).toEqual(['INACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
		expect(Object.keys((await admin(server, 'GET', '/contacts')).json)).toEqual([STREAM]);

		expect((await admin(server, 'POST', '/reset')).json).toEqual({ ok: true });
		expect((await admin(server, 'GET', `/contacts?streamId=${STREAM}`)).json.every((c: any) => c.status === 'ACTIVE')).toBe(true);
		expect((await admin(server, 'GET', '/requests')).json).toMatchObject({ total: 0, requests: [] });
		expect((await admin(server, 'GET', '/rate-limit')).json.limit).toBe(3);
	});

	test('unknown admin path → 404, wrong method → 405', async () => {
		expect((await admin(server, 'GET', '/nope')).status).toBe(404);
		expect((await admin(server, 'GET', '/reset')).status).toBe(405);
	});

	test('logLimit caps the log (oldest dropped) while counters keep counting', async () => {
		const s = await start({ logLimit: 3, rateLimit: { limit: 0 } });
		try {
			for (let i = 0; i < 5; i++) await call(s, 'GET', BASE, { query: `?skip=${i}` });
			expect(s.requests.map((e) => e.query.skip)).toEqual(['2', '3', '4']);
			expect(s.stats()).toMatchObject({ total: 5, logged: 3, dropped: 2 });
		} finally {
			await s.close();
		}
	});
});

describe('demoSeed', () => {
	test('is a ready-to-use option set: account, JWT app, stream and a handful of realistic contacts', async () => {
		const demo = demoSeed();
		expect(demo.streamId).toMatch(/^st-demo/);
		expect(demo.contacts.length).toBeGreaterThanOrEqual(5);
		const s = await startKoreServer(demo);
		try {
			const r = await call(s, 'GET', `/agentassist/api/v1/public/${demo.streamId}/contacts`, {
				accountId: demo.accountId,
				token: await token({ appId: demo.clientId, secret: demo.clientSecret }),
			});
			expect(r.status).toBe(200);
			expect(r.json.totalResults).toBe(demo.contacts.length);
			expect(new Set(r.json.results.map((c: any) => c.cellPhone.phoneNumber)).size).toBe(demo.contacts.length);
		} finally {
			await s.close();
		}
		expect(demoSeed({ count: 250 }).contacts).toHaveLength(250);
	});
});

describe('CLI', () => {
	let child: ChildProcessWithoutNullStreams | undefined;
	afterEach(() => {
		if (child && child.exitCode === null) child.kill('SIGKILL');
	});

	test('prints one JSON line with the url, serves the seeded stream, and exits 0 on SIGTERM', async () => {
		const cli = path.join(__dirname, '../../scripts/kore-server/cli.js');
		child = spawn(process.execPath, [cli, '--seed', '12', '--rate-limit', '2/60000', '--account-id', ACCOUNT.accountId, '--client-id', ACCOUNT.clientId, '--stream-id', STREAM], {
			env: { ...process.env, NODE_OPTIONS: '', KORE_CLIENT_SECRET: ACCOUNT.clientSecret },
		});
		const line = await new Promise<string>((resolve, reject) => {
			createInterface({ input: child!.stdout }).once('line', resolve);
			child!.once('exit', (code) => reject(new Error(`cli exited ${code}`)));
		});
		const info = JSON.parse(line);
		expect(info).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), port: expect.any(Number), accountId: ACCOUNT.accountId, clientId: ACCOUNT.clientId, streamId: STREAM });
		expect(line).not.toContain(ACCOUNT.clientSecret);

		const server = { url: info.url } as KoreServer;
		const r = await call(server, 'GET', BASE);
		expect(r.status).toBe(200);
		expect(r.json.totalResults).toBe(12);
		expect((await call(server, 'GET', BASE)).status).toBe(200);
		expect((await call(server, 'GET', BASE)).status).toBe(429);
		expect((await admin(server, 'GET', '/requests?summary=1')).json).toMatchObject({ total: 3, rateLimited: 1 });

		const exit = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
		child.kill('SIGTERM');
		expect(await exit).toBe(0);
	});
});
