/** Pacing and rate-limit answers inside a real n8n. How to add one: ../README.md. */
import { DEMO_IDS, statuses } from '../helpers';
import type { Scenario } from '../helpers';

const RATE_LIMIT_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.";
const deleteEach = { operation: 'delete', contactBy: 'id', contactId: '={{ $json.koreId }}', options: { concurrency: 4 } };

export const scenarios: Scenario[] = [
	{
		id: 'lim-paced',
		title: 'pacing: 3 requests per 2 s for 6 deletes waits (logged through n8n\'s logger) and gets no 429',
		items: DEMO_IDS.map((koreId) => ({ koreId })),
		credential: { requestsPerMinute: 3, rateLimitWindowMs: 2000 },
		node: { parameters: deleteEach },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
			const starts = run.requests.map((r) => r.at - run.requests[0].at);
			// The node starts the 4th request 2.04 s after the 1st (window + 2% margin); the server stamps
			// arrival, and the 1st request of a fresh n8n process can arrive later than it left (connection
			// set-up), so allow some slack. Without pacing all six arrive within a few tens of ms.
			expect(starts[3]).toBeGreaterThanOrEqual(1800);
			expect(run.stdout).toMatch(/Kore Contacts: pacing requests to 3 per 2\.0 s for account .* a request waited \d+\.\d s/);
			expect(Object.values(statuses(run)).every((status) => status === 'INACTIVE')).toBe(true);
		},
	},
	{
		id: 'lim-429',
		title: 'a 429 with Retry-After, then a 503 and a reset: every item still deleted, nothing lost',
		items: DEMO_IDS.slice(0, 3).map((koreId) => ({ koreId })),
		node: { parameters: { ...deleteEach, options: { concurrency: 1 } } },
		setup: (ctx) => {
			ctx.server.addFault({ path: ctx.base, times: 1, action: { status: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE, code: 429 }] }, headers: { 'Retry-After': '1' } } });
			ctx.server.addFault({ path: ctx.base, times: 1, action: { status: 503 } });
			ctx.server.addFault({ path: ctx.base, times: 1, action: { reset: 'after' } });
		},
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.output()!.map((c) => [c.id, c.status])).toEqual(DEMO_IDS.slice(0, 3).map((id) => [id, 'INACTIVE']));
			expect(run.stdout).toContain('rate limit was exceeded (HTTP 429');
			expect(run.stdout).toMatch(/retry 1 of 4/);
			const done = statuses(run);
			expect(DEMO_IDS.slice(0, 3).map((id) => done[id])).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
		},
	},
];
