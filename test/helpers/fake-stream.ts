/**
 * One stream ("st-1") of the fake Kore (kore.ts), for tests where the order of reads and writes matters. Kore's
 * rules are the local server's: Get All pages by offset over the ACTIVE contacts in creation order (so a delete
 * during a scan shifts later pages), Update changes the fields given, Delete makes a contact INACTIVE (404 for an
 * unknown or already deleted id; Delete Bulk answers per id), Create refuses a number an ACTIVE contact has
 * (409). `beforePage` and `beforeWrite` may hold a request back, to stage an interleaving; `update`, `remove`
 * and `add` change contacts as another system would.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ChangeableOptions, ContactChange, FaultAction, KoreContact, KoreServer, SeedContact } from '../../scripts/kore-server';
import { contact, freshKore, seenRequest } from './kore';
import type { SeenRequest } from './kore';

export const STREAM = 'st-1';

export interface FakeStream {
	server: KoreServer;
	/** Every request, in arrival order. */
	seen: SeenRequest[];
	/** The stream's contacts as Kore holds them now (INACTIVE ones included), in creation order. */
	readonly contacts: KoreContact[];
	byId(id: string): KoreContact | undefined;
	/** Requests by method, e.g. count('GET'). */
	count(method: string): number;
	/** Runs before a Get All page is answered (with the requested skip). */
	beforePage?: (skip: number) => Promise<void> | void;
	/** Runs before a POST, PUT or DELETE is applied; an action it returns is the answer instead (e.g. `{ status: 412 }`). */
	beforeWrite?: (request: SeenRequest) => FaultAction | void | Promise<FaultAction | void>;
	/** Another system changes a contact's fields (phone number as digits), as Update does. */
	update(id: string, fields: ContactChange): KoreContact;
	/** Another system deletes a contact: it becomes INACTIVE and its number is free. */
	remove(id: string): KoreContact;
	/** Another system creates contacts (Kore-shaped, e.g. from `contact()`). */
	add(...contacts: IDataObject[]): void;
}

/**
 * `count` generated contacts c0…c{count-1} with numbers +91 90000 00000 + i, then `extra` (contacts marked
 * `asStored: true` skip Kore's checks, for data its API would refuse), on a fresh fake Kore with `options`.
 */
export function fakeStream(count: number, extra: IDataObject[] = [], options: ChangeableOptions = {}): FakeStream {
	const server = freshKore();
	server.setOptions(options);
	const stream: FakeStream = {
		server,
		seen: [],
		get contacts() {
			return server.contacts(STREAM);
		},
		byId: (id) => server.contacts(STREAM).find((entry) => entry.id === id),
		count: (method) => stream.seen.filter((request) => request.method === method).length,
		update: (id, fields) => server.updateContact(STREAM, id, fields),
		remove: (id) => server.deleteContact(STREAM, id),
		add: (...contacts) => void server.addContacts(contacts.map((entry) => ({ ...entry, streamId: STREAM }) as unknown as SeedContact)),
	};
	stream.add(
		...Array.from({ length: count }, (_, i) =>
			contact(`c${i}`, { firstName: `first${i}`, lastName: `last${i}`, cellPhone: { phoneNumber: `+91${9000000000 + i}`, countryCode: '+91', extension: '+' } }),
		),
		...extra,
	);
	server.intercept(async (hooked) => {
		const request = seenRequest(hooked);
		stream.seen.push(request);
		if (hooked.route.kind === 'list') await stream.beforePage?.(Number(request.query.get('skip') ?? 0));
		else if (request.method !== 'GET') return (await stream.beforeWrite?.(request)) ?? undefined;
		return undefined;
	});
	return stream;
}

/** A promise and the function that settles it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}
