import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { CREDENTIALS, contact } from '../../../../helpers/kore';

const STORED = [
	contact('c1', { firstName: 'asha', lastName: 'rao', salutation: 'ms', cellPhone: { phoneNumber: '+919876543210', countryCode: '+91', extension: '+' } }),
	contact('c2', { firstName: 'ravi', lastName: 'kumar', salutation: 'mr', cellPhone: { phoneNumber: '+919812345678', countryCode: '+91', extension: '+' } }),
];

/** Kore holding STORED. */
function kore() {
	return fakeStream(0, STORED).seen;
}

describe('Update, run inside n8n\'s engine', () => {
	test('changes one field: reads the contact first and sends it whole, with the change', async () => {
		const seen = kore();
		const { outputs, error } = await runWorkflow('update-contact.json', { credentials: CREDENTIALS });
		expect(error).toBeUndefined();
		expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /agentassist/api/v1/public/st-1/contacts',
			'PUT /agentassist/api/v1/public/st-1/contacts/c1',
		]);
		expect(seen[1].body).toEqual({
			firstName: 'asha',
			lastName: 'Menon',
			salutation: 'ms',
			cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' },
		});
		expect(outputs[0]).toEqual([{ json: expect.objectContaining({ id: 'c1', lastName: 'Menon' }), pairedItem: { item: 0 } }]);
	});

	test('with all six fields set nothing is read first', async () => {
		const seen = kore();
		await runWorkflow('update-contact.json', {
			credentials: CREDENTIALS,
			node: {
				parameters: {
					updateFields: { firstName: 'A', lastName: 'B', salutation: 'Dr', phoneNumber: '(0)98765 43210', countryCode: '+91', extension: '+' },
				},
			},
		});
		expect(seen.map((request) => request.method)).toEqual(['PUT']);
		expect(seen[0].body).toEqual({ firstName: 'A', lastName: 'B', salutation: 'Dr', cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' } }); // India's trunk 0 dropped
	});

	test('a field whose expression resolves to blank leaves the stored value as it is, never erases it', async () => {
		const seen = kore();
		const { error } = await runWorkflow('update-contact.json', {
			credentials: CREDENTIALS,
			items: [{ koreId: 'c1', first: 'Asha2', last: '', phone: '   ', cc: '' }],
			node: {
				parameters: {
					updateFields: {
						firstName: '={{ $json.first }}',
						lastName: '={{ $json.last }}',
						phoneNumber: '={{ $json.phone }}',
						countryCode: '={{ $json.cc }}',
						salutation: '={{ $json.missing }}',
					},
				},
			},
		});
		expect(error).toBeUndefined();
		expect(seen.filter((request) => request.method === 'PUT').map((request) => request.body)).toEqual([
			{ firstName: 'Asha2', lastName: 'rao', salutation: 'ms', cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' } },
		]);
	});

	test('when every Update Field is blank the item fails, naming them, and nothing is sent', async () => {
		const seen = kore();
		const { error } = await runWorkflow('update-contact.json', { credentials: CREDENTIALS, items: [{ koreId: 'c1', last: '' }] });
		expect(error?.message).toBe(
			'Item 0: every field in "Update Fields" is blank (Last Name), so there is nothing to change — blank fields keep their stored values; nothing was sent to Kore for this item',
		);
		expect(seen).toHaveLength(0);
	});

	test.each([
		['a national number is read by the stored country\'s rules', '(0)98123 45678', { phoneNumber: '9812345678', countryCode: '+91', extension: '+' }],
		['an international number brings its own country code', '+44 (0)20 7946 0958', { phoneNumber: '2079460958', countryCode: '+44', extension: '+' }],
	])('a new Phone Number without a Country Code: %s', async (_, phoneNumber, cellPhone) => {
		// c1 alone: the national number is c2's, and Kore keeps one contact per number
		const seen = fakeStream(0, [STORED[0]]).seen;
		const { error } = await runWorkflow('update-contact.json', { credentials: CREDENTIALS, node: { parameters: { updateFields: { phoneNumber } } } });
		expect(error).toBeUndefined();
		expect((seen.find((request) => request.method === 'PUT')?.body as { cellPhone: unknown }).cellPhone).toEqual(cellPhone);
	});

	test('the stream is read once per run, not once per item', async () => {
		const seen = kore();
		await runWorkflow('update-contact.json', {
			credentials: CREDENTIALS,
			items: [
				{ koreId: 'c1', last: 'X' },
				{ koreId: 'c2', last: 'Y' },
			],
		});
		expect(seen.filter((request) => request.method === 'GET')).toHaveLength(1);
		const puts = seen.filter((request) => request.method === 'PUT');
		expect(puts.map((request) => [request.path.split('/').pop(), (request.body as { lastName: string }).lastName]).sort()).toEqual([
			['c1', 'X'],
			['c2', 'Y'],
		]);
	});

	test('an unknown id fails the item without any PUT', async () => {
		const seen = kore();
		const { error } = await runWorkflow('update-contact.json', { credentials: CREDENTIALS, items: [{ koreId: 'nope', last: 'X' }] });
		expect(error?.message).toBe('Item 0: no contact with ID "nope" in stream "st-1"');
		// a miss is confirmed on one later scan (a delete during the first could have shifted its pages)
		expect(seen.map((request) => request.method)).toEqual(['GET', 'GET']);
	});

	test('empty Update Fields are refused before any request', async () => {
		const seen = kore();
		const { error } = await runWorkflow('update-contact.json', { credentials: CREDENTIALS, node: { parameters: { updateFields: {} } } });
		expect(error?.message).toBe('Item 0: "Update Fields" is empty — add the fields to change; nothing was sent to Kore for this item');
		expect(seen).toHaveLength(0);
	});

	test('by phone number: finds the contact and updates it', async () => {
		const seen = kore();
		const { outputs } = await runWorkflow('update-contact.json', {
			credentials: CREDENTIALS,
			items: [{ phone: '0091 98123-45678', last: 'Verma' }],
			node: { parameters: { contactBy: 'phone', phoneNumber: '={{ $json.phone }}', countryCode: '' } },
		});
		expect(seen.map((request) => `${request.method} ${request.path.split('/').pop()}`)).toEqual(['GET contacts', 'PUT c2']);
		expect(outputs[0][0].json).toMatchObject({ id: 'c2', lastName: 'Verma', firstName: 'ravi' });
	});
});
