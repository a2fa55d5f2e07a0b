/** Campaign › Start, in n8n's engine against the local Kore server: the node picks the path by the campaign's type. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { SMS, STREAM, VOICE, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const start = (campaignType: string, id: string) => ({ resource: 'campaign', operation: 'start', campaignType, campaign: { __rl: true, mode: 'list', value: id } });
const statusOf = (id: string) => server.campaigns.campaigns(STREAM).find((c) => c._id === id)?.status;

describe('Campaign › Start', () => {
	test('voice: one request on /api/v2/…/campaign/trigger/{id}; outputs the new status and the run\'s id', async () => {
		const { json, lines, requests } = await run(server, start('voice', VOICE.id));
		expect(lines).toEqual([`POST /api/v2/public/{stream}/campaign/trigger/${VOICE.id}?accountId=acc-campaign-0001&campaignType=voice&trigger=play`]);
		expect(requests[0].body).toEqual({});
		expect(json).toEqual([{ campaignId: VOICE.id, type: 'voice', status: 'Active', message: 'Campaign Started', totalCallsCompleted: 0, updatedAt: expect.any(String), campaignInstanceId: expect.stringMatching(/^cid-/) }]);
		expect(statusOf(VOICE.id)).toBe('Active');
	});

	test('SMS: one request on the campaign\'s own path', async () => {
		const { json, lines } = await run(server, start('sms', SMS.id));
		expect(lines).toEqual([`POST /campaign/api/v2/public/{stream}/campaign/${SMS.id}?accountId=acc-campaign-0001&campaignType=sms&trigger=play`]);
		expect(json).toEqual([{ campaignId: SMS.id, type: 'sms', status: 'Active', message: 'Campaign Started', updatedAt: expect.any(String) }]);
	});

	test('Kore\'s refusals fail the item with its words: a campaign already running, the wrong type', async () => {
		await run(server, start('voice', VOICE.id));
		expect((await run(server, start('voice', VOICE.id))).error?.message).toBe(`Campaign ${VOICE.name} is already Active (HTTP 400)`);
		expect((await run(server, start('voice', SMS.id))).error?.message).toBe(`Campaign ${SMS.name} is not a voice campaign (HTTP 400)`);
		expect(statusOf(SMS.id)).toBe('Ready');
	});
});
