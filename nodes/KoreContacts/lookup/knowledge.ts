import type { IDataObject } from 'n8n-workflow';

import { storedPhone } from '../helpers/phone';
import type { Known, ReadMark } from './order';

/** A read of the stream in progress or waiting to start, shared by every lookup that joins it. */
export interface Scan {
	/** The position of its first page request; undefined until it is sent (until then it may be joined). */
	startPos?: number;
	/** Queue mode: the newest execution n8n had queued before the first page request was sent. */
	createdBefore?: number;
	/**
	 * Queue mode: the newest execution among the lookups waiting for it (another worker's read that covers
	 * it will do); `fresh` when one of them needs a read that begins after it was asked.
	 */
	need?: number;
	fresh?: boolean;
	done: Promise<void>;
	/** How many lookups it served in all (for the log). */
	served: number;
}

/**
 * What one worker knows of one stream: each contact with the position it came from (reads and write
 * answers alike, see `order.ts`), an index by phone number, the last complete read, the read running or
 * queued, and this process's locks. Shared by every execution in the process that uses the stream.
 */
export class StreamState {
	leases = 0;
	lastRead?: ReadMark & { ids: string[] };
	/** Ends the wait after which an idle stream whose last read may still serve queued executions is dropped. */
	retained?: AbortController;
	running?: Scan;
	queued?: Scan;
	readonly locks = new Map<string, Promise<void>>();

	private readonly known = new Map<string, Known>();

	private readonly byPhone = new Map<string, Set<string>>();

	constructor(
		readonly key: string,
		readonly streamId: string,
	) {}

	view(id: string): Known | undefined {
		return this.known.get(id);
	}

	/** Takes `next` as the knowledge of `id` unless what is held came later in the order; true if taken. */
	offer(id: string, next: Known): boolean {
		const held = this.known.get(id);
		if (held && held.pos >= next.pos) return false;
		this.index(id, held?.contact, false);
		this.known.set(id, next);
		this.index(id, next.contact, true);
		return true;
	}

	/**
	 * A complete read that began at `read.startPos` listed `ids`, in Kore's order: a contact it does not list
	 * and that nothing told of since it began is no longer in the stream (deleted, or never there).
	 */
	readDone(read: ReadMark, ids: string[]): void {
		const listed = new Set(ids);
		for (const [id, known] of this.known) {
			if (known.pos < read.startPos && !listed.has(id)) {
				this.index(id, known.contact, false);
				this.known.delete(id);
			}
		}
		this.lastRead = { ...read, ids };
	}

	/** The contacts known with one of these numbers (their newest copies). */
	withPhone(candidates: string[]): IDataObject[] {
		const ids = new Set(candidates.flatMap((phone) => [...(this.byPhone.get(phone) ?? [])]));
		return [...ids].map((id) => this.known.get(id)?.contact).filter((contact): contact is IDataObject => contact !== undefined);
	}

	idle(): boolean {
		return this.leases === 0 && !this.running && !this.queued && this.locks.size === 0;
	}

	private index(id: string, contact: IDataObject | undefined, add: boolean): void {
		const phone = contact && storedPhone(contact.cellPhone);
		if (phone === undefined) return;
		const ids = this.byPhone.get(phone) ?? new Set<string>();
		if (add) ids.add(id);
		else ids.delete(id);
		if (ids.size > 0) this.byPhone.set(phone, ids);
		else this.byPhone.delete(phone);
	}
}
