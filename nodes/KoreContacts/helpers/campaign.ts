/**
 * Reading Kore's Campaign Management API for the Contact List and Campaign operations: contact lists found by
 * name or ID, and the paged reads (a list's members, campaigns, a campaign's per-contact outcomes). Every
 * request goes through the transport (pacing, retries, errors, the `{status, message, data}` wrapper).
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode } from 'n8n-workflow';

import type { KoreClient } from '../transport';
import type { CampaignType } from '../transport/campaign';

/** How many records one page asks for: the most Kore's outcome page accepts (its other pages document none). */
export const PAGE_SIZE = 100;

/** How an item names a contact list (the resource locator's modes): from the list or by ID, or by name. */
export interface ListLocator {
	mode: 'list' | 'id' | 'name';
	value: string;
}

/** A contact list as an operation needs it: its ID (paths), its name (the add call), how many members Kore counts. */
export interface ListRef {
	id: string;
	name: string;
	totalRecordCount?: number;
}

/** A record's ID: Kore's `_id`, or `id` (its list of SMS campaigns uses that). */
export function recordId(record: IDataObject): string {
	const id = record._id ?? record.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** The stream's contact lists: one request (Kore's page documents no paging). */
export async function readContactLists(client: KoreClient, streamId: string, itemIndex?: number): Promise<IDataObject[]> {
	const data = await client.request<unknown>({ campaign: { name: 'listContactLists' }, streamId, body: {}, itemIndex });
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/**
 * Finds contact lists by name and by ID for one execution: names are matched among the stream's lists, read
 * once per stream however many items name a list; the name of a list given by ID is read once per list.
 */
export class ListResolver {
	private readonly lists = new Map<string, Promise<IDataObject[]>>();

	private readonly byId = new Map<string, Promise<IDataObject>>();

	constructor(
		private readonly client: KoreClient,
		private readonly node: INode,
	) {}

	/** The list's ID, without a request when the item gives it. */
	async idOf(streamId: string, locator: ListLocator, itemIndex: number): Promise<string> {
		if (locator.mode !== 'name') return locator.value;
		return recordId(await this.named(streamId, locator.value, itemIndex));
	}

	/** The list's ID, name and count (one read of the stream's lists by name; one read of the list by ID). */
	async resolve(streamId: string, locator: ListLocator, itemIndex: number): Promise<ListRef> {
		const record =
			locator.mode === 'name'
				? await this.named(streamId, locator.value, itemIndex)
				: await this.cached(this.byId, `${streamId}\n${locator.value}`, () =>
						this.client.request<IDataObject>({ campaign: { name: 'getContactList', contactListId: locator.value }, streamId, itemIndex }),
					);
		const name = typeof record?.name === 'string' ? record.name : '';
		if (name === '') {
			throw new NodeOperationError(this.node, `Item ${itemIndex}: Kore's answer for contact list "${locator.value}" has no name`, { itemIndex });
		}
		const count = record.totalRecordCount;
		return { id: recordId(record) || locator.value, name, totalRecordCount: typeof count === 'number' ? count : undefined };
	}

	private async named(streamId: string, name: string, itemIndex: number): Promise<IDataObject> {
		const lists = await this.cached(this.lists, streamId, () => readContactLists(this.client, streamId, itemIndex));
		// Kore keeps a lower-cased name (`lname`) beside each list's name: names are matched without case.
		const wanted = name.trim().toLowerCase();
		const found = lists.filter((list) => typeof list.name === 'string' && list.name.trim().toLowerCase() === wanted);
		if (found.length === 1) return found[0];
		const message =
			found.length === 0
				? `Item ${itemIndex}: stream "${streamId}" has no contact list named "${name}" — nothing was sent for this item`
				: `Item ${itemIndex}: ${found.length} contact lists in stream "${streamId}" are named "${name}" (IDs ${found.map(recordId).join(', ')}) — nothing was sent for this item`;
		const names = lists.map((list) => `"${String(list.name)}"`).slice(0, 10);
		throw new NodeOperationError(this.node, message, {
			itemIndex,
			description:
				found.length === 0
					? `The stream's lists: ${names.join(', ') || 'none'}${lists.length > 10 ? ', …' : ''}. Pick the list "From List", or give its ID.`
					: 'Give the list by its ID instead.',
		});
	}

	private cached<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
		let promise = cache.get(key);
		if (!promise) {
			promise = read();
			cache.set(key, promise);
			// a failed read is not kept: the next item asks again
			promise.catch(() => cache.delete(key));
		}
		return promise;
	}
}

/** One page as the pager needs it: its records, and whether Kore says more follow. */
interface Page {
	results: IDataObject[];
	more: boolean;
}

