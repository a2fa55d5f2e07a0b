import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { storedPhone } from '../helpers/phone';
import type { KoreClient, KoreContext } from '../transport';
import { formatMs } from '../transport/errors';
import { RETAIN_READ_MS } from '../queue';

/**
 * The contact lookup layer. Kore has no get-one and no search endpoint, only the offset-paged list, so
 * finding a contact means reading the whole stream ("a scan"). This layer makes that affordable and safe
 * for bursts of executions (one CRM event each) in one n8n process:
 *
 * - **Coalescing with no staleness.** A lookup is answered by a scan that started (sent its first page
 *   request) after the lookup was asked. Lookups asked while a scan runs share the next one, so a burst
 *   costs a couple of scans, not one per event.
 * - **Writes feed back.** Kore's answer to a write (the contact as it now is) is kept as the newest
 *   knowledge of that contact, and writes to one contact are serialized, each merging on top of it.
 * - **Correct under concurrent change.** A miss, or several matches, on a scan is checked again on a scan
 *   that started after it before the lookup fails. (A read mends the pages a delete shifts under it, see
 *   `KoreClient.listContacts`; a create and a delete at once can still hide a contact from one read.)
 * - **Bounded memory.** A stream's state lives while an execution holds it (a lease) or a scan runs, and
 *   is dropped after (in queue mode a minute after: see below).
 * - **Queue mode: arrival, not start.** n8n's workers start queued executions only as slots free up (10 at a
 *   time by default), long after their events arrived. A lookup is also answered by a scan that began after
 *   n8n had created its execution (n8n numbers executions in creation order; the scan notes the newest one
 *   n8n had queued before its first page), so one scan serves every execution queued before it, whenever
 *   each starts; an idle stream's last scan is kept a minute for the executions still queued, and published
 *   in n8n's Redis for the other workers (`sharedRead`): one read serves the burst across workers.
 *
 * State is per Kore host + account + stream, shared by every execution of the node in this process.
 */

/** A logical clock: orders asks, page reads and write answers without relying on equal timestamps. */
let clock = 0;
const tick = () => ++clock;

/** What is known of one contact, and as of when (the clock value of the read or write that told it). */
interface Known {
	contact?: IDataObject;
	seq: number;
}

interface Scan {
	/** The clock when its first page request was sent; undefined until then (it may still be joined). */
	startSeq?: number;
	/**
	 * Queue mode: the newest execution n8n had queued before the first page request was sent (see
	 * `covers`); undefined until the scan has asked, or when it is not known.
	 */
	createdBefore?: number;
	/**
	 * Queue mode: the newest execution among the lookups waiting for it (another worker's read that covers
	 * it will do); undefined when one of them needs a read that begins after it was asked (`fresh`).
	 */
	need?: number;
	fresh?: boolean;
	done: Promise<void>;
	/** How many lookups it served in all (for the log). */
	served: number;
}

const PAGE_SIZE = 100;

/** A contact named by its Kore id, or by the E.164 forms its phone number may take. */
export type ContactKey = { contactId: string } | { candidates: string[] };

/** The lock of every write keyed by one phone number (sorted before contact ids: "#" < letters). */
function phoneLock(candidates: string[]): string {
	return `#phone ${[...candidates].sort().join(' ')}`;
}

export function isActive(contact: IDataObject): boolean {
	return String(contact.status ?? 'ACTIVE').toUpperCase() !== 'INACTIVE';
}

/** One stream's shared state. */
class StreamState {
	leases = 0;
	/** The newest complete scan: each contact as its page showed it. */
	scanned?: { startSeq: number; createdBefore?: number; contacts: Map<string, Known>; byPhone: Map<string, string[]> };
	/** Ends the wait after which an idle stream whose last scan may still serve queued executions is dropped. */
	retained?: AbortController;
	/** What writes answered since (newer than the scan's copy when its seq is larger). */
	readonly written = new Map<string, Known>();
	running?: Scan;
	queued?: Scan;
	readonly locks = new Map<string, Promise<void>>();

	constructor(
		readonly key: string,
		readonly streamId: string,
	) {}

	/** The current view of one contact (undefined: not known to exist). */
	view(id: string): Known | undefined {
		const fromScan = this.scanned?.contacts.get(id);
		const fromWrite = this.written.get(id);
		if (fromWrite && (!fromScan || fromWrite.seq > fromScan.seq)) return fromWrite;
		return fromScan;
	}

