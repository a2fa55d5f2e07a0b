/**
 * The transport's knowledge of Kore's Campaign Management API: each endpoint's method, path, query and headers,
 * its answer wrapper, which calls are sent again after a lost answer, and errors that name the missing scope.
 */
import { campaignAnswer, campaignTarget } from '../../../../nodes/KoreContacts/transport/campaign';
import type { CampaignEndpoint } from '../../../../nodes/KoreContacts/transport/campaign';
import { runWorkflow } from '../../../helpers/engine';
import { CREDENTIALS, koreError, scriptedKore } from '../../../helpers/kore';

const V2 = '/campaign/api/v2/public/st-1/campaign';
const ACCOUNT = { accountId: 'acc-1' };

describe('campaignTarget: where each endpoint lives (Kore\'s v2 pages; the add call is v1)', () => {
	test.each<[CampaignEndpoint, string, string, Record<string, unknown>, boolean]>([
		[{ name: 'listContactLists' }, 'POST', `${V2}/contactList/getAllListDetails`, { ...ACCOUNT, type: 'call' }, true],
		[{ name: 'createContactList' }, 'POST', `${V2}/contactList/createContactList`, ACCOUNT, false],
		[{ name: 'getContactList', contactListId: 'cl-1' }, 'GET', `${V2}/contactList/cl-1`, ACCOUNT, true],
		[{ name: 'updateContactList', contactListId: 'cl-1' }, 'PUT', `${V2}/contactList/cl-1`, ACCOUNT, true],
		[{ name: 'deleteContactList', contactListId: 'cl-1' }, 'DELETE', `${V2}/contactList/cl-1`, ACCOUNT, true],
		[{ name: 'listMembers', contactListId: 'cl-1', skip: 100, limit: 100 }, 'GET', `${V2}/contactList/cl-1/getAllContacts`, { ...ACCOUNT, skip: 100, limit: 100 }, true],
		[{ name: 'addMembers' }, 'POST', '/api/1.1/public/st-1/campaign/contactList/addContacts', {}, false],
		[{ name: 'listCampaigns' }, 'POST', `${V2}/getAllCampaignDetails`, ACCOUNT, true],
		[{ name: 'getCampaign', campaignId: 'cd-1' }, 'GET', `${V2}/cd-1`, ACCOUNT, true],
		[{ name: 'campaignStatus', campaignId: 'cd-1' }, 'POST', `${V2}/cd-1/status`, { ...ACCOUNT, view: 'status' }, true],
		[{ name: 'campaignOutcomes', campaignId: 'cd-1' }, 'POST', `${V2}/cd-1/status`, { ...ACCOUNT, view: 'contacts' }, true],
		[{ name: 'triggerCampaign', campaignId: 'cd-1', type: 'voice', trigger: 'play' }, 'POST', '/api/v2/public/st-1/campaign/trigger/cd-1', { ...ACCOUNT, campaignType: 'voice', trigger: 'play' }, false],
		[{ name: 'triggerCampaign', campaignId: 'cd-1', type: 'voice', trigger: 'stop' }, 'POST', '/api/v2/public/st-1/campaign/trigger/cd-1', { ...ACCOUNT, campaignType: 'voice', trigger: 'stop' }, true],
		[{ name: 'triggerCampaign', campaignId: 'cd-1', type: 'sms', trigger: 'play' }, 'POST', `${V2}/cd-1`, { ...ACCOUNT, campaignType: 'sms', trigger: 'play' }, false],
		[{ name: 'triggerCampaign', campaignId: 'cd-1', type: 'sms', trigger: 'stop' }, 'POST', `${V2}/cd-1`, { ...ACCOUNT, campaignType: 'sms', trigger: 'stop' }, true],
	])('%j → %s %s', (endpoint, method, url, qs, repeatable) => {
		const target = campaignTarget(endpoint, 'st-1', 'acc-1');
		expect([target.method, target.url, target.qs, target.headers, target.repeatable]).toEqual([method, url, qs, { iid: 'st-1' }, repeatable]);
	});

	test('ids cannot leave their path segment', () => {
		expect(campaignTarget({ name: 'getContactList', contactListId: '../x?y' }, 'st/1', 'a').url).toBe(
			'/campaign/api/v2/public/st%2F1/campaign/contactList/..%2Fx%3Fy',
		);
		expect(() => campaignTarget({ name: 'getCampaign', campaignId: '..' }, 'st-1', 'a')).toThrow();
	});
});

