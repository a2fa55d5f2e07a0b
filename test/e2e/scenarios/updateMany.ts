/** Scenarios for Contact › Update Many, run by a real `n8n execute`. How to add one: ../README.md. */
import { DEMO_IDS } from '../helpers';
import type { Scenario } from '../helpers';

const [JOHN, JANE] = DEMO_IDS;
const UNKNOWN = '69609027c1746a61429affff';

export const scenarios: Scenario[] = [
	{
		id: 'um-mixed',
		title: 'update many: partial changes merged into one bulk request; an unknown id is a per-item error',
		items: [
			{ koreId: JOHN, last: 'Bulk-One' },
			{ koreId: UNKNOWN, last: 'Nobody' },
			{ koreId: JANE, last: 'Bulk-Two' },
		],
		node: {
			parameters: { operation: 'updateMany', contactId: '={{ $json.koreId }}', updateFields: { lastName: '={{ $json.last }}' } },
			onError: 'continueRegularOutput',
		},
		expect: (run) => {
			expect(run.code).toBe(0);
			// the unknown id is looked for once more on a scan that started after the miss (the lookup layer) before it fails
			expect(run.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${run.base}`, `GET ${run.base}`, `PUT ${run.base}/bulk-update`]);
			expect((run.requests[2].body as Array<{ id: string; firstName: string; lastName: string }>).map((row) => [row.id, row.firstName, row.lastName])).toEqual([
				[JOHN, 'John', 'Bulk-One'],
				[JANE, 'Jane', 'Bulk-Two'],
			]);
			expect(run.output()!.map((item) => item.error ?? item.id)).toEqual([JOHN, `Item 1: no contact with ID "${UNKNOWN}" in stream "${run.streamId}"`, JANE]);
			expect(run.contacts[JOHN].lastName).toBe('Bulk-One');
			expect(run.contacts[JANE].lastName).toBe('Bulk-Two');
		},
	},
];
