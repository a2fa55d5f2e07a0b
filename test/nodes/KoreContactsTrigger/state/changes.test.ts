/**
 * The comparison of two complete reads (pure): the watermark and the ids at its instant, the digest as the
 * safety net for stamps that lag, created vs. first seen, and deletions by status or by two misses.
 */
import type { IDataObject } from 'n8n-workflow';

import { baseline, compare } from '../../../../nodes/KoreContactsTrigger/state/changes';
import type { TriggerState } from '../../../../nodes/KoreContactsTrigger/state/changes';
import { contact } from '../../../helpers/kore';

const at = (second: number) => new Date(Date.UTC(2026, 0, 9, 10, 0, second)).toISOString();
const person = (id: string, second: number, overrides: IDataObject = {}) => contact(id, { createdAt: at(second), updatedAt: at(second), ...overrides });
const summary = (state: TriggerState, contacts: IDataObject[]) => {
	const { changes, next, adopted } = compare(state, contacts);
	return { changes: changes.map((c) => `${c.event} ${String(c.contact.id)}${c.changedFields ? ` [${c.changedFields.join(',')}]` : ''}`), next, adopted };
};

test('contacts stamped in the very millisecond of the watermark: the ones already seen are not reported again, a new one is', () => {
	// a bulk create: three contacts share one createdAt
	const bulk = [person('a', 5), person('b', 5), person('c', 5)];
	const state = baseline([person('old', 1), ...bulk.slice(0, 2)]);
	expect(state.mark).toBe(Date.parse(at(5)));
	// c was created in the same millisecond but committed after the first read
	expect(summary(state, [person('old', 1), ...bulk]).changes).toEqual(['created c']);
});

test('an update Kore stamps behind the watermark (another clock, or a read that missed it) is still caught by the digest', () => {
	const state = baseline([person('a', 1), person('b', 9)]);
	const { changes } = summary(state, [person('a', 1, { firstName: 'late', updatedAt: at(3) }), person('b', 9)]);
	expect(changes).toEqual(['updated a [firstName]']);
});

test('an update that changes no tracked field is reported when Kore stamps it, with no changed fields', () => {
	const state = baseline([person('a', 1)]);
	expect(summary(state, [person('a', 1, { updatedAt: at(30), updatedBy: 'agent' })]).changes).toEqual(['updated a []']);
});

test('a contact first seen but created before the trigger began watching is kept quietly, not reported as created', () => {
	const state = baseline([person('a', 10)]);
	const { changes, adopted, next } = summary(state, [person('hidden', 4), person('a', 10), person('new', 12)]);
	expect(changes).toEqual(['created new']);
	expect(adopted).toBe(1);
	expect([...next.known.keys()].sort()).toEqual(['a', 'hidden', 'new']);
});

test('a contact no longer listed is reported deleted only when a second complete read misses it too; one that comes back is not', () => {
	const state = baseline([person('a', 1), person('b', 2), person('c', 3)]);
	const once = summary(state, [person('a', 1), person('c', 3)]);
	expect(once.changes).toEqual([]);
	const back = summary(once.next, [person('a', 1), person('b', 2), person('c', 3)]);
	expect(back.changes).toEqual([]);
	const twice = summary(summary(back.next, [person('a', 1)]).next, [person('a', 1)]);
	expect(twice.changes.sort()).toEqual(['deleted b', 'deleted c']);
	expect([...twice.next.known.keys()]).toEqual(['a']);
});

test('Kore listing it INACTIVE: deleted at once; created and deleted between two polls: deleted; an old INACTIVE contact: nothing', () => {
	const state = baseline([person('a', 1), person('gone-long-ago', 2, { status: 'INACTIVE' })]);
	const { changes } = summary(state, [
		person('a', 1, { status: 'INACTIVE', updatedAt: at(20) }),
		person('gone-long-ago', 2, { status: 'INACTIVE' }),
		person('brief', 15, { status: 'INACTIVE', updatedAt: at(16) }),
	]);
	expect(changes).toEqual(['deleted a', 'deleted brief']);
});

test('a contact listed twice (pages shifted under a read) counts once', () => {
	const state = baseline([person('a', 1)]);
	expect(summary(state, [person('a', 1), person('b', 3), person('b', 3)]).changes).toEqual(['created b']);
});

test('the same change computed twice (two polls from the same state) has the same key; another change another key', () => {
	const state = baseline([person('a', 1)]);
	const read = [person('a', 1, { firstName: 'x', updatedAt: at(7) }), person('b', 8)];
	const keys = (contacts: IDataObject[]) => compare(state, contacts).changes.map((change) => change.key);
	expect(keys(read)).toEqual(keys(structuredClone(read)));
	expect(keys([person('a', 1, { firstName: 'y', updatedAt: at(7) })])[0]).not.toBe(keys(read)[0]);
});
