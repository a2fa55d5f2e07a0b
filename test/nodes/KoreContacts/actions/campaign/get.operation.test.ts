/** Campaign › Get, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { SMS, VOICE, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const get = (value: string) => ({ resource: 'campaign', operation: 'get', campaign: { __rl: true, mode: 'id', value } });

describe('Campaign › Get', () => {
	test('voice or SMS, one path and one request per item', async () => {
		const { json, lines } = await run(server, get('={{ $json.id }}'), { items: [{ id: VOICE.id }, { id: SMS.id }] });
		// items are sent a few at a time (Concurrency): the order of arrival may vary
		expect(lines.sort()).toEqual([VOICE.id, SMS.id].map((id) => `GET /campaign/api/v2/public/{stream}/campaign/${id}?accountId=acc-campaign-0001`).sort());
		expect(json).toEqual([
			expect.objectContaining({ _id: VOICE.id, name: VOICE.name, dialingMode: 'Agentless', contactLists: ['Renewal Due - July 2025'] }),
			expect.objectContaining({ _id: SMS.id, name: SMS.name, format: 'simple' }),
		]);
	});

	test('an unknown ID: Kore\'s 404 and a hint naming the campaign; with the error output the run goes on', async () => {
		const { outputs } = await run(server, get('={{ $json.id }}'), { items: [{ id: 'cd-nope' }, { id: VOICE.id }], onError: 'continueErrorOutput' });
		expect(outputs[0].map((item) => [item.pairedItem, item.json._id])).toEqual([[{ item: 1 }, VOICE.id]]);
		expect(outputs[1].map((item) => [item.pairedItem, item.json.error, item.json.details])).toEqual([
			[{ item: 0 }, 'Campaign not found: cd-nope (HTTP 404)', 'Kore did not find campaign "cd-nope" in stream "st-campaign-test-0001". Check the ID and the Stream ID.'],
		]);
	});
});
