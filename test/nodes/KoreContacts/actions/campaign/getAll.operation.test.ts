/** Campaign › Get Many, in n8n's engine against the local Kore server. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { SMS, STREAM, VOICE, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const LIST_CAMPAIGNS = 'POST /campaign/api/v2/public/{stream}/campaign/getAllCampaignDetails?accountId=acc-campaign-0001';
const getAll = (extra: Record<string, unknown>) => ({ resource: 'campaign', operation: 'getAll', returnAll: true, ...extra });
/** 150 more voice campaigns, every third one Active. */
const seedMany = () =>
	server.campaigns.seed({
		campaigns: Array.from({ length: 150 }, (_, n) => ({ streamId: STREAM, _id: `cd-many-${n}`, name: `Campaign ${n}`, type: 'voice' as const, status: n % 3 === 0 ? 'Active' : 'Ready' })),
	});

describe('Campaign › Get Many', () => {
	test('voice: one request with type "voice"; one item per campaign as Kore lists it', async () => {
		const { json, lines, requests } = await run(server, getAll({ campaignType: 'voice' }));
		expect(lines).toEqual([LIST_CAMPAIGNS]);
		expect(requests[0].body).toEqual({ type: 'voice', skip: 0, page: 1, limit: 100, sortBy: { createdAt: 'desc' } });
		expect(json).toEqual([expect.objectContaining({ _id: VOICE.id, name: VOICE.name, status: 'Ready', dialingMode: 'Agentless' })]);
	});

	test('SMS: Kore lists SMS campaigns with "id" (not "_id"); the node passes its record on as it is', async () => {
		const { json, requests } = await run(server, getAll({ campaignType: 'sms' }));
		expect((requests[0].body as { type: string }).type).toBe('sms');
		expect(json).toEqual([expect.objectContaining({ id: SMS.id, name: SMS.name })]);
	});

	test('151 campaigns: Return All follows two pages; Limit 120 stops after the second; the status filter is Kore\'s', async () => {
		seedMany();
		const all = await run(server, getAll({ campaignType: 'voice' }));
		expect(all.lines).toEqual([LIST_CAMPAIGNS, LIST_CAMPAIGNS]);
		expect(all.requests.map((r) => [(r.body as { skip: number }).skip, (r.body as { page: number }).page])).toEqual([[0, 1], [100, 2]]);
		expect(new Set(all.json.map((c) => c._id)).size).toBe(151);

		const limited = await run(server, getAll({ campaignType: 'voice', returnAll: false, limit: 120 }));
		expect([limited.json.length, limited.lines.length]).toEqual([120, 2]);

		const active = await run(server, getAll({ campaignType: 'voice', filters: { status: ['Active'] } }));
		expect((active.requests[0].body as { filters: unknown }).filters).toEqual({ status: ['Active'] });
		expect(active.json.map((c) => c.status)).toEqual(Array(50).fill('Active'));
	});
});
