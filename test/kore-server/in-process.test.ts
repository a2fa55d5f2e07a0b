/**
 * What a caller in the server's own process can do (the tests' fake Kore relies on it): hooks that hold or
 * answer requests, options changed while it runs, contacts changed as another system would, seed data Kore's
 * API would refuse, chosen ids.
 */
import { BASE, STREAM, call, contactInput, seedContacts, sleep, start, type KoreServer } from './helpers';

let server: KoreServer;
let created = 0;
beforeAll(async () => {
	server = await start({ contacts: seedContacts(3), newId: () => `made-${++created}` });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('hooks', () => {
	test('see each request after its body is read, with its route, before it is authenticated', async () => {
		const seen: unknown[] = [];
		server.intercept((request) => void seen.push([request.method, request.route, request.query, request.body, request.headers.accountid]));
		await call(server, 'PUT', `${BASE}/c%2F1`, { body: { firstName: 'X' }, query: '?a=1', token: null });
		expect(seen).toEqual([['PUT', { kind: 'update', streamId: STREAM, id: 'c/1' }, { a: '1' }, { firstName: 'X' }, expect.any(String)]]);
		expect(server.requests.at(-1)).toMatchObject({ status: 401, authError: 'no-token' });
	});

	test('may hold a request back: its change is applied after the hook settles', async () => {
		const [a] = server.contacts(STREAM);
		let release!: () => void;
		server.intercept(() => new Promise<void>((resolve) => (release = resolve)));
		const pending = call(server, 'DELETE', `${BASE}/${a.id}`);
		await sleep(50);
		expect(server.contacts(STREAM)[0].status).toBe('ACTIVE');
		release();
		expect((await pending).status).toBe(200);
		expect(server.contacts(STREAM)[0].status).toBe('INACTIVE');
	});

	test('an action returned is the answer, applied as a fault rule’s; the first hook with one wins; reset() removes them', async () => {
		const [a] = server.contacts(STREAM);
		const order: string[] = [];
		server.intercept(() => void order.push('first'));
		server.intercept(() => (order.push('second'), { status: 503, headers: { 'x-hook': 'yes' } }));
		server.intercept(() => void order.push('third'));
		const r = await call(server, 'DELETE', `${BASE}/${a.id}`);
		expect([r.status, r.json, r.headers.get('x-hook'), order]).toEqual([503, { errors: [{ msg: 'Service Unavailable', code: 503 }] }, 'yes', ['first', 'second']]);
		expect(server.contacts(STREAM)[0].status).toBe('ACTIVE');
		expect(server.requests.at(-1)).toMatchObject({ status: 503, fault: 'status' });
		server.reset();
		expect((await call(server, 'DELETE', `${BASE}/${server.contacts(STREAM)[0].id}`)).status).toBe(200);
	});

	test('a { reset: "after" } action applies the change and drops the answer; the removal function removes one hook', async () => {
		const [a, b] = server.contacts(STREAM);
		const remove = server.intercept(() => ({ reset: 'after' }));
		await expect(call(server, 'DELETE', `${BASE}/${a.id}`)).rejects.toThrow();
		expect(server.contacts(STREAM)[0].status).toBe('INACTIVE');
		remove();
		expect((await call(server, 'DELETE', `${BASE}/${b.id}`)).status).toBe(200);
	});
});

describe('setOptions', () => {
	test('changes Get All while the server runs; reset() restores the starting options', async () => {
		const [a] = server.contacts(STREAM);
		await call(server, 'DELETE', `${BASE}/${a.id}`);
		server.setOptions({ listInactive: true, listTotals: false, pageSize: 2, maxPageSize: 2 });
		const page = await call(server, 'GET', BASE, { query: '?limit=50' });
		expect(page.json).toEqual({ results: [expect.objectContaining({ id: a.id, status: 'INACTIVE' }), expect.anything()], skip: 0, limit: 2, hasMore: true });
		server.reset();
		expect((await call(server, 'GET', BASE)).json).toMatchObject({ limit: 10, totalResults: 3 });
	});

	test('refuses options that shape the listener or the log, and bad values', () => {
		expect(() => server.setOptions({ port: 1 } as never)).toThrow(/cannot change port/);
		expect(() => server.setOptions({ inactiveIds: 'gone' as never })).toThrow(/inactiveIds/);
	});
});

describe('changes made as another system would', () => {
	test('update, delete and add follow Kore’s rules, without a request', async () => {
		const [a, b] = server.contacts(STREAM);
		expect(server.updateContact(STREAM, a.id, { lastName: 'Else' })).toMatchObject({ lastName: 'Else', fullName: 'First0 Else' });
		expect(() => server.updateContact(STREAM, a.id, { cellPhone: { phoneNumber: b.cellPhone.phoneNumber.slice(3) } })).toThrow(/already exists/);
		expect(server.deleteContact(STREAM, b.id).status).toBe('INACTIVE');
		expect(() => server.deleteContact(STREAM, b.id)).toThrow(/no ACTIVE contact/);
		// b's number is free again
		const [added] = server.addContacts([{ streamId: STREAM, ...contactInput(1) }]);
		expect(added.cellPhone.phoneNumber).toBe(b.cellPhone.phoneNumber);
		expect(() => server.addContacts([{ streamId: STREAM, ...contactInput(1) }])).toThrow(/already exists/);
		expect(server.requests).toEqual([]);
		server.reset();
		expect(server.contacts(STREAM).map((c) => c.lastName)).toEqual(['Last0', 'Last1', 'Last2']);
	});

	test('an asStored seed keeps a number another contact has, or one without a country code; its id must still be new', async () => {
		const taken = server.contacts(STREAM)[0].cellPhone.phoneNumber;
		server.addContacts([
			{ streamId: STREAM, id: 'old-1', firstName: 'Old', cellPhone: { phoneNumber: taken, countryCode: '+91' }, asStored: true },
			{ streamId: STREAM, id: 'old-2', firstName: 'Bare', cellPhone: { phoneNumber: '41446681800', countryCode: '' }, asStored: true },
		]);
		const page = await call(server, 'GET', BASE);
		expect(page.json.results.slice(3).map((c: { id: string; cellPhone: unknown }) => [c.id, c.cellPhone])).toEqual([
			['old-1', { extension: '', phoneNumber: taken, countryCode: '+91' }],
			['old-2', { extension: '', phoneNumber: '41446681800', countryCode: '' }],
		]);
		expect(() => server.addContacts([{ streamId: STREAM, id: 'x', firstName: 'New', cellPhone: { phoneNumber: taken, countryCode: '+91' } }])).toThrow(/already exists/);
		expect(() => server.addContacts([{ streamId: STREAM, id: 'old-1', firstName: 'Again', cellPhone: { phoneNumber: '1', countryCode: '' }, asStored: true }])).toThrow(/old-1 already exists/);
	});
});

test('newId names the contacts Create makes', async () => {
	created = 0;
	const r = await call(server, 'POST', BASE, { body: [contactInput(10), contactInput(11)] });
	expect(r.json.map((c: { id: string }) => c.id)).toEqual(['made-1', 'made-2']);
});
