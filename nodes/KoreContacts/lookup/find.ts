import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { storedPhone } from '../helpers/phone';
import type { KoreClient, KoreContext } from '../transport';
import type { StreamState } from './knowledge';
import { isActive } from './order';
import { knownDeleted, newest, phoneOwners } from './others';
import { freshRead } from './reads';
import { deletedRecently, holdStream, release } from './registry';

/** How many times a write by phone looks again when its contact changed while it waited for the lock. */
export const MAX_MATCHES = 3;

/** Finding contacts, for one execution: the half of `Lookups` that only reads. */
export class Finder {
	private asked?: Promise<number>;

	private readonly held = new Map<string, StreamState>();

	private closed = false;

	constructor(
		protected readonly ctx: KoreContext,
		protected readonly client: KoreClient,
	) {
		this.asked = this.position();
		this.asked.catch(() => undefined);
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

	/** The active contact with one of these numbers (see `phoneMatch`). */
	async findByPhone(streamId: string, candidates: string[], itemIndex: number): Promise<IDataObject> {
		const state = await this.state(streamId, itemIndex);
		return (await this.phoneMatch(state, candidates, itemIndex, false, await this.askedPos())).contact;
	}

	/** The current contact with this id (see `current`). */
	async findById(streamId: string, contactId: string, itemIndex: number): Promise<IDataObject> {
		return await this.current(await this.state(streamId, itemIndex), contactId, itemIndex, await this.askedPos());
	}

	/** Every contact of a complete read of the stream that began after this call, in Kore's order. */
	async readStream(streamId: string, itemIndex = 0): Promise<IDataObject[]> {
		const state = await this.state(streamId, itemIndex);
		await this.fresh(state, await this.position(), itemIndex);
		return (state.lastRead?.ids ?? []).map((id) => state.view(id)?.contact).filter((contact): contact is IDataObject => contact !== undefined);
	}

	/**
	 * Which of these ids are known to be deleted: this process (or, in queue mode, any worker) deleted them
	 * recently, or (with `scan`, one read that starts after now, for the rest) Kore lists them INACTIVE.
	 * Asked when Kore answered "not found" to a delete, to tell a repeated delivery from an unknown id.
	 */
	async deleted(streamId: string, contactIds: string[], itemIndex: number, scan: boolean): Promise<Map<string, IDataObject>> {
		const state = await this.state(streamId, itemIndex);
		const shared = await this.client.shared();
		const found = new Map<string, IDataObject>();
		for (const id of contactIds) {
			const gone = await knownDeleted(state, shared, id);
			if (gone) found.set(id, gone);
		}
		const rest = contactIds.filter((id) => !found.has(id));
		if (scan && rest.length > 0) {
			await this.fresh(state, await this.position(), itemIndex);
			for (const id of rest) {
				const known = state.view(id)?.contact;
				if (known && !isActive(known)) found.set(id, known);
			}
		}
		return found;
	}

	/**
	 * The position this execution's lookups count as asked at: taken when the execution started (the
	 * router opens the layer then), so its items, however long they wait for each other, share it.
	 */
	protected async askedPos(): Promise<number> {
		this.asked ??= this.position();
		return await this.asked.catch(async (error: unknown) => {
			this.asked = undefined; // e.g. n8n's Redis did not answer: the next lookup asks again
			return await Promise.reject(error);
		});
	}

	protected async position(): Promise<number> {
		return await (await this.client.shared()).nextPosition();
	}

	/** Queue mode: this execution's id (n8n numbers executions as it creates them); else undefined. */
	protected async arrival(): Promise<number | undefined> {
		if (!(await this.client.shared()).queueMode) return undefined;
		const id = Number(this.ctx.getExecutionId());
		return Number.isSafeInteger(id) ? id : undefined;
	}

	/** Waits for a complete read that answers a lookup asked at `askedPos` (see `reads.ts`). */
	protected async fresh(state: StreamState, askedPos: number, itemIndex: number): Promise<void> {
		const arrival = askedPos === (await this.askedPos()) ? await this.arrival() : undefined;
		await freshRead(state, askedPos, arrival, { client: this.client, logger: this.ctx.logger, itemIndex });
	}

	protected async state(streamId: string, itemIndex: number): Promise<StreamState> {
		const { host, accountId } = await this.client.getCredentials(itemIndex);
		const key = `${host}\n${accountId}\n${streamId}`;
		let state = this.held.get(key);
		if (state) return state;
		if (this.closed) throw new Error('The lookup session is closed');
		state = holdStream(key, streamId);
		this.held.set(key, state);
		return state;
	}

	/**
	 * The current contact with this id: the newest knowledge of it when that came after `askedPos` (a write
	 * answer, in any worker), else its copy on a read that answers the lookup. An id the read does not list
	 * is looked for once more on a later read (a create and a delete at once can hide a contact from one
	 * read) before it is reported missing; a contact whose last write's answer is not known is read afresh.
	 */
	protected async current(state: StreamState, contactId: string, itemIndex: number, askedPos: number): Promise<IDataObject> {
		const shared = await this.client.shared();
		let missed = false;
		for (let attempt = 0; attempt < 2 * MAX_MATCHES; attempt++) {
			let known = await newest(state, shared, contactId);
			if (!known || known.pos <= askedPos) {
				await this.fresh(state, askedPos, itemIndex);
				known = await newest(state, shared, contactId);
			}
			if (known?.contact) return known.contact;
			if (known) {
				askedPos = known.pos;
				continue;
			}
			if (missed) break;
			missed = true;
			askedPos = await this.position();
		}
		throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: no contact with ID "${contactId}" in stream "${state.streamId}"`, {
			itemIndex,
			description: 'Kore does not list such a contact: check the Contact ID.',
		});
	}

	/** The contacts with one of these numbers on a read that answers a lookup asked at `askedPos`. */
	protected async byPhone(state: StreamState, candidates: string[], askedPos: number, itemIndex: number) {
		await this.fresh(state, askedPos, itemIndex);
		const matches = state.withPhone(candidates);
		const active = matches.filter(isActive);
		return { active, inactive: matches.filter((contact) => !active.includes(contact)) };
	}

	/**
	 * The one active contact whose number is one of `candidates`. No match, or several, is looked at once
	 * more on a later read, then reported — never a guess. With `orDeleted`, a number that only deleted
	 * contacts have (as Kore lists them, or as this n8n deleted them recently) answers `{ gone }`.
	 */
	protected async phoneMatch(
		state: StreamState,
		candidates: string[],
		itemIndex: number,
		orDeleted: boolean,
		askedPos: number,
	): Promise<{ contact: IDataObject; gone: boolean }> {
		let found = await this.byPhone(state, candidates, askedPos, itemIndex);
		if (found.active.length !== 1) found = await this.byPhone(state, candidates, await this.position(), itemIndex);
		if (found.active.length === 1) return { contact: found.active[0], gone: false };
		if (found.active.length > 1) throw this.several(found.active.map((contact) => String(contact.id)), candidates, itemIndex);
		if (orDeleted) {
			if (found.inactive.length > 0) return { contact: found.inactive[found.inactive.length - 1], gone: true };
			const phone = candidates.find((candidate) => deletedRecently(`${state.key}\nphone ${candidate}`));
			if (phone) return { contact: { cellPhone: { phoneNumber: phone }, status: 'INACTIVE' }, gone: true };
			const shared = await this.client.shared();
			for (const id of await phoneOwners(state, shared, candidates)) {
				const gone = await knownDeleted(state, shared, id);
				if (gone) return { contact: gone, gone: true };
			}
		}
		const inactive = found.inactive.map((contact) => contact.id).join(', ');
		throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: no contact with phone ${candidates.join(' or ')} in stream "${state.streamId}"`, {
			itemIndex,
			description: inactive ? `Only already deleted (INACTIVE) contacts have this number: ${inactive}.` : 'Check the number and the Country Code.',
		});
	}

	/** Whether the newest copy of `id` known to any worker is active and has one of these numbers. */
	protected async hasNumber(state: StreamState, id: string, candidates: string[]): Promise<boolean> {
		const now = (await newest(state, await this.client.shared(), id))?.contact;
		return now !== undefined && isActive(now) && candidates.includes(storedPhone(now.cellPhone) ?? '');
	}

	protected several(ids: string[], candidates: string[], itemIndex: number): NodeOperationError {
		return new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: ${ids.length} contacts have phone ${candidates.join(' or ')}: ${ids.join(', ')}`, {
			itemIndex,
			description: 'Nothing was changed. Use "Contact By: ID" with the ID of the one you mean.',
		});
	}
}
