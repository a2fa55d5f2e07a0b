/** Campaign › Stop, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { SMS, STREAM, VOICE, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const trigger = (operation: string, campaignType: string, id: string) => ({ resource: 'campaign', operation, campaignType, campaign: { __rl: true, mode: 'id', value: id } });

describe('Campaign › Stop', () => {
	test.each([
		['voice', VOICE.id, `POST /api/v2/public/{stream}/campaign/trigger/${VOICE.id}?accountId=acc-campaign-0001&campaignType=voice&trigger=stop`],
		['sms', SMS.id, `POST /campaign/api/v2/public/{stream}/campaign/${SMS.id}?accountId=acc-campaign-0001&campaignType=sms&trigger=stop`],
	])('%s: one request on the type\'s path; the campaign is Stopped', async (type, id, line) => {
		await run(server, trigger('start', type, id));
		const { json, lines } = await run(server, trigger('stop', type, id));
		expect(lines).toEqual([line]);
		expect(json).toEqual([expect.objectContaining({ campaignId: id, type, status: 'Stopped', message: 'Campaign Stopped' })]);
		expect(server.campaigns.campaigns(STREAM).find((c) => c._id === id)?.status).toBe('Stopped');
	});

	test('a campaign that is not running: Kore\'s refusal fails the item', async () => {
		const { error } = await run(server, trigger('stop', 'voice', VOICE.id));
		expect(error?.message).toBe(`Campaign ${VOICE.name} is not Active (HTTP 400)`);
	});
});
