/** Contact List › Get Many, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { BIG_LIST, EMPTY_LIST, LIST, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const ALL = 'POST /campaign/api/v2/public/{stream}/campaign/contactList/getAllListDetails?accountId=acc-campaign-0001&type=call';

describe('Contact List › Get Many', () => {
	test('Return All: one request, one item per list', async () => {
		const { json, lines } = await run(server, { resource: 'contactList', operation: 'getAll', returnAll: true });
		expect(lines).toEqual([ALL]);
		expect(json.map((list) => list.name).sort()).toEqual([BIG_LIST.name, EMPTY_LIST.name, LIST.name].sort());
	});

	test('Name Contains (not case-sensitive) and Limit are applied to Kore\'s one answer', async () => {
		const filtered = await run(server, { resource: 'contactList', operation: 'getAll', returnAll: true, filters: { name: 'RENEWAL' } });
		expect(filtered.json.map((list) => list._id)).toEqual([LIST.id]);
		const limited = await run(server, { resource: 'contactList', operation: 'getAll', returnAll: false, limit: 2 });
		expect([limited.json.length, limited.lines]).toEqual([2, [ALL]]);
	});
});
