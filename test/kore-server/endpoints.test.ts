/**
 * The seven Contacts endpoints of the local Kore server, pinned to Kore's documented shapes.
 */
import { ACCOUNT, BASE, STREAM, call, contactInput, seedContacts, start, type KoreServer } from './helpers';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const KORE_ID = /^[0-9a-f]{24}$/;
const CONTACT_KEYS = [
	'firstName',
	'lastName',
	'fullName',
	'salutation',
	'cellPhone',
	'status',
	'instanceBotId',
	'orgId',
	'accountId',
	'createdBy',
	'createdByAId',
	'address',
	'twitterDetails',
	'createdAt',
	'updatedAt',
	'id',
];

let server: KoreServer;
beforeAll(async () => {
	server = await start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('Create (POST /contacts)', () => {
	test('creates every contact of the array and answers them in Kore’s contact shape', async () => {
		const r = await call(server, 'POST', BASE, {
			body: [
				{ firstName: 'John', lastName: 'Doe', salutation: 'Mr', cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' } },
				contactInput(2),
			],
		});
		expect(r.status).toBe(200);
		expect(Array.isArray(r.json)).toBe(true);
		expect(r.json).toHaveLength(2);
		const c = r.json[0];
		expect(Object.keys(c)).toEqual(CONTACT_KEYS);
		expect(c).toMatchObject({
			firstName: 'John',
			lastName: 'Doe',
			fullName: 'John Doe',
			salutation: 'Mr',
			cellPhone: { extension: '+', phoneNumber: '+919876543210', countryCode: '+91' },
			status: 'ACTIVE',
			instanceBotId: STREAM,
			accountId: ACCOUNT.accountId,
			address: [],
			twitterDetails: [],
		});
		expect(c.id).toMatch(KORE_ID);
		expect(c.orgId).toMatch(/^o-/);
		expect(c.createdBy).toMatch(/^u-/);
		expect(c.createdByAId).toMatch(/^a-/);
		expect(c.createdAt).toMatch(ISO);
		expect(c.updatedAt).toBe(c.createdAt);
		expect(r.json[1].id).not.toBe(c.id);
		expect(server.contacts(STREAM).map((x: any) => x.id)).toEqual([c.id, r.json[1].id]);
	});

	test.each([
		['letters', '98765abcde'],
		['a + prefix', '+919876543210'],
		['spaces', '98765 43210'],
		['a dash', '98765-43210'],
		['a number instead of a string', 9876543210],
	])('rejects a phone number with %s with Kore’s 412 validation error, creating nothing', async (_label, phoneNumber) => {
		const r = await call(server, 'POST', BASE, {
			body: [contactInput(1), { ...contactInput(2), cellPhone: { phoneNumber, countryCode: '+91', extension: '+' } }],
		});
		expect(r.status).toBe(412);
		expect(r.json.errors[0]).toMatchObject({ msg: 'Validation errors/ Invalid arguments', code: 412 });
		expect(server.contacts(STREAM)).toHaveLength(0);
	});

	test('one number cannot belong to two contacts: against the stream and inside one batch', async () => {
		expect((await call(server, 'POST', BASE, { body: [contactInput(1)] })).status).toBe(200);
		const again = await call(server, 'POST', BASE, { body: [contactInput(5, { cellPhone: contactInput(1).cellPhone })] });
		expect(again.status).toBe(409);
		expect(again.json.errors[0].code).toBe(409);
		expect(again.json.errors[0].msg).toContain('+919000000001');
		const batch = await call(server, 'POST', BASE, { body: [contactInput(7), contactInput(8, { cellPhone: contactInput(7).cellPhone })] });
		expect(batch.status).toBe(409);
		expect(server.contacts(STREAM)).toHaveLength(1);
		// same name, different number: allowed
		expect((await call(server, 'POST', BASE, { body: [contactInput(9, { firstName: 'First1', lastName: 'Last1' })] })).status).toBe(200);
	});

	test('body errors: object instead of array → 412, malformed JSON → 400, non-JSON content type → 412, empty → 412', async () => {
		expect((await call(server, 'POST', BASE, { body: contactInput(1) })).status).toBe(412);
		const bad = await call(server, 'POST', BASE, { rawBody: '[{"firstName":', headers: { 'content-type': 'application/json' } });
		expect(bad.status).toBe(400);
		expect(bad.json.errors[0].code).toBe(400);
		expect((await call(server, 'POST', BASE, { rawBody: JSON.stringify([contactInput(1)]), headers: { 'content-type': 'text/plain' } })).status).toBe(412);
		expect((await call(server, 'POST', BASE, { body: [] })).status).toBe(412);
		expect((await call(server, 'POST', BASE, { body: [{ firstName: 'NoPhone', lastName: 'X', salutation: 'Mr' }] })).status).toBe(412);
		expect(server.contacts(STREAM)).toHaveLength(0);
	});

	test('requireAllFields (default) needs lastName, salutation and extension; off, only firstName and the phone', async () => {
		const minimal = { firstName: 'Min', cellPhone: { phoneNumber: '5550100', countryCode: '+1' } };
		const strict = await call(server, 'POST', BASE, { body: [minimal] });
		expect(strict.status).toBe(412);
		const lenient = await start({ requireAllFields: false });
		try {
			const r = await call(lenient, 'POST', BASE, { body: [minimal] });
			expect(r.status).toBe(200);
			expect(r.json[0]).toMatchObject({ fullName: 'Min', lastName: '', salutation: '', cellPhone: { phoneNumber: '+15550100', extension: '' } });
		} finally {
			await lenient.close();
		}
	});

	test('more than maxBulk contacts in one request is a 412 and creates nothing', async () => {
		const small = await start({ maxBulk: 3 });
		try {
			const r = await call(small, 'POST', BASE, { body: [1, 2, 3, 4].map((n) => contactInput(n)) });
			expect(r.status).toBe(412);
			expect(JSON.stringify(r.json)).toContain('at most 3');
			expect(small.contacts(STREAM)).toHaveLength(0);
			expect((await call(small, 'POST', BASE, { body: [1, 2, 3].map((n) => contactInput(n)) })).status).toBe(200);
		} finally {
			await small.close();
		}
	});
});

describe('Import CSV (POST /contacts/import-contacts)', () => {
	const csv = (text: string, field = 'result_file') => {
		const form = new FormData();
		form.append(field, new Blob([text], { type: 'text/csv' }), 'contacts.csv');
		return form;
	};
	const HEADER = 'firstName,lastName,salutation,cellPhoneNumber,cellPhoneCountryCode,cellPhoneExtension';

	test('creates one contact per CSV row from the multipart result_file field', async () => {
		const text = `\uFEFF${HEADER}\r\njohn,doe,Mr,9876500001,+91,+\r\n"Jane, Q.","O""Brien",Mrs,1234567890,91,91\r\n\r\n`;
		const r = await call(server, 'POST', `${BASE}/import-contacts`, { rawBody: csv(text) });
		expect(r.status).toBe(200);
		expect(r.json).toHaveLength(2);
		expect(r.json[0]).toMatchObject({ firstName: 'john', fullName: 'john doe', status: 'ACTIVE', cellPhone: { phoneNumber: '+919876500001', countryCode: '+91', extension: '+' } });
		expect(r.json[1]).toMatchObject({ firstName: 'Jane, Q.', lastName: 'O"Brien', cellPhone: { phoneNumber: '+911234567890', countryCode: '+91' } });
		expect(Object.keys(r.json[0])).toEqual(CONTACT_KEYS);
		expect(server.contacts(STREAM)).toHaveLength(2);
		const logged = server.requests.at(-1) as any;
		expect(logged.body.multipart[0]).toMatchObject({ name: 'result_file', filename: 'contacts.csv' });
	});

	test('rejects with 412: a non-digit number (no row created), a missing column, a wrong field, a JSON body', async () => {
		const bad = await call(server, 'POST', `${BASE}/import-contacts`, { rawBody: csv(`${HEADER}\na,b,Mr,5550001,+1,+\nc,d,Mr,555-0002,+1,+\n`) });
		expect(bad.status).toBe(412);
		expect(JSON.stringify(bad.json)).toContain('CSV row 3');
		expect(server.contacts(STREAM)).toHaveLength(0);
		const noCol = await call(server, 'POST', `${BASE}/import-contacts`, { rawBody: csv('firstName,lastName\na,b\n') });
		expect(noCol.status).toBe(412);
		expect(JSON.stringify(noCol.json)).toContain('cellPhoneNumber');
		expect((await call(server, 'POST', `${BASE}/import-contacts`, { rawBody: csv(`${HEADER}\na,b,Mr,5550001,+1,+\n`, 'file') })).status).toBe(412);
		expect((await call(server, 'POST', `${BASE}/import-contacts`, { body: [contactInput(1)] })).status).toBe(412);
		expect((await call(server, 'POST', `${BASE}/import-contacts`, { rawBody: csv(`${HEADER}\n`) })).status).toBe(412);
	});
});

describe('Get All (GET /contacts)', () => {
	test('answers Kore’s envelope, default page size 10, skip/limit paging', async () => {
		const s = await start({ contacts: seedContacts(23) });
		try {
			const first = await call(s, 'GET', BASE);
			expect(first.status).toBe(200);
			expect(Object.keys(first.json)).toEqual(['results', 'skip', 'limit', 'hasMore', 'totalPages', 'totalResults']);
			expect(first.json).toMatchObject({ skip: 0, limit: 10, hasMore: true, totalPages: 3, totalResults: 23 });
			expect(first.json.results).toHaveLength(10);
			expect(first.json.results[0]).toMatchObject({ firstName: 'First0', cellPhone: { phoneNumber: '+919000000000' } });
			expect(Object.keys(first.json.results[0])).toEqual(CONTACT_KEYS);

			const last = await call(s, 'GET', BASE, { query: '?skip=20&limit=10' });
			expect(last.json).toMatchObject({ skip: 20, limit: 10, hasMore: false, totalPages: 3, totalResults: 23 });
			expect(last.json.results.map((c: any) => c.firstName)).toEqual(['First20', 'First21', 'First22']);

			const beyond = await call(s, 'GET', BASE, { query: '?skip=50' });
			expect(beyond.json).toMatchObject({ results: [], hasMore: false, totalResults: 23 });

			// paging with hasMore visits every contact exactly once
			const seen: string[] = [];
			for (let skip = 0, more = true; more; skip += 7) {
				const page = await call(s, 'GET', BASE, { query: `?skip=${skip}&limit=7` });
				seen.push(...page.json.results.map((c: any) => c.id));
				more = page.json.hasMore;
			}
			expect(new Set(seen).size).toBe(23);
		} finally {
			await s.close();
		}
	});

	test('limit above maxPageSize is clamped (and echoed); invalid skip/limit → 412', async () => {
		const s = await start({ contacts: seedContacts(30), maxPageSize: 25 });
		try {
			const r = await call(s, 'GET', BASE, { query: '?limit=1000' });
			expect(r.json).toMatchObject({ limit: 25, hasMore: true, totalPages: 2 });
			expect(r.json.results).toHaveLength(25);
			for (const q of ['?limit=0', '?limit=-1', '?limit=abc', '?skip=-5', '?skip=1.5']) {
				expect((await call(s, 'GET', BASE, { query: q })).status).toBe(412);
			}
		} finally {
			await s.close();
		}
	});

	test('an empty stream has totalPages 0', async () => {
		const r = await call(server, 'GET', BASE);
		expect(r.json).toEqual({ results: [], skip: 0, limit: 10, hasMore: false, totalPages: 0, totalResults: 0 });
	});
});

describe('Update (PUT /contacts/{id})', () => {
	test('updates the given fields, derives fullName, stamps updatedBy/updatedByAId', async () => {
		const [c] = (await call(server, 'POST', BASE, { body: [contactInput(1)] })).json;
		await new Promise((r) => setTimeout(r, 5));
		const r = await call(server, 'PUT', `${BASE}/${c.id}`, { body: { lastName: 'Changed', cellPhone: { phoneNumber: '5550199', countryCode: '+1' } } });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({
			id: c.id,
			firstName: 'First1',
			lastName: 'Changed',
			fullName: 'First1 Changed',
			cellPhone: { phoneNumber: '+15550199', countryCode: '+1', extension: '+' },
			createdAt: c.createdAt,
		});
		expect(r.json.updatedBy).toMatch(/^u-/);
		expect(r.json.updatedByAId).toMatch(/^a-/);
		expect(r.json.updatedAt > c.updatedAt).toBe(true);
		expect(Object.keys(r.json)).toEqual([...CONTACT_KEYS.slice(0, -1), 'updatedBy', 'updatedByAId', 'id']);
		// the old number is free again, the new one is taken
		expect((await call(server, 'POST', BASE, { body: [contactInput(1)] })).status).toBe(200);
		expect((await call(server, 'POST', BASE, { body: [contactInput(3, { cellPhone: { phoneNumber: '5550199', countryCode: '+1', extension: '' } })] })).status).toBe(409);
	});

	test('unknown id → 404 in Kore’s error shape; taken number → 409; bad body → 412', async () => {
		const [a, b] = (await call(server, 'POST', BASE, { body: [contactInput(1), contactInput(2)] })).json;
		const missing = await call(server, 'PUT', `${BASE}/0123456789abcdef01234567`, { body: { firstName: 'X' } });
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({ errors: [{ msg: 'Contact not found: 0123456789abcdef01234567', code: 404 }] });
		const taken = await call(server, 'PUT', `${BASE}/${a.id}`, { body: { cellPhone: { phoneNumber: '9000000002' } } });
		expect(taken.status).toBe(409);
		expect(server.contacts(STREAM)[0].cellPhone.phoneNumber).toBe('+919000000001');
		expect((await call(server, 'PUT', `${BASE}/${b.id}`, { body: {} })).status).toBe(412);
		expect((await call(server, 'PUT', `${BASE}/${b.id}`, { body: [{ firstName: 'X' }] })).status).toBe(412);
		expect((await call(server, 'PUT', `${BASE}/${b.id}`, { body: { cellPhone: { phoneNumber: '12ab' } } })).status).toBe(412);
	});
});

describe('Update Bulk (PUT /contacts/bulk-update)', () => {
	test('answers the documented envelope with mixed results', async () => {
		const [a, b] = (await call(server, 'POST', BASE, { body: [contactInput(1), contactInput(2)] })).json;
		const r = await call(server, 'PUT', `${BASE}/bulk-update`, {
			body: [
				{ id: a.id, firstName: 'Alpha', lastName: 'One', fullName: 'Dr Alpha One', salutation: 'Dr', cellPhone: { phoneNumber: '5550001', countryCode: '+1', extension: '+' } },
				{ id: 'ffffffffffffffffffffffff', firstName: 'Ghost' },
				{ id: b.id, cellPhone: { phoneNumber: '5550001', countryCode: '+1' } },
				{ id: b.id, cellPhone: { phoneNumber: 'x1' } },
				{ firstName: 'NoId' },
			],
		});
		expect(r.status).toBe(200);
		expect(Object.keys(r.json)).toEqual(['totalRequested', 'successful', 'failed', 'successfulRecords', 'failedRecords']);
		expect(r.json).toMatchObject({ totalRequested: 5, successful: 1, failed: 4 });
		expect(r.json.successfulRecords).toEqual([{ id: a.id, contact: expect.objectContaining({ id: a.id, fullName: 'Dr Alpha One', salutation: 'Dr' }) }]);
		expect(r.json.successfulRecords[0].contact.cellPhone.phoneNumber).toBe('+15550001');
		expect(r.json.failedRecords).toEqual([
			{ id: 'ffffffffffffffffffffffff', error: { msg: expect.stringContaining('not found'), code: 404 } },
			{ id: b.id, error: { msg: expect.stringContaining('+15550001'), code: 409 } },
			{ id: b.id, error: { msg: expect.stringContaining('Validation errors'), code: 412 } },
			{ id: null, error: { msg: expect.any(String), code: 412 } },
		]);
		expect(server.contacts(STREAM)[1].cellPhone.phoneNumber).toBe('+919000000002');
	});

	test('a body that is not a non-empty array → 412', async () => {
		expect((await call(server, 'PUT', `${BASE}/bulk-update`, { body: { id: 'x' } })).status).toBe(412);
		expect((await call(server, 'PUT', `${BASE}/bulk-update`, { body: [] })).status).toBe(412);
	});
});

describe('Delete (DELETE /contacts/{id}) — a soft delete', () => {
	test('answers the contact with status INACTIVE; Get All no longer lists it; the number is free again', async () => {
		const [a, b] = (await call(server, 'POST', BASE, { body: [contactInput(1), contactInput(2)] })).json;
		await new Promise((r) => setTimeout(r, 5));
		const r = await call(server, 'DELETE', `${BASE}/${a.id}`);
		expect(r.status).toBe(200);
		expect(Object.keys(r.json)).toEqual(CONTACT_KEYS);
		expect(r.json).toMatchObject({ id: a.id, status: 'INACTIVE', firstName: 'First1', createdAt: a.createdAt });
		expect(r.json.updatedAt > a.updatedAt).toBe(true);

		const list = await call(server, 'GET', BASE);
		expect(list.json.totalResults).toBe(1);
		expect(list.json.results.map((c: any) => c.id)).toEqual([b.id]);
		expect(server.contacts(STREAM).map((c: any) => [c.id, c.status])).toEqual([
			[a.id, 'INACTIVE'],
			[b.id, 'ACTIVE'],
		]);

		// deleting or updating it again: not found (default inactiveIds 'notFound')
		expect((await call(server, 'DELETE', `${BASE}/${a.id}`)).status).toBe(404);
		expect((await call(server, 'PUT', `${BASE}/${a.id}`, { body: { firstName: 'Z' } })).status).toBe(404);
		// its number may be used by a new contact
		expect((await call(server, 'POST', BASE, { body: [contactInput(1)] })).status).toBe(200);
	});

	test('listInactive lists deleted contacts; inactiveIds "ok" answers 200 again without changing them', async () => {
		const s = await start({ contacts: seedContacts(2), listInactive: true, inactiveIds: 'ok' });
		try {
			const [a] = s.contacts(STREAM);
			const first = await call(s, 'DELETE', `${BASE}/${a.id}`);
			const second = await call(s, 'DELETE', `${BASE}/${a.id}`);
			expect(second.status).toBe(200);
			expect(second.json).toEqual(first.json);
			const list = await call(s, 'GET', BASE);
			expect(list.json.totalResults).toBe(2);
			expect(list.json.results.map((c: any) => c.status)).toEqual(['INACTIVE', 'ACTIVE']);
		} finally {
			await s.close();
		}
	});

	test('unknown id → 404 (configurable, e.g. 400 like other Kore public APIs)', async () => {
		const r = await call(server, 'DELETE', `${BASE}/69609027c1746a6142900000`);
		expect(r.status).toBe(404);
		expect(r.json.errors[0]).toEqual({ msg: 'Contact not found: 69609027c1746a6142900000', code: 404 });
		const s = await start({ notFoundStatus: 400 });
		try {
			const r400 = await call(s, 'DELETE', `${BASE}/nope`);
			expect(r400.status).toBe(400);
			expect(r400.json.errors[0].code).toBe(400);
		} finally {
			await s.close();
		}
	});
});

describe('Delete Bulk (DELETE /contacts/bulk-delete)', () => {
	test('answers the documented envelope with mixed results, soft-deleting the known ids', async () => {
		const s = await start({ contacts: seedContacts(3) });
		try {
			const [a, b, c] = s.contacts(STREAM);
			await call(s, 'DELETE', `${BASE}/${c.id}`);
			const r = await call(s, 'DELETE', `${BASE}/bulk-delete`, { body: { ids: [a.id, 'unknown-id', b.id, c.id, a.id] } });
			expect(r.status).toBe(200);
			expect(r.json).toEqual({
				totalRequested: 5,
				successful: 2,
				failed: 3,
				successfulRecords: [{ id: a.id }, { id: b.id }],
				failedRecords: [
					{ id: 'unknown-id', error: { msg: 'Contact not found: unknown-id', code: 404 } },
					{ id: c.id, error: { msg: `Contact not found: ${c.id}`, code: 404 } },
					{ id: a.id, error: { msg: `Contact not found: ${a.id}`, code: 404 } },
				],
			});
			expect(s.contacts(STREAM).map((x: any) => x.status)).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
		} finally {
			await s.close();
		}
	});

	test('bad bodies → 412; more than maxBulk ids → 412 and nothing deleted', async () => {
		const s = await start({ contacts: seedContacts(3), maxBulk: 2 });
		try {
			const ids = s.contacts(STREAM).map((x: any) => x.id);
			for (const body of [ids, { ids: [] }, { ids: 'x' }, { ids: [1, 2] }, {}]) {
				expect((await call(s, 'DELETE', `${BASE}/bulk-delete`, { body })).status).toBe(412);
			}
			const over = await call(s, 'DELETE', `${BASE}/bulk-delete`, { body: { ids } });
			expect(over.status).toBe(412);
			expect(JSON.stringify(over.json)).toContain('at most 2');
			expect(s.contacts(STREAM).every((x: any) => x.status === 'ACTIVE')).toBe(true);
		} finally {
			await s.close();
		}
	});

	test('10,000 ids in one request stay fast (indexed lookups)', async () => {
		const s = await start({ contacts: seedContacts(10000), logBodies: false });
		try {
			const ids = s.contacts(STREAM).map((x: any) => x.id);
			const t = Date.now();
			const r = await call(s, 'DELETE', `${BASE}/bulk-delete`, { body: { ids } });
			expect(r.status).toBe(200);
			expect(r.json.successful).toBe(10000);
			expect(Date.now() - t).toBeLessThan(1500);
			expect((await call(s, 'GET', BASE)).json.totalResults).toBe(0);
		} finally {
			await s.close();
		}
	});
});

describe('paths', () => {
	test('each path segment is percent-decoded on its own: /contacts/a%2Fb is the contact "a/b"', async () => {
		const s = await start({ contacts: seedContacts(3, (i) => ({ id: ['a/b', '../x', 'bulk-delete'][i] })) });
		try {
			const r = await call(s, 'DELETE', `${BASE}/a%2Fb`);
			expect(r.status).toBe(200);
			expect(r.json.id).toBe('a/b');
			expect(s.requests.at(-1)!.path).toBe(`${BASE}/a%2Fb`);

			const dots = await call(s, 'PUT', `${BASE}/..%2Fx`, { body: { firstName: 'Dots' } });
			expect(dots.status).toBe(200);
			expect(dots.json.id).toBe('../x');

			// an encoded look-alike of a fixed sub-path is an id
			const lookalike = await call(s, 'DELETE', `${BASE}/bulk%2Ddelete`);
			expect(lookalike.status).toBe(200);
			expect(lookalike.json.id).toBe('bulk-delete');

			// unencoded: two segments, no such endpoint
			const split = await call(s, 'DELETE', `${BASE}/a/b`);
			expect(split.status).toBe(404);
			expect(split.json.errors[0].msg).toBe('Not Found');
			expect(s.contacts(STREAM).map((c: any) => c.status)).toEqual(['INACTIVE', 'ACTIVE', 'INACTIVE']);
		} finally {
			await s.close();
		}
	});

	test('unknown paths → 404; wrong method on a known path → 405 Method Not Allowed', async () => {
		for (const p of [`${BASE}/`, `${BASE}x`, `/agentassist/api/v1/public/${STREAM}/contact`, '/', `${BASE}/a/b/c`, `${BASE}/%E0%A4%A`]) {
			const r = await call(server, 'GET', p);
			expect([p, r.status]).toEqual([p, 404]);
		}
		for (const [method, p] of [
			['DELETE', BASE],
			['PUT', BASE],
			['GET', `${BASE}/someid`],
			['POST', `${BASE}/someid`],
			['GET', `${BASE}/bulk-delete`],
			['DELETE', `${BASE}/bulk-update`],
			['PUT', `${BASE}/bulk-delete`],
			['GET', `${BASE}/import-contacts`],
		]) {
			const r = await call(server, method, p, { body: method === 'GET' ? undefined : {} });
			expect([method, p, r.status]).toEqual([method, p, 405]);
			expect(r.json).toEqual({ errors: [{ msg: 'Method Not Allowed', code: 405 }] });
		}
	});

	test('errorKey "message" switches the error body key', async () => {
		const s = await start({ errorKey: 'message' });
		try {
			const r = await call(s, 'DELETE', `${BASE}/nope`);
			expect(r.json).toEqual({ errors: [{ message: 'Contact not found: nope', code: 404 }] });
			const auth = await call(s, 'GET', BASE, { token: null });
			expect(auth.json).toEqual({ errors: [{ message: 'Invalid SDK credentials', code: 4002 }] });
		} finally {
			await s.close();
		}
	});
});
