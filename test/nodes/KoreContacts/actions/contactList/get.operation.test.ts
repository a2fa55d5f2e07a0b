/** Contact List › Get, in n8n's engine against the local Kore server: by ID, by name, from the list. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { EMPTY_LIST, LIST, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const ALL = 'POST /campaign/api/v2/public/{stream}/campaign/contactList/getAllListDetails?accountId=acc-campaign-0001&type=call';
const getOne = (id: string) => `GET /campaign/api/v2/public/{stream}/campaign/contactList/${id}?accountId=acc-campaign-0001`;
const get = (mode: string, value: string) => ({ resource: 'contactList', operation: 'get', contactList: { __rl: true, mode, value } });

describe('Contact List › Get', () => {
	test.each(['id', 'list'])('by ID (picker mode "%s"): one request, Kore\'s details of the list', async (mode) => {
		const { json, lines, error } = await run(server, get(mode, LIST.id));
		expect(error).toBeUndefined();
		expect(lines).toEqual([getOne(LIST.id)]);
		expect(json).toEqual([expect.objectContaining({ _id: LIST.id, name: LIST.name, totalRecordCount: 2, isListInUse: true, allowDuplicates: false })]);
	});

	test('by name (any case): the stream\'s lists are read once for all items, then one request per item', async () => {
		const { json, lines } = await run(server, get('name', '={{ $json.list }}'), {
			items: [{ list: LIST.name.toLowerCase() }, { list: EMPTY_LIST.name }, { list: ` ${LIST.name} ` }],
		});
		// items are sent a few at a time (Concurrency): the order of the three reads may vary
		expect([lines[0], ...lines.slice(1).sort()]).toEqual([ALL, ...[getOne(LIST.id), getOne(EMPTY_LIST.id), getOne(LIST.id)].sort()]);
		expect(json.map((list) => list._id)).toEqual([LIST.id, EMPTY_LIST.id, LIST.id]);
	});

	test('a name that matches no list fails the item, names the lists there are, and sends nothing more', async () => {
		const { error, lines } = await run(server, get('name', 'July'));
		expect(error?.message).toBe('Item 0: stream "st-campaign-test-0001" has no contact list named "July" — nothing was sent for this item');
		expect(error?.description).toContain(`"${LIST.name}"`);
		expect(lines).toEqual([ALL]);
	});

	test('an unknown ID: Kore\'s 404, with a hint that names the list', async () => {
		const { error, outputs } = await run(server, get('id', 'cl-nope'), { onError: 'continueErrorOutput' });
		expect(error).toBeUndefined();
		expect(outputs[1][0].json).toEqual({
			error: 'Contact list not found: cl-nope (HTTP 404)',
			details: 'Kore did not find contact list "cl-nope" in stream "st-campaign-test-0001". Check the ID and the Stream ID.',
		});
	});

	test('a picker that resolves to nothing fails the item without a request', async () => {
		const { error, requests } = await run(server, get('id', '={{ $json.list }}'), { items: [{ list: '' }] });
		expect(error?.message).toBe('Item 0: "Contact List" is empty — nothing was sent to Kore for this item');
		expect(requests).toEqual([]);
	});
});
