/**
 * The credential's Test button, run as n8n's CredentialsTester runs it (test/helpers/credential-test.ts), over real
 * HTTP against the local Kore-compatible server, which answers refused credentials with Kore's 401 bodies. Every
 * case has its own message; none holds the secret.
 */
import { createServer } from 'node:net';

import { demoSeed, startKoreServer } from '../../scripts/kore-server';
import type { KoreServer } from '../../scripts/kore-server';
import { runCredentialTest } from '../helpers/credential-test';

const seed = demoSeed({ clientSecret: 'demo-secret-for-the-credential-test-0123456789' });
const UNSCOPED = { accountId: seed.accountId, clientId: 'cs-unscoped-app', clientSecret: 'unscoped-secret-0123456789abcdefghij' };
let server: KoreServer;

beforeAll(async () => {
	server = await startKoreServer({
		...seed,
		accounts: [...seed.accounts, { ...UNSCOPED, streams: [seed.streamId], configurationScope: false }],
		rateLimit: { limit: 0 },
	});
});
afterAll(async () => await server.close());

function credential(overrides: Record<string, unknown> = {}) {
	return {
		host: 'custom',
		customHost: server.url,
		accountId: seed.accountId,
		clientId: seed.clientId,
		clientSecret: seed.clientSecret,
		testStreamId: seed.streamId,
		...overrides,
	};
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as { port: number };
	await new Promise((resolve) => probe.close(resolve));
	return port;
}

describe('the credential Test against a Kore-compatible server', () => {
	const results = new Map<string, { status: string; message: string; kind?: string }>();

	test('a correct credential succeeds, after one read of one contact of the stream', async () => {
		server.reset();
		const result = await runCredentialTest(credential());
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/^Connection successful/);
		expect(server.requests.map((r) => [r.method, r.path, r.query, r.status])).toEqual([
			['GET', `/agentassist/api/v1/public/${seed.streamId}/contacts`, { skip: '0', limit: '1' }, 200],
		]);
		results.set('ok', result);
	});

	test.each([
		['wrong secret', { clientSecret: 'not-the-secret-0123456789abcdefghijklmnop' }, 'bad-signature', 'token', /did not accept the Client ID and Client Secret.*same JWT app/],
		['unknown Client ID', { clientId: 'cs-nobody' }, 'unknown-appId', 'token', /did not accept the Client ID and Client Secret.*same JWT app/],
		['wrong account', { accountId: '65f7d49a5dd06e2cefffffff' }, 'account-mismatch', 'account', /refused the Account ID.*Check the Account ID/],
		['wrong stream', { testStreamId: 'st-not-this-apps-bot' }, 'unknown-stream', 'stream', /refused Stream ID "st-not-this-apps-bot".*Check the Stream ID/],
		['app without the Configuration scope', { clientId: UNSCOPED.clientId, clientSecret: UNSCOPED.clientSecret }, 'scope', 'stream', /refused Stream ID.*mapped to the "Configuration" API scope/],
	])('%s: its own message, without the secret', async (label, overrides, authError, kind, message) => {
		server.reset();
		const data = credential(overrides);
		const result = await runCredentialTest(data);
		expect(result).toMatchObject({ status: 'Error', kind });
		expect(result.message).toMatch(message);
		expect(server.requests.map((r) => r.authError)).toEqual([authError]);
		expect(result.message).not.toContain(String(data.clientSecret));
		results.set(label, result);
	});

	test('a host where nothing listens: not reachable, nothing else checked', async () => {
		const data = credential({ customHost: `http://127.0.0.1:${await closedPort()}` });
		const result = await runCredentialTest(data);
		expect(result).toEqual({ status: 'Error', kind: 'host', message: expect.stringMatching(/^Could not reach Kore at http:\/\/127\.0\.0\.1:\d+: the connection was refused\. Check the Custom URL, and that this n8n can reach that address/) });
		expect(result.message).not.toContain(seed.clientSecret);
		results.set('unreachable', result);
	});

	test('a host that is not Kore (its API path is unknown there)', async () => {
		server.reset();
		const result = await runCredentialTest(credential({ customHost: `${server.url}/not-kore` }));
		expect(result).toMatchObject({ status: 'Error', kind: 'host' });
		expect(result.message).toMatch(/answered, but not as Kore's Contacts API \(HTTP 404/);
		results.set('not kore', result);
	});

	test('every case above has a message of its own', () => {
		expect(results.size).toBe(8);
		const byKind = new Map<string, string[]>();
		for (const { kind, message } of results.values()) byKind.set(kind!, [...(byKind.get(kind!) ?? []), message]);
		expect([...byKind.keys()].sort()).toEqual(['account', 'host', 'ok', 'stream', 'token']);
		const all = [...results.values()].map((r) => r.message);
		expect(new Set(all).size).toBe(all.length - 1); // the two token refusals read alike, as they should
		expect(new Set([...results.values()].filter((r) => r.kind === 'host').map((r) => r.message.slice(0, 10))).size).toBe(2);
	});
});
