/** Get one contact by ID or phone number, run inside n8n's engine against a stateful fake stream. */
import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { CREDENTIALS } from '../../../../helpers/kore';

const get = (parameters: Record<string, string>, onError?: string) =>
	runWorkflow('update-contact.json', {
		credentials: CREDENTIALS,
		items: [{}],
		node: { parameters: { operation: 'get', ...parameters }, ...(onError ? { onError } : {}) },
	});

describe('Get, run inside n8n\'s engine', () => {
	test('by ID: outputs the contact as Kore lists it now, with no write', async () => {
		const stream = fakeStream(230);
		const { outputs, error } = await get({ contactBy: 'id', contactId: 'c217' });
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([{ json: stream.byId('c217'), pairedItem: { item: 0 } }]);
		expect(stream.seen.every((request) => request.method === 'GET')).toBe(true);
		expect(stream.count('GET')).toBe(3);
	});

	test('by phone number, in any usual form', async () => {
		const stream = fakeStream(40);
		const { outputs, error } = await get({ contactBy: 'phone', phoneNumber: '+91 90000-00033', countryCode: '' });
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual(stream.byId('c33'));
	});

	test('an unknown ID fails the item (after one confirming scan); On Error applies', async () => {
		const stream = fakeStream(20);
		const { error } = await get({ contactBy: 'id', contactId: 'nope' });
		expect(error?.message).toBe('Item 0: no contact with ID "nope" in stream "st-1"');
		expect(stream.count('GET')).toBe(2);
		const continued = await get({ contactBy: 'id', contactId: 'nope' }, 'continueErrorOutput');
		expect(continued.outputs[1]).toEqual([{ json: expect.objectContaining({ error: 'Item 0: no contact with ID "nope" in stream "st-1"' }), pairedItem: { item: 0 } }]);
	});

	test('no contact with the number fails the item', async () => {
		fakeStream(20);
		const { error } = await get({ contactBy: 'phone', phoneNumber: '9111111111', countryCode: '+91' });
		expect(error?.message).toBe('Item 0: no contact with phone +919111111111 in stream "st-1"');
	});
});
