import type { IDataObject } from 'n8n-workflow';

import { AT_MARK, INACTIVE, MISSING, changedFields, entryOf } from './digest';
import type { Entry, TrackedField } from './digest';

/**
 * What changed in a stream between two complete reads. Kore's list has no modified-since filter, so every
 * poll reads the whole stream and compares it with what the trigger kept of the last read:
 *
 * - **The watermark** (`mark`): the newest `createdAt` / `updatedAt` read so far, and which contacts carry
 *   that very instant (the AT_MARK flag). A contact stamped later than the mark — or at the mark but not
 *   seen at it — is one Kore changed since the last poll. So a contact stamped in the same millisecond as
 *   another (a bulk create) is neither missed nor reported twice.
 * - **The digest** (one record per contact, see digest.ts): which tracked fields changed (16-bit hashes),
 *   whether it was INACTIVE, and whether the last read missed it. It also catches what stamps alone would
 *   not: a change whose stamp is behind the mark (a contact a read missed, a stamp from another clock).
 * - **Created** is a contact not kept before, created at or after the instant the trigger began watching
 *   (`since`, the mark of its first read); an older one was only missed by earlier reads and is kept quietly.
 * - **Deleted**: Kore lists it INACTIVE now (when Kore lists deleted contacts), or it is missing from two
 *   complete reads in a row (when Kore does not): one read can miss a contact (a create and a delete at once
 *   shift Kore's offset pages unnoticed), and a false "deleted" would remove a CRM record.
 */

export type EventName = 'created' | 'updated' | 'deleted';

export interface TriggerState {
	/** The mark of the first read: contacts created at or before it existed when the trigger began watching. */
	since: number;
	/** The newest createdAt / updatedAt of any contact read (ms since the epoch; 0 for none). */
	mark: number;
	/** What is kept of every contact read, by id. */
	known: Map<string, Entry>;
}

export interface Change {
	event: EventName;
	/** The contact as Kore listed it; only `{ id }` for a contact Kore no longer lists. */
	contact: IDataObject;
	/** Updated: the tracked fields whose values changed (empty: Kore stamped it, no tracked field changed). */
	changedFields?: TrackedField[];
	/** Deleted: Kore listed it INACTIVE (`status`), or two complete reads did not list it (`notListed`). */
	detectedBy?: 'status' | 'notListed';
	/** Names this change (the same change computed twice has the same key): multi-main de-duplication. */
	key: string;
}

export interface Comparison {
	changes: Change[];
	next: TriggerState;
	/** Contacts seen for the first time though created before the trigger began watching (kept, not reported). */
	adopted: number;
}

/** A date field as ms since the epoch; NaN when absent or not a date. */
function time(value: unknown): number {
	return typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN;
}

/** The newest of a contact's createdAt and updatedAt; NaN when neither is a date. */
export function stampOf(contact: IDataObject): number {
	const stamps = [time(contact.createdAt), time(contact.updatedAt)].filter((stamp) => !Number.isNaN(stamp));
	return stamps.length > 0 ? Math.max(...stamps) : Number.NaN;
}

/** Each listed contact once (a contact listed twice, when Kore's pages shifted, counts once), with its record. */
function listed(contacts: IDataObject[]): Array<{ contact: IDataObject; entry: Entry; stamp: number }> {
	const seen = new Set<string>();
	const result = [];
	for (const contact of contacts) {
		if (contact?.id === undefined || contact.id === null) continue;
		const entry = entryOf(contact);
		if (seen.has(entry.id)) continue;
		seen.add(entry.id);
		result.push({ contact, entry, stamp: stampOf(contact) });
	}
	return result;
}

/** Sets AT_MARK on the records stamped at the mark, and clears it on the others read. */
function flagMark(read: Array<{ entry: Entry; stamp: number }>, mark: number): void {
	for (const { entry, stamp } of read) entry.flags = stamp === mark ? entry.flags | AT_MARK : entry.flags & ~AT_MARK;
}

/** The state of a first read: everything in it is known, nothing is reported. */
export function baseline(contacts: IDataObject[]): TriggerState {
	const read = listed(contacts);
	const mark = read.reduce((newest, { stamp }) => (stamp > newest ? stamp : newest), 0);
	flagMark(read, mark);
	return { since: mark, mark, known: new Map(read.map(({ entry }) => [entry.id, entry])) };
}

/** What changed since `state`, given a complete read of the stream, and the state to keep after it. */
export function compare(state: TriggerState, contacts: IDataObject[]): Comparison {
	const read = listed(contacts);
	const changes: Change[] = [];
	const known = new Map<string, Entry>();
	let adopted = 0;
	for (const { contact, entry, stamp } of read) {
		const before = state.known.get(entry.id);
		known.set(entry.id, entry);
		const fresh = stamp > state.mark || (stamp === state.mark && !(before && before.flags & AT_MARK));
		const inactive = (entry.flags & INACTIVE) !== 0;
		const wasActive = before !== undefined && (before.flags & INACTIVE) === 0;
		if (inactive) {
			// deleted since the last poll: it was active then, or Kore stamped it since (unseen before)
			if (wasActive || (!before && fresh)) changes.push({ event: 'deleted', contact, detectedBy: 'status', key: `deleted ${entry.id} ${stamp}` });
		} else if (!wasActive) {
			const created = time(contact.createdAt);
			// never seen (or seen deleted and listed active again): created, unless it predates the trigger
			if (before || Number.isNaN(created) || created >= state.since) changes.push({ event: 'created', contact, key: `created ${entry.id} ${stamp}` });
			else adopted++;
		} else {
			const fields = changedFields(before, entry);
			if (fields.length > 0 || fresh) {
				changes.push({ event: 'updated', contact, changedFields: fields, key: `updated ${entry.id} ${stamp} ${entry.hashes.join('.')}` });
			}
		}
	}
	for (const [id, before] of state.known) {
		if (known.has(id) || before.flags & INACTIVE) continue; // a deleted contact Kore no longer lists: nothing new
		if (before.flags & MISSING) changes.push({ event: 'deleted', contact: { id }, detectedBy: 'notListed', key: `deleted ${id}` });
		else known.set(id, { ...before, flags: before.flags | MISSING });
	}
	const mark = read.reduce((newest, { stamp }) => (stamp > newest ? stamp : newest), state.mark);
	flagMark(read, mark);
	return { changes, next: { since: state.since, mark, known }, adopted };
}