	/**
	 * The contacts the view knows with one of these numbers, newest copy of each: the scan's index by
	 * number, checked against what writes answered since (a write may have changed or added a number).
	 */
	withPhone(candidates: string[]): IDataObject[] {
		const ids = new Set([...candidates.flatMap((phone) => this.scanned?.byPhone.get(phone) ?? []), ...this.written.keys()]);
		const found: IDataObject[] = [];
		for (const id of ids) {
			const contact = this.view(id)?.contact;
			const stored = contact && storedPhone(contact.cellPhone);
			if (stored !== undefined && candidates.includes(stored)) found.push(contact!);
		}
		return found;
	}

	/** True when something is known of `id` that is no older than `askedSeq`. */
	freshFor(id: string, askedSeq: number): boolean {
		const known = this.view(id);
		return known !== undefined && known.seq > askedSeq;
	}

	idle(): boolean {
		return this.leases === 0 && !this.running && !this.queued && this.locks.size === 0;
	}
}

const streams = new Map<string, StreamState>();

/**
 * Contacts this process deleted recently (by host + account + stream + id, and + phone number), so that a
 * repeated delivery of a "contact deleted" event can be told apart from a typo even when Kore does not
 * list deleted contacts. Bounded in time and size; the oldest entries go first.
 */
const RECENT_MS = 15 * 60_000;
const RECENT_MAX = 10_000;
const recentlyDeleted = new Map<string, number>();

function rememberDeleted(keys: string[]): void {
	const now = Date.now();
	for (const key of keys) {
		recentlyDeleted.delete(key);
		recentlyDeleted.set(key, now + RECENT_MS);
	}
	for (const [key, until] of recentlyDeleted) {
		if (recentlyDeleted.size <= RECENT_MAX && until > now) break;
		recentlyDeleted.delete(key);
	}
}

function deletedRecently(key: string): boolean {
	const until = recentlyDeleted.get(key);
	if (until === undefined) return false;
	if (until > Date.now()) return true;
	recentlyDeleted.delete(key);
	return false;
}

/** How many streams the layer holds now (tests check that a burst leaves nothing behind). */
export function heldStreams(): number {
	return streams.size;
}

/**
 * Drops a stream no one uses. In queue mode its last scan is kept a while first (RETAIN_READ_MS, as long as it
 * stays published for the other workers): executions n8n had queued before that scan began may still start on
 * this worker, and it answers them (see `covers`).
 */
function release(state: StreamState): void {
	if (!state.idle() || streams.get(state.key) !== state) return;
	if (state.scanned?.createdBefore === undefined) {
		streams.delete(state.key);
		return;
	}
	if (state.retained) return;
	const retained = new AbortController();
	state.retained = retained;
	void sleep(RETAIN_READ_MS, retained.signal).then(
		() => {
			state.retained = undefined;
			if (state.idle() && streams.get(state.key) === state) streams.delete(state.key);
		},
		() => undefined,
	);
}

/** Drops every idle stream now, kept ones included (tests: a kept stream would outlive its test). */
export function dropIdleStreams(): void {
	for (const state of [...streams.values()]) {
		state.retained?.abort();
		state.retained = undefined;
		if (state.idle()) streams.delete(state.key);
	}
}

/**
 * Whether a scan answers a lookup asked at `askedSeq` — for the execution `arrival` (queue mode: its id,
 * when the lookup counts as asked when the execution started): the scan began after the lookup was asked,
 * or, in queue mode, after n8n had created the execution, i.e. after its event arrived (it may have waited
 * in n8n's queue for a free worker slot meanwhile). Either way, its data is no older than the request.
 */
function covers(scan: { startSeq?: number; createdBefore?: number }, askedSeq: number, arrival: number | undefined): boolean {
	if (scan.startSeq !== undefined && scan.startSeq > askedSeq) return true;
	return arrival !== undefined && scan.createdBefore !== undefined && arrival <= scan.createdBefore;
}

/**
 * One execution's use of the layer. The router opens it and closes it when the node is done; every
 * lookup it makes counts as asked when the execution started (so all its items share one scan).
 */
export class Lookups {
	private readonly askedSeq = tick();

	private readonly held = new Map<string, StreamState>();

	private closed = false;

	constructor(
		private readonly ctx: KoreContext,
		private readonly client: KoreClient,
	) {}

