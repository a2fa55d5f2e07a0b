/** Contact List › Update, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { LIST, STREAM, VOICE, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const update = (updateFields: Record<string, string>) => ({
	resource: 'contactList',
	operation: 'update',
	contactList: { __rl: true, mode: 'id', value: LIST.id },
	updateFields,
});

describe('Contact List › Update', () => {
	test('one PUT with only the fields given; outputs the list\'s ID and what Kore stored; campaigns follow the rename', async () => {
		const { json, lines, requests } = await run(server, update({ name: 'Renewal Due - August 2025' }));
		expect(lines).toEqual([`PUT /campaign/api/v2/public/{stream}/campaign/contactList/${LIST.id}?accountId=acc-campaign-0001`]);
		expect(requests[0].body).toEqual({ name: 'Renewal Due - August 2025' });
		expect(json).toEqual([expect.objectContaining({ _id: LIST.id, name: 'Renewal Due - August 2025', iId: STREAM })]);
		expect(server.campaigns.contactLists(STREAM).find((l) => l._id === LIST.id)?.description).toBe('Plans renewing in July');
		expect(server.campaigns.campaigns(STREAM).find((c) => c._id === VOICE.id)?.contactLists).toEqual(['Renewal Due - August 2025']);
	});

	test('no field to change fails the item without a request', async () => {
		const { error, requests } = await run(server, update({ name: '  ' }));
		expect(error?.message).toBe('Item 0: no field to update — nothing was sent to Kore for this item');
		expect(requests).toEqual([]);
	});

	test('a description over 256 characters fails the item without a request', async () => {
		const { error, requests } = await run(server, update({ description: 'd'.repeat(257) }));
		expect(error?.message).toBe('Item 0: "Description" has 257 characters; Kore allows at most 256 — nothing was sent to Kore for this item');
		expect(requests).toEqual([]);
	});
});
