import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { storedPhone } from '../helpers/phone';
import type { Lease } from '../queue';
import type { KoreRequest, RequestMeta } from '../transport';
import type { StreamState } from './knowledge';
import { exclusive, phoneLock } from './locks';
import { isActive } from './order';
import { knownDeleted, markPending, phoneOwners, publishAnswers } from './others';
import { Finder, MAX_MATCHES } from './find';
import { rememberDeleted } from './registry';

export { isActive } from './order';
export { dropIdleStreams, heldStreams } from './registry';

/**
 * The contact lookup layer: finding contacts (Kore can only list a stream, see `reads.ts`) and writing them
 * so that a write never goes to a contact the event did not mean. A lookup is answered from a read that
 * began after the event arrived; what is known of a contact is replaced only by newer knowledge in the one
 * order every worker shares (`order.ts`); writes to one contact or number are serialized (`locks.ts`), and a
 * write by phone is sent only to a contact whose newest known number — in any worker (`others.ts`) — is the
 * one asked for. State is per stream, shared by every execution in the process (`knowledge.ts`,
 * `registry.ts`).
 */

/** A contact named by its Kore id, or by the E.164 forms its phone number may take. */
export type ContactKey = { contactId: string } | { candidates: string[] };

/** Sends a write through the layer: not sent unless its locks are surely still held (see `Lease.extend`). */
export type Send = <T = unknown>(req: KoreRequest, meta?: RequestMeta) => Promise<T>;

type Answers = Map<string, IDataObject | undefined>;

/** One execution's use of the layer: the router opens it, and closes it when the node is done. */
export class Lookups extends Finder {
	/** Records contacts Kore answered to a write that names no existing contact (a create, an import). */
	async learned(streamId: string, contacts: IDataObject[], itemIndex: number): Promise<void> {
		const state = await this.state(streamId, itemIndex);
		await this.record(state, new Map(contacts.filter((contact) => contact?.id !== undefined).map((contact) => [String(contact.id), contact])));
	}

	/**
	 * Writes to contacts by id: `work` runs while no other write to these ids runs (in any worker), gets each
	 * id's current contact on demand and `send` for its request, and returns what Kore answered per id, which
	 * becomes the newest knowledge of those contacts (`undefined`: not known, read afresh next time).
	 */
	async writeMany<T>(
		streamId: string,
		contactIds: string[],
		itemIndex: number,
		work: (current: (contactId: string, itemIndex: number) => Promise<IDataObject>, send: Send) => Promise<{ result: T; answers: Answers }>,
	): Promise<T> {
		const state = await this.state(streamId, itemIndex);
		const askedPos = await this.askedPos();
		return await this.exclusive(state, contactIds, itemIndex, async (lease) =>
			await this.guarded(state, contactIds, lease, async (send) => await work((id, index) => this.current(state, id, index, askedPos), send)),
		);
	}

	/**
	 * Writes one contact, named by id or by phone number (see `writeMany`). A contact named by phone is found
	 * on a read, then, once the locks of its number and its id are held, its newest copy known to any worker
	 * must still have the number: else it is looked for again on a read that begins after that, and never
	 * written. With `whenDeleted`, a contact known to be deleted is answered by it, and nothing is sent.
	 */
	async write<T>(
		streamId: string,
		key: ContactKey,
		itemIndex: number,
		work: (contactId: string, current: (fresh?: boolean) => Promise<IDataObject>, send: Send) => Promise<{ result: T; contact: IDataObject | undefined }>,
		whenDeleted?: (contact: IDataObject) => T,
	): Promise<T> {
		const state = await this.state(streamId, itemIndex);
		const shared = await this.client.shared();
		const once = async (contactId: string, lease: Lease) =>
			await this.guarded(state, [contactId], lease, async (send) => {
				const gone = whenDeleted && (await knownDeleted(state, shared, contactId));
				if (gone) return { result: whenDeleted(gone), answers: new Map() };
				const current = async (fresh?: boolean) => await this.current(state, contactId, itemIndex, fresh ? await this.position() : await this.askedPos());
				const { result, contact } = await work(contactId, current, send);
				return { result, answers: new Map([[contactId, contact]]) };
			});
		if ('contactId' in key) return await this.exclusive(state, [key.contactId], itemIndex, async (lease) => await once(key.contactId, lease));
		let askedPos = await this.askedPos();
		for (let attempt = 0; attempt < MAX_MATCHES; attempt++) {
			const found = await this.phoneMatch(state, key.candidates, itemIndex, whenDeleted !== undefined, askedPos);
			if (found.gone) return whenDeleted!(found.contact);
			const contactId = String(found.contact.id);
			const outcome = await this.exclusive(state, [phoneLock(key.candidates), contactId], itemIndex, async (lease) =>
				(await this.hasNumber(state, contactId, key.candidates)) ? { value: await once(contactId, lease) } : undefined,
			);
			if (outcome) return outcome.value;
			askedPos = await this.position();
		}
		throw this.keptChanging(key.candidates, itemIndex);
	}

