/** Campaign › Get Outcomes, in n8n's engine against the local Kore server: paged, through a 429, refused for scope. */
import type { KoreServer } from '../../../../../scripts/kore-server';
import { OUTCOMES, UNSCOPED, VOICE, run, startCampaignServer } from '../../../../helpers/campaign';

let server: KoreServer;
beforeAll(async () => (server = await startCampaignServer()));
afterAll(async () => await server.close());
beforeEach(() => server.reset());

const OUTCOMES_PATH = `POST /campaign/api/v2/public/{stream}/campaign/${VOICE.id}/status?accountId=acc-campaign-0001&view=contacts`;
const getOutcomes = (extra: Record<string, unknown> = {}) => ({ resource: 'campaign', operation: 'getOutcomes', campaign: { __rl: true, mode: 'id', value: VOICE.id }, returnAll: true, ...extra });
const pages = (requests: Array<{ body?: unknown }>) => requests.map((r) => (r.body as { page: number }).page);

describe('Campaign › Get Outcomes', () => {
	test('Return All: 250 outcomes in three pages of 100; one item per contact with Kore\'s fields and the campaign\'s ID', async () => {
		const { json, lines, requests } = await run(server, getOutcomes());
		expect(lines).toEqual([OUTCOMES_PATH, OUTCOMES_PATH, OUTCOMES_PATH]);
		expect(requests.map((r) => r.body)).toEqual([1, 2, 3].map((page) => ({ page, limit: 100 })));
		expect(json).toEqual(OUTCOMES.map((outcome) => ({ ...outcome, campaignId: VOICE.id })));
	});

	test('Limit 150 stops after the second page', async () => {
		const { json, requests } = await run(server, getOutcomes({ returnAll: false, limit: 150 }));
		expect([json.length, pages(requests)]).toEqual([150, [1, 2]]);
	});

	test('a 429 in the middle of the paging: the node waits, asks for the same page again, and loses or repeats nothing', async () => {
		// one request per second: every page after the first is refused once
		server.setRateLimit({ limit: 1, windowMs: 1000, retryAfter: true });
		const { json, requests, error } = await run(server, getOutcomes());
		expect(error).toBeUndefined();
		expect(requests.map((r) => [pages([r])[0], r.status])).toEqual([
			[1, 200],
			[2, 429],
			[2, 200],
			[3, 429],
			[3, 200],
		]);
		expect(json.map((outcome) => outcome.phoneNumber)).toEqual(OUTCOMES.map((outcome) => outcome.phoneNumber));
	});

	test('an app without the "Campaign Management" scope: one refused request, an error that names the scope', async () => {
		const { error, requests } = await run(server, getOutcomes(), { app: UNSCOPED });
		expect(error?.message).toBe('Permission denied. Scope is incorrect! (HTTP 401): the JWT app is not mapped to the "Campaign Management" API scope');
		expect(error?.description).toMatch(/Check in the credential .* mapped to the "Campaign Management" API scope/);
		expect(requests).toHaveLength(1);
	});
});
