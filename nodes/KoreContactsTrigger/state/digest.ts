import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { isActive } from '../../KoreContacts/lookup';

/**
 * The compact per-contact record the trigger keeps between polls: the contact's id, a 16-bit hash of each
 * tracked field (which fields changed, without keeping their values) and a few flags. A Kore id (24 hex
 * digits) packs into 12 bytes, so a record is 36 characters (27 bytes in base64url): 16 for the id, 20 for
 * the flags and the 7 field hashes. Records are kept in one string, separated by a space: 37 bytes per
 * contact in n8n's static data. An id that is not 24 hex digits is kept as it is, percent-encoded.
 */

/** The contact fields whose changes the trigger tells apart (Kore's names, in record order). */
export const TRACKED_FIELDS = ['firstName', 'lastName', 'fullName', 'salutation', 'cellPhone', 'address', 'twitterDetails'] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

/** Kore listed the contact INACTIVE (deleted). */
export const INACTIVE = 1;
/** Its newest stamp (createdAt / updatedAt) is the watermark instant: it was seen at that instant. */
export const AT_MARK = 2;
/** The last complete read did not list it: a second read that does not list it reports it deleted. */
export const MISSING = 4;

export interface Entry {
	id: string;
	flags: number;
	/** One 16-bit hash per TRACKED_FIELDS entry. */
	hashes: number[];
}

export const SEPARATOR = ' ';
const HEX_ID = /^[0-9a-f]{24}$/;
/** Marks an id kept as it is (not 24 hex digits). */
const RAW_ID = '~';
const DIGEST_BYTES = 1 + 2 * TRACKED_FIELDS.length;
/** base64url length of DIGEST_BYTES (15 bytes: no padding). */
const DIGEST_CHARS = 20;

/** JSON with object keys sorted, so that the same value always hashes the same. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const object = value as IDataObject;
		return `{${Object.keys(object)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'undefined';
}

function hash16(text: string): number {
	return createHash('sha1').update(text).digest().readUInt16BE(0);
}

/** The record of a contact as Kore lists it now (flags: INACTIVE only). */
export function entryOf(contact: IDataObject): Entry {
	return {
		id: String(contact.id),
		flags: isActive(contact) ? 0 : INACTIVE,
		hashes: TRACKED_FIELDS.map((field) => hash16(canonical(contact[field]))),
	};
}

/** The tracked fields whose hashes differ. */
export function changedFields(before: Entry, after: Entry): TrackedField[] {
	return TRACKED_FIELDS.filter((_, i) => before.hashes[i] !== after.hashes[i]);
}

export function encode(entry: Entry): string {
	const digest = Buffer.alloc(DIGEST_BYTES);
	digest[0] = entry.flags;
	entry.hashes.forEach((hash, i) => digest.writeUInt16BE(hash, 1 + 2 * i));
	const id = HEX_ID.test(entry.id) ? Buffer.from(entry.id, 'hex').toString('base64url') : RAW_ID + encodeURIComponent(entry.id);
	return id + digest.toString('base64url');
}

export function decode(record: string): Entry {
	const idPart = record.slice(0, -DIGEST_CHARS);
	const digest = Buffer.from(record.slice(-DIGEST_CHARS), 'base64url');
	if (idPart === '' || digest.length !== DIGEST_BYTES) throw new Error(`not a contact record: "${record}"`);
	return {
		id: idPart.startsWith(RAW_ID) ? decodeURIComponent(idPart.slice(1)) : Buffer.from(idPart, 'base64url').toString('hex'),
		flags: digest[0],
		hashes: TRACKED_FIELDS.map((_, i) => digest.readUInt16BE(1 + 2 * i)),
	};
}

/** Every record, as one string. */
export function encodeAll(entries: Iterable<Entry>): string {
	return [...entries].map(encode).join(SEPARATOR);
}

/** The records of `encodeAll`, by id. */
export function decodeAll(text: string): Map<string, Entry> {
	const entries = new Map<string, Entry>();
	for (const record of text.split(SEPARATOR)) {
		if (record === '') continue;
		const entry = decode(record);
		entries.set(entry.id, entry);
	}
	return entries;
}
