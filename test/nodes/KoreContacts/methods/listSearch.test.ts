/**
 * The editor's pickers for a contact list and a campaign (methods/listSearch.ts), run in n8n-core's
 * LoadOptionsContext as the editor runs them, against the local Kore server.
 */
import type { KoreServer } from '../../../../scripts/kore-server';
import { BIG_LIST, EMPTY_LIST, LIST, SMS, STREAM, VOICE, pick, startCampaignServer } from '../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const Q = '?accountId=acc-campaign-0001';
const LISTS = `POST /campaign/api/v2/public/{stream}/campaign/contactList/getAllListDetails${Q}&type=call`;
const CAMPAIGNS = `POST /campaign/api/v2/public/{stream}/campaign/getAllCampaignDetails${Q}`;

describe('Contact List picker', () => {
	test('one request; every list of the credential\'s stream by name, with its size; the value is its ID', async () => {
		const { results, lines } = await pick(server, 'searchContactLists', { resource: 'contactList', operation: 'get' });
		expect(lines).toEqual([LISTS]);
		expect(results).toEqual([
			{ name: `${BIG_LIST.name} (250 numbers)`, value: BIG_LIST.id },
			{ name: `${EMPTY_LIST.name} (0 numbers)`, value: EMPTY_LIST.id },
			{ name: `${LIST.name} (2 numbers)`, value: LIST.id },
		]);
	});

	test('the search text filters by name; the node\'s Stream ID is used when it is a plain value, not an expression', async () => {
		expect((await pick(server, 'searchContactLists', { resource: 'contactList', streamId: `={{ "${STREAM}" }}` }, 'renewal')).results.map((r) => r.value)).toEqual([LIST.id]);
		// a stream the app may not use: Kore's refusal reaches the editor as the picker's error
		await expect(pick(server, 'searchContactLists', { resource: 'contactList', streamId: 'st-other' })).rejects.toThrow('Invalid SDK credentials (HTTP 401)');
		expect(server.requests.at(-1)?.path).toBe('/campaign/api/v2/public/st-other/campaign/contactList/getAllListDetails');
	});
});

describe('Campaign picker', () => {
	test('Start and Stop list the chosen type only; other operations list voice and SMS campaigns (one request each)', async () => {
		const voice = await pick(server, 'searchCampaigns', { resource: 'campaign', operation: 'start', campaignType: 'voice' });
		expect([voice.results, voice.lines]).toEqual([[{ name: `${VOICE.name} (voice, Ready)`, value: VOICE.id }], [CAMPAIGNS]]);
		const both = await pick(server, 'searchCampaigns', { resource: 'campaign', operation: 'getOutcomes' });
		expect(both.results).toEqual([
			{ name: `${VOICE.name} (voice, Ready)`, value: VOICE.id },
			{ name: `${SMS.name} (SMS, Ready)`, value: SMS.id },
		]);
		expect(both.lines).toEqual([CAMPAIGNS, CAMPAIGNS]);
	});
});
