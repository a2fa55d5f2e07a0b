/**
 * Contact List › Add Members, in n8n's engine against the local Kore server, whose add call answers "in
 * progress" and applies the numbers `addDelayMs` later, as Kore's does.
 */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { BIG_LIST, BIG_NUMBERS, EMPTY_LIST, LIST, STREAM, UNSCOPED, run, startCampaignServer } from '../../../../helpers/campaign';
import { sleep } from '../../../../kore-server/helpers';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const Q = '?accountId=acc-campaign-0001';
const ADD = 'POST /api/1.1/public/{stream}/campaign/contactList/addContacts';
const ALL = `POST /campaign/api/v2/public/{stream}/campaign/contactList/getAllListDetails${Q}&type=call`;
const getList = (id: string) => `GET /campaign/api/v2/public/{stream}/campaign/contactList/${id}${Q}`;
const members = (id: string, skip = 0) => `GET /campaign/api/v2/public/{stream}/campaign/contactList/${id}/getAllContacts${Q}&limit=100&skip=${skip}`;

const add = (list: { mode: string; value: string }, options: Record<string, unknown> = {}) => ({
	resource: 'contactList',
	operation: 'addMembers',
	contactList: { __rl: true, ...list },
	phoneNumber: '={{ $json.phone }}',
	countryCode: '={{ $json.cc ?? "" }}',
	options,
});
const phones = (...list: string[]) => list.map((phone) => ({ phone }));
const membersOf = (id: string) => server.campaigns.contactLists(STREAM).find((l) => l._id === id)?.members;