/**
 * Reads pages (`read(0)`, `read(1)`, …) and hands each page's records to `onPage` until Kore says there are no
 * more, a page is empty, `onPage` returns false, or — for a server that ignores the paging — a page repeats the
 * one before.
 */
async function readPages(read: (index: number) => Promise<Page>, onPage: (records: IDataObject[]) => boolean | void): Promise<void> {
	let previous = '';
	for (let index = 0; ; index++) {
		const { results, more } = await read(index);
		const joined = JSON.stringify(results);
		if (results.length === 0 || joined === previous) return;
		previous = joined;
		if (onPage(results) === false || !more) return;
	}
}

function resultsOf(data: unknown): { data: IDataObject; results: IDataObject[] } {
	const record = (data && typeof data === 'object' ? data : {}) as IDataObject;
	return { data: record, results: Array.isArray(record.results) ? (record.results as IDataObject[]) : [] };
}

/** A list's members, page by page (`skip`/`limit`; Kore's answer says `hasMore` and `totalResults`). */
export async function readMembers(
	client: KoreClient,
	streamId: string,
	contactListId: string,
	onPage: (members: IDataObject[], totalResults: number | undefined) => boolean | void,
	itemIndex?: number,
): Promise<void> {
	let skip = 0;
	let total: number | undefined;
	await readPages(
		async () => {
			const answer = await client.request({ campaign: { name: 'listMembers', contactListId, skip, limit: PAGE_SIZE }, streamId, itemIndex });
			const { data, results } = resultsOf(answer);
			total = typeof data.totalResults === 'number' ? data.totalResults : undefined;
			skip += results.length;
			const more = typeof data.hasMore === 'boolean' ? data.hasMore : total !== undefined ? skip < total : results.length >= PAGE_SIZE;
			return { results, more };
		},
		(members) => onPage(members, total),
	);
}

/** Whether more pages follow: Kore's `hasMore` when it sends one, else its `totalPages`, else a full page. */
function morePages(data: IDataObject, pagesRead: number, results: IDataObject[]): boolean {
	if (typeof data.hasMore === 'boolean') return data.hasMore;
	if (typeof data.totalPages === 'number') return pagesRead < data.totalPages;
	return results.length >= PAGE_SIZE;
}

/** The stream's campaigns of one type, newest first, page by page; `statuses` filters them (Kore's filter). */
export async function readCampaigns(
	client: KoreClient,
	streamId: string,
	type: CampaignType,
	statuses: string[],
	onPage: (campaigns: IDataObject[]) => boolean | void,
	itemIndex?: number,
): Promise<void> {
	let skip = 0;
	await readPages(async (index) => {
		// Kore's page documents `skip` and `page` both: they are sent in step (a server that clamps `limit` is followed by `skip`).
		const body: IDataObject = { type, skip, page: index + 1, limit: PAGE_SIZE, sortBy: { createdAt: 'desc' } };
		if (statuses.length > 0) body.filters = { status: statuses };
		const { data, results } = resultsOf(await client.request({ campaign: { name: 'listCampaigns' }, streamId, body, itemIndex }));
		skip += results.length;
		return { results, more: morePages(data, index + 1, results) };
	}, onPage);
}

/** A campaign's per-contact outcomes, page by page (`page` from 1, `limit` at most 100, as Kore's page says). */
export async function readOutcomes(
	client: KoreClient,
	streamId: string,
	campaignId: string,
	onPage: (outcomes: IDataObject[]) => boolean | void,
	itemIndex?: number,
): Promise<void> {
	await readPages(async (index) => {
		const body = { page: index + 1, limit: PAGE_SIZE };
		const { data, results } = resultsOf(await client.request({ campaign: { name: 'campaignOutcomes', campaignId }, streamId, body, itemIndex }));
		return { results, more: morePages(data, index + 1, results) };
	}, onPage);
}

/** Up to `limit` records (all when undefined) of a paged read. */
export async function collect(
	read: (onPage: (records: IDataObject[]) => boolean | void) => Promise<void>,
	limit: number | undefined,
	keep: (record: IDataObject) => boolean = () => true,
): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	await read((records) => {
		for (const record of records) {
			if (!keep(record)) continue;
			found.push(record);
			if (limit !== undefined && found.length >= limit) return false;
		}
		return true;
	});
	return found;
}

/**
 * A list member's number as the node compares numbers: its digits, without `+` or an international `00`
 * (Kore shows members as `91…`, country code first, without `+`).
 */
export function memberKey(phoneNumber: unknown): string | undefined {
	if (typeof phoneNumber !== 'string' && typeof phoneNumber !== 'number') return undefined;
	const digits = String(phoneNumber).trim().replace(/^00/, '').replace(/\D/g, '');
	return digits === '' ? undefined : digits;
}
