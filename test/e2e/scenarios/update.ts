/** Scenarios for Contact › Update, run by a real `n8n execute`. How to add one: ../README.md. */
import { DEMO_IDS, requestLines } from '../helpers';
import type { Scenario } from '../helpers';

const [JOHN, , EMILY] = DEMO_IDS;

export const scenarios: Scenario[] = [
	{
		id: 'upd-by-id',
		title: 'update by id: reads the stream once, changes only the given field',
		items: [{ koreId: JOHN, last: 'Smith' }],
		node: { parameters: { operation: 'update', contactBy: 'id', contactId: '={{ $json.koreId }}', updateFields: { lastName: '={{ $json.last }}' } } },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `PUT ${run.base}/${JOHN}`]);
			expect(run.output()![0]).toEqual(expect.objectContaining({ id: JOHN, firstName: 'John', lastName: 'Smith', fullName: 'John Smith' }));
			expect(run.contacts[JOHN]).toEqual(
				expect.objectContaining({ lastName: 'Smith', salutation: 'Mr', cellPhone: expect.objectContaining({ phoneNumber: '+919876543210' }) }),
			);
		},
	},
	{
		id: 'upd-by-phone',
		title: 'update by phone number (+44 form): finds Emily and updates her',
		items: [{ phone: '+44 7700 900123', title: 'Dr' }],
		node: { parameters: { operation: 'update', contactBy: 'phone', phoneNumber: '={{ $json.phone }}', updateFields: { salutation: '={{ $json.title }}' } } },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `PUT ${run.base}/${EMILY}`]);
			expect(run.contacts[EMILY].salutation).toBe('Dr');
		},
	},
];