describe('Contact List › Add Members', () => {
	test('by ID: one read of the list (for the name Kore\'s add call takes) and one add for the batch; duplicates sent once', async () => {
		const items = [{ phone: '+1 415-555-2671' }, { phone: '020 7946 0958', cc: '+44' }, { phone: '0014155552671' }];
		const { json, lines, requests, outputs, error } = await run(server, add({ mode: 'id', value: EMPTY_LIST.id }), { items });
		expect(error).toBeUndefined();
		expect(lines).toEqual([getList(EMPTY_LIST.id), ADD]);
		expect(requests[1].body).toEqual({ contact_list_name: EMPTY_LIST.name, data: [{ phoneNumber: '14155552671' }, { phoneNumber: '442079460958' }] });
		const accepted = { contactListId: EMPTY_LIST.id, contactListName: EMPTY_LIST.name, status: 'accepted' };
		expect(json).toEqual([
			{ phoneNumber: '14155552671', ...accepted },
			{ phoneNumber: '442079460958', ...accepted },
			{ phoneNumber: '14155552671', ...accepted },
		]);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// "accepted" is all Kore said: the numbers land later
		expect(membersOf(EMPTY_LIST.id)).toEqual([]);
		await sleep(300);
		expect(membersOf(EMPTY_LIST.id)).toEqual(['14155552671', '442079460958']);
	});

	test('by name: one read of the stream\'s lists to check the name, then the add', async () => {
		const { lines, requests } = await run(server, add({ mode: 'name', value: EMPTY_LIST.name.toUpperCase() }), { items: phones('+14155552671') });
		expect(lines).toEqual([ALL, ADD]);
		expect((requests[1].body as { contact_list_name: string }).contact_list_name).toBe(EMPTY_LIST.name);
	});

	test('Batch Size 2: five numbers in three adds; items naming another list go in that list\'s own adds', async () => {
		const items = ['+14155550001', '+14155550002', '+14155550003', '+14155550004', '+14155550005'].map((phone, n) => ({ phone, list: n === 2 ? LIST.id : EMPTY_LIST.id }));
		const { lines, requests } = await run(server, { ...add({ mode: 'id', value: '={{ $json.list }}' }), options: { batchSize: 2 } }, { items });
		expect(lines).toEqual([getList(EMPTY_LIST.id), ADD, ADD, getList(LIST.id), ADD]);
		expect(requests.filter((r) => r.method === 'POST').map((r) => (r.body as { data: unknown[] }).data.length)).toEqual([2, 2, 1]);
	});

	test('an invalid number stops the run before anything is sent, naming the item and the field', async () => {
		const { error, requests } = await run(server, add({ mode: 'id', value: EMPTY_LIST.id }), { items: phones('+14155552671', '12ab', '+1415') });
		expect(error?.message).toBe('Item 1: "Phone Number" is not valid: "12ab" contains characters other than digits (spaces, dashes and brackets are fine) — nothing was sent to Kore for this item');
		expect(requests).toEqual([]);
	});

	test('with the error output, invalid numbers go there and only the valid ones are sent', async () => {
		const { outputs, requests } = await run(server, add({ mode: 'id', value: EMPTY_LIST.id }), {
			items: phones('+14155552671', '+1415', '9876543210'),
			onError: 'continueErrorOutput',
		});
		expect((requests[1].body as { data: unknown[] }).data).toEqual([{ phoneNumber: '14155552671' }]);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(outputs[1].map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 1 }, 'Item 1: "Phone Number" is not valid: "+1415" is too short for country code +1 — nothing was sent to Kore for this item'],
			[{ item: 2 }, 'Item 2: "Phone Number" is not valid: "9876543210" has no country code: write it with one, e.g. +91 98765 43210, or fill "Country Code" — nothing was sent to Kore for this item'],
		]);
	});

	test('Skip Numbers Already in the List: one read of the members; only new numbers are sent', async () => {
		const { json, lines, requests } = await run(server, add({ mode: 'id', value: LIST.id }, { skipExisting: true }), {
			items: phones('+91 98765 43210', '+14155552671', '+44 7700 900123'),
		});
		expect(lines).toEqual([getList(LIST.id), members(LIST.id), ADD]);
		expect((requests[2].body as { data: unknown[] }).data).toEqual([{ phoneNumber: '14155552671' }]);
		expect(json.map((item) => [item.phoneNumber, item.status])).toEqual([
			['919876543210', 'alreadyInList'],
			['14155552671', 'accepted'],
			['447700900123', 'alreadyInList'],
		]);
	});

	test('Send Numbers As E.164 writes them with +', async () => {
		const { requests } = await run(server, add({ mode: 'id', value: EMPTY_LIST.id }, { numberFormat: 'e164' }), { items: phones('(415) 555-2671') .map((item) => ({ ...item, cc: '1' })) });
		expect((requests[1].body as { data: unknown[] }).data).toEqual([{ phoneNumber: '+14155552671' }]);
	});

	describe('Wait Until Added', () => {
		test('in time: the node reads the list until the numbers are there, and says "added"', async () => {
			server.campaigns.setAddDelay(100);
			const { json, lines } = await run(server, add({ mode: 'id', value: BIG_LIST.id }, { waitUntilAdded: true, waitTimeout: 30 }), { items: phones('+14155552671', '+14155550007') });
			// +14155550007 is already a member; the other appears 100 ms after the add, before the first read at 1 s
			expect(lines).toEqual([getList(BIG_LIST.id), ADD, members(BIG_LIST.id, 0), members(BIG_LIST.id, 100), members(BIG_LIST.id, 200)]);
			expect(json.map((item) => [item.phoneNumber, item.status])).toEqual([
				['14155552671', 'added'],
				['14155550007', 'added'],
			]);
			expect(membersOf(BIG_LIST.id)).toEqual([...BIG_NUMBERS, '14155552671']);
		});

		test('timed out: each number not in the list fails its item with a clear message; a read repeats only its first page while the count stays', async () => {
			server.campaigns.setAddDelay(60_000);
			const started = Date.now();
			const { outputs, lines, error } = await run(server, add({ mode: 'id', value: BIG_LIST.id }, { waitUntilAdded: true, waitTimeout: 2 }), {
				items: phones('+14155552671', '+14155550007'),
				onError: 'continueErrorOutput',
			});
			expect(error).toBeUndefined();
			expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
			// a read at 1 s (the whole list), then at 2 s only its first page: the count did not change
			expect(lines.slice(0, 5)).toEqual([getList(BIG_LIST.id), ADD, members(BIG_LIST.id, 0), members(BIG_LIST.id, 100), members(BIG_LIST.id, 200)]);
			expect(lines.slice(5)).toEqual([members(BIG_LIST.id, 0)]);
			expect(outputs[0].map((item) => [item.pairedItem, item.json.status])).toEqual([[{ item: 1 }, 'added']]);
			expect(outputs[1].map((item) => [item.pairedItem, item.json.error])).toEqual([
				[{ item: 0 }, `Item 0: 14155552671 was not in contact list "${BIG_LIST.name}" after 2 s — Kore accepted it for adding and may still add it`],
			]);
			expect(outputs[1][0].json.details).toMatch(/not sent again\. Raise "Wait Timeout \(Seconds\)"/);
		});

		test('timed out, On Error "stop": the run fails on the first number not added', async () => {
			server.campaigns.setAddDelay(60_000);
			const { error } = await run(server, add({ mode: 'id', value: EMPTY_LIST.id }, { waitUntilAdded: true, waitTimeout: 1 }), { items: phones('+14155552671') });
			expect(error?.message).toBe(`Item 0: 14155552671 was not in contact list "${EMPTY_LIST.name}" after 1 s — Kore accepted it for adding and may still add it`);
		});
	});

	test('a list name that matches no list fails the items, and no add is sent', async () => {
		const { error, lines } = await run(server, add({ mode: 'name', value: 'Nope' }), { items: phones('+14155552671') });
		expect(error?.message).toBe('Item 0: stream "st-campaign-test-0001" has no contact list named "Nope" — nothing was sent for this item');
		expect(lines).toEqual([ALL]);
	});

	test('an app without the "Campaign Management" scope: the error says which scope is missing', async () => {
		const { error, requests } = await run(server, add({ mode: 'id', value: LIST.id }), { items: phones('+14155552671'), app: UNSCOPED });
		expect(error?.message).toBe('Permission denied. Scope is incorrect! (HTTP 401): the JWT app is not mapped to the "Campaign Management" API scope');
		expect(requests.map((r) => [r.status, r.authError])).toEqual([[401, 'scope']]);
	});
});