	/**
	 * Create or update by phone number: while no other write by this number runs (in any worker), the one
	 * active contact that has it — by the read and by what any worker wrote since — is updated, or, when none
	 * has it, one is created. A create Kore refuses because the number exists after all (made meanwhile by
	 * another system) is looked for again on a read that begins after that, and that contact is updated.
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
			create: (send: Send) => Promise<{ result: T; contact: IDataObject | undefined }>;
			update: (contactId: string, current: IDataObject, send: Send) => Promise<{ result: T; contact: IDataObject | undefined }>;
			isDuplicate: (error: unknown) => boolean;
		},
	): Promise<T> {
		const state = await this.state(streamId, itemIndex);
		const shared = await this.client.shared();
		let askedPos = await this.askedPos();
		for (let attempt = 0; attempt < MAX_MATCHES; attempt++) {
			const found = await this.byPhone(state, candidates, askedPos, itemIndex);
			const outcome = await this.exclusive(state, [phoneLock(candidates)], itemIndex, async (phoneLease): Promise<{ value: T } | undefined> => {
				const seen = [...found.active, ...state.withPhone(candidates)].map((contact) => String(contact.id));
				const owners: string[] = [];
				for (const id of new Set([...seen, ...(await phoneOwners(state, shared, candidates))])) {
					if (await this.hasNumber(state, id, candidates)) owners.push(id);
					// a contact whose last write's answer is not known may have the number: read again
					else if (state.view(id) && !state.view(id)!.contact) return undefined;
				}
				if (owners.length > 1) {
					if (attempt === 0) return undefined;
					throw this.several(owners, candidates, itemIndex);
				}
				if (owners.length === 1) {
					const id = owners[0];
					return await this.exclusive(state, [id], itemIndex, async (lease) => {
						if (!(await this.hasNumber(state, id, candidates))) return undefined;
						const current = state.view(id)!.contact!;
						return { value: await this.guarded(state, [id], lease, async (send) => {
							const { result, contact } = await update(id, current, send);
							return { result, answers: new Map([[id, contact]]) };
						}) };
					});
				}
				// Refused as a duplicate: made meanwhile elsewhere, so it is looked for again (next round) and updated.
				return await this.guarded(state, [], phoneLease, async (send) => {
					const { result, contact } = await create(send);
					return { result, answers: new Map(contact?.id === undefined ? [] : [[String(contact.id), contact]]) };
				}).then(
					(value) => ({ value }),
					async (error: unknown) => (isDuplicate(error) ? undefined : await Promise.reject(error)),
				);
			});
			if (outcome) return outcome.value;
			askedPos = await this.position();
		}
		throw this.keptChanging(candidates, itemIndex);
	}

	private async exclusive<T>(state: StreamState, keys: string[], itemIndex: number, work: (lease: Lease) => Promise<T>): Promise<T> {
		const waiter = { node: this.ctx.getNode(), itemIndex, signal: this.client.signal(), shared: await this.client.shared() };
		return await exclusive(state, keys, waiter, work);
	}

	/**
	 * Runs a write holding `lease`: its requests go out only while the lease surely holds, after every worker
	 * was told these contacts are being written (`markPending`); Kore's answers are recorded and published,
	 * and contacts whose write failed are left unknown, so the next writer reads them afresh.
	 */
	private async guarded<T>(state: StreamState, ids: string[], lease: Lease, work: (send: Send) => Promise<{ result: T; answers: Answers }>): Promise<T> {
		const shared = await this.client.shared();
		const beforeSend = async () => {
			await lease.extend(this.client.timeoutMs);
			await markPending(state, shared, ids);
		};
		const send: Send = async (req, meta) => await this.client.request({ ...req, beforeSend }, meta);
		let answers: Answers = new Map(ids.map((id) => [id, undefined]));
		try {
			const done = await work(send);
			answers = done.answers;
			return done.result;
		} finally {
			await this.record(state, answers).catch((error: unknown) => {
				this.ctx.logger.warn(`Kore Contacts: a write's answer in stream ${state.streamId} could not be recorded (${(error as Error).message})`);
			});
		}
	}

	/** Makes Kore's answers (over the copies held: an answer may show only part of a contact) the newest knowledge. */
	private async record(state: StreamState, answers: Answers): Promise<void> {
		if (answers.size === 0) return;
		const shared = await this.client.shared();
		const pos = await shared.nextPosition();
		const known: Array<[string, IDataObject | undefined]> = [];
		for (const [id, contact] of answers) {
			const previous = state.view(id)?.contact;
			const now = contact && previous ? { ...previous, ...contact } : contact;
			state.offer(id, { contact: now, pos });
			known.push([id, now]);
			const phone = now && !isActive(now) ? storedPhone(now.cellPhone) : undefined;
			if (now && !isActive(now)) rememberDeleted([`${state.key}\nid ${id}`, ...(phone ? [`${state.key}\nphone ${phone}`] : [])]);
		}
		await publishAnswers(state, shared, known, pos, this.ctx.logger);
	}

	private keptChanging(candidates: string[], itemIndex: number): NodeOperationError {
		return new NodeOperationError(
			this.ctx.getNode(),
			`Item ${itemIndex}: the contact with phone ${candidates.join(' or ')} changed ${MAX_MATCHES} times while this item waited to write it`,
			{ itemIndex, description: 'Nothing was sent for this item: another write changed or deleted that contact meanwhile. Run the item again to act on the contact as it is now.' },
		);
	}
}
