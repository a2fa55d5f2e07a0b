import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

import { KoreContactsApi } from '../../credentials/KoreContactsApi.credentials';
import { applyCredentialDefaults } from '../../scripts/lib/engine';
import { runCredentialTest } from '../helpers/credential-test';
import { BASE, CREDENTIALS, SECRET, contact, freshKore, scriptedKore, verifyAuth } from '../helpers/kore';
import { networkFailure } from '../helpers/network';

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
			expect.arrayContaining(['host', 'accountId', 'clientId', 'clientSecret', 'testStreamId', 'requestsPerMinute']),
		);
		const secret = credential.properties.find((p) => p.name === 'clientSecret');
		expect(secret?.typeOptions?.password).toBe(true);
		expect(credential.documentationUrl).toMatch(/^https:\/\/[^#]+$/);
		expect(credential.icon).toEqual({ light: expect.stringMatching(/^file:.*\.svg$/), dark: expect.stringMatching(/^file:.*\.dark\.svg$/) });
	});

	test('the Environment is a list of Kore\'s regions plus "Custom URL", US by default', () => {
		const host = credential.properties.find((p) => p.name === 'host')!;
		expect(host.type).toBe('options');
		expect(host.default).toBe('https://platform.kore.ai');
		const values = (host.options as Array<{ value: string }>).map((o) => o.value);
		for (const region of ['platform', 'eu-platform', 'de-platform', 'au-platform', 'jp-platform', 'ind-platform', 'uae-platform']) {
			expect(values).toContain(`https://${region}.kore.ai`);
		}
		expect(values.at(-1)).toBe('custom');
		const custom = credential.properties.find((p) => p.name === 'customHost')!;
		expect(custom.displayOptions).toEqual({ show: { host: ['custom'] } });
	});

	test('the Stream ID is a required field, kept under its saved name testStreamId', () => {
		const stream = credential.properties.find((p) => p.name === 'testStreamId')!;
		expect(stream.displayName).toBe('Stream ID');
		expect(stream.required).toBe(true);
		expect((credential as ICredentialType).test).toBeUndefined(); // the node's credentialTest runs instead (see testedBy)
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

	test.each([
		[{ host: 'https://jp-platform.kore.ai' }, 'https://jp-platform.kore.ai'],
		[{ host: 'custom', customHost: ' https://kore.example.com/ ' }, 'https://kore.example.com'],
		[{ host: 'custom', customHost: 'http://127.0.0.1:5681' }, 'http://127.0.0.1:5681'],
	])('a chosen Environment or Custom URL is where requests go (%o)', async (fields, baseURL) => {
		expect((await authenticate(fields)).baseURL).toBe(baseURL);
	});

	test('"Custom URL" without a URL is refused with a clear message', async () => {
		await expect(authenticate({ host: 'custom', customHost: '' })).rejects.toThrow(/^The Kore credential has no Custom URL\. Enter the address you open Kore at/);
	});

	// Credentials saved before the Environment list held a URL typed by hand in `host`, and had no customHost.
	// n8n fills in defaults and drops hidden fields before the credential is used (applyCredentialDefaults does
	// the same), so this is what an old credential looks like to the node today.
	test.each([
		['a private install', 'https://kore.internal.example/prefix/', 'https://kore.internal.example/prefix'],
		['a regional host typed with a slash', 'https://eu-platform.kore.ai/', 'https://eu-platform.kore.ai'],
		['a bare host name', 'de-platform.kore.ai', 'https://de-platform.kore.ai'],
		['a local server', 'http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
	])('a credential saved with only a host URL (%s) keeps working', async (_label, saved, baseURL) => {
		const { testStreamId: _unused, ...rest } = { ...CREDENTIALS, testStreamId: undefined };
		const asSaved = applyCredentialDefaults(credential, { ...rest, host: saved });
		expect(asSaved.host).toBe(saved);
		expect(asSaved.customHost).toBeUndefined();
		const options = await credential.authenticate!(asSaved, { url: '/x' } as IHttpRequestOptions);
		expect((options as IHttpRequestOptions).baseURL).toBe(baseURL);
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
		[{ host: '' }, /no Environment/],
		[{ host: 'custom' }, /no Custom URL/],
		[{ host: 'https://user:pw@platform.kore.ai' }, /without a user name/],
		[{ host: 'https://platform.kore.ai/?x=1' }, /without a user name, a query/],
		[{ host: 'ftp://platform.kore.ai' }, /must start with https/],
		[{ host: 'https://' }, /not a web address/],
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
	const withStream = () => ({ ...CREDENTIALS, testStreamId: 'st-42' });

	test('succeeds only when Kore returns the stream\'s contacts, with a token Kore can verify', async () => {
		const seen = scriptedKore(() => [200, { results: [contact('c1')], skip: 0, limit: 1, hasMore: false, totalPages: 1, totalResults: 1 }]);
		const result = await runCredentialTest({ ...CREDENTIALS, host: ` ${CREDENTIALS.host}/ `, testStreamId: ' st-42 ' });
		expect(result).toMatchObject({ status: 'OK', message: expect.stringMatching(/^Connection successful/) });
		expect(seen.map((request) => [request.method, request.path, request.query.toString(), request.headers.accountid])).toEqual([
			['GET', `${BASE}/st-42/contacts`, 'skip=0&limit=1', CREDENTIALS.accountId],
		]);
		await expect(verifyAuth(seen[0].headers.auth)).resolves.toBeDefined();
	});

	test('a stream with no contacts yet is a success too', async () => {
		freshKore();
		expect(await runCredentialTest(withStream())).toMatchObject({ status: 'OK' });
	});

	test('without a Stream ID it asks for one, and sends nothing', async () => {
		const seen = scriptedKore(() => [200, { results: [] }]);
		const result = await runCredentialTest({ ...CREDENTIALS });
		expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/^Enter the Stream ID/) });
		expect(seen).toHaveLength(0);
	});

	test.each([
		['Invalid JWT token', 'token', /did not accept the Client ID and Client Secret.*same JWT app/],
		['Invalid SDK credentials', 'stream', /refused Stream ID "st-42".*Check the Stream ID/],
		['Permission denied. Scope is incorrect!', 'stream', /"Configuration" API scope/],
		['Invalid accountId', 'account', /refused the Account ID/],
		['Account not found', 'account', /refused the Account ID/],
		['Something else entirely', 'refused', /Check the Account ID, the Stream ID "st-42", and that the JWT app is mapped/],
	])('Kore\'s 401 "%s" is read as a %s refusal', async (msg, kind, message) => {
		scriptedKore(() => [401, { errors: [{ msg, code: 4002 }] }]);
		const result = await runCredentialTest(withStream());
		expect(result).toMatchObject({ status: 'Error', kind, message: expect.stringMatching(message) });
		expect(result.message).toContain(msg);
		expect(result.message).not.toContain(SECRET);
	});

	test('Kore\'s other key, "message", is read too', async () => {
		scriptedKore(() => [401, { errors: [{ message: 'Invalid JWT token', code: 4002 }] }]);
		expect(await runCredentialTest(withStream())).toMatchObject({ kind: 'token' });
	});

	test.each([
		[404, '<html>Not Found</html>'],
		[200, '<html><body>Welcome</body></html>'],
		[401, '<html>Login required</html>'],
		[302, ''],
	])('a host that answers %s but not as Kore is reported as not a Kore host', async (status, body) => {
		scriptedKore(() => [status, body, status === 302 ? { location: 'https://login.example/' } : undefined]);
		const result = await runCredentialTest(withStream());
		expect(result).toMatchObject({ status: 'Error', kind: 'host', message: expect.stringMatching(/answered, but not as Kore's Contacts API/) });
	});

	test('a host name that does not resolve is reported as not reachable', async () => {
		networkFailure('GET', /.*/, 'ENOTFOUND', { host: 'https://no-such-host.invalid' });
		const result = await runCredentialTest({ ...withStream(), host: 'custom', customHost: 'https://no-such-host.invalid' });
		expect(result).toMatchObject({ status: 'Error', kind: 'host', message: expect.stringMatching(/^Could not reach Kore at https:\/\/no-such-host\.invalid/) });
	});

	test.each([
		[
			'a Custom URL',
			{ host: 'custom', customHost: 'https://kore.example.invalid' },
			'Could not reach Kore at https://kore.example.invalid: no server with this name was found. Check the Custom URL for a typing mistake: it is the address you open Kore at, e.g. https://kore.example.com.',
		],
		[
			'a region of the Environment list',
			{ host: 'https://eu-platform.kore.ai' },
			"Could not reach Kore at https://eu-platform.kore.ai: no server with this name was found. Kore's regional addresses exist, so check this n8n's internet access and DNS.",
		],
	])('a name that is not found, for %s: what to check, once, without the raw error code', async (_, fields, message) => {
		networkFailure('GET', /.*/, 'ENOTFOUND', { host: 'customHost' in fields ? fields.customHost : fields.host });
		const result = await runCredentialTest({ ...withStream(), ...fields });
		expect(result).toEqual({ status: 'Error', kind: 'host', message });
	});

	test('Kore\'s rate-limit answer and a 5xx are not mistaken for refused credentials', async () => {
		scriptedKore(() => [429, { errors: [{ msg: "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.", code: 429 }] }]);
		expect(await runCredentialTest(withStream())).toMatchObject({ kind: 'rateLimit' });
		scriptedKore(() => [503, { errors: [{ msg: 'Service Unavailable', code: 503 }] }]);
		expect(await runCredentialTest(withStream())).toMatchObject({ kind: 'koreError', message: expect.stringMatching(/HTTP 503/) });
	});

	test('a plain http host fails the Test with the same clear message, before any request', async () => {
		const result = await runCredentialTest({ ...withStream(), host: 'custom', customHost: 'http://platform.kore.ai' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/plain http:\/\//);
	});
});
