/** Contact List › Delete, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { BIG_LIST, EMPTY_LIST, LIST, STREAM, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const remove = (mode: string, value: string) => ({ resource: 'contactList', operation: 'delete', contactList: { __rl: true, mode, value } });
const names = () => server.campaigns.contactLists(STREAM).map((l) => l.name);

describe('Contact List › Delete', () => {
	test('by ID: one DELETE; outputs the deleted list with deleted: true', async () => {
		const { json, lines } = await run(server, remove('id', BIG_LIST.id));
		expect(lines).toEqual([`DELETE /campaign/api/v2/public/{stream}/campaign/contactList/${BIG_LIST.id}?accountId=acc-campaign-0001`]);
		expect(json).toEqual([expect.objectContaining({ _id: BIG_LIST.id, name: BIG_LIST.name, deleted: true })]);
		expect(names()).not.toContain(BIG_LIST.name);
	});

	test('Kore refuses a list a campaign dials: the item fails with Kore\'s words, nothing is deleted', async () => {
		const { error } = await run(server, remove('name', LIST.name));
		expect(error?.message).toBe(`Contact list ${LIST.name} is in use by a campaign (HTTP 400)`);
		expect(names()).toEqual(expect.arrayContaining([LIST.name, EMPTY_LIST.name]));
	});

	test('sent again after the first answer was lost, a list Kore no longer knows counts as deleted, and says why', async () => {
		server.addFault({ method: 'DELETE', path: /contactList/, action: { reset: 'after' } });
		const { json, requests } = await run(server, remove('id', BIG_LIST.id));
		expect(requests.map((r) => r.status)).toEqual([200, 404]);
		expect(json).toEqual([{ _id: BIG_LIST.id, deleted: true, note: expect.stringMatching(/answer to the first attempt was lost \(ECONNRESET\)/) }]);
	});
});