	/** Queue mode: this execution's id (n8n numbers executions as it creates them); else undefined. */
	private async arrival(): Promise<number | undefined> {
		if (!(await this.client.shared()).queueMode) return undefined;
		const id = Number(this.ctx.getExecutionId());
		return Number.isSafeInteger(id) ? id : undefined;
	}

	/** Releases every stream this execution held; a stream no one holds is dropped. */
	close(): void {
		this.closed = true;
		for (const state of this.held.values()) {
			state.leases--;
			release(state);
		}
		this.held.clear();
	}

	private async state(streamId: string, itemIndex: number): Promise<StreamState> {
		const { host, accountId } = await this.client.getCredentials(itemIndex);
		const key = `${host}\n${accountId}\n${streamId}`;
		let state = this.held.get(key);
		if (state) return state;
		if (this.closed) throw new Error('The lookup session is closed');
		state = streams.get(key);
		state?.retained?.abort();
		if (state) state.retained = undefined;
		if (!state) {
			state = new StreamState(key, streamId);
			streams.set(key, state);
		}
		state.leases++;
		this.held.set(key, state);
		return state;
	}

	/**
	 * Waits until the stream has a complete scan that started after `askedSeq` (joining the running scan if
	 * it has not sent its first request yet, else the next one).
	 */
	private async freshScan(state: StreamState, askedSeq: number, itemIndex: number): Promise<void> {
		const arrival = askedSeq === this.askedSeq ? await this.arrival() : undefined;
		for (;;) {
			if (state.scanned && covers(state.scanned, askedSeq, arrival)) return;
			const running = state.running;
			const scan =
				running && (running.startSeq === undefined || covers(running, askedSeq, arrival)) ? running : (state.queued ??= this.queueScan(state, itemIndex));
			if (arrival === undefined) scan.fresh = true;
			else scan.need = Math.max(scan.need ?? arrival, arrival);
			if (scan.served++ === 0) {
				this.ctx.logger.info(
					`Kore Contacts: lookups in stream ${state.streamId} wait for ${scan === state.running || !state.running ? 'a scan of the stream' : 'the next scan of the stream (one is in progress, but began before they were asked)'}; the scan's log line says how many shared it`,
				);
			}
			await this.client.abortable(scan.done, itemIndex);
		}
	}

	/** A scan that starts when the running one (if any) is done. */
	private queueScan(state: StreamState, itemIndex: number): Scan {
		const previous = state.running?.done.catch(() => undefined) ?? Promise.resolve();
		const scan: Scan = { served: 0, done: Promise.resolve() };
		scan.done = previous.then(async () => {
			state.queued = undefined;
			state.running = scan;
			try {
				await this.scan(state, scan, itemIndex);
			} finally {
				state.running = undefined;
				release(state);
			}
		});
		// A failure reaches the lookups that wait on it; none is left unhandled if no one does.
		scan.done.catch(() => undefined);
		return scan;
	}

