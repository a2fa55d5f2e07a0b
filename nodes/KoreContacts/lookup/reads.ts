import type { IDataObject, Logger } from 'n8n-workflow';

import type { ReadPage, SharedRead } from '../queue';
import type { KoreClient } from '../transport';
import { formatMs } from '../transport/errors';
import type { Scan, StreamState } from './knowledge';
import { covers } from './order';
import { release } from './registry';

const PAGE_SIZE = 100;

/** What a read needs from the execution that asks for it. */
export interface Reader {
	client: KoreClient;
	logger: Logger;
	itemIndex: number;
}

/**
 * Kore has no get-one and no search endpoint, only the offset-paged list, so finding a contact means reading
 * the whole stream. Reads are shared: a lookup waits until the stream has a complete read that covers it
 * (`covers`: it began after the lookup was asked, or in queue mode after n8n created the execution), joining
 * the running read if its first page request is not sent yet, else the next one. Lookups asked while a read
 * runs share the next one, so a burst costs a couple of reads, not one per event.
 */
export async function freshRead(state: StreamState, askedPos: number, arrival: number | undefined, reader: Reader): Promise<void> {
	for (;;) {
		if (state.lastRead && covers(state.lastRead, askedPos, arrival)) return;
		const running = state.running;
		const scan =
			running && (running.startPos === undefined || covers(running, askedPos, arrival)) ? running : (state.queued ??= queueRead(state, reader));
		if (arrival === undefined) scan.fresh = true;
		else scan.need = Math.max(scan.need ?? arrival, arrival);
		if (scan.served++ === 0) {
			reader.logger.info(
				`Kore Contacts: lookups in stream ${state.streamId} wait for ${scan === state.running || !state.running ? 'a scan of the stream' : 'the next scan of the stream (one is in progress, but began before they were asked)'}; the scan's log line says how many shared it`,
			);
		}
		await reader.client.abortable(scan.done, reader.itemIndex);
	}
}

/** A read that starts when the running one (if any) is done. */
function queueRead(state: StreamState, reader: Reader): Scan {
	const previous = state.running?.done.catch(() => undefined) ?? Promise.resolve();
	const scan: Scan = { served: 0, done: Promise.resolve() };
	scan.done = previous.then(async () => {
		state.queued = undefined;
		state.running = scan;
		try {
			await read(state, scan, reader);
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
 * Reads every page of the stream (`KoreClient.listContacts` mends the pages a delete shifts under it), each
 * page request taking its position in the order. In queue mode another worker's read may do instead
 * (`sharedRead`), when it covers every execution waiting for this one; its positions are in the same order.
 */
async function read(state: StreamState, scan: Scan, { client, logger, itemIndex }: Reader): Promise<void> {
	const started = Date.now();
	const shared = await client.shared();
	const pages: ReadPage[] = [];
	const readOwn = async (): Promise<SharedRead> => {
		// asked before the first page is sent: every execution up to it existed before the read began
		scan.createdBefore = await shared.newestQueuedExecution().catch(() => undefined);
		await client.listContacts(state.streamId, (contacts, pos) => void pages.push({ pos, contacts }), {
			pageSize: PAGE_SIZE,
			itemIndex,
			detached: true,
			onSend: async () => {
				const pos = await shared.nextPosition();
				scan.startPos ??= pos;
				return pos;
			},
		});
		return { startPos: scan.startPos!, createdBefore: scan.createdBefore, pages };
	};
	const shareable = !scan.fresh && (await shared.newestQueuedExecution().catch(() => undefined)) !== undefined;
	const taken = await shared.sharedRead(state.key, shareable ? scan.need : undefined, readOwn);
	const done = taken ?? { startPos: scan.startPos!, createdBefore: scan.createdBefore, pages };
	scan.createdBefore = done.createdBefore;
	const ids: string[] = [];
	for (const page of done.pages) {
		for (const contact of page.contacts as IDataObject[]) {
			if (contact?.id === undefined) continue;
			const id = String(contact.id);
			ids.push(id);
			state.offer(id, { contact, pos: page.pos });
		}
	}
	state.readDone({ startPos: done.startPos, createdBefore: done.createdBefore }, ids);
	logger.info(
		taken
			? `Kore Contacts: took another worker's read of stream ${state.streamId}: ${ids.length} contacts (it covers executions up to ${done.createdBefore}), shared by ${scan.served} lookup(s)`
			: `Kore Contacts: scanned stream ${state.streamId}: ${ids.length} contacts in ${pages.length} page(s), ${formatMs(Date.now() - started)}, shared by ${scan.served} lookup(s)`,
	);
}
