/**
 * A stateful fake of one Kore stream behind nock, for tests where the order of reads and writes matters:
 * Get All pages over the current contacts by offset (ACTIVE ones only, so a delete during a scan shifts
 * later pages, as Kore's undocumented listing may), PUT replaces a contact's fields, DELETE marks it
 * INACTIVE (404 for an unknown or already deleted id; bulk-delete answers per id), POST creates (409 when an active contact has the
 * number). `beforePage` and `beforeWrite` may hold a request back, to stage an interleaving.
 */
import type { IDataObject } from 'n8n-workflow';

import { contact, fakeKore, koreError } from './kore';
import type { SeenRequest } from './kore';

export interface FakeStream {
	contacts: IDataObject[];
	seen: SeenRequest[];
	/** Runs before a Get All page is answered (with the requested skip). */
	beforePage?: (skip: number) => Promise<void> | void;
	/** Runs before a PUT, DELETE or POST is applied. */
	beforeWrite?: (request: SeenRequest) => Promise<void> | void;
	byId(id: string): IDataObject | undefined;
	/** Requests by method, e.g. count('GET'). */
	count(method: string): number;
	/** Whether Get All lists deleted (INACTIVE) contacts too (Kore's docs do not say). */
	listInactive: boolean;
	/** Whether Get All's answer has `totalResults` (and `totalPages`), as Kore's sample does. */
	counted: boolean;
	/** Whether a create of a number an active contact has is refused (Kore's docs do not say). */
	refuseDuplicates: boolean;
	/** The `updatedAt` a PUT leaves; undefined drops the field (Kore's docs do not promise it). */
	updatedAt: () => string | undefined;
}

const e164 = (cellPhone: IDataObject) => {
	const number = String(cellPhone.phoneNumber ?? '');
	return number.startsWith('+') ? number : `${cellPhone.countryCode ?? ''}${number}`;
};

/** `count` generated contacts c0…c{count-1} with numbers +91 90000 00000 + i (plus `extra`). */
export function fakeStream(count: number, extra: IDataObject[] = []): FakeStream {
	let nextId = 0;
	const stream: FakeStream = {
		contacts: [
			...Array.from({ length: count }, (_, i) =>
				contact(`c${i}`, { firstName: `first${i}`, lastName: `last${i}`, cellPhone: { phoneNumber: `+91${9000000000 + i}`, countryCode: '+91', extension: '+' } }),
			),
			...extra,
		],
		seen: [],
		byId: (id) => stream.contacts.find((entry) => entry.id === id),
		count: (method) => stream.seen.filter((request) => request.method === method).length,
		listInactive: false,
		counted: true,
		refuseDuplicates: true,
		updatedAt: () => new Date().toISOString(),
	};
	const active = () => stream.contacts.filter((entry) => entry.status !== 'INACTIVE');
	const listed = () => (stream.listInactive ? stream.contacts : active());
	const seen = fakeKore((request) => handle(request) as never);
	stream.seen = seen;

	async function handle(request: SeenRequest): Promise<[number, unknown?]> {
		const id = request.path.split('/contacts')[1]?.split('/')[1];
		if (request.method === 'GET') {
			const skip = Number(request.query.get('skip') ?? 0);
			const limit = Number(request.query.get('limit') ?? 10);
			await stream.beforePage?.(skip);
			const all = listed();
			const results = all.slice(skip, skip + limit).map((entry) => structuredClone(entry));
			const counts = stream.counted ? { totalPages: Math.ceil(all.length / limit), totalResults: all.length } : {};
			return [200, { results, skip, limit, hasMore: skip + results.length < all.length, ...counts }];
		}
		await stream.beforeWrite?.(request);
		if (request.method === 'POST') {
			const created = [];
			for (const body of request.body as IDataObject[]) {
				const cellPhone = body.cellPhone as IDataObject;
				const phone = e164(cellPhone);
				if (stream.refuseDuplicates && active().some((entry) => e164(entry.cellPhone as IDataObject) === phone)) {
					return [409, koreError(`A contact with phone number ${phone} already exists`)];
				}
				const made = contact(`new${nextId++}`, { ...body, cellPhone: { ...cellPhone, phoneNumber: phone } });
				stream.contacts.push(made);
				created.push(structuredClone(made));
			}
			return [200, created];
		}
		if (request.method === 'DELETE' && id === 'bulk-delete') {
			const ids = (request.body as { ids: string[] }).ids;
			const successfulRecords = [];
			const failedRecords = [];
			for (const one of ids) {
				const hit = stream.contacts.find((entry) => entry.id === one && entry.status !== 'INACTIVE');
				if (hit) hit.status = 'INACTIVE';
				if (hit) successfulRecords.push({ id: one });
				else failedRecords.push({ id: one, error: 'Contact not found' });
			}
			return [200, { totalRequested: ids.length, successful: successfulRecords.length, failed: failedRecords.length, successfulRecords, failedRecords }];
		}
		const found = stream.contacts.find((entry) => entry.id === id && entry.status !== 'INACTIVE');
		if (!found) return [404, koreError('Contact not found')];
		if (request.method === 'DELETE') {
			found.status = 'INACTIVE';
			return [200, structuredClone(found)];
		}
		const body = request.body as IDataObject;
		const cellPhone = body.cellPhone as IDataObject;
		Object.assign(found, body, { cellPhone: { ...cellPhone, phoneNumber: e164(cellPhone) }, updatedAt: stream.updatedAt() });
		if (found.updatedAt === undefined) delete found.updatedAt;
		return [200, structuredClone(found)];
	}
	return stream;
}

/** A promise and the function that settles it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}
