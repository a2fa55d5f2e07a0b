/**
 * The local server's Campaign Management endpoints (scripts/kore-server/campaign.js), pinned to the shapes of
 * Kore's v2 pages: paths, the `iid` header, the `{ status, message, data }` wrapper, the asynchronous add.
 */
import { ACCOUNT, STREAM, call, sleep, start, token, type KoreServer } from './helpers';
import type { CallOptions } from './helpers';

const V2 = `/campaign/api/v2/public/${STREAM}/campaign`;
const Q = `?accountId=${ACCOUNT.accountId}`;
const UNSCOPED = { accountId: ACCOUNT.accountId, clientId: 'cs-no-campaign-scope', clientSecret: 'no-campaign-scope-secret-0123456789', streams: [STREAM], campaignScope: false };

let server: KoreServer;
beforeAll(async () => {
	server = await start({
		accounts: [ACCOUNT, UNSCOPED],
		rateLimit: { limit: 0 },
		campaign: {
			addDelayMs: 150,
			contactLists: [{ streamId: STREAM, _id: 'cl-1', name: 'July Renewals', members: ['919876543210'] }],
			campaigns: [
				{ streamId: STREAM, _id: 'cd-v', name: 'Voice One', type: 'voice', contactLists: ['July Renewals'] },
				{ streamId: STREAM, _id: 'cd-s', name: 'Text One', type: 'sms', contactLists: ['July Renewals'], status: 'Stopped' },
			],
		},
	});
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** A request with Kore's headers, `iid` included. */
const api = (method: string, path: string, opts: CallOptions = {}) => call(server, method, path, { ...opts, headers: { iid: STREAM, ...opts.headers } });

describe('contact lists', () => {
	test('create answers the list in the wrapper; get-all lists it; get, update and delete follow it by id', async () => {
		const created = await api('POST', `${V2}/contactList/createContactList${Q}`, {
			body: { name: 'Leads', description: 'Cold leads', source: 'passiveApi', allowDuplicates: true },
		});
		expect(created.status).toBe(200);
		expect(created.json).toMatchObject({ status: 'success', message: 'Contact list Leads created successfully' });
		expect(created.json.data).toMatchObject({ name: 'Leads', totalRecordCount: 0, status: 'Ready', source: 'passiveApi', allowDuplicates: true, isListInUse: false });
		const id = created.json.data._id;
		expect(id).toMatch(/^cl-/);

		const all = await api('POST', `${V2}/contactList/getAllListDetails${Q}&type=call`, { body: {} });
		expect(all.json.data.map((l: { name: string }) => l.name).sort()).toEqual(['July Renewals', 'Leads']);
		expect(all.json.data[0]).not.toHaveProperty('allowDuplicates');

		const updated = await api('PUT', `${V2}/contactList/${id}${Q}`, { body: { name: 'Warm Leads' } });
		expect(updated.json.data).toMatchObject({ contactListId: id, body: { name: 'Warm Leads', iId: STREAM, accountId: ACCOUNT.accountId } });
		expect((await api('GET', `${V2}/contactList/${id}${Q}`)).json.data.name).toBe('Warm Leads');

		const deleted = await api('DELETE', `${V2}/contactList/${id}${Q}`);
		expect(deleted.json).toMatchObject({ status: 'success', data: { _id: id, name: 'Warm Leads' } });
		expect((await api('GET', `${V2}/contactList/${id}${Q}`)).status).toBe(404);
	});

	test.each([
		['a name over 48 characters', { name: 'x'.repeat(49), description: 'd', source: 'passiveApi' }, /name must be at most 48/],
		['no description', { name: 'n', source: 'passiveApi' }, /description is required/],
		['another source', { name: 'n', description: 'd', source: 'upload' }, /source must be "passiveApi"/],
		['a name taken (in other case)', { name: 'july renewals', description: 'd', source: 'passiveApi' }, /already exists/],
	])('create refuses %s with 400, in Kore\'s error shape', async (_what, body, message) => {
		const r = await api('POST', `${V2}/contactList/createContactList${Q}`, { body });
		expect(r.status).toBe(400);
		expect(r.json).toEqual({ errors: [{ msg: expect.stringMatching(message), code: 400 }] });
	});

	test('a list a campaign dials cannot be deleted', async () => {
		const r = await api('DELETE', `${V2}/contactList/cl-1${Q}`);
		expect([r.status, r.json.errors[0].msg]).toEqual([400, 'Contact list July Renewals is in use by a campaign']);
	});

	test('members are paged by skip and limit (default 50, at most 100)', async () => {
		server.campaigns.seed({ contactLists: [{ streamId: STREAM, _id: 'cl-big', name: 'Big', members: Array.from({ length: 120 }, (_, n) => String(14155550000 + n)) }] });
		const first = await api('GET', `${V2}/contactList/cl-big/getAllContacts${Q}`);
		expect(first.json.data).toMatchObject({ skip: 0, limit: 50, hasMore: true, totalPages: 3, totalResults: 120 });
		expect(first.json.data.results[0]).toEqual({ _id: expect.stringMatching(/^cc-/), phoneNumber: '14155550000', createdAt: expect.any(String), updatedAt: expect.any(String) });
		const last = await api('GET', `${V2}/contactList/cl-big/getAllContacts${Q}&skip=100&limit=500`);
		expect(last.json.data).toMatchObject({ skip: 100, limit: 100, hasMore: false, totalResults: 120 });
		expect(last.json.data.results).toHaveLength(20);
	});

	test('the add call answers "in progress" at once, names the list by name, and the numbers land after addDelayMs', async () => {
		const r = await api('POST', `/api/1.1/public/${STREAM}/campaign/contactList/addContacts`, {
			body: { contact_list_name: 'July Renewals', data: [{ phoneNumber: '447700900123' }, { phoneNumber: '919876543210' }, { phoneNumber: 'not a number' }] },
		});
		expect(r.json).toEqual({ message: 'Adding contacts to public list is in progress' });
		expect(server.campaigns.contactLists(STREAM)[0].members).toEqual(['919876543210']);
		expect(server.campaigns.snapshot().pendingAdds).toBe(1);
		await sleep(400);
		// without duplicates a number already there is not added again; what is not a number is dropped
		expect(server.campaigns.contactLists(STREAM)[0].members).toEqual(['919876543210', '447700900123']);
		expect(server.campaigns.snapshot().rejected).toEqual([{ streamId: STREAM, list: 'July Renewals', phoneNumber: 'not a number' }]);
	});

	test('an add to a name that matches no list is refused with 404', async () => {
		const r = await api('POST', `/api/1.1/public/${STREAM}/campaign/contactList/addContacts`, { body: { contact_list_name: 'Nope', data: [{ phoneNumber: '14155550000' }] } });
		expect([r.status, r.json]).toEqual([404, { errors: [{ msg: 'Contact list not found: Nope', code: 404 }] }]);
	});
});

describe('campaigns', () => {
	test('get-all needs a type, filters by status, and lists voice campaigns with _id and SMS campaigns with id', async () => {
		expect((await api('POST', `${V2}/getAllCampaignDetails${Q}`, { body: {} })).status).toBe(400);
		const voice = await api('POST', `${V2}/getAllCampaignDetails${Q}`, { body: { type: 'voice' } });
		expect(voice.json.data).toMatchObject({ results: [{ _id: 'cd-v', name: 'Voice One', status: 'Ready', contactLists: ['July Renewals'] }], totalResults: 1, hasMore: false });
		const sms = await api('POST', `${V2}/getAllCampaignDetails${Q}`, { body: { type: 'sms', filters: { status: ['Stopped'] } } });
		expect(sms.json.data.results).toEqual([expect.objectContaining({ id: 'cd-s', name: 'Text One' })]);
		const none = await api('POST', `${V2}/getAllCampaignDetails${Q}`, { body: { type: 'sms', filters: { status: ['Active'] } } });
		expect(none.json.data.results).toEqual([]);
	});

	test('voice start and stop on /api/v2/…/campaign/trigger, SMS on the campaign path; start adds an outcome per member', async () => {
		const play = await api('POST', `/api/v2/public/${STREAM}/campaign/trigger/cd-v${Q}&campaignType=voice&trigger=play`, { body: {} });
		expect(play.json).toMatchObject({ status: 'Active', message: 'Campaign Started', totalCallsCompleted: 0, campaignInstanceId: expect.stringMatching(/^cid-/) });
		expect((await api('POST', `/api/v2/public/${STREAM}/campaign/trigger/cd-v${Q}&campaignType=voice&trigger=play`, { body: {} })).json.errors[0].msg).toBe('Campaign Voice One is already Active');
		const outcomes = await api('POST', `${V2}/cd-v/status${Q}&view=contacts`, { body: { page: 1, limit: 100 } });
		expect(outcomes.json).toEqual({
			status: 'success',
			data: { results: [expect.objectContaining({ phoneNumber: '919876543210', dialerOutcome: 'completed', numberOfAttemptsSoFar: 1 })], page: 1, limit: 100, totalPages: 1, totalResults: 1 },
		});
		expect((await api('POST', `${V2}/cd-v/status${Q}&view=status`, { body: {} })).json).toEqual({ status: 'success', data: { id: 'cd-v', status: 'Active', name: 'Voice One' } });

		// the voice path refuses an SMS campaign; the SMS path takes it, as the Start SMS page writes it and as the Stop SMS page does
		expect((await api('POST', `/api/v2/public/${STREAM}/campaign/trigger/cd-s${Q}&campaignType=voice&trigger=play`, { body: {} })).json.errors[0].msg).toBe('Campaign Text One is not a voice campaign');
		expect((await api('POST', `${V2}/cd-s${Q}&campaignType=sms&trigger=play`, { body: {} })).json).toEqual({ status: 'Active', message: 'Campaign Started', updatedAt: expect.any(String) });
		expect((await api('POST', `${V2}//trigger/cd-s${Q}&campaignType=sms&trigger=stop`, { body: {} })).json).toMatchObject({ status: 'Stopped', campaignExecutionType: 'NORMAL' });
	});

	test('outcome pages take page ≥ 1 and limit 1–100, as Kore\'s page validates them', async () => {
		expect((await api('POST', `${V2}/cd-v/status${Q}&view=contacts`, { body: { page: 0 } })).status).toBe(400);
		expect((await api('POST', `${V2}/cd-v/status${Q}&view=contacts`, { body: { limit: 101 } })).status).toBe(400);
	});
});

describe('what every campaign endpoint checks', () => {
	test('the iid header must name the stream of the path', async () => {
		const r = await call(server, 'GET', `${V2}/contactList/cl-1${Q}`);
		expect([r.status, r.json.errors[0].msg]).toEqual([400, 'the iid header is required and must be the stream ID of the path']);
	});

	test('an app without the "Campaign Management" scope is refused like Kore refuses a scope, and still reaches the Contacts API', async () => {
		const auth = await token({ appId: UNSCOPED.clientId, secret: UNSCOPED.clientSecret });
		const r = await api('GET', `${V2}/contactList/cl-1${Q}`, { token: auth });
		expect([r.status, r.json]).toEqual([401, { errors: [{ msg: 'Permission denied. Scope is incorrect!', code: 4002 }] }]);
		expect(server.requests.at(-1)?.authError).toBe('scope');
		const contacts = await call(server, 'GET', `/agentassist/api/v1/public/${STREAM}/contacts`, { token: await token({ appId: UNSCOPED.clientId, secret: UNSCOPED.clientSecret }) });
		expect(contacts.status).toBe(200);
	});

	test('an unknown method on a known path is 405 with Allow', async () => {
		const r = await api('PATCH', `${V2}/contactList/cl-1${Q}`, { body: {} });
		expect([r.status, r.headers.get('allow')]).toEqual([405, 'GET, PUT, DELETE']);
	});

	test('reset() drops what was seeded or added at run time and pending adds', async () => {
		server.campaigns.seed({ contactLists: [{ streamId: STREAM, name: 'Extra' }] });
		await api('POST', `/api/1.1/public/${STREAM}/campaign/contactList/addContacts`, { body: { contact_list_name: 'July Renewals', data: [{ phoneNumber: '14155550000' }] } });
		server.reset();
		await sleep(250);
		expect(server.campaigns.contactLists(STREAM).map((l) => [l.name, l.members])).toEqual([['July Renewals', ['919876543210']]]);
	});
});
