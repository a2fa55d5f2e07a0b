/** Contact List › Create, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { LIST, STREAM, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const create = () => ({
	resource: 'contactList',
	operation: 'create',
	name: '={{ $json.name }}',
	description: '={{ $json.description }}',
	allowDuplicates: '={{ $json.duplicates ?? false }}',
});

describe('Contact List › Create', () => {
	test('one request per item: the list with source "passiveApi"; outputs the list Kore created, paired', async () => {
		const { json, requests, lines, error, outputs } = await run(server, create(), {
			items: [
				{ name: 'Leads Gone Warm', description: 'Leads that answered', duplicates: true },
				{ name: 'Win-back', description: 'Customers who left' },
			],
		});
		expect(error).toBeUndefined();
		expect(lines).toEqual(Array(2).fill(`POST /campaign/api/v2/public/{stream}/campaign/contactList/createContactList?accountId=acc-campaign-0001`));
		// items are sent a few at a time (Concurrency): the order of arrival may vary
		expect(requests.map((r) => r.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
			{ name: 'Leads Gone Warm', description: 'Leads that answered', source: 'passiveApi', allowDuplicates: true },
			{ name: 'Win-back', description: 'Customers who left', source: 'passiveApi', allowDuplicates: false },
		]);
		expect(json).toEqual([
			expect.objectContaining({ _id: expect.stringMatching(/^cl-/), name: 'Leads Gone Warm', allowDuplicates: true, totalRecordCount: 0 }),
			expect.objectContaining({ name: 'Win-back', allowDuplicates: false }),
		]);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(server.campaigns.contactLists(STREAM).map((l) => l.name)).toEqual(expect.arrayContaining(['Leads Gone Warm', 'Win-back']));
	});

	test('a name over 48 characters or an empty description fails its item before anything is sent', async () => {
		const items = [{ name: 'x'.repeat(49), description: 'd' }, { name: 'Fine', description: '' }, { name: 'Fine too', description: 'ok' }];
		const stopped = await run(server, create(), { items });
		expect(stopped.error?.message).toBe('Item 0: "Name" has 49 characters; Kore allows at most 48 — nothing was sent to Kore for this item');
		expect(stopped.requests).toEqual([]);

		const continued = await run(server, create(), { items, onError: 'continueErrorOutput' });
		expect(continued.outputs[1].map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 0 }, 'Item 0: "Name" has 49 characters; Kore allows at most 48 — nothing was sent to Kore for this item'],
			[{ item: 1 }, 'Item 1: "Description" is empty — nothing was sent to Kore for this item'],
		]);
		expect(continued.requests.map((r) => (r.body as { name: string }).name)).toEqual(['Fine too']);
	});

	test('Kore\'s refusal (a name already taken) fails the item with Kore\'s words', async () => {
		const { error } = await run(server, create(), { items: [{ name: LIST.name.toUpperCase(), description: 'again' }] });
		expect(error?.message).toBe(`A contact list named "${LIST.name.toUpperCase()}" already exists (HTTP 400)`);
	});
});