describe('campaignAnswer: Kore\'s wrapper', () => {
	test.each([
		['the data of a success', { status: 'success', message: 'ok', data: { _id: 'cl-1' } }, { ok: true, value: { _id: 'cl-1' } }],
		['an empty data list', { status: 'success', message: '', data: [] }, { ok: true, value: [] }],
		['start\'s answer, whose status is the campaign\'s', { status: 'Active', message: 'Campaign Started' }, { ok: true, value: { status: 'Active', message: 'Campaign Started' } }],
		['the add call\'s bare message', { message: 'Adding contacts to public list is in progress' }, { ok: true, value: { message: 'Adding contacts to public list is in progress' } }],
		['a failure sent with HTTP 200', { status: 'failure', message: 'Campaign not found' }, { ok: false }],
		['an error sent with HTTP 200', { status: 'Error', message: 'x' }, { ok: false }],
	])('%s', (_what, body, expected) => {
		expect(campaignAnswer(body)).toEqual(expected);
	});
});

/** Runs one Campaign operation against the fake Kore, whose every answer the test scripts. */
const runCampaign = (parameters: Record<string, unknown>, onError?: string) =>
	runWorkflow('campaign.json', {
		credentials: { ...CREDENTIALS, testStreamId: 'st-1' },
		node: { parameters: { resource: 'campaign', campaign: { __rl: true, mode: 'id', value: 'cd-1' }, ...parameters }, onError },
	});

describe('requests in n8n\'s engine', () => {
	test('every request carries auth, accountId and iid; the answer is the data of the wrapper', async () => {
		const seen = scriptedKore(() => [200, { status: 'success', data: { id: 'cd-1', status: 'Ready', name: 'C' } }]);
		const { outputs, error } = await runCampaign({ operation: 'getStatus' });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json)).toEqual([{ id: 'cd-1', status: 'Ready', name: 'C' }]);
		expect(seen.map((r) => [r.method, r.path, Object.fromEntries(r.query), r.headers.iid, r.headers.accountid])).toEqual([
			['POST', `${V2}/cd-1/status`, { accountId: CREDENTIALS.accountId, view: 'status' }, 'st-1', CREDENTIALS.accountId],
		]);
		expect(seen[0].headers.auth).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
	});

	test('a read sent with POST is sent again after a 503', async () => {
		let reads = 0;
		scriptedKore(() => (++reads === 1 ? [503, 'Service Unavailable'] : [200, { status: 'success', data: { id: 'cd-1', status: 'Ready' } }]));
		expect((await runCampaign({ operation: 'getStatus', options: { maxRetries: 1 } })).error).toBeUndefined();
		expect(reads).toBe(2);
	});

	test('a start is not sent again after a 503 (it could start a second run)', async () => {
		const starts = scriptedKore(() => [503, 'Service Unavailable']);
		const { error } = await runCampaign({ operation: 'start', options: { maxRetries: 3 } });
		expect(starts).toHaveLength(1);
		expect(error?.message).toBe('Service Unavailable (HTTP 503)');
		expect(error?.description).toMatch(/starts a campaign.*was not sent again.*whether the campaign runs/);
	});

	test('a failure in the wrapper of an HTTP 200 fails the item with Kore\'s words', async () => {
		scriptedKore(() => [200, { status: 'failure', message: 'Campaign is not Active' }]);
		const { error } = await runCampaign({ operation: 'stop' });
		expect(error?.message).toBe('Campaign is not Active (HTTP 200)');
	});

	test('a refusal for scope names the "Campaign Management" scope, in the message and the hint', async () => {
		scriptedKore(() => [401, koreError('Permission denied. Scope is incorrect!', 4002)]);
		const { error } = await runCampaign({ operation: 'get' });
		expect(error?.message).toBe('Permission denied. Scope is incorrect! (HTTP 401): the JWT app is not mapped to the "Campaign Management" API scope');
		expect(error?.description).toMatch(/mapped to the "Campaign Management" API scope/);
	});

	test('a 404 names what was not found', async () => {
		scriptedKore(() => [404, { status: 'failure', message: 'Campaign not found: cd-1' }]);
		const { error } = await runCampaign({ operation: 'get' });
		expect([error?.message, error?.description]).toEqual(['Campaign not found: cd-1 (HTTP 404)', 'Kore did not find campaign "cd-1" in stream "st-1". Check the ID and the Stream ID.']);
	});
});