	/**
	 * Reads every page of the stream. Kore's list is offset-paged, so each contact is kept once by id; the
	 * page's clock value (its request's send) says how new each copy is. In queue mode another worker's read
	 * may do instead (`sharedRead`), when it covers every execution waiting for this one.
	 */
	private async scan(state: StreamState, scan: Scan, itemIndex: number): Promise<void> {
		const started = Date.now();
		const shared = await this.client.shared();
		const contacts = new Map<string, Known>();
		let pages = 0;
		const readOwn = async () => {
			// asked before the first page is sent: every execution up to it existed before the scan began
			scan.createdBefore = await shared.newestQueuedExecution().catch(() => undefined);
			await this.client.listContacts(
				state.streamId,
				(results, seq) => {
					pages++;
					scan.startSeq ??= seq;
					for (const contact of results) {
						if (contact && contact.id !== undefined) contacts.set(String(contact.id), { contact, seq });
					}
				},
				{ pageSize: PAGE_SIZE, itemIndex, detached: true, onSend: tick },
			);
			return { createdBefore: scan.createdBefore, contacts: [...contacts.values()].map(({ contact }) => contact!) };
		};
		const shareable = !scan.fresh && (await shared.newestQueuedExecution().catch(() => undefined)) !== undefined;
		const taken = await shared.sharedRead(state.key, shareable ? scan.need : undefined, readOwn);
		if (taken) {
			// Another worker's read: it began after n8n created every execution up to `createdBefore`, but when is
			// not known on this process's clock, so it answers those executions' lookups only (startSeq 0).
			scan.createdBefore = taken.createdBefore;
			for (const contact of taken.contacts) if (contact?.id !== undefined) contacts.set(String(contact.id), { contact, seq: 0 });
		}
		const startSeq = taken ? 0 : (scan.startSeq ?? tick());
		const byPhone = new Map<string, string[]>();
		for (const [id, { contact }] of contacts) {
			const phone = contact && storedPhone(contact.cellPhone);
			if (phone !== undefined) byPhone.set(phone, [...(byPhone.get(phone) ?? []), id]);
		}
		state.scanned = { startSeq, createdBefore: scan.createdBefore, contacts, byPhone };
		// Write answers the scan has superseded are no longer needed, nor is "unknown" from before it.
		for (const [id, known] of taken ? [] : state.written) {
			const fromScan = contacts.get(id);
			if ((fromScan && fromScan.seq > known.seq) || (!known.contact && known.seq < startSeq)) state.written.delete(id);
		}
		this.ctx.logger.info(
			taken
				? `Kore Contacts: took another worker's read of stream ${state.streamId}: ${contacts.size} contacts (it covers executions up to ${scan.createdBefore}), shared by ${scan.served} lookup(s)`
				: `Kore Contacts: scanned stream ${state.streamId}: ${contacts.size} contacts in ${pages} page(s), ${formatMs(Date.now() - started)}, shared by ${scan.served} lookup(s)`,
		);
	}

	/** Records what Kore answered to a write (or, with no contact, that the copy held is no longer current). */
	private learn(state: StreamState, id: string, contact: IDataObject | undefined): void {
		// An answer that shows only part of the contact (a bulk delete's id) is laid over the copy held.
		const previous = state.view(id)?.contact;
		const now = contact && previous ? { ...previous, ...contact } : contact;
		state.written.set(id, { contact: now, seq: tick() });
		if (now && !isActive(now)) {
			const phone = storedPhone(now.cellPhone);
			rememberDeleted([`${state.key}\nid ${id}`, ...(phone ? [`${state.key}\nphone ${phone}`] : [])]);
		}
	}

	/** Runs `work` while no other write to the same keys runs in this process (keys taken in sorted order). */
	private async exclusive<T>(state: StreamState, keys: string[], work: () => Promise<T>): Promise<T> {
		const sorted = [...new Set(keys)].sort();
		const releases: Array<() => void> = [];
		try {
			for (const key of sorted) {
				const previous = state.locks.get(key) ?? Promise.resolve();
				let unlock!: () => void;
				const mine = new Promise<void>((resolve) => (unlock = resolve));
				const tail = previous.then(() => mine);
				state.locks.set(key, tail);
				releases.push(() => {
					unlock();
					if (state.locks.get(key) === tail) state.locks.delete(key);
				});
				await previous;
			}
			// In n8n's queue mode the same keys are locked for every worker too (leases: a crashed worker's
			// locks expire), taken after this process's, in the same order.
			const shared = await this.client.shared();
			const releaseShared = await shared.lock(sorted.map((key) => `${state.key}\n${key}`));
			try {
				return await work();
			} finally {
				await releaseShared();
			}
		} finally {
			for (const unlock of releases.reverse()) unlock();
			release(state);
		}
	}

	/**
	 * Queue mode: a contact as another worker's write left it, when that is newer (Kore's `updatedAt`) than
	 * the copy this process holds; it becomes this process's copy.
	 */
	private async sharedCopy(state: StreamState, contactId: string, local: IDataObject | undefined): Promise<IDataObject | undefined> {
		const shared = await this.client.shared();
		if (!shared.queueMode) return local;
		const record = await shared.get(`contact ${state.key}\n${contactId}`);
		if (!record) return local;
		const time = (contact: IDataObject | undefined) => Date.parse(String(contact?.updatedAt ?? ''));
		if (local && !(time(record) > time(local))) return local;
		state.written.set(contactId, { contact: record, seq: tick() });
		return record;
	}

	/** The contact, if this process (or, in queue mode, any worker) deleted it recently. */
	private async knownDeleted(state: StreamState, contactId: string): Promise<IDataObject | undefined> {
		if (deletedRecently(`${state.key}\nid ${contactId}`)) return state.view(contactId)?.contact ?? { id: contactId, status: 'INACTIVE' };
		const shared = await this.client.shared();
		const record = shared.queueMode ? await shared.get(`contact ${state.key}\n${contactId}`) : undefined;
		return record && !isActive(record) ? record : undefined;
	}

