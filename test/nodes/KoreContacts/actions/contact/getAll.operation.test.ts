import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { CREDENTIALS, contact, scriptedKore } from '../../../../helpers/kore';

/**
 * A stream of `total` contacts c1…c{total} served in pages of at most `maxPage` (Kore may cap the page size),
 * deleted ones listed too.
 */
function stream(total: number, maxPage = 100, make = (n: number): IDataObject => contact(`c${n}`, { cellPhone: { phoneNumber: `+9190000${String(n).padStart(5, '0')}`, countryCode: '+91', extension: '+' } })) {
	const all = Array.from({ length: total }, (_, n) => make(n + 1));
	return fakeStream(0, all, { maxPageSize: maxPage, listInactive: true }).seen;
}

const ids = (outputs: Array<Array<{ json: { id?: unknown } }>>) => outputs[0].map((item) => item.json.id);

describe('Get Many, run inside n8n\'s engine', () => {
	test('Return All follows the pages until hasMore is false: 250 contacts in 3 pages', async () => {
		const seen = stream(250);
		const { outputs } = await runWorkflow('get-many.json', { credentials: CREDENTIALS });
		expect(seen.map((request) => [request.query.get('skip'), request.query.get('limit')])).toEqual([
			['0', '100'],
			['100', '100'],
			['200', '100'],
		]);
		expect(ids(outputs)).toEqual(Array.from({ length: 250 }, (_, n) => `c${n + 1}`));
		expect(outputs[0].every((item) => (item as { pairedItem?: unknown }).pairedItem !== undefined)).toBe(true);
	});

	test('a Limit that cuts mid-page stops reading there', async () => {
		const seen = stream(250, 40);
		const { outputs } = await runWorkflow('get-many.json', {
			credentials: CREDENTIALS,
			node: { parameters: { returnAll: false, limit: 90 } },
		});
		expect(ids(outputs)).toEqual(Array.from({ length: 90 }, (_, n) => `c${n + 1}`));
		// Kore capped pages at 40: the next skip follows what it returned, and the third page is the last read
		expect(seen.map((request) => request.query.get('skip'))).toEqual(['0', '40', '80']);
	});

	test('stops when a page repeats (a server that ignores skip and never says hasMore: false)', async () => {
		const seen = scriptedKore(() => [200, { results: [contact('a'), contact('b')], hasMore: true }]);
		const { outputs } = await runWorkflow('get-many.json', { credentials: CREDENTIALS });
		expect(ids(outputs)).toEqual(['a', 'b']);
		expect(seen).toHaveLength(2);
	});

	test('stops at an empty page even if hasMore stays true', async () => {
		let calls = 0;
		const seen = scriptedKore(() => [200, calls++ === 0 ? { results: [contact('a')], hasMore: true } : { results: [], hasMore: true }]);
		const { outputs } = await runWorkflow('get-many.json', { credentials: CREDENTIALS });
		expect(ids(outputs)).toEqual(['a']);
		expect(seen).toHaveLength(2);
	});

	describe('contacts deleted while the pages are read (Kore lists by offset: later contacts move back)', () => {
		/** 250 contacts; before each page after the first, `perPage` contacts already read are deleted. */
		async function readWhileDeleting(perPage: number, counted: boolean) {
			const stream = fakeStream(250, [], { listTotals: counted });
			let next = 0;
			stream.beforePage = (skip) => {
				if (skip === 0) return;
				for (let n = 0; n < perPage && next < 250; n++) stream.remove(`c${next++}`);
			};
			const { outputs } = await runWorkflow('get-many.json', { credentials: CREDENTIALS, node: { parameters: { filters: { status: 'all' } } } });
			const skips = stream.seen.filter((request) => request.method === 'GET').map((request) => Number(request.query.get('skip')));
			return { listed: ids(outputs) as string[], skips };
		}
		const everyContact = Array.from({ length: 250 }, (_, n) => `c${n}`);

		test('Kore\'s count dropped: the read steps back by the drop, and every contact is output once', async () => {
			const { listed, skips } = await readWhileDeleting(3, true);
			expect(listed).toEqual(everyContact);
			// 3 lost before the page at 100 and 3 during it: back to 100 - 1 - 6; one step back per page
			expect(skips).toEqual([0, 100, 93, 193, 186]);
		});

		test('40 deleted before every request: each step back covers what was lost, and nothing is missed or output twice', async () => {
			const { listed, skips } = await readWhileDeleting(40, true);
			expect(listed).toEqual(everyContact);
			expect(skips).toEqual([0, 100, 19, 119, 38]);
		});

		test('no count in Kore\'s answer: pages overlap by one contact, and a missing overlap steps back', async () => {
			const { listed, skips } = await readWhileDeleting(3, false);
			expect(listed).toEqual(everyContact);
			// the overlap (99) is gone: 3, then 15 further back, until a page meets a contact already read
			expect(skips).toEqual([0, 99, 96, 84, 183, 180, 168]);
		});

		test('nothing deleted, no count: pages overlap by one contact and nothing is output twice', async () => {
			const { listed, skips } = await readWhileDeleting(0, false);
			expect(listed).toEqual(everyContact);
			expect(skips).toEqual([0, 99, 198]);
		});
	});

	test('filters by status and by phone number, client-side', async () => {
		stream(30, 100, (n) =>
			contact(`c${n}`, {
				status: n % 3 === 0 ? 'INACTIVE' : 'ACTIVE',
				cellPhone: { phoneNumber: `+91987654321${n % 10}`, countryCode: '+91', extension: '+' },
				// numbers repeat: Kore's API refuses that today, older data may still hold it
				asStored: true,
			}),
		);
		const active = await runWorkflow('get-many.json', { credentials: CREDENTIALS, node: { parameters: { filters: { status: 'active' } } } });
		expect(ids(active.outputs)).toHaveLength(20);
		const inactive = await runWorkflow('get-many.json', { credentials: CREDENTIALS, node: { parameters: { filters: { status: 'inactive' } } } });
		expect(ids(inactive.outputs)).toEqual(['c3', 'c6', 'c9', 'c12', 'c15', 'c18', 'c21', 'c24', 'c27', 'c30']);
		const byPhone = await runWorkflow('get-many.json', {
			credentials: CREDENTIALS,
			node: { parameters: { filters: { phoneNumber: '098765-43217', countryCode: '91', status: 'all' } } },
		});
		expect(ids(byPhone.outputs)).toEqual(['c7', 'c17', 'c27']);
	});

	test('one listing per input item, paired with it', async () => {
		stream(3);
		const { outputs } = await runWorkflow('get-many.json', { credentials: CREDENTIALS, items: [{ a: 1 }, { a: 2 }] });
		expect(outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			['c1', { item: 0 }],
			['c2', { item: 0 }],
			['c3', { item: 0 }],
			['c1', { item: 1 }],
			['c2', { item: 1 }],
			['c3', { item: 1 }],
		]);
	});
});
