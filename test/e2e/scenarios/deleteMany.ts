/** Scenarios for Contact › Delete Many, run by a real `n8n execute`. How to add one: ../README.md. */
import { DEMO_IDS, statuses } from '../helpers';
import type { Scenario } from '../helpers';

const [FIRST, SECOND, THIRD] = DEMO_IDS;
const UNKNOWN = '69609027c1746a61429affff';

export const scenarios: Scenario[] = [
	{
		id: 'dm-mixed',
		title: 'delete many in batches of 2: duplicates sent once, an unknown id to the error output',
		items: [FIRST, UNKNOWN, SECOND, FIRST, THIRD].map((koreId) => ({ koreId })),
		node: { parameters: { operation: 'deleteMany', contactId: '={{ $json.koreId }}', options: { batchSize: 2 } }, onError: 'continueErrorOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.requests.map((r) => [r.method, r.path, r.body])).toEqual([
				['DELETE', `${run.base}/bulk-delete`, { ids: [FIRST, UNKNOWN] }],
				['DELETE', `${run.base}/bulk-delete`, { ids: [SECOND, THIRD] }],
			]);
			expect(run.output()).toEqual([FIRST, SECOND, FIRST, THIRD].map((id) => expect.objectContaining({ id, deleted: true })));
			expect(run.output(1)).toEqual([expect.objectContaining({ koreId: UNKNOWN, error: expect.stringMatching(`^Could not delete contact "${UNKNOWN}"`) })]);
			const inactive = Object.entries(statuses(run)).filter(([, status]) => status === 'INACTIVE').map(([id]) => id);
			expect(inactive.sort()).toEqual([FIRST, SECOND, THIRD].sort());
		},
	},
];
