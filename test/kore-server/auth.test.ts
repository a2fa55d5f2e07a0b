/**
 * Authentication of the local Kore server: `auth` JWT (HS256, appId = Client ID, signed with the Client Secret)
 * plus the `accountId` header; Enforce JTI; unknown streams.
 */
import { SignJWT, UnsecuredJWT } from 'jose';
import { ACCOUNT, BASE, call, start, token, type KoreServer } from './helpers';

const INVALID_JWT = { errors: [{ msg: 'Invalid JWT token', code: 4002 }] };
const INVALID_SDK = { errors: [{ msg: 'Invalid SDK credentials', code: 4002 }] };
const JTI_ACCOUNT = {
	accountId: '65f7d49a5dd06e2cefa00002',
	clientId: 'cs-test-app-jti',
	clientSecret: 'test-secret-jti-abcdefghijklmnopqrstuvwxyz',
	enforceJti: true,
};

let server: KoreServer;
beforeAll(async () => {
	server = await start({ accounts: [ACCOUNT, JTI_ACCOUNT] });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const now = () => Math.floor(Date.now() / 1000);

test('a valid token and accountId are accepted; the log keeps appId and jti but never the token or secret', async () => {
	const tok = await token({ jti: 'jti-visible-in-log' });
	const r = await call(server, 'GET', BASE, { token: tok });
	expect(r.status).toBe(200);
	const entry = server.requests.at(-1)!;
	expect(entry).toMatchObject({ method: 'GET', path: BASE, accountId: ACCOUNT.accountId, appId: ACCOUNT.clientId, jti: 'jti-visible-in-log', status: 200 });
	const log = JSON.stringify(server.requests);
	expect(log).not.toContain(tok);
	expect(log).not.toContain(tok.split('.')[2]);
	expect(log).not.toContain(ACCOUNT.clientSecret);
});

test.each([
	['expired', () => token({ iat: now() - 600, exp: now() - 60 }), 'expired'],
	['signed with another secret', () => token({ secret: 'not-the-secret-0123456789abcdefghijklmnop' }), 'bad-signature'],
	['HS384 instead of HS256', () => token({ alg: 'HS384' }), 'alg-not-allowed'],
	['HS512 instead of HS256', () => token({ alg: 'HS512' }), 'alg-not-allowed'],
	['unsigned (alg none)', async () => new UnsecuredJWT({ appId: ACCOUNT.clientId }).setIssuedAt().setExpirationTime('5m').encode(), 'alg-not-allowed'],
	['for an unknown appId', () => token({ appId: 'cs-nobody' }), 'unknown-appId'],
	['without appId', () => new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(ACCOUNT.clientSecret)), 'no-appId'],
	['not a JWT at all', async () => 'garbage', 'malformed'],
	['prefixed with "Bearer "', async () => `Bearer ${await token()}`, 'malformed'],
])('a token %s → 401 Invalid JWT token (code 4002)', async (_label, make, reason) => {
	const r = await call(server, 'GET', BASE, { token: await make() });
	expect(r.status).toBe(401);
	expect(r.json).toEqual(INVALID_JWT);
	expect(server.requests.at(-1)!.authError).toBe(reason);
});

test('missing auth header, Authorization: Bearer instead of auth, missing accountId → 401 Invalid SDK credentials; another account → 401 Invalid accountId', async () => {
	const noToken = await call(server, 'GET', BASE, { token: null });
	expect([noToken.status, noToken.json]).toEqual([401, INVALID_SDK]);
	const bearer = await call(server, 'GET', BASE, { token: null, headers: { authorization: `Bearer ${await token()}` } });
	expect([bearer.status, bearer.json]).toEqual([401, INVALID_SDK]);
	const noAccount = await call(server, 'GET', BASE, { accountId: null });
	expect([noAccount.status, noAccount.json]).toEqual([401, INVALID_SDK]);
	const otherAccount = await call(server, 'GET', BASE, { accountId: JTI_ACCOUNT.accountId });
	expect([otherAccount.status, otherAccount.json]).toEqual([401, { errors: [{ msg: 'Invalid accountId', code: 4002 }] }]);
	expect(server.requests.map((e) => e.authError)).toEqual(['no-token', 'no-token', 'no-accountId', 'account-mismatch']);
});

test('a stream the app is not mapped to → 401 Invalid SDK credentials; an app without a stream list accepts any stream', async () => {
	const r = await call(server, 'GET', '/agentassist/api/v1/public/st-someone-else/contacts');
	expect([r.status, r.json]).toEqual([401, INVALID_SDK]);
	const jtiApp = await call(server, 'GET', '/agentassist/api/v1/public/st-anything/contacts', {
		accountId: JTI_ACCOUNT.accountId,
		token: await token({ appId: JTI_ACCOUNT.clientId, secret: JTI_ACCOUNT.clientSecret }),
	});
	expect(jtiApp.status).toBe(200);
});

test('an app not mapped to the "Configuration" scope → 401 Permission denied. Scope is incorrect!', async () => {
	const unscoped = { accountId: ACCOUNT.accountId, clientId: 'cs-unscoped', clientSecret: 'unscoped-secret-0123456789abcdefghijklmnop', configurationScope: false };
	const own = await start({ accounts: [ACCOUNT, unscoped] });
	try {
		const r = await call(own, 'GET', BASE, { token: await token({ appId: unscoped.clientId, secret: unscoped.clientSecret }) });
		expect([r.status, r.json]).toEqual([401, { errors: [{ msg: 'Permission denied. Scope is incorrect!', code: 4002 }] }]);
		expect(own.requests.at(-1)!.authError).toBe('scope');
		expect((await call(own, 'GET', BASE)).status).toBe(200);
	} finally {
		await own.close();
	}
});

test('failed authentication changes nothing', async () => {
	const bad = await call(server, 'POST', BASE, {
		token: await token({ secret: 'wrong-secret-0123456789abcdefghijklmnopq' }),
		body: [{ firstName: 'A', lastName: 'B', salutation: 'Mr', cellPhone: { phoneNumber: '1', countryCode: '+1', extension: '+' } }],
	});
	expect(bad.status).toBe(401);
	expect(server.contacts('st-test-0001')).toHaveLength(0);
});

describe('Enforce JTI', () => {
	const jtiCall = async (opts: Parameters<typeof token>[0]) =>
		call(server, 'GET', '/agentassist/api/v1/public/st-j/contacts', {
			accountId: JTI_ACCOUNT.accountId,
			token: await token({ appId: JTI_ACCOUNT.clientId, secret: JTI_ACCOUNT.clientSecret, ...opts }),
		});

	test('accepts a fresh jti once and rejects its replay', async () => {
		expect((await jtiCall({ jti: 'once-only' })).status).toBe(200);
		const replay = await jtiCall({ jti: 'once-only' });
		expect([replay.status, replay.json]).toEqual([401, INVALID_JWT]);
		expect(server.requests.at(-1)!.authError).toBe('jti-replay');
		expect((await jtiCall({})).status).toBe(200);
	});

	test('rejects a token without jti, or living more than one hour (exp - iat > 3600), or without exp', async () => {
		const t = now();
		expect((await jtiCall({ jti: null })).status).toBe(401);
		expect((await jtiCall({ iat: t, exp: t + 3601 })).status).toBe(401);
		expect((await jtiCall({ exp: null })).status).toBe(401);
		expect(server.requests.map((e) => e.authError)).toEqual(['jti-missing', 'jti-lifetime-over-1h', 'jti-needs-iat-exp']);
		expect((await jtiCall({ iat: t, exp: t + 3600 })).status).toBe(200);
	});

	test('without Enforce JTI the same token may be reused, and jti is optional', async () => {
		const tok = await token({ jti: 'reused' });
		expect((await call(server, 'GET', BASE, { token: tok })).status).toBe(200);
		expect((await call(server, 'GET', BASE, { token: tok })).status).toBe(200);
		expect((await call(server, 'GET', BASE, { token: await token({ jti: null }) })).status).toBe(200);
	});
});
