import type { IDataObject } from 'n8n-workflow';

/**
 * The one order of reads and writes. Every page request of a read (just before it is sent) and every write
 * answer (once it is in) takes a position from one counter: n8n's Redis in queue mode, so that every worker
 * shares it, else this process's (`SharedState.nextPosition`). A write Kore answered before a page request
 * was sent has the smaller position, and Kore applied it before it read that page.
 *
 * What the layer knows of a contact is a `Known` with the position it came from, and it is replaced only by
 * knowledge with a later position — whether it came from this worker or another, and whatever Kore's
 * `updatedAt` says (it may be missing, or equal at second precision).
 */
export interface Known {
	/** The contact; undefined when a write of it was sent and what Kore did is not known (read it afresh). */
	contact?: IDataObject;
	pos: number;
}

/** A complete read of a stream: where it began in the order and, in queue mode, which executions it answers. */
export interface ReadMark {
	/** The position of its first page request. */
	startPos: number;
	/** Queue mode: the newest execution n8n had queued before the read began, when known. */
	createdBefore?: number;
}

/**
 * Whether a read answers a lookup asked at `askedPos` — for the execution `arrival` (queue mode: its id; n8n
 * numbers executions as it creates them): the read began after the lookup was asked, or, in queue mode,
 * after n8n had created the execution, i.e. after its event arrived (it may have waited in n8n's queue for
 * a free worker slot meanwhile). Either way its data is no older than the event.
 */
export function covers(read: Partial<ReadMark>, askedPos: number, arrival: number | undefined): boolean {
	if (read.startPos !== undefined && read.startPos > askedPos) return true;
	return arrival !== undefined && read.createdBefore !== undefined && arrival <= read.createdBefore;
}

export function isActive(contact: IDataObject): boolean {
	return String(contact.status ?? 'ACTIVE').toUpperCase() !== 'INACTIVE';
}
