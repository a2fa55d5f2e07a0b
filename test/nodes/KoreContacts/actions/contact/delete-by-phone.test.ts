import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { CREDENTIALS, contact } from '../../../../helpers/kore';

const phone = (number: string) => ({ cellPhone: { phoneNumber: number, countryCode: '+91', extension: '+' } });

const STORED = [
	contact('c1', phone('+919876543210')),
	contact('c2', phone('+919812345678')),
	contact('dup-a', phone('+919800000001')),
	// two contacts with one number: Kore's API refuses that today, older data may still hold it
	contact('dup-b', { ...phone('+919800000001'), asStored: true }),
	contact('gone', { ...phone('+919800000002'), status: 'INACTIVE' }),
	contact('uk', { cellPhone: { phoneNumber: '+447700900123', countryCode: '+44', extension: '+' } }),
	contact('london', { cellPhone: { phoneNumber: '+442079460958', countryCode: '+44', extension: '+' } }),
	// Italy: +39 6 1234 5678 is another number than Rome's +39 06 1234 5678
	contact('it-other', { cellPhone: { phoneNumber: '+39612345678', countryCode: '+39', extension: '+' } }),
	// stored without a country code: which number it is cannot be known
	contact('no-cc', { cellPhone: { phoneNumber: '41446681800', countryCode: '', extension: '' }, asStored: true }),
];

/** Kore holding STORED, listing deleted contacts too. */
function kore() {
	return fakeStream(0, STORED, { listInactive: true }).seen;
}

const deletedIds = (seen: ReturnType<typeof kore>) => seen.filter((request) => request.method === 'DELETE').map((request) => request.path.split('/').pop());

describe('Delete by phone number, run inside n8n\'s engine', () => {
	test.each([
		['+91 98765-43210', '+91'],
		['0091 9876543210', ''],
		['9876543210', '+91'],
		['(0) 98765 43210', '91'],
		['+919876543210', '+44'],
	])('%p (Country Code %p) is the contact +919876543210', async (number, countryCode) => {
		const seen = kore();
		const { outputs, error } = await runWorkflow('delete-by-phone.json', {
			credentials: CREDENTIALS,
			items: [{ phone: number }],
			node: { parameters: { countryCode } },
		});
		expect(error).toBeUndefined();
		expect(deletedIds(seen)).toEqual(['c1']);
		expect(outputs[0]).toEqual([{ json: expect.objectContaining({ id: 'c1', status: 'INACTIVE' }), pairedItem: { item: 0 } }]);
	});

	test.each([
		['+44 (0)20 7946 0958', ''],
		['020 7946 0958', '+44'],
	])('%p (Country Code %p), the usual UK forms, is the contact Kore stores as +442079460958', async (number, countryCode) => {
		const seen = kore();
		const { error } = await runWorkflow('delete-by-phone.json', {
			credentials: CREDENTIALS,
			items: [{ phone: number }],
			node: { parameters: { countryCode } },
		});
		expect(error).toBeUndefined();
		expect(deletedIds(seen)).toEqual(['london']);
	});

	test.each([
		['06 1234 5678 (Italy: the 0 belongs to the number)', '06 1234 5678', '+39', 'Item 0: no contact with phone +390612345678 in stream "st-1"'],
		['a stored number without a country code', '+41 44 668 18 00', '', 'Item 0: no contact with phone +41446681800 in stream "st-1"'],
	])('%s never matches another number', async (_, number, countryCode, message) => {
		const seen = kore();
		const { error } = await runWorkflow('delete-by-phone.json', {
			credentials: CREDENTIALS,
			items: [{ phone: number }],
			node: { parameters: { countryCode } },
		});
		expect(error?.message).toBe(message);
		expect(deletedIds(seen)).toEqual([]);
	});

	test('a malformed number on a later item stops the run before any request, even one at a time', async () => {
		const seen = kore();
		const { error } = await runWorkflow('delete-by-phone.json', {
			credentials: CREDENTIALS,
			items: [{ phone: '9876543210' }, { phone: '9812345678' }, { phone: '9800000002' }, { phone: '12' }],
			node: { parameters: { options: { concurrency: 1 } } },
		});
		expect(error?.message).toMatch(/^Item 3: "Phone Number" is not valid: "12" is too short/);
		expect(error?.context?.itemIndex).toBe(3);
		expect(seen).toHaveLength(0);
	});

	test('no match: a clear per-item error, nothing deleted', async () => {
		const seen = kore();
		const { error } = await runWorkflow('delete-by-phone.json', { credentials: CREDENTIALS, items: [{ phone: '+91 99999 99999' }] });
		expect(error?.message).toBe('Item 0: no contact with phone +919999999999 in stream "st-1"');
		expect(deletedIds(seen)).toEqual([]);
	});

	test('two matches: an error listing both ids, never a guess', async () => {
		const seen = kore();
		const { error } = await runWorkflow('delete-by-phone.json', { credentials: CREDENTIALS, items: [{ phone: '9800000001' }] });
		expect(error?.message).toBe('Item 0: 2 contacts have phone +919800000001: dup-a, dup-b');
		expect(error?.description).toMatch(/Nothing was changed/);
		expect(deletedIds(seen)).toEqual([]);
	});

	test('a number that only a deleted contact has is reported as such', async () => {
		kore();
		const { error } = await runWorkflow('delete-by-phone.json', { credentials: CREDENTIALS, items: [{ phone: '9800000002' }] });
		expect(error?.message).toBe('Item 0: no contact with phone +919800000002 in stream "st-1"');
		expect(error?.description).toBe('Only already deleted (INACTIVE) contacts have this number: gone.');
	});

	test('letters in the number are refused before any request', async () => {
		const seen = kore();
		const { error } = await runWorkflow('delete-by-phone.json', { credentials: CREDENTIALS, items: [{ phone: 'call me' }] });
		expect(error?.message).toMatch(/^Item 0: "Phone Number" is not valid: "call me" contains characters other than digits/);
		expect(seen).toHaveLength(0);
	});

	test('several items: one scan serves them all (a miss is confirmed on one more), each item deletes its own match; misses follow On Error', async () => {
		const seen = kore();
		const { outputs } = await runWorkflow('delete-by-phone.json', {
			credentials: CREDENTIALS,
			items: [{ phone: '9876543210' }, { phone: '9000000000' }, { phone: '+91 98123 45678' }],
			node: { onError: 'continueErrorOutput' },
		});
		expect(seen.filter((request) => request.method === 'GET')).toHaveLength(2);
		expect(deletedIds(seen).sort()).toEqual(['c1', 'c2']);
		expect(outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			['c1', { item: 0 }],
			['c2', { item: 2 }],
		]);
		expect(outputs[1]).toEqual([
			{
				json: expect.objectContaining({ phone: '9000000000', error: 'Item 1: no contact with phone +919000000000 in stream "st-1"' }),
				pairedItem: { item: 1 },
			},
		]);
	});
});