	/** Queue mode: the contacts the last write by any worker gave one of these numbers, as [number, id]. */
	private async sharedPhoneOwners(state: StreamState, candidates: string[]): Promise<Array<[string, string]>> {
		const shared = await this.client.shared();
		const owners: Array<[string, string]> = [];
		for (const phone of shared.queueMode ? candidates : []) {
			const pointer = await shared.get(`phone ${state.key}\n${phone}`);
			if (pointer?.id !== undefined) owners.push([phone, String(pointer.id)]);
		}
		return owners;
	}

	/** Queue mode: the active contact another worker's write gave one of these numbers, if any. */
	private async sharedByPhone(state: StreamState, candidates: string[]): Promise<IDataObject | undefined> {
		for (const [phone, id] of await this.sharedPhoneOwners(state, candidates)) {
			const contact = await this.sharedCopy(state, id, state.view(id)?.contact);
			if (contact && isActive(contact) && storedPhone(contact.cellPhone) === phone) return contact;
		}
		return undefined;
	}

	/** Queue mode: tells the other workers what Kore answered to a write here. */
	private async share(state: StreamState, contact: IDataObject): Promise<void> {
		const shared = await this.client.shared();
		if (!shared.queueMode || contact.id === undefined) return;
		await shared.put(`contact ${state.key}\n${contact.id}`, contact);
		const phone = storedPhone(contact.cellPhone);
		if (phone && isActive(contact)) await shared.put(`phone ${state.key}\n${phone}`, { id: contact.id });
	}

