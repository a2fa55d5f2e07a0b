import type { IDataObject } from 'n8n-workflow';

import type { KoreClient } from './index';

/** How many times in a row a list read steps back to close a gap before it goes on regardless. */
const MAX_STEPS_BACK = 4;

/** See `KoreClient.listContacts`: the paged read of a stream, mending the pages a delete shifts under it. */
export async function listPages<S = undefined>(
	client: Pick<KoreClient, 'request'>,
	streamId: string,
	onPage: (contacts: IDataObject[], sent: S) => boolean | void,
	{ pageSize = 100, itemIndex, detached, onSend }: { pageSize?: number; itemIndex?: number; detached?: boolean; onSend?: () => Promise<S> } = {},
): Promise<void> {
	/** Contacts of the pages taken: a page that may follow a gap must meet one of them. */
	const seen = new Set<string>();
	let skip = 0;
	let previousIds = '';
	/** Where the next page starts, and Kore's count, as the list stood when the last page was taken. */
	let end = 0;
	let takenCount: number | undefined;
	/** Kore's count in the latest answer. */
	let lastCount: number | undefined;
	/** Steps back in a row. */
	let steps = 0;
	for (;;) {
		let sent = undefined as S;
		const page = await client.request<IDataObject>({
			method: 'GET',
			streamId,
			qs: { skip, limit: pageSize },
			itemIndex,
			detached,
			beforeSend: onSend && (async () => void (sent = await onSend())),
		});
		const results = Array.isArray(page?.results) ? (page.results as IDataObject[]) : [];
		const ids = results.map((contact) => String(contact.id));
		const joined = ids.join('\n');
		// a server that ignores skip answers a step forward with the same page (a step back may, rightly)
		if (steps === 0 && ids.length > 0 && joined === previousIds) return;
		previousIds = joined;
		const count = typeof page?.totalResults === 'number' ? page.totalResults : undefined;
		const drop = count === undefined || lastCount === undefined ? 0 : lastCount - count;
		lastCount = count;
		// Counted pages do not overlap, so only a drop (or a step back) says this one must meet a contact read.
		const gap = skip > 0 && !ids.some((id) => seen.has(id)) && (count === undefined || steps > 0 || drop > 0);
		if (gap && steps < MAX_STEPS_BACK) {
			// Read again from before the contacts lost since the last page taken, plus as many again as were
			// lost during this request (they may go on being deleted); with no count, 3, 15, 63… further back.
			steps++;
			const back = count === undefined || takenCount === undefined ? 4 ** steps - 1 : Math.max(takenCount - count + Math.max(0, drop), 2 ** steps - 1);
			skip = Math.max(0, end - 1 - back);
			continue;
		}
		const fresh = results.filter((_, i) => !seen.has(ids[i]));
		for (const id of ids) seen.add(id);
		if (fresh.length > 0 && onPage(fresh, sent) === false) return;
		if (results.length === 0 || page.hasMore === false) return;
		steps = 0;
		end = skip + results.length;
		takenCount = count;
		skip = count === undefined ? end - 1 : end;
	}
}
