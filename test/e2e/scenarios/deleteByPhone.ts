/** Scenarios for Contact › Delete with Contact By: Phone Number. How to add one: ../README.md. */
import { DEMO_IDS, requestLines, statuses } from '../helpers';
import type { Scenario } from '../helpers';

const [JOHN, JANE] = DEMO_IDS;

export const scenarios: Scenario[] = [
	{
		id: 'del-phone',
		title: 'delete by phone: two formats match, an unknown number goes to the error output after a second scan',
		items: [{ phone: '+91 98765-43210' }, { phone: '999 999 9999', cc: '+1' }, { phone: '0091 9123456780' }],
		node: {
			parameters: { operation: 'delete', contactBy: 'phone', phoneNumber: '={{ $json.phone }}', countryCode: '={{ $json.cc }}', options: { concurrency: 1 } },
			onError: 'continueErrorOutput',
		},
		expect: (run) => {
			expect(run.code).toBe(0);
			// one scan for all three; the unknown number is looked for once more on a later scan before it fails
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `DELETE ${run.base}/${JOHN}`, `GET ${run.base}`, `DELETE ${run.base}/${JANE}`]);
			expect(run.output()!.map((c) => [c.id, c.status])).toEqual([
				[JOHN, 'INACTIVE'],
				[JANE, 'INACTIVE'],
			]);
			expect(run.output(1)).toEqual([expect.objectContaining({ phone: '999 999 9999', error: expect.stringMatching(/^Item 1: no contact with phone \+19999999999/) })]);
			expect(Object.entries(statuses(run)).filter(([, status]) => status === 'INACTIVE').map(([id]) => id).sort()).toEqual([JOHN, JANE].sort());
		},
	},
];