	/**
	 * The current contact with this id: what a write answered after this execution started, or the copy of a
	 * scan that started after it. An id the scan does not list is looked for once more on a later scan (a
	 * delete during the scan may have shifted the pages) before it is reported missing.
	 */
	private async current(state: StreamState, contactId: string, itemIndex: number, askedSeq = this.askedSeq): Promise<IDataObject> {
		for (let attempt = 0; ; attempt++) {
			if (!state.freshFor(contactId, askedSeq)) await this.freshScan(state, askedSeq, itemIndex);
			const known = state.view(contactId);
			if (known?.contact) return (await this.sharedCopy(state, contactId, known.contact))!;
			if (known && !known.contact) {
				askedSeq = known.seq;
				continue;
			}
			if (attempt > 0) break;
			askedSeq = tick();
		}
		throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: no contact with ID "${contactId}" in stream "${state.streamId}"`, {
			itemIndex,
			description: 'Kore does not list such a contact: check the Contact ID.',
		});
	}

	/** The active contacts with one of these numbers, on a scan no older than `askedSeq`. */
	private async byPhone(state: StreamState, candidates: string[], askedSeq: number, itemIndex: number) {
		await this.freshScan(state, askedSeq, itemIndex);
		const matches = state.withPhone(candidates);
		const active = matches.filter(isActive);
		return { active, inactive: matches.filter((contact) => !active.includes(contact)) };
	}

	/**
	 * The one active contact whose number is one of `candidates`. No match, or several, is looked at once
	 * more on a later scan, then reported — never a guess. With `orDeleted`, a number that only deleted
	 * contacts have (as Kore lists them, or as this process deleted them recently) answers `{ gone }`.
	 */
	async findByPhone(streamId: string, candidates: string[], itemIndex: number): Promise<IDataObject> {
		const found = await this.phoneMatch(streamId, candidates, itemIndex, false);
		return found.contact;
	}

	private async phoneMatch(
		streamId: string,
		candidates: string[],
		itemIndex: number,
		orDeleted: boolean,
	): Promise<{ contact: IDataObject; gone: boolean }> {
		const state = await this.state(streamId, itemIndex);
		let found = await this.byPhone(state, candidates, this.askedSeq, itemIndex);
		if (found.active.length !== 1) found = await this.byPhone(state, candidates, tick(), itemIndex);
		const shown = candidates.join(' or ');
		if (found.active.length === 1) return { contact: found.active[0], gone: false };
		if (found.active.length > 1) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`Item ${itemIndex}: ${found.active.length} contacts have phone ${shown}: ${found.active.map((contact) => contact.id).join(', ')}`,
				{ itemIndex, description: 'Nothing was changed. Use "Contact By: ID" with the ID of the one you mean.' },
			);
		}
		if (orDeleted) {
			if (found.inactive.length > 0) return { contact: found.inactive[found.inactive.length - 1], gone: true };
			const phone = candidates.find((candidate) => deletedRecently(`${state.key}\nphone ${candidate}`));
			if (phone) return { contact: { cellPhone: { phoneNumber: phone }, status: 'INACTIVE' }, gone: true };
			for (const [, id] of await this.sharedPhoneOwners(state, candidates)) {
				const gone = await this.knownDeleted(state, id);
				if (gone) return { contact: gone, gone: true };
			}
		}
		const inactive = found.inactive.map((contact) => contact.id).join(', ');
		throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: no contact with phone ${shown} in stream "${streamId}"`, {
			itemIndex,
			description: inactive ? `Only already deleted (INACTIVE) contacts have this number: ${inactive}.` : 'Check the number and the Country Code.',
		});
	}

	/**
	 * Which of these ids are known to be deleted: this process deleted them recently, or (with `scan`, one
	 * scan that starts after now, for the rest) Kore lists them INACTIVE. Asked when Kore answered "not
	 * found" to a delete, to tell a repeated delivery from an id Kore never knew.
	 */
	async deleted(streamId: string, contactIds: string[], itemIndex: number, scan: boolean): Promise<Map<string, IDataObject>> {
		const state = await this.state(streamId, itemIndex);
		const found = new Map<string, IDataObject>();
		const rest: string[] = [];
		for (const id of contactIds) {
			const gone = await this.knownDeleted(state, id);
			if (gone) found.set(id, gone);
			else rest.push(id);
		}
		if (scan && rest.length > 0) {
			await this.freshScan(state, tick(), itemIndex);
			for (const id of rest) {
				const known = state.view(id)?.contact;
				if (known && !isActive(known)) found.set(id, known);
			}
		}
		return found;
	}

	/**
	 * Every contact of a complete read of the stream that began after this call, in Kore's order: the read is
	 * shared with the lookups waiting at the same time (the Kore Contacts Trigger reads the stream this way).
	 */
	async readStream(streamId: string, itemIndex = 0): Promise<IDataObject[]> {
		const state = await this.state(streamId, itemIndex);
		await this.freshScan(state, tick(), itemIndex);
		return [...state.scanned!.contacts.values()].map(({ contact }) => contact!);
	}

	/** The current contact with this id (see `current`). */
	async findById(streamId: string, contactId: string, itemIndex: number): Promise<IDataObject> {
		return await this.current(await this.state(streamId, itemIndex), contactId, itemIndex);
	}

	/**
	 * Writes to contacts through the layer: `work` runs while no other write to these ids runs in this
	 * process, gets each id's current contact on demand (`current`), and returns what Kore answered per id,
	 * which becomes the newest knowledge of those contacts (`undefined`: Kore's answer did not show the
	 * contact, so the copy held is dropped).
	 */
	async writeMany<T>(
		streamId: string,
		contactIds: string[],
		itemIndex: number,
		work: (current: (contactId: string, itemIndex: number) => Promise<IDataObject>) => Promise<{ result: T; answers: Map<string, IDataObject | undefined> }>,
	): Promise<T> {
		const state = await this.state(streamId, itemIndex);
		return await this.exclusive(state, contactIds, async () => await this.guarded(state, contactIds, work));
	}

	private async guarded<T>(
		state: StreamState,
		contactIds: string[],
		work: (current: (contactId: string, itemIndex: number) => Promise<IDataObject>) => Promise<{ result: T; answers: Map<string, IDataObject | undefined> }>,
	): Promise<T> {
		let answered = false;
		try {
			const { result, answers } = await work((contactId, index) => this.current(state, contactId, index));
			answered = true;
			for (const [id, contact] of answers) {
				this.learn(state, id, contact);
				if (contact) await this.share(state, state.view(id)?.contact ?? contact).catch(() => undefined);
			}
			return result;
		} finally {
			// Whatever Kore did with a failed write is not known here: the next writer reads afresh.
			if (!answered) for (const id of contactIds) this.learn(state, id, undefined);
		}
	}

	/**
	 * Writes one contact, named by id or by phone number, through the layer (see `writeMany`). A contact
	 * named by phone is found while no other write by that number runs, and checked again once its id is
	 * held: a write by id may have changed or deleted it meanwhile. With `whenDeleted`, a contact known to
	 * be deleted (see `phoneMatch`; by id: deleted by this process recently) is answered by it, and
	 * nothing is sent.
	 */
	async write<T>(
		streamId: string,
		key: ContactKey,
		itemIndex: number,
		work: (contactId: string, current: (fresh?: boolean) => Promise<IDataObject>) => Promise<{ result: T; contact: IDataObject | undefined }>,
		whenDeleted?: (contact: IDataObject) => T,
	): Promise<T> {
		const state = await this.state(streamId, itemIndex);
		const once = async (contactId: string) =>
			await this.guarded(state, [contactId], async () => {
				const gone = whenDeleted && (await this.knownDeleted(state, contactId));
				if (gone) return { result: whenDeleted(gone), answers: new Map() };
				const current = async (fresh?: boolean) => await this.current(state, contactId, itemIndex, fresh ? tick() : this.askedSeq);
				const { result, contact } = await work(contactId, current);
				return { result, answers: new Map([[contactId, contact]]) };
			});
		if ('contactId' in key) return await this.exclusive(state, [key.contactId], async () => await once(key.contactId));
		return await this.exclusive(state, [phoneLock(key.candidates)], async () => {
			for (let attempt = 0; ; attempt++) {
				const found = await this.phoneMatch(streamId, key.candidates, itemIndex, whenDeleted !== undefined);
				if (found.gone) return whenDeleted!(found.contact);
				const contactId = String(found.contact.id);
				const outcome = await this.exclusive(state, [contactId], async () => {
					const now = state.view(contactId)?.contact;
					const stillIt = now && isActive(now) && key.candidates.includes(storedPhone(now.cellPhone) ?? '');
					return stillIt || attempt > 0 ? { value: await once(contactId) } : undefined;
				});
				if (outcome) return outcome.value;
			}
		});
	}

	/**
	 * Create or update by phone number: while no other write by this number runs in the process, the one
	 * active contact with it is updated (`update`), or, when none has it, one is created (`create`). When
	 * Kore refuses the create because the number exists after all (made meanwhile by another process or
	 * system), the number is looked up again on a new scan and that contact is updated.
	 */
	async upsert<T>(
		streamId: string,
		candidates: string[],
		itemIndex: number,
		{
			create,
			update,
			isDuplicate,
		}: {
			create: () => Promise<{ result: T; contact: IDataObject | undefined }>;
			update: (contactId: string, current: IDataObject) => Promise<{ result: T; contact: IDataObject | undefined }>;
			isDuplicate: (error: unknown) => boolean;
		},
	): Promise<T> {
		const state = await this.state(streamId, itemIndex);
		const updateOne = async (contactId: string) =>
			await this.exclusive(state, [contactId], async () =>
				await this.guarded(state, [contactId], async (current) => {
					const { result, contact } = await update(contactId, await current(contactId, itemIndex));
					return { result, answers: new Map([[contactId, contact]]) };
				}),
			);
		return await this.exclusive(state, [phoneLock(candidates)], async () => {
			const found = await this.byPhone(state, candidates, this.askedSeq, itemIndex);
			if (found.active.length === 0) {
				// Queue mode: another worker may have made it after this worker's scan began.
				const made = await this.sharedByPhone(state, candidates);
				if (made) found.active.push(made);
			}
			if (found.active.length === 1) return await updateOne(String(found.active[0].id));
			if (found.active.length === 0) {
				// Refused as a duplicate: made meanwhile elsewhere, so it is looked up again (below) and updated.
				const made = await create().then(
					(value) => value,
					async (error: unknown) => (isDuplicate(error) ? undefined : await Promise.reject(error)),
				);
				if (made) {
					if (made.contact?.id !== undefined) {
						this.learn(state, String(made.contact.id), made.contact);
						await this.share(state, made.contact).catch(() => undefined);
					}
					return made.result;
				}
			}
			return await updateOne(String((await this.findByPhone(streamId, candidates, itemIndex)).id));
		});
	}

	/** Records contacts Kore answered for a write made outside `write` (e.g. a create). */
	async learned(streamId: string, contacts: IDataObject[], itemIndex: number): Promise<void> {
		const state = await this.state(streamId, itemIndex);
		for (const contact of contacts) if (contact?.id !== undefined) this.learn(state, String(contact.id), contact);
	}
}
