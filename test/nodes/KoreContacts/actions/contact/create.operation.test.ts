import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../../../helpers/engine';
import { BASE, CREDENTIALS, contact, scriptedKore, koreError } from '../../../../helpers/kore';

/** Kore's create: returns the posted contacts, with `+<cc><digits>` numbers, in the order given or reversed. */
function koreCreates({ reverse = false, refusePhone }: { reverse?: boolean; refusePhone?: string } = {}) {
	let next = 0;
	return scriptedKore(({ method, body }) => {
		if (method !== 'POST') return [405, koreError('Method Not Allowed', 405)];
		const posted = body as Array<{ firstName: string; cellPhone: { phoneNumber: string; countryCode: string } }>;
		if (refusePhone && posted.some((entry) => entry.cellPhone.phoneNumber === refusePhone)) {
			return [409, koreError('Phone number already exists', 409)];
		}
		const created = posted.map((entry) =>
			contact(`new-${++next}`, {
				firstName: entry.firstName,
				cellPhone: { ...entry.cellPhone, phoneNumber: `${entry.cellPhone.countryCode}${entry.cellPhone.phoneNumber}` },
			}),
		);
		return [200, reverse ? created.reverse() : created];
	});
}

const lead = (n: number): IDataObject => ({ first: `Lead${n}`, last: 'Doe', title: 'Mr', mobile: `98765 0000${n}`, cc: '+91' });

