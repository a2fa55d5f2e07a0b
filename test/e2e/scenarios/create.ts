/** Scenarios for Contact › Create, run by a real `n8n execute`. How to add one: ../README.md. */
import { expectSignedByScenario, requestLines } from '../helpers';
import type { Scenario } from '../helpers';

const lead = (n: number, mobile = `98765 1000${n}`) => ({ first: `Lead${n}`, last: 'Doe', title: 'Mr', mobile, cc: '91' });

const createParameters = {
	operation: 'create',
	firstName: '={{ $json.first }}',
	lastName: '={{ $json.last }}',
	salutation: '={{ $json.title }}',
	phoneNumber: '={{ $json.mobile }}',
	countryCode: '={{ $json.cc }}',
	extension: '+',
};

export const scenarios: Scenario[] = [
	{
		id: 'cre-one',
		title: 'create: digits-only phone and +cc sent, the created contact is the output',
		items: [lead(1, '+91 (98765) 10001')],
		node: { parameters: createParameters },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(requestLines(run)).toEqual([`POST ${run.base}`]);
			expect(run.requests[0].body).toEqual([
				{ firstName: 'Lead1', lastName: 'Doe', salutation: 'Mr', cellPhone: { phoneNumber: '9876510001', countryCode: '+91', extension: '+' } },
			]);
			const [created] = run.output()!;
			expect(created).toEqual(expect.objectContaining({ firstName: 'Lead1', status: 'ACTIVE', cellPhone: expect.objectContaining({ phoneNumber: '+919876510001' }) }));
			expect(run.contacts[created.id as string]?.status).toBe('ACTIVE');
			expectSignedByScenario(run);
		},
	},
	{
		id: 'cre-batch',
		title: 'create in one request, batches of 2: a refused batch goes to the error output, the rest are created and paired',
		// Lead3 reuses John Doe's number (+91 9876543210): Kore refuses its whole batch.
		items: [lead(1), lead(2), lead(3, '9876543210'), lead(4), lead(5)],
		node: { parameters: { ...createParameters, options: { sendInOneRequest: true, batchSize: 2 } }, onError: 'continueErrorOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.requests.map((r) => [r.method, r.status, (r.body as unknown[]).length])).toEqual([
				['POST', 200, 2],
				['POST', 409, 2],
				['POST', 200, 1],
			]);
			expect(run.output()!.map((c) => c.firstName)).toEqual(['Lead1', 'Lead2', 'Lead5']);
			expect(run.output(1)!.map((item) => [item.first, item.error])).toEqual([
				['Lead3', expect.stringMatching(/already exists \(HTTP 409\)$/)],
				['Lead4', expect.stringMatching(/already exists \(HTTP 409\)$/)],
			]);
			const names = Object.values(run.contacts).map((c) => c.firstName);
			expect(names).toEqual(expect.arrayContaining(['Lead1', 'Lead2', 'Lead5']));
			expect(names).not.toContain('Lead4');
		},
	},
	{
		id: 'cre-letters',
		title: 'create: letters in a phone number stop the run before any request',
		items: [lead(1), lead(2, '98765-CALL-ME')],
		node: { parameters: createParameters },
		expect: (run) => {
			expect(run.code).toBe(1);
			expect(run.errorMessage).toMatch(/^Item 1: "Phone Number" is not valid: "98765-CALL-ME" contains characters other than digits/);
			expect(run.requests).toEqual([]);
		},
	},
];
