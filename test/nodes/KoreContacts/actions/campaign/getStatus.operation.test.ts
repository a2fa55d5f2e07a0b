/** Campaign › Get Status, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { SMS, VOICE, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

describe('Campaign › Get Status', () => {
	test('one request per item (view=status); outputs { id, status, name }', async () => {
		const { json, lines, requests } = await run(server, { resource: 'campaign', operation: 'getStatus', campaign: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, {
			items: [{ id: VOICE.id }, { id: SMS.id }],
		});
		// items are sent a few at a time (Concurrency): the order of arrival may vary
		expect(lines.sort()).toEqual([VOICE.id, SMS.id].map((id) => `POST /campaign/api/v2/public/{stream}/campaign/${id}/status?accountId=acc-campaign-0001&view=status`).sort());
		expect(requests.map((r) => r.body)).toEqual([{}, {}]);
		expect(json).toEqual([
			{ id: VOICE.id, status: 'Ready', name: VOICE.name },
			{ id: SMS.id, status: 'Ready', name: SMS.name },
		]);
	});
});
