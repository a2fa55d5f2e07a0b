import { contactsPath, encodeSegment } from '../../../../nodes/KoreContacts/transport';
import { runWorkflow } from '../../../helpers/engine';
import { fakeStream } from '../../../helpers/fake-stream';
import { BASE, CREDENTIALS, SECRET, contact, koreError, scriptedKore } from '../../../helpers/kore';
import { networkFailure } from '../../../helpers/network';

const STREAM = 'st-7dc994f0-4436-5134-9fa8-a942625a1b2c';

/** Records every request to the Kore host, answering with `reply`. */
function recordRequests(reply: (path: string) => [number, unknown] = () => [200, contact('x')]) {
	return scriptedKore((request) => reply(request.path));
}

describe('URL building', () => {
	test('contactsPath encodes every segment on its own', () => {
		expect(contactsPath('st-1')).toBe(`${BASE}/st-1/contacts`);
		expect(contactsPath('st 1', ['a/b'])).toBe(`${BASE}/st%201/contacts/a%2Fb`);
		expect(contactsPath('st-1', ['bulk-delete'])).toBe(`${BASE}/st-1/contacts/bulk-delete`);
	});

	test.each(['', '.', '..'])('refuses %p as a path segment', (value) => {
		expect(() => encodeSegment(value)).toThrow();
	});

	test.each([
		['../x', '..%2Fx'],
		['a/b', 'a%2Fb'],
		['a?b', 'a%3Fb'],
		['a#b', 'a%23b'],
		['%2F', '%252F'],
		['../../bulk-delete', '..%2F..%2Fbulk-delete'],
		['x y+z&=', 'x%20y%2Bz%26%3D'],
	])('a Contact ID %p reaches only …/contacts/%s', async (contactId, encoded) => {
		const seen = recordRequests();
		const { error } = await runWorkflow('delete-contact.json', {
			credentials: CREDENTIALS,
			node: { parameters: { contactId } },
		});
		expect(error).toBeUndefined();
		expect(seen).toEqual([expect.objectContaining({ method: 'DELETE', path: `${BASE}/${STREAM}/contacts/${encoded}` })]);
	});

	test('a Stream ID with a slash cannot escape its segment either', async () => {
		const seen = recordRequests();
		await runWorkflow('delete-contact.json', {
			credentials: CREDENTIALS,
			node: { parameters: { streamId: 'st-1/../../other' } },
		});
		expect(seen.map((r) => r.path)).toEqual([`${BASE}/st-1%2F..%2F..%2Fother/contacts/69609027c1746a61429a1b2c`]);
	});

	test('sends the documented headers: auth (a JWT), accountId, Content-Type', async () => {
		const seen = recordRequests();
		await runWorkflow('delete-contact.json', { credentials: CREDENTIALS });
		const headers = seen[0].headers;
		expect(headers.auth).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
		expect(headers.accountid).toBe(CREDENTIALS.accountId);
		expect(headers['content-type']).toMatch(/^application\/json/);
		expect(headers.authorization).toBeUndefined();
	});

	test('uses the host as typed, with spaces and trailing slashes tolerated', async () => {
		const seen = recordRequests();
		await runWorkflow('delete-contact.json', { credentials: { ...CREDENTIALS, host: `  ${CREDENTIALS.host}//  ` } });
		expect(seen).toHaveLength(1);
	});

	test('a fractional Requests per Minute is refused before any request, naming the field', async () => {
		const seen = recordRequests();
		const { error } = await runWorkflow('delete-contact.json', {
			credentials: { ...CREDENTIALS, accountId: 'acc-fraction', requestsPerMinute: 1.5 },
		});
		expect(error?.message).toBe('The Kore credential\'s "Requests per Minute" must be a whole number of 1 or more (got 1.5). Fix it in the credential.');
		expect(seen).toHaveLength(0);
	});

	test('a plain http host is refused before any request, saying why', async () => {
		const seen = recordRequests();
		const { error } = await runWorkflow('delete-contact.json', {
			credentials: { ...CREDENTIALS, host: 'http://platform.kore.ai' },
		});
		expect(error?.message).toMatch(/plain http:\/\//);
		expect(seen).toHaveLength(0);
	});
});

describe('Kore errors', () => {
	test.each([
		[400, koreError('Bad request: ids must be an array', 400), 'Bad request: ids must be an array (HTTP 400)', /Kore rejected the values/],
		[401, koreError('Invalid JWT token', 4002), 'Invalid JWT token (HTTP 401)', /Client ID and Client Secret.*Account ID.*"Configuration" API scope.*Stream ID/s],
		[401, { errors: [{ message: 'Invalid SDK credentials', code: 401 }] }, 'Invalid SDK credentials (HTTP 401)', /Client Secret/],
		[403, koreError('Permission denied. Scope is incorrect!', 403), 'Permission denied. Scope is incorrect! (HTTP 403)', /API scope/],
		[404, koreError('Contact not found', 404), 'Contact not found (HTTP 404)', /No contact with ID "69609027c1746a61429a1b2c".*already deleted/],
		[405, koreError('Method Not Allowed', 405), 'Method Not Allowed (HTTP 405)', undefined],
		[412, koreError('Validation errors/ Invalid arguments', 412), 'Validation errors/ Invalid arguments (HTTP 412)', /digits only/],
		[500, koreError('Internal server error', 500), 'Internal server error (HTTP 500)', /Kore had a problem/],
		[502, '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>', '502 Bad Gateway nginx (HTTP 502)', /Kore had a problem/],
		[418, '', 'No response body (HTTP 418)', undefined],
		[409, { errors: [{ msg: 'Phone number already exists' }, { msg: 'second' }] }, 'Phone number already exists; second (HTTP 409)', undefined],
	])('HTTP %i becomes Kore\'s words plus the status', async (status, body, message, hint) => {
		scriptedKore(() => [status, body]);
		const { error, run } = await runWorkflow('delete-contact.json', {
			credentials: CREDENTIALS,
			node: { parameters: { options: { maxRetries: 0 } } },
		});
		expect(error?.message).toBe(message);
		if (hint) expect(error?.description).toMatch(hint);
		expect(error?.httpCode).toBe(String(status));
		const everything = JSON.stringify(run);
		expect(everything).not.toContain(SECRET);
		expect(everything).not.toMatch(/eyJhbGciOi/); // no JWT (header {"alg":…) anywhere in the run
	});

	test('HTTP 429 with Max Rate-Limit Wait 0 fails at once, saying it was rate-limited', async () => {
		const message = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.";
		scriptedKore(() => [429, koreError(message, 429), { 'Retry-After': '30' }]);
		const { error, run } = await runWorkflow('delete-contact.json', {
			credentials: CREDENTIALS,
			node: { parameters: { options: { maxRateLimitWait: 0 } } },
		});
		expect(error?.message).toBe(`Rate-limited by Kore: ${message} (HTTP 429). Gave up after waiting 0.0 s in total for the limit to reset.`);
		expect(error?.description).toMatch(/60 requests per minute per account/);
		expect(error?.httpCode).toBe('429');
		expect(JSON.stringify(run)).not.toContain(SECRET);
	});

	test('a connection failure names the host and keeps the token out of the run data', async () => {
		networkFailure('DELETE', /.*/, 'ENOTFOUND', { times: 10 });
		const { error, run } = await runWorkflow('delete-contact.json', {
			credentials: CREDENTIALS,
			node: { parameters: { options: { maxRetries: 0 } } },
		});
		expect(error?.message).toBe(`Could not reach Kore at ${CREDENTIALS.host}: no server with this name was found`);
		expect(error?.description).toMatch(/^Check the credential's Environment \(or its Custom URL\)/);
		const everything = JSON.stringify(run);
		expect(everything).not.toContain(SECRET);
		expect(everything).not.toMatch(/eyJhbGciOi/);
	});
});

describe('the rate learned from Kore\'s refusals', () => {
	test('a burst of executions shares what one execution learned: they start spaced at that rate, not all at once', async () => {
		// the credential says 100 per 3 s; Kore takes 5 per second (15 per 3 s)
		const stream = fakeStream(150);
		stream.server.setRateLimit({ limit: 5, windowMs: 1000 });
		const credentials = { ...CREDENTIALS, requestsPerMinute: 100, rateLimitWindowMs: 3000 };
		const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ stream: 'st-1', koreId: `c${from + i}` }));
		const first = await runWorkflow('delete-from-items.json', { credentials, items: items(0, 12) });
		expect(first.error).toBeUndefined();
		expect(first.outputs[0]).toHaveLength(12);
		const learned = first.logs.map((line) => line.message).filter((message) => /learned rate for account acc-0001/.test(message));
		expect(learned[0]).toMatch(/: 100 → 4\.3 requests per 3\.0 s \(Kore refused a request after accepting 5 in the last window\)/);
		expect(learned[1]).toMatch(/: 4\.3 → [\d.]+ requests per 3\.0 s \(Kore accepted 5 in [\d.]+ s before accepting more\)/);

		const before = stream.server.requests.length;
		const burst = await Promise.all([0, 1, 2, 3].map((k) => runWorkflow('delete-from-items.json', { credentials, items: items(100 + 10 * k, 5) })));
		burst.forEach((run, k) => {
			expect(run.error).toBeUndefined();
			expect(run.outputs[0].map((item) => item.json.id)).toEqual(items(100 + 10 * k, 5).map((item) => item.koreId));
		});
		const sent = stream.server.requests.slice(before);
		expect(sent.filter((request) => request.rateLimited).length).toBeLessThanOrEqual(1);
		// unlearned, 16 requests (4 executions, 4 items at a time) would start at once
		expect(sent[4].at - sent[0].at).toBeGreaterThanOrEqual(600);
	}, 30_000);
});
