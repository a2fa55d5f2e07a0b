/** Create or Update (upsert) by phone number, run inside n8n's engine against a stateful fake stream. */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { CREDENTIALS, contact } from '../../../../helpers/kore';

const upsert = (item: IDataObject, parameters: IDataObject = {}) =>
	runWorkflow('update-contact.json', {
		credentials: CREDENTIALS,
		items: [item],
		node: {
			parameters: {
				operation: 'upsert',
				firstName: '={{ $json.first ?? "" }}',
				lastName: '={{ $json.last ?? "" }}',
				salutation: '={{ $json.title ?? "" }}',
				phoneNumber: '={{ $json.phone }}',
				countryCode: '+91',
				...parameters,
			},
		},
	});

const withNumber = (id: string, number: string, extra: IDataObject = {}) =>
	contact(id, { cellPhone: { phoneNumber: number, countryCode: '+91', extension: '+' }, ...extra });

describe('Create or Update, run inside n8n\'s engine', () => {
	test('no contact has the number: creates one, and says so', async () => {
		const stream = fakeStream(120);
		const { outputs, error } = await upsert({ phone: '98765 43210', first: 'Ada', last: 'Lovelace', title: 'Ms' });
		expect(error).toBeUndefined();
		expect(stream.count('POST')).toBe(1);
		expect(stream.count('PUT')).toBe(0);
		expect(stream.seen.find((request) => request.method === 'POST')!.body).toEqual([
			{ firstName: 'Ada', lastName: 'Lovelace', salutation: 'Ms', cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' } },
		]);
		expect(outputs[0]).toEqual([{ json: expect.objectContaining({ firstName: 'Ada', action: 'created', id: 'new0' }), pairedItem: { item: 0 } }]);
	});

	test('one contact has the number: updates it, empty fields keep their values', async () => {
		const stream = fakeStream(150, [withNumber('target', '+919876543210', { firstName: 'Old', lastName: 'Name', salutation: 'Dr' })]);
		const { outputs, error } = await upsert({ phone: '+91 98765 43210', last: 'New' });
		expect(error).toBeUndefined();
		expect(stream.count('POST')).toBe(0);
		expect(stream.seen.filter((request) => request.method === 'PUT').map((request) => request.path.split('/').pop())).toEqual(['target']);
		expect(stream.byId('target')).toMatchObject({ firstName: 'Old', lastName: 'New', salutation: 'Dr' });
		expect(outputs[0][0].json).toMatchObject({ id: 'target', lastName: 'New', action: 'updated' });
	});

	test('several contacts have the number: the item fails and nothing changes', async () => {
		// two contacts with one number: Kore's API refuses that today, older data may still hold it
		const stream = fakeStream(10, [withNumber('a', '+919876543210'), withNumber('b', '+919876543210', { asStored: true })]);
		const { error } = await upsert({ phone: '9876543210', first: 'X' });
		expect(error?.message).toBe('Item 0: 2 contacts have phone +919876543210: a, b');
		expect(stream.count('POST') + stream.count('PUT')).toBe(0);
	});

	test('8 concurrent executions upserting one new number make one contact', async () => {
		const stream = fakeStream(120);
		const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => upsert({ phone: '9123456789', first: `Try${i}`, last: 'Same', title: 'Mx' })));
		for (const run of runs) expect(run.error).toBeUndefined();
		const holders = stream.contacts.filter((entry) => (entry.cellPhone as IDataObject).phoneNumber === '+919123456789');
		expect(holders).toHaveLength(1);
		expect(stream.count('POST')).toBe(1);
		expect(stream.count('PUT')).toBe(7);
		expect(runs.map((run) => run.outputs[0][0].json.action).sort()).toEqual(['created', ...Array(7).fill('updated')]);
		// the first create is learned: the others did not need a scan of their own
		expect(stream.count('GET')).toBeLessThanOrEqual(2 * 2);
	});

	test('two items of one run with one new number make one contact', async () => {
		const stream = fakeStream(5);
		const run = await runWorkflow('update-contact.json', {
			credentials: CREDENTIALS,
			items: [{ phone: '9000011111', first: 'One' }, { phone: '90000 11111', first: 'Two' }],
			node: { parameters: { operation: 'upsert', firstName: '={{ $json.first }}', lastName: 'L', salutation: 'Mr', phoneNumber: '={{ $json.phone }}', countryCode: '+91' } },
		});
		expect(run.error).toBeUndefined();
		expect(stream.contacts.filter((entry) => (entry.cellPhone as IDataObject).phoneNumber === '+919000011111')).toHaveLength(1);
		expect(run.outputs[0].map((item) => item.json.action)).toEqual(['created', 'updated']);
	});

	test('a create Kore refuses because the number was made meanwhile elsewhere becomes an update of that contact', async () => {
		const stream = fakeStream(120);
		stream.beforeWrite = (request) => {
			// another n8n worker (or the CRM's own integration) creates the number just before ours arrives
			if (request.method === 'POST' && !stream.byId('elsewhere')) stream.add(withNumber('elsewhere', '+919555555555', { firstName: 'Other' }));
		};
		const { outputs, error } = await upsert({ phone: '9555555555', first: 'Mine', last: 'L', title: 'Mr' });
		expect(error).toBeUndefined();
		expect(stream.contacts.filter((entry) => (entry.cellPhone as IDataObject).phoneNumber === '+919555555555')).toHaveLength(1);
		expect(stream.byId('elsewhere')).toMatchObject({ firstName: 'Mine' });
		expect(outputs[0][0].json).toMatchObject({ id: 'elsewhere', action: 'updated' });
	});

	test('a number without a Country Code is refused before any request', async () => {
		const stream = fakeStream(5);
		const { error } = await upsert({ phone: '9876543210' }, { countryCode: '={{ $json.cc ?? "" }}' });
		expect(error?.message).toMatch(/^Item 0: "Country Code" is empty/);
		expect(stream.seen).toHaveLength(0);
	});

	test('a new number with an empty First Name: a clear error and no create (an update would have kept the value)', async () => {
		const stream = fakeStream(5);
		const { error } = await upsert({ phone: '9000022222', last: 'L', title: 'Mr' });
		expect(error?.message).toBe('Item 0: no contact has phone +919000022222, so one would be created, but "First Name" is empty — nothing was sent to Kore for this item');
		expect(stream.count('POST')).toBe(0);
	});

	test('an update leaves the dialing prefix as stored when the field is left empty', async () => {
		const stream = fakeStream(5, [withNumber('pre', '+919000033333', { cellPhone: { phoneNumber: '+919000033333', countryCode: '+91', extension: '00' } })]);
		expect((await upsert({ phone: '9000033333', first: 'New' })).error).toBeUndefined();
		expect((stream.byId('pre')!.cellPhone as IDataObject).extension).toBe('00');
	});
});