describe('Create, run inside n8n\'s engine', () => {
	test('posts a one-contact array with digits only and a normalised country code; outputs the created contact', async () => {
		const seen = koreCreates();
		const { outputs, error } = await runWorkflow('create-contact.json', { credentials: CREDENTIALS });
		expect(error).toBeUndefined();
		expect(seen).toHaveLength(1);
		expect(seen[0].path).toBe(`${BASE}/st-1/contacts`);
		expect(seen[0].body).toEqual([
			{ firstName: 'Asha', lastName: 'Rao', salutation: 'Ms', cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' } },
		]);
		expect(outputs[0]).toEqual([{ json: expect.objectContaining({ id: 'new-1', firstName: 'Asha' }), pairedItem: { item: 0 } }]);
	});

	test.each([
		['letters in the number', { mobile: '98765-CALL-ME' }, 'Item 0: "Phone Number" is not valid: "98765-CALL-ME" contains characters other than digits'],
		['a number in another country\'s form', { mobile: '+44 7700 900123' }, 'Item 0: "Phone Number" is not valid: "+44 7700 900123" is written with a country code that is not the Country Code +91'],
		['a bad country code', { cc: 'India' }, 'Item 0: "Country Code" is not valid: "India" is not a country calling code'],
		['no first name', { first: '  ' }, 'Item 0: "First Name" is empty — nothing was sent to Kore for this item'],
		['no phone number', { mobile: '' }, 'Item 0: "Phone Number" is empty — nothing was sent to Kore for this item'],
	])('%s is refused before any request', async (_, change, message) => {
		const seen = koreCreates();
		const { error } = await runWorkflow('create-contact.json', { credentials: CREDENTIALS, items: [{ ...lead(1), ...change }] });
		expect(error?.message).toContain(message);
		expect(seen).toHaveLength(0);
	});

	test('an empty Dialing Prefix sends Kore\'s usual "+"', async () => {
		const seen = koreCreates();
		const { error } = await runWorkflow('create-contact.json', { credentials: CREDENTIALS, items: [lead(1)], node: { parameters: { extension: '={{ "" }}' } } });
		expect(error).toBeUndefined();
		expect((seen[0].body as Array<{ cellPhone: unknown }>)[0].cellPhone).toEqual({ phoneNumber: '9876500001', countryCode: '+91', extension: '+' });
	});

	test.each([
		['+44 (0)20 7946 0958', '+44', '2079460958'],
		['06 1234 5678', '+39', '0612345678'],
	])('%p with Country Code %p is sent as %p', async (mobile, cc, phoneNumber) => {
		const seen = koreCreates();
		const { error } = await runWorkflow('create-contact.json', { credentials: CREDENTIALS, items: [{ ...lead(1), mobile, cc }] });
		expect(error).toBeUndefined();
		expect((seen[0].body as Array<{ cellPhone: unknown }>)[0].cellPhone).toEqual({ phoneNumber, countryCode: cc, extension: '+' });
	});

	describe('"Send in One Request" with two items of the same number', () => {
		const items = [lead(1), lead(2), { ...lead(1), first: 'Again', mobile: '+91 98765 00001' }];
		const options = { sendInOneRequest: true, batchSize: 10 };

		test('On Error "Stop Workflow": refused before anything is sent, naming both items', async () => {
			const seen = koreCreates();
			const { error } = await runWorkflow('create-contact.json', { credentials: CREDENTIALS, items, node: { parameters: { options } } });
			expect(error?.message).toBe(
				'Item 2: phone +919876500001 is also the number of item 0; Kore keeps one contact per number, so this item was not sent',
			);
			expect(error?.context?.itemIndex).toBe(2);
			expect(seen).toHaveLength(0);
		});

		test('On Error "Continue (using error output)": the duplicate fails, every other item gets its own contact', async () => {
			const seen = koreCreates({ reverse: true });
			const { outputs } = await runWorkflow('create-contact.json', {
				credentials: CREDENTIALS,
				items,
				node: { onError: 'continueErrorOutput', parameters: { options } },
			});
			expect(seen.map((request) => (request.body as unknown[]).length)).toEqual([2]);
			expect(outputs[0].map((item) => [item.json.firstName, item.pairedItem])).toEqual([
				['Lead1', { item: 0 }],
				['Lead2', { item: 1 }],
			]);
			expect(outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
				['Item 2: phone +919876500001 is also the number of item 0; Kore keeps one contact per number, so this item was not sent', { item: 2 }],
			]);
		});
	});

	test('one request per item by default, each output paired with its item', async () => {
		const seen = koreCreates();
		const { outputs } = await runWorkflow('create-contact.json', { credentials: CREDENTIALS, items: [1, 2, 3].map(lead) });
		expect(seen).toHaveLength(3);
		expect(outputs[0].map((item) => [item.json.firstName, item.pairedItem])).toEqual([
			['Lead1', { item: 0 }],
			['Lead2', { item: 1 }],
			['Lead3', { item: 2 }],
		]);
	});

	test('"Send in One Request" batches items and pairs each created contact with its item, whatever Kore\'s order', async () => {
		const seen = koreCreates({ reverse: true });
		const { outputs } = await runWorkflow('create-contact.json', {
			credentials: CREDENTIALS,
			items: [1, 2, 3, 4, 5].map(lead),
			node: { parameters: { options: { sendInOneRequest: true, batchSize: 2 } } },
		});
		expect(seen.map((request) => (request.body as unknown[]).length)).toEqual([2, 2, 1]);
		expect(outputs[0].map((item) => [item.json.firstName, item.json.cellPhone, item.pairedItem])).toEqual(
			[1, 2, 3, 4, 5].map((n) => [
				`Lead${n}`,
				{ phoneNumber: `+91987650000${n}`, countryCode: '+91', extension: '+' },
				{ item: n - 1 },
			]),
		);
	});

	test('a refused batch fails all its items; with Continue the other batches still go through', async () => {
		const seen = koreCreates({ refusePhone: '9876500003' });
		const { outputs } = await runWorkflow('create-contact.json', {
			credentials: CREDENTIALS,
			items: [1, 2, 3, 4, 5].map(lead),
			node: { onError: 'continueErrorOutput', parameters: { options: { sendInOneRequest: true, batchSize: 2 } } },
		});
		expect(seen).toHaveLength(3);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 4 }]);
		expect(outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Phone number already exists (HTTP 409)', { item: 2 }],
			['Phone number already exists (HTTP 409)', { item: 3 }],
		]);
	});

	test('a create that may have reached Kore is not sent twice (503 → no retry)', async () => {
		const seen = scriptedKore(() => [503, 'Service Unavailable']);
		const { error } = await runWorkflow('create-contact.json', { credentials: CREDENTIALS });
		expect(seen).toHaveLength(1);
		expect(error?.message).toBe('Service Unavailable (HTTP 503)');
		// not "try again later", which invites a duplicate: the contact may exist already
		expect(error?.description).toMatch(/may have reached Kore.*Check in Kore whether they exist before running it again/);
		expect(error?.description).not.toMatch(/Try again later/i);
	});
});
