/** Scenarios for Contact › Create or Update (`upsert`), run by a real `n8n execute`. How to add one: ../README.md. */
import { DEMO_IDS, demoContacts, expectSignedByScenario, requestLines } from '../helpers';
import type { Scenario, ScenarioRun } from '../helpers';

const [JOHN, , EMILY] = DEMO_IDS;
/** A second active contact whose stored number is Emily's written with the UK trunk 0 (Kore keeps "+4407700900123"). */
const EMILY_TWIN = '69609027c1746a61429a00e2';

/** Create or Update with every field from the item (Country Code is required, as in Create). */
const upsert = {
	operation: 'upsert',
	firstName: '={{ $json.first }}',
	lastName: '={{ $json.last }}',
	salutation: '={{ $json.title }}',
	phoneNumber: '={{ $json.phone }}',
	countryCode: '={{ $json.cc }}',
};

/** Contacts of the run with this stored number. */
const withNumber = (run: ScenarioRun, phone: string) => Object.values(run.contacts).filter((c) => c.cellPhone.phoneNumber === phone);

export const scenarios: Scenario[] = [
	{
		id: 'ups-create',
		title: 'create or update, a new number: one scan, one POST; the contact is created and output with action "created"',
		items: [{ first: 'Ana', last: 'Lima', title: 'Ms', phone: '415 555 0101', cc: '+1' }],
		node: { parameters: upsert },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `POST ${run.base}`]);
			expect(run.requests[1].body).toEqual([
				{ firstName: 'Ana', lastName: 'Lima', salutation: 'Ms', cellPhone: { phoneNumber: '4155550101', countryCode: '+1', extension: '+' } },
			]);
			const created = withNumber(run, '+14155550101');
			expect(created).toHaveLength(1);
			expect(run.output()).toEqual([{ ...created[0], action: 'created' }]);
			expect(Object.keys(run.contacts)).toHaveLength(DEMO_IDS.length + 1);
			expectSignedByScenario(run);
		},
	},
	{
		id: 'ups-update',
		title: 'create or update, a known number in another format: John is updated, blank fields keep their values',
		items: [{ first: 'Johnny', last: '', title: '', phone: '0091 98765-43210', cc: '91' }],
		node: { parameters: upsert },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `PUT ${run.base}/${JOHN}`]);
			expect(run.contacts[JOHN]).toEqual(
				expect.objectContaining({
					firstName: 'Johnny',
					lastName: 'Doe',
					fullName: 'Johnny Doe',
					salutation: 'Mr',
					status: 'ACTIVE',
					cellPhone: { extension: '+', phoneNumber: '+919876543210', countryCode: '+91' },
				}),
			);
			expect(run.output()).toEqual([{ ...run.contacts[JOHN], action: 'updated' }]);
			expect(Object.keys(run.contacts)).toHaveLength(DEMO_IDS.length);
		},
	},
	{
		id: 'ups-several',
		title: 'create or update, two active contacts hold the number: the item fails, both are named, nothing is written',
		contacts: [
			...demoContacts(),
			{
				id: EMILY_TWIN,
				firstName: 'Emily',
				lastName: 'Clarke (old import)',
				salutation: 'Ms',
				cellPhone: { phoneNumber: '07700900123', countryCode: '+44', extension: '+' },
			},
		],
		items: [{ first: 'Em', phone: '+44 7700 900123', cc: '+44' }],
		node: { parameters: upsert, onError: 'continueErrorOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			// the number is checked once more on a later scan before the item fails
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `GET ${run.base}`]);
			expect(run.output(0)).toEqual([]);
			const [failed] = run.output(1)!;
			expect(failed.error).toMatch(/^Item 0: 2 contacts have phone \+447700900123: /);
			expect(failed.error).toContain(EMILY);
			expect(failed.error).toContain(EMILY_TWIN);
			expect([run.contacts[EMILY].firstName, run.contacts[EMILY_TWIN].firstName]).toEqual(['Emily', 'Emily']);
		},
	},
	{
		id: 'ups-same-twice',
		title: 'create or update, one new number in two items of one run: one contact (POST, then PUT), never two',
		items: [
			{ first: 'Ravi', last: 'Kumar', title: 'Mr', phone: '+91 90000 11111', cc: '+91' },
			{ first: 'Ravi', last: 'Kumar-Iyer', title: '', phone: '+91 9000011111', cc: '+91' },
		],
		node: { parameters: upsert },
		expect: (run) => {
			expect(run.code).toBe(0);
			const made = withNumber(run, '+919000011111');
			expect(made).toHaveLength(1);
			expect(requestLines(run)).toEqual([`GET ${run.base}`, `POST ${run.base}`, `PUT ${run.base}/${made[0].id}`]);
			expect(run.output()!.map((c) => [c.id, c.action, c.lastName, c.salutation])).toEqual([
				[made[0].id, 'created', 'Kumar', 'Mr'],
				[made[0].id, 'updated', 'Kumar-Iyer', 'Mr'],
			]);
		},
	},
];
