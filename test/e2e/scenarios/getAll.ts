/** Scenarios for Contact › Get Many, run by a real `n8n execute`. How to add one: ../README.md. */
import { DEMO_IDS, demoContacts } from '../helpers';
import type { Scenario, ScenarioContact } from '../helpers';

/** 250 contacts: pages of 100 (the server's largest) make three requests. */
const many: ScenarioContact[] = Array.from({ length: 250 }, (_, n) => ({
	id: `6960900000000000000${String(n).padStart(5, '0')}`,
	firstName: `Person${n}`,
	lastName: 'Many',
	salutation: 'Mx',
	cellPhone: { phoneNumber: String(4000000000 + n), countryCode: '+1', extension: '+' },
}));

export const scenarios: Scenario[] = [
	{
		id: 'get-all',
		title: 'get many, Return All: follows 3 pages, one item per contact',
		contacts: many,
		node: { parameters: { operation: 'getAll', returnAll: true } },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.requests.map((r) => [r.method, r.query.skip, r.query.limit])).toEqual([
				['GET', '0', '100'],
				['GET', '100', '100'],
				['GET', '200', '100'],
			]);
			expect(run.output()!.map((c) => c.id)).toEqual(many.map((c) => c.id));
		},
	},
	{
		id: 'get-limit',
		title: 'get many with Limit 130 stops mid-page',
		contacts: many,
		node: { parameters: { operation: 'getAll', returnAll: false, limit: 130 } },
		expect: (run) => {
			expect(run.requests).toHaveLength(2);
			expect(run.output()!.map((c) => c.id)).toEqual(many.slice(0, 130).map((c) => c.id));
		},
	},
	{
		id: 'get-phone',
		title: 'get many filtered by a phone number written another way',
		node: { parameters: { operation: 'getAll', returnAll: true, filters: { phoneNumber: '0091 98765-43210', status: 'active' } } },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.output()!.map((c) => [c.id, c.fullName])).toEqual([[DEMO_IDS[0], demoContacts()[0].firstName + ' Doe']]);
		},
	},
];
