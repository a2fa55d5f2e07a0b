/** Scenarios for Contact › Get, run by a real `n8n execute`. How to add one: ../README.md. */
import { DEMO_IDS, expectSignedByScenario, requestLines } from '../helpers';
import type { Scenario } from '../helpers';

const [JOHN, JANE, EMILY] = DEMO_IDS;
const UNKNOWN = '69609027c1746a61429affff';

export const scenarios: Scenario[] = [
	{
		id: 'get-by-id',
		title: 'get by id: the contact as Kore lists it; an unknown id goes to the error output after a second look',
		items: [{ koreId: EMILY }, { koreId: UNKNOWN }],
		node: { parameters: { operation: 'get', contactBy: 'id', contactId: '={{ $json.koreId }}' }, onError: 'continueErrorOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			// one scan shared by both items, then one more (started after the miss) before the unknown id fails
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `GET ${run.base}`]);
			expect(run.output(0)).toEqual([run.contacts[EMILY]]);
			expect(run.output(1)).toEqual([
				expect.objectContaining({ koreId: UNKNOWN, error: `Item 1: no contact with ID "${UNKNOWN}" in stream "${run.streamId}"` }),
			]);
			expect(Object.values(run.contacts).every((c) => c.status === 'ACTIVE')).toBe(true);
			expectSignedByScenario(run);
		},
	},
	{
		id: 'get-by-phone',
		title: 'get by phone: two numbers in two formats, one scan for both, each item gets its contact',
		items: [{ phone: '+91 98765-43210' }, { phone: '09123456780', cc: '+91' }],
		node: { parameters: { operation: 'get', contactBy: 'phone', phoneNumber: '={{ $json.phone }}', countryCode: '={{ $json.cc }}' } },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(requestLines(run)).toEqual([`GET ${run.base}`]);
			expect(run.output()).toEqual([run.contacts[JOHN], run.contacts[JANE]]);
		},
	},
];
