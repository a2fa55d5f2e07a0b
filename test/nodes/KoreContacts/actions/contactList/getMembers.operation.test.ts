/** Contact List › Get Members, in n8n's engine against the local Kore server: paged by skip and limit. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { BIG_LIST, BIG_NUMBERS, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const members = (skip: number) => `GET /campaign/api/v2/public/{stream}/campaign/contactList/${BIG_LIST.id}/getAllContacts?accountId=acc-campaign-0001&limit=100&skip=${skip}`;
const getMembers = (extra: Record<string, unknown>) => ({ resource: 'contactList', operation: 'getMembers', contactList: { __rl: true, mode: 'id', value: BIG_LIST.id }, ...extra });

describe('Contact List › Get Members', () => {
	test('Return All: 250 members in three requests of 100, one item per number, in Kore\'s order', async () => {
		const { json, lines } = await run(server, getMembers({ returnAll: true }));
		expect(lines).toEqual([members(0), members(100), members(200)]);
		expect(json.map((m) => m.phoneNumber)).toEqual(BIG_NUMBERS);
		expect(Object.keys(json[0]).sort()).toEqual(['_id', 'createdAt', 'phoneNumber', 'updatedAt']);
	});

	test('Limit 120 stops after the page that holds the 120th', async () => {
		const { json, lines } = await run(server, getMembers({ returnAll: false, limit: 120 }));
		expect(lines).toEqual([members(0), members(100)]);
		expect(json.map((m) => m.phoneNumber)).toEqual(BIG_NUMBERS.slice(0, 120));
	});

	test('by name: one more request, for the stream\'s lists', async () => {
		const { lines } = await run(server, { ...getMembers({ returnAll: false, limit: 5 }), contactList: { __rl: true, mode: 'name', value: BIG_LIST.name } });
		expect(lines).toEqual(['POST /campaign/api/v2/public/{stream}/campaign/contactList/getAllListDetails?accountId=acc-campaign-0001&type=call', members(0)]);
	});
});
