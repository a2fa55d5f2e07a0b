/** The per-contact record: round trip, size, and which fields changed. */
import { AT_MARK, INACTIVE, changedFields, decode, decodeAll, encode, encodeAll, entryOf } from '../../../../nodes/KoreContactsTrigger/state/digest';
import { loadState, saveState, scopeOf, storedBytes } from '../../../../nodes/KoreContactsTrigger/state/store';
import { contact } from '../../../helpers/kore';

test('a Kore id packs into a 36-character record (37 bytes with its separator) and comes back unchanged', () => {
	const entry = { ...entryOf(contact('6960902709c1746a61429a01')), flags: AT_MARK };
	const record = encode(entry);
	expect(record).toHaveLength(36);
	expect(decode(record)).toEqual(entry);
});

test('any other id is kept as it is, spaces and all', () => {
	const entry = entryOf(contact('not a kore id/ä', { status: 'INACTIVE' }));
	expect(entry.flags).toBe(INACTIVE);
	expect(decodeAll(encodeAll([entry, entryOf(contact('c2'))])).get('not a kore id/ä')).toEqual(entry);
});

test('the fields that changed, and only those; key order inside a field does not count as a change', () => {
	const before = entryOf(contact('a'));
	const after = entryOf(contact('a', { cellPhone: { countryCode: '+91', phoneNumber: '+919876543210', extension: '+' }, firstName: 'jo', status: 'ACTIVE', updatedAt: 'later' }));
	expect(changedFields(before, after)).toEqual(['firstName']);
});

test('the stored state: loaded back as saved, ignored when it describes another stream or account', () => {
	const data = {};
	const known = new Map([['6960902709c1746a61429a01', entryOf(contact('6960902709c1746a61429a01'))]]);
	const scope = scopeOf('https://kore.example', 'acc-1', 'st-1');
	saveState(data, scope, { since: 1, mark: 2, known, seq: 3, readAt: 4, readCost: 5 });
	expect(loadState(data, scope)).toEqual({ since: 1, mark: 2, known, seq: 3, readAt: 4, readCost: 5 });
	expect(loadState(data, scopeOf('https://kore.example', 'acc-2', 'st-1'))).toBeUndefined();
	expect(loadState(data, scopeOf('https://kore.example', 'acc-1', 'st-2'))).toBeUndefined();
	expect(storedBytes(data)).toBeLessThan(200);
});
