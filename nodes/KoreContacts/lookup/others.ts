import type { IDataObject, Logger } from 'n8n-workflow';

import { storedPhone } from '../helpers/phone';
import type { SharedState } from '../queue';
import type { StreamState } from './knowledge';
import { isActive } from './order';
import type { Known } from './order';
import { deletedRecently } from './registry';

/**
 * What the other workers know (n8n's queue mode; outside it every call here is a no-op): for each contact,
 * what the newest write by any worker left of it, with its position in the shared order, and, for each
 * number, which contact the newest write gave it. A write publishes "pending" before it is sent and Kore's
 * answer once it is in, so a write whose answer could not be published (Redis trouble, a crash) leaves
 * "pending" behind, and the next writer reads the contact afresh.
 */
const contactKey = (state: StreamState, id: string) => `contact ${state.key}\n${id}`;
const phoneKey = (state: StreamState, phone: string) => `phone ${state.key}\n${phone}`;

/** The newest knowledge of `id` in any worker: the published record is taken when it came later. */
export async function newest(state: StreamState, shared: SharedState, id: string): Promise<Known | undefined> {
	if (shared.queueMode) {
		const record = await shared.record(contactKey(state, id));
		if (record) state.offer(id, { contact: record.pending ? undefined : (record.contact as IDataObject | undefined), pos: record.pos });
	}
	return state.view(id);
}

/** Tells every worker that writes of these contacts are about to be sent (their answers are not known yet). */
export async function markPending(state: StreamState, shared: SharedState, ids: string[]): Promise<void> {
	if (!shared.queueMode) return;
	const pos = await shared.nextPosition();
	for (const id of ids) await shared.publish(contactKey(state, id), { pos, pending: true });
}

/**
 * Publishes what Kore answered (each contact as this worker now knows it, at `pos`; undefined: not known).
 * A publish that fails is logged; the "pending" left behind makes the other workers read afresh.
 */
export async function publishAnswers(
	state: StreamState,
	shared: SharedState,
	answers: Array<[string, IDataObject | undefined]>,
	pos: number,
	logger: Logger,
): Promise<void> {
	if (!shared.queueMode) return;
	try {
		for (const [id, contact] of answers) {
			await shared.publish(contactKey(state, id), contact ? { pos, contact } : { pos, pending: true });
			const phone = contact && isActive(contact) ? storedPhone(contact.cellPhone) : undefined;
			if (phone) await shared.publish(phoneKey(state, phone), { pos, id });
		}
	} catch (error) {
		logger.warn(
			`Kore Contacts: what Kore answered to a write in stream ${state.streamId} could not be shared with the other workers (${(error as Error).message}); they will read those contacts afresh`,
		);
	}
}

/** The contacts that, by the newest write of any worker, have one of these numbers. */
export async function phoneOwners(state: StreamState, shared: SharedState, candidates: string[]): Promise<string[]> {
	const owners: string[] = [];
	for (const phone of shared.queueMode ? candidates : []) {
		const pointer = await shared.record(phoneKey(state, phone));
		if (pointer?.id !== undefined) owners.push(String(pointer.id));
	}
	return owners;
}

/** The contact, if this process (or, in queue mode, any worker) deleted it recently. */
export async function knownDeleted(state: StreamState, shared: SharedState, id: string): Promise<IDataObject | undefined> {
	if (deletedRecently(`${state.key}\nid ${id}`)) return state.view(id)?.contact ?? { id, status: 'INACTIVE' };
	const contact = (await newest(state, shared, id))?.contact;
	return shared.queueMode && contact && !isActive(contact) ? contact : undefined;
}
