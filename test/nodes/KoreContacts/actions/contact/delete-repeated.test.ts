/**
 * Delete and Delete Many with and without "Succeed If Already Deleted": repeated and concurrent deliveries
 * of one "contact deleted" event, run inside n8n's engine against a stateful fake stream. What this process
 * deleted is remembered per Kore host; each test has a fake Kore of its own.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { CREDENTIALS } from '../../../../helpers/kore';

const remove = (target: IDataObject, succeedIfAlreadyDeleted: boolean) =>
	runWorkflow('delete-by-phone.json', {
		credentials: CREDENTIALS,
		items: [{}],
		node: { parameters: { ...target, options: { succeedIfAlreadyDeleted } } },
	});
const byId = (contactId: string) => ({ contactBy: 'id', contactId });
const byPhone = (phoneNumber: string) => ({ contactBy: 'phone', phoneNumber, countryCode: '+91' });

describe('A repeated "contact deleted" event', () => {
	test.each([
		['by ID', byId('c1')],
		['by phone number', byPhone('9000000002')],
	])('%s, option on: the second delivery succeeds with alreadyDeleted, and is not sent again', async (_, target) => {
		const stream = fakeStream(30);
		const first = await remove(target, true);
		const second = await remove(target, true);
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(first.outputs[0][0].json.alreadyDeleted).toBeUndefined();
		expect(second.outputs[0][0].json).toMatchObject({ status: 'INACTIVE', alreadyDeleted: true });
		expect(stream.count('DELETE')).toBe(1);
	});

	test('option off: the second delivery fails, as before', async () => {
		const stream = fakeStream(30);
		expect((await remove(byId('c3'), false)).error).toBeUndefined();
		const second = await remove(byId('c3'), false);
		expect(second.error?.message).toMatch(/Contact not found: c3 \(HTTP 404\)/);
		expect(stream.count('DELETE')).toBe(2);
	});

	test.each([
		['by ID', byId('c4')],
		['by phone number', byPhone('9000000005')],
	])('%s, two deliveries at the same moment, option on: one delete, both succeed', async (_, target) => {
		const stream = fakeStream(30);
		const runs = await Promise.all([remove(target, true), remove(target, true)]);
		for (const run of runs) expect(run.error).toBeUndefined();
		expect(stream.count('DELETE')).toBe(1);
		expect(runs.map((run) => run.outputs[0][0].json.alreadyDeleted === true).sort()).toEqual([false, true]);
	});

	test('deleted by something else, Kore listing it INACTIVE: by ID, option on, the 404 becomes alreadyDeleted after one scan', async () => {
		const stream = fakeStream(30, [], { listInactive: true });
		stream.remove('c6');
		const run = await remove(byId('c6'), true);
		expect(run.error).toBeUndefined();
		expect(run.outputs[0][0].json).toMatchObject({ id: 'c6', alreadyDeleted: true });
		expect(stream.count('DELETE')).toBe(1);
		expect(stream.count('GET')).toBe(1);
	});

	test('deleted by something else, Kore listing it INACTIVE: by phone, option on, nothing is sent', async () => {
		const stream = fakeStream(30, [], { listInactive: true });
		stream.remove('c7');
		const run = await remove(byPhone('9000000007'), true);
		expect(run.error).toBeUndefined();
		expect(run.outputs[0][0].json).toMatchObject({ id: 'c7', alreadyDeleted: true });
		expect(stream.count('DELETE')).toBe(0);
	});

	test.each([
		['an ID', byId('typo-id'), 'Contact not found: typo-id (HTTP 404)'],
		['a number', byPhone('9999999999'), 'Item 0: no contact with phone +919999999999 in stream "st-1"'],
	])('%s Kore never knew still fails with the option on', async (_, target, message) => {
		const stream = fakeStream(30, [], { listInactive: true });
		const run = await remove(target, true);
		expect(run.error?.message).toContain(message);
		expect(stream.count('DELETE')).toBeLessThanOrEqual(1);
	});
});

describe('Delete Many with Succeed If Already Deleted', () => {
	const removeMany = (ids: string[], succeedIfAlreadyDeleted: boolean) =>
		runWorkflow('delete-many.json', {
			credentials: CREDENTIALS,
			items: ids.map((koreId) => ({ koreId })),
			node: { parameters: { contactId: '={{ $json.koreId }}', options: { succeedIfAlreadyDeleted } }, onError: 'continueRegularOutput' },
		});

	test('ids this n8n deleted are not sent again; an unknown id still fails', async () => {
		const stream = fakeStream(30, [], { listInactive: true });
		// this n8n deletes c10 with Delete, then the event comes again to Delete Many
		expect((await remove(byId('c10'), true)).error).toBeUndefined();
		const seenBefore = stream.seen.length;
		const run = await removeMany(['c10', 'typo'], true);
		const bulk = stream.seen.slice(seenBefore).filter((request) => request.method === 'DELETE');
		expect(bulk.map((request) => request.body)).toEqual([{ ids: ['typo'] }]);
		expect(run.outputs[0].map((item) => item.json.alreadyDeleted ?? item.json.error)).toEqual([true, expect.stringMatching(/typo/)]);
	});

	test('an id Kore answers "not found" for but lists INACTIVE is already deleted (one scan); option off it fails', async () => {
		const stream = fakeStream(30, [], { listInactive: true });
		stream.remove('c12');
		const on = await removeMany(['c11', 'c12'], true);
		expect(on.outputs[0].map((item) => [item.json.id, item.json.deleted ?? false, item.json.alreadyDeleted ?? false])).toEqual([
			['c11', true, false],
			['c12', false, true],
		]);
		expect(stream.count('GET')).toBe(1);
		stream.remove('c13');
		const off = await removeMany(['c13'], false);
		expect(off.outputs[0][0].json.error).toMatch(/Could not delete contact "c13": Contact not found/);
	});
});
