'use strict';

/**
 * In-memory contact store for the local Kore-compatible Contacts server.
 *
 * One `Stream` per streamId, each indexed by id (Map, insertion order = creation order) and by the stored phone
 * number of its ACTIVE contacts, so every lookup the endpoints need is O(1).
 */

const crypto = require('node:crypto');

/**
 * @typedef {{ extension: string, phoneNumber: string, countryCode: string }} CellPhone
 *
 * @typedef {object} Contact  Stored contact (the response shape is produced by `render`).
 * @property {string} id
 * @property {string} firstName
 * @property {string} lastName
 * @property {string} fullName
 * @property {string} salutation
 * @property {CellPhone} cellPhone   phoneNumber is stored as countryCode + digits, e.g. "+9198765xxxxx"
 * @property {'ACTIVE'|'INACTIVE'} status
 * @property {string} instanceBotId
 * @property {string} orgId
 * @property {string} accountId
 * @property {string} createdBy
 * @property {string} createdByAId
 * @property {object[]} address
 * @property {object[]} twitterDetails
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string} [updatedBy]
 * @property {string} [updatedByAId]
 * @property {string} digits   internal: the national number as sent (not rendered)
 *
 * @typedef {{ accountId: string, orgId: string, userId: string, aId: string }} Actor
 *   who performs a change: the account, its org, the user and the JWT application ids stamped on contacts
 *
 * @typedef {{ kind: 'validation'|'duplicate'|'notFound', msg: string, property?: string }} ItemError
 *
 * @typedef {object} ContactInput  validated, normalized Create/Update input
 * @property {string} [firstName]
 * @property {string} [lastName]
 * @property {string} [salutation]
 * @property {string} [fullName]
 * @property {{ digits?: string, countryCode?: string, extension?: string }} [cellPhone]
 */

// ---------------------------------------------------------------------------------------------- ids

let idCounter = crypto.randomInt(0, 0xffffff);
const processRandom = crypto.randomBytes(5).toString('hex');

/**
 * A 24-hex-character id shaped like Kore's (a MongoDB ObjectId: 4-byte seconds, 5 random bytes, 3-byte counter).
 * @returns {string}
 */
function newId() {
	idCounter = (idCounter + 1) % 0x1000000;
	const seconds = Math.floor(Date.now() / 1000)
		.toString(16)
		.padStart(8, '0');
	return seconds + processRandom + idCounter.toString(16).padStart(6, '0');
}

/**
 * A stable, uuid-shaped id derived from a seed string, with a Kore-style prefix ("u-", "o-", "a-").
 * @param {string} prefix
 * @param {string} seed
 * @returns {string}
 */
