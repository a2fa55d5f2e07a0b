import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { BASE, CREDENTIALS, contact } from '../../../../helpers/kore';

type Row = { id: string; lastName: string };

/** Kore holding c1..c3 (for merges), its bulk update answering with `unknown` ids failed, in its other words. */
function bulkKore(unknown: string[]) {
	const numbers = ['+919876543210', '+919876543211', '+919876543212'];
	const stream = fakeStream(0, ['c1', 'c2', 'c3'].map((id, n) => contact(id, { cellPhone: { phoneNumber: numbers[n], countryCode: '+91', extension: '+' } })));
	stream.beforeWrite = ({ body }) => {
		const rows = body as Row[];
		const ok = rows.filter((row) => !unknown.includes(row.id));
		return {
			status: 200,
			body: {
				totalRequested: rows.length,
				successful: ok.length,
				failed: rows.length - ok.length,
				successfulRecords: ok.map((row) => ({ id: row.id, contact: contact(row.id, { ...row }) })),
				failedRecords: rows.filter((row) => unknown.includes(row.id)).map((row) => ({ id: row.id, message: 'Contact not found' })),
			},
		};
	};
	return stream.seen;
}

const ITEMS = [
	{ koreId: 'c1', first: 'A', last: 'One', phone: '9000000001' },
	{ koreId: 'zz', first: 'B', last: 'Two', phone: '9000000002' },
	{ koreId: 'c3', first: 'C', last: 'Three', phone: '9000000003' },
];

describe('Update Many, run inside n8n\'s engine', () => {
	test('sends full contacts (all fields set: nothing read) in one bulk request; outcome per item', async () => {
		const seen = bulkKore(['zz']);
		const { outputs } = await runWorkflow('update-many.json', {
			credentials: CREDENTIALS,
			items: ITEMS,
			node: { onError: 'continueErrorOutput' },
		});
		expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual([`PUT ${BASE}/st-1/contacts/bulk-update`]);
		expect(seen[0].body).toEqual(
			ITEMS.map((item) => ({
				id: item.koreId,
				firstName: item.first,
				lastName: item.last,
				salutation: 'Mx',
				cellPhone: { phoneNumber: item.phone, countryCode: '+91', extension: '+' },
			})),
		);
		expect(outputs[0].map((item) => [item.json.id, item.json.updated, item.pairedItem])).toEqual([
			['c1', true, { item: 0 }],
			['c3', true, { item: 2 }],
		]);
		expect(outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Could not update contact "zz": Contact not found', { item: 1 }],
		]);
	});

	test('partial changes are merged into the current contacts (read once), duplicates combined in order', async () => {
		const seen = bulkKore([]);
		const { outputs } = await runWorkflow('update-many.json', {
			credentials: CREDENTIALS,
			items: [
				{ koreId: 'c1', last: 'First' },
				{ koreId: 'c2', last: 'Other' },
				{ koreId: 'c1', last: 'Second' },
			],
			node: { parameters: { updateFields: { lastName: '={{ $json.last }}' } } },
		});
		expect(seen.map((request) => request.method)).toEqual(['GET', 'PUT']);
		expect((seen[1].body as Row[]).map((row) => [row.id, row.lastName])).toEqual([
			['c1', 'Second'],
			['c2', 'Other'],
		]);
		expect(outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			['c1', { item: 0 }],
			['c2', { item: 1 }],
			['c1', { item: 2 }],
		]);
	});

	test('an id not in the stream fails its item only; the others are still sent', async () => {
		const seen = bulkKore([]);
		const { outputs } = await runWorkflow('update-many.json', {
			credentials: CREDENTIALS,
			items: [{ koreId: 'c1', last: 'A' }, { koreId: 'nope', last: 'B' }],
			node: { onError: 'continueRegularOutput', parameters: { updateFields: { lastName: '={{ $json.last }}' } } },
		});
		// the miss is confirmed on a second scan before the item fails
		expect(seen.map((request) => request.method)).toEqual(['GET', 'GET', 'PUT']);
		expect((seen[2].body as Row[]).map((row) => row.id)).toEqual(['c1']);
		expect(outputs[0].map((item) => item.json.error ?? item.json.id)).toEqual(['c1', 'Item 1: no contact with ID "nope" in stream "st-1"']);
	});

	test('a blank field keeps the stored value in a bulk update too', async () => {
		const seen = bulkKore([]);
		await runWorkflow('update-many.json', {
			credentials: CREDENTIALS,
			items: [{ koreId: 'c1', first: 'A', last: '', phone: '' }],
		});
		const put = seen.find((request) => request.method === 'PUT');
		expect(put?.body).toEqual([
			{ id: 'c1', firstName: 'A', lastName: 'doe', salutation: 'Mx', cellPhone: { phoneNumber: '9876543210', countryCode: '+91', extension: '+' } },
		]);
	});
});
