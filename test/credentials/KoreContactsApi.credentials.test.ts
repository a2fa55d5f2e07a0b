import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { KoreContactsApi } from '../../credentials/KoreContactsApi.credentials';
import { runCredentialTest } from '../helpers/credential-test';
import { BASE, CREDENTIALS, SECRET, contact, kore, verifyAuth } from '../helpers/kore';

const credential = new KoreContactsApi();

async function authenticate(overrides: Record<string, unknown> = {}, url = '/x') {
	if (typeof credential.authenticate !== 'function') throw new Error('authenticate must be a function');
	return await credential.authenticate({ ...CREDENTIALS, ...overrides }, { url } as IHttpRequestOptions);
}

describe('Kore.ai Contacts API credential', () => {
	test('keeps the public names workflows store', () => {
		expect(credential.name).toBe('koreContactsApi');
		expect(credential.displayName).toBe('Kore.ai Contacts API');
		expect(credential.properties.map((p) => p.name)).toEqual(
			expect.arrayContaining(['host', 'accountId', 'clientId', 'clientSecret']),
		);
		const host = credential.properties.find((p) => p.name === 'host');
		expect(host?.default).toBe('https://platform.kore.ai');
		for (const region of ['eu-platform', 'de-platform', 'au-platform', 'jp-platform', 'ind-platform', 'uae-platform']) {
			expect(host?.description).toContain(`https://${region}.kore.ai`);
		}
		const secret = credential.properties.find((p) => p.name === 'clientSecret');
		expect(secret?.typeOptions?.password).toBe(true);
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect(credential.icon).toEqual({ light: expect.stringMatching(/^file:.*\.svg$/), dark: expect.stringMatching(/^file:.*\.dark\.svg$/) });
	});

	test('signs an HS256 token with appId = client id that Kore can verify with the secret', async () => {
		const options = await authenticate();
		const headers = options.headers as Record<string, string>;
		expect(headers.accountId).toBe(CREDENTIALS.accountId);
		const { payload, protectedHeader } = await verifyAuth(headers.auth);
		expect(protectedHeader.alg).toBe('HS256');
		expect(payload.appId).toBe(CREDENTIALS.clientId);
		expect(typeof payload.iat).toBe('number');
		expect(typeof payload.exp).toBe('number');
		expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
		expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
		expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
		expect(payload.jti).toEqual(expect.any(String));
	});

	test('a token signed with another secret does not verify (the check above can fail)', async () => {
		const options = await authenticate({ clientSecret: 'some-other-secret-of-enough-length!!' });
		await expect(verifyAuth((options.headers as Record<string, string>).auth)).rejects.toThrow();
	});

	test('every request gets a new token with its own jti', async () => {
		const tokens = await Promise.all(Array.from({ length: 20 }, async () => (await authenticate()).headers!.auth as string));
		expect(new Set(tokens).size).toBe(20);
		expect(new Set(tokens.map((token) => decodeJwt(token).jti)).size).toBe(20);
		expect(decodeProtectedHeader(tokens[0]).typ).toBe('JWT');
	});

	test('never puts the secret itself in the request', async () => {
		const options = await authenticate();
		expect(JSON.stringify(options)).not.toContain(SECRET);
	});

	test('resolves relative URLs against the normalised host', async () => {
		expect((await authenticate({ host: '  https://eu-platform.kore.ai///  ' })).baseURL).toBe('https://eu-platform.kore.ai');
		expect((await authenticate({ host: 'de-platform.kore.ai' })).baseURL).toBe('https://de-platform.kore.ai');
		expect((await authenticate({ host: 'https://kore.internal.example/prefix/' })).baseURL).toBe(
			'https://kore.internal.example/prefix',
		);
		expect((await authenticate({}, 'https://elsewhere.example/x')).baseURL).toBeUndefined();
	});

	test.each(['http://platform.kore.ai', 'http://10.0.0.5:8080', 'http://127.example.com'])(
		'refuses plain http to %s with a clear message',
		async (host) => {
			await expect(authenticate({ host })).rejects.toThrow(/plain http:\/\/.*Kore requires https:\/\//);
		},
	);

	test.each(['http://localhost:3000', 'http://127.0.0.1:4010/', 'http://127.10.20.30', 'http://[::1]:9000'])(
		'accepts plain http to the loopback host %s',
		async (host) => {
			await expect(authenticate({ host })).resolves.toHaveProperty('baseURL', host.replace(/\/$/, ''));
		},
	);

	test.each([
		[{ host: '' }, /no Host/],
		[{ host: 'https://user:pw@platform.kore.ai' }, /without user name/],
		[{ host: 'https://platform.kore.ai/?x=1' }, /without user name, query/],
		[{ host: 'ftp://platform.kore.ai' }, /must start with https/],
		[{ host: 'https://' }, /not a valid URL/],
		[{ accountId: ' ' }, /no Account ID/],
		[{ clientId: '' }, /no Client ID/],
		[{ clientSecret: '' }, /no Client Secret/],
	])('explains a missing or malformed field (%o)', async (overrides, message) => {
		await expect(authenticate(overrides)).rejects.toThrow(message);
	});


	test('Requests per Minute takes whole numbers only, in the field and when read', async () => {
		const field = credential.properties.find((p) => p.name === 'requestsPerMinute');
		expect(field?.typeOptions).toEqual(expect.objectContaining({ minValue: 1, numberPrecision: 0 }));
		for (const bad of [1.5, 0, -3, '2.5', 'sixty']) {
			await expect(authenticate({ requestsPerMinute: bad })).rejects.toThrow(
				/^The Kore credential's "Requests per Minute" must be a whole number of 1 or more \(got /,
			);
		}
		await expect(authenticate({ requestsPerMinute: 30 })).resolves.toBeDefined();
		await expect(authenticate({ requestsPerMinute: '30' })).resolves.toBeDefined();
		await expect(authenticate({ requestsPerMinute: undefined })).resolves.toBeDefined(); // not set: Kore's 60
	});
});

describe('the credential Test, run the way n8n runs it', () => {
	test('succeeds only when Kore returns the stream\'s contacts, with a token Kore can verify', async () => {
		const tokens: string[] = [];
		kore()
			.get(`${BASE}/st-42/contacts`)
			.query({ skip: 0, limit: 1 })
			.matchHeader('accountId', CREDENTIALS.accountId)
			.matchHeader('auth', (value) => tokens.push(String(value)) > 0)
			.reply(200, { results: [contact('c1')], skip: 0, limit: 1, hasMore: false, totalPages: 1, totalResults: 1 });
		const result = await runCredentialTest({ ...CREDENTIALS, host: ` ${CREDENTIALS.host}/ `, testStreamId: ' st-42 ' });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(tokens).toHaveLength(1);
		await expect(verifyAuth(tokens[0])).resolves.toBeDefined();
	});

	test('without a stream it cannot succeed, and says what was not checked', async () => {
		kore()
			.get(`${BASE}/no-stream-id-entered/contacts`)
			.query(true)
			.times(2) // n8n sends a request that got 401 once more after re-authenticating
			.reply(401, { errors: [{ msg: 'Invalid SDK credentials', code: 4002 }] });
		const result = await runCredentialTest({ ...CREDENTIALS });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Kore answered at this Host.*cannot confirm the Client ID, Client Secret and Account ID/);
	});

	test('a wrong secret is reported as refused credentials', async () => {
		kore().get(`${BASE}/st-42/contacts`).query(true).times(2).reply(401, { errors: [{ msg: 'Invalid JWT token', code: 4002 }] });
		const result = await runCredentialTest({ ...CREDENTIALS, testStreamId: 'st-42', clientSecret: 'wrong' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('check the Client ID and Client Secret');
		expect(result.message).not.toContain('wrong');
	});

	test('a host that is not Kore (404) is reported as such', async () => {
		kore().get(/.*/).query(true).reply(404, '<html>Not Found</html>');
		const result = await runCredentialTest({ ...CREDENTIALS, testStreamId: 'st-42' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/check that the Host is your Kore platform URL/) });
	});

	test('a plain http host fails the Test with the same clear message, before any request', async () => {
		const result = await runCredentialTest({ ...CREDENTIALS, host: 'http://platform.kore.ai', testStreamId: 'st-42' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/plain http:\/\//);
	});
});