function derivedId(prefix, seed) {
	const h = crypto.createHash('sha256').update(seed).digest('hex');
	return `${prefix}-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------- store

/**
 * A copy of a contact in Kore's response field order. (Hand-written instead of structuredClone: much faster.)
 * @param {Contact} c
 * @returns {Record<string, unknown>}
 */
function render(c) {
	/** @type {Record<string, unknown>} */
	const out = {
		firstName: c.firstName,
		lastName: c.lastName,
		fullName: c.fullName,
		salutation: c.salutation,
		cellPhone: {
			extension: c.cellPhone.extension,
			phoneNumber: c.cellPhone.phoneNumber,
			countryCode: c.cellPhone.countryCode,
		},
		status: c.status,
		instanceBotId: c.instanceBotId,
		orgId: c.orgId,
		accountId: c.accountId,
		createdBy: c.createdBy,
		createdByAId: c.createdByAId,
		address: c.address.map((a) => ({ ...a })),
		twitterDetails: c.twitterDetails.map((t) => ({ ...t })),
		createdAt: c.createdAt,
		updatedAt: c.updatedAt,
	};
	if (c.updatedBy !== undefined) out.updatedBy = c.updatedBy;
	if (c.updatedByAId !== undefined) out.updatedByAId = c.updatedByAId;
	out.id = c.id;
	return out;
}

/**
 * @param {string} first
 * @param {string} last
 */
function deriveFullName(first, last) {
	return `${first} ${last}`.trim();
}

class Stream {
	/** @param {string} streamId */
	constructor(streamId) {
		this.streamId = streamId;
		/** @type {Map<string, Contact>} */
		this.byId = new Map();
		/** @type {Map<string, string>} stored phone number → id, ACTIVE contacts only */
		this.byPhone = new Map();
		this.activeCount = 0;
		/** @type {{ active: Contact[]|null, all: Contact[]|null }} creation-ordered lists for paging, rebuilt lazily */
		this.listCache = { active: null, all: null };
	}

	/** Drops the paging lists after any change of membership or status. */
	changed() {
		this.listCache.active = null;
		this.listCache.all = null;
	}

	/**
	 * Looks a contact up for Update / Delete.
	 * @param {string} id
	 * @param {boolean} inactiveIsFound
	 * @returns {Contact|undefined}
	 */
	find(id, inactiveIsFound) {
		const c = this.byId.get(id);
		if (!c) return undefined;
		if (c.status !== 'ACTIVE' && !inactiveIsFound) return undefined;
		return c;
	}

	/**
	 * Builds (does not insert) a new contact from validated input.
	 * @param {ContactInput} v
	 * @param {Actor} actor
	 * @param {{ id?: string, status?: 'ACTIVE'|'INACTIVE', createdAt?: string, updatedAt?: string }} [extra]
	 * @returns {Contact}
	 */
	build(v, actor, extra = {}) {
		const now = new Date().toISOString();
		const firstName = v.firstName || '';
		const lastName = v.lastName || '';
		const cp = v.cellPhone || {};
		const countryCode = cp.countryCode || '';
		return {
			id: extra.id || newId(),
			firstName,
			lastName,
			fullName: v.fullName !== undefined ? v.fullName : deriveFullName(firstName, lastName),
			salutation: v.salutation || '',
			cellPhone: {
				extension: cp.extension !== undefined ? cp.extension : '',
				phoneNumber: countryCode + (cp.digits || ''),
				countryCode,
			},
			status: extra.status || 'ACTIVE',
			instanceBotId: this.streamId,
			orgId: actor.orgId,
			accountId: actor.accountId,
			createdBy: actor.userId,
			createdByAId: actor.aId,
			address: [],
			twitterDetails: [],
			createdAt: extra.createdAt || now,
			updatedAt: extra.updatedAt || extra.createdAt || now,
			digits: cp.digits || '',
		};
	}

	/**
	 * Inserts new contacts all-or-nothing: a phone number already held by an ACTIVE contact, or repeated inside the
	 * batch, rejects the whole batch. Contacts in `asStored` (seed data Kore may hold but its API would refuse) are
	 * not checked against the other numbers; their ids must still be new.
	 * @param {Contact[]} contacts
	 * @param {Set<Contact>} [asStored]
	 * @returns {{ ok: true, contacts: Contact[] } | { ok: false, error: ItemError }}
	 */
	insertAll(contacts, asStored) {
		const seen = new Set();
		for (const c of contacts) {
			if (this.byId.has(c.id)) return { ok: false, error: { kind: 'duplicate', msg: `Contact id ${c.id} already exists` } };
			if (c.status !== 'ACTIVE') continue;
			const p = c.cellPhone.phoneNumber;
			if (!asStored?.has(c) && (this.byPhone.has(p) || seen.has(p))) {
				return { ok: false, error: duplicatePhone(p) };
			}
			seen.add(p);
		}
		this.changed();
		for (const c of contacts) {
			this.byId.set(c.id, c);
			if (c.status === 'ACTIVE') {
				if (!this.byPhone.has(c.cellPhone.phoneNumber)) this.byPhone.set(c.cellPhone.phoneNumber, c.id);
				this.activeCount++;
			}
		}
		return { ok: true, contacts };
	}

	/**
	 * Applies a validated update to an existing contact (in place) or reports a phone conflict.
	 * @param {Contact} c
	 * @param {ContactInput} v
	 * @param {Actor} actor
	 * @returns {ItemError|null}
	 */
	update(c, v, actor) {
		const cp = v.cellPhone || {};
		const countryCode = cp.countryCode !== undefined ? cp.countryCode : c.cellPhone.countryCode;
		const digits = cp.digits !== undefined ? cp.digits : c.digits;
		const phone = countryCode + digits;
		if (c.status === 'ACTIVE' && phone !== c.cellPhone.phoneNumber) {
			const holder = this.byPhone.get(phone);
			if (holder !== undefined && holder !== c.id) return duplicatePhone(phone);
		}
		if (c.status === 'ACTIVE' && phone !== c.cellPhone.phoneNumber) {
			this.byPhone.delete(c.cellPhone.phoneNumber);
			this.byPhone.set(phone, c.id);
		}
		const nameChanged = v.firstName !== undefined || v.lastName !== undefined;
		if (v.firstName !== undefined) c.firstName = v.firstName;
		if (v.lastName !== undefined) c.lastName = v.lastName;
		if (v.salutation !== undefined) c.salutation = v.salutation;
		if (v.fullName !== undefined) c.fullName = v.fullName;
		else if (nameChanged) c.fullName = deriveFullName(c.firstName, c.lastName);
		c.digits = digits;
		c.cellPhone = {
			extension: cp.extension !== undefined ? cp.extension : c.cellPhone.extension,
			phoneNumber: phone,
			countryCode,
		};
		c.updatedAt = new Date().toISOString();
		c.updatedBy = actor.userId;
		c.updatedByAId = actor.aId;
		return null;
	}

	/**
	 * Soft delete: status INACTIVE, updatedAt bumped, the phone number is released. Deleting an INACTIVE contact
	 * (possible only with inactiveIds 'ok') changes nothing.
	 * @param {Contact} c
	 */
	softDelete(c) {
		if (c.status !== 'ACTIVE') return;
		c.status = 'INACTIVE';
		this.changed();
		c.updatedAt = new Date().toISOString();
		if (this.byPhone.get(c.cellPhone.phoneNumber) === c.id) this.byPhone.delete(c.cellPhone.phoneNumber);
		this.activeCount--;
	}

	/**
	 * One page for Get All, in creation order.
	 * @param {number} skip
	 * @param {number} limit
	 * @param {boolean} includeInactive
	 * @returns {{ results: Contact[], total: number }}
	 */
	page(skip, limit, includeInactive) {
		const key = includeInactive ? 'all' : 'active';
		let list = this.listCache[key];
		if (!list) {
			list = [...this.byId.values()];
			if (!includeInactive) list = list.filter((c) => c.status === 'ACTIVE');
			this.listCache[key] = list;
		}
		return { results: list.slice(skip, skip + limit), total: list.length };
	}
}

/**
 * @param {string} phone
 * @returns {ItemError}
 */
function duplicatePhone(phone) {
	return { kind: 'duplicate', msg: `A contact with phone number ${phone} already exists`, property: 'cellPhone.phoneNumber' };
}

class Store {
	constructor() {
		/** @type {Map<string, Stream>} */
		this.streams = new Map();
	}

	/**
	 * @param {string} streamId
	 * @returns {Stream}
	 */
	stream(streamId) {
		let s = this.streams.get(streamId);
		if (!s) {
			s = new Stream(streamId);
			this.streams.set(streamId, s);
		}
		return s;
	}

	clear() {
		this.streams.clear();
	}
}

module.exports = {
	Store,
	Stream,
	newId,
	derivedId,
	render,
};
