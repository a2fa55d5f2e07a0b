'use strict';

/**
 * Seed data: `demoSeed()` (the demo account and its contacts, for `npm start`, the e2e suite and the benchmark) and
 * `seedContacts`, which puts seed contacts into the store (at start, on reset(), and by addContacts()).
 */

const { validateContactInput, normalizeCountryCode } = require('./validation');
const { actorOf } = require('./auth');
const { demoCampaignSeed } = require('./campaigns');

/**
 * @typedef {import('./index').SeedContact} SeedContact
 * @typedef {import('./index').AccountOption} AccountOption
 * @typedef {import('./auth').App} App
 * @typedef {import('./store').Store} Store
 * @typedef {import('./store').Contact} Contact
 */

const DEMO = {
	accountId: '65f7d49a5dd06e2cefa4c1d2',
	clientId: 'cs-5f1d7c3a-8e2b-5d4f-9a61-3c7e2b9d0a14',
	clientSecret: 'local-demo-secret-not-a-real-kore-secret',
	streamId: 'st-demo7dc9-4436-5134-9fa8-a942625a1b2c',
};

/**
 * Demo data for `npm start`, the end-to-end suite and the benchmark: one account / JWT app / stream and a handful
 * of realistic contacts (or `count` generated ones). Pass the result straight to `startKoreServer`.
 * @param {{ count?: number, accountId?: string, clientId?: string, clientSecret?: string, streamId?: string,
 *   enforceJti?: boolean }} [opts]
 */
function demoSeed(opts = {}) {
	const accountId = opts.accountId || DEMO.accountId;
	const clientId = opts.clientId || DEMO.clientId;
	const clientSecret = opts.clientSecret || DEMO.clientSecret;
	const streamId = opts.streamId || DEMO.streamId;
	/** @type {SeedContact[]} */
	let contacts;
	if (opts.count !== undefined) {
		const first = ['Ava', 'Liam', 'Maya', 'Noah', 'Priya', 'Arjun', 'Sofia', 'Kenji', 'Amara', 'Lucas'];
		const last = ['Patel', 'Smith', 'Garcia', 'Chen', 'Okafor', 'Müller', 'Rossi', 'Kim', 'Singh', 'Brown'];
		contacts = [];
		for (let i = 0; i < opts.count; i++) {
			contacts.push({
				streamId,
				firstName: first[i % first.length],
				lastName: `${last[Math.floor(i / first.length) % last.length]}`,
				salutation: i % 2 ? 'Mr' : 'Ms',
				cellPhone: { phoneNumber: String(2000000000 + i), countryCode: '+1', extension: '+' },
			});
		}
	} else {
		/** @type {[string, string, string, string, string][]} */
		const rows = [
			['Mr', 'John', 'Doe', '+91', '9876543210'],
			['Mrs', 'Jane', 'Doe', '+91', '9123456780'],
			['Ms', 'Emily', 'Clarke', '+44', '7700900123'],
			['Mr', 'Carlos', 'Mendes', '+1', '2025550143'],
			['Dr', 'Aiko', 'Tanaka', '+81', '9012345678'],
			['Ms', 'Olivia', 'Brown', '+61', '491570156'],
		];
		contacts = rows.map(([salutation, firstName, lastName, countryCode, phoneNumber]) => ({
			streamId,
			firstName,
			lastName,
			salutation,
			cellPhone: { phoneNumber, countryCode, extension: '+' },
		}));
	}
	return {
		accountId,
		clientId,
		clientSecret,
		streamId,
		/** @type {AccountOption[]} */
		accounts: [{ accountId, clientId, clientSecret, streams: [streamId], enforceJti: Boolean(opts.enforceJti) }],
		contacts,
		campaign: demoCampaignSeed(streamId),
	};
}

/**
 * The app a seed contact belongs to: the app of its account that may use its stream, else any app of its account,
 * else the app whose `streams` lists its stream, else the first.
 * @param {Map<string, App>} apps
 * @param {{ streamId: string, accountId?: string }} c
 * @returns {App}
 */
function ownerOf(apps, c) {
	const all = [...apps.values()];
	return (
		all.find((a) => c.accountId !== undefined && a.accountId === c.accountId && (!a.streams || a.streams.has(c.streamId))) ||
		all.find((a) => c.accountId !== undefined && a.accountId === c.accountId) ||
		all.find((a) => a.streams && a.streams.has(c.streamId)) ||
		all[0]
	);
}

/**
 * A seed contact as Create input: a phoneNumber already prefixed with its country code loses the prefix. An
 * `asStored` contact is taken as it is, without validation.
 * @param {SeedContact} c
 * @param {number} i
 * @returns {import('./store').ContactInput}
 */
function seedInput(c, i) {
	const input = { ...c, cellPhone: c.cellPhone ? { ...c.cellPhone } : c.cellPhone };
	const cc = input.cellPhone && normalizeCountryCode(input.cellPhone.countryCode);
	if (cc && typeof input.cellPhone.phoneNumber === 'string' && input.cellPhone.phoneNumber.startsWith(cc)) {
		input.cellPhone.phoneNumber = input.cellPhone.phoneNumber.slice(cc.length);
	}
	if (c.asStored) {
		const cp = input.cellPhone || {};
		return {
			firstName: c.firstName,
			lastName: c.lastName,
			salutation: c.salutation,
			fullName: c.fullName,
			cellPhone: { digits: cp.phoneNumber, countryCode: cp.countryCode, extension: cp.extension },
		};
	}
	const v = validateContactInput(input, 'create', { requireAllFields: false });
	if (!v.ok) throw new Error(`contacts[${i}]: ${v.error.msg}`);
	return v.value;
}

/**
 * Puts seed contacts into the store, all of a stream or none: a bad field or a number an ACTIVE contact of the
 * stream already has throws (`asStored` contacts are not checked, but their ids must be new).
 * @param {Store} store
 * @param {Map<string, App>} apps
 * @param {SeedContact[]} seed
 * @returns {Contact[]} the contacts added, in seed order
 */
function seedContacts(store, apps, seed) {
	/** @type {Map<string, Contact[]>} */
	const byStream = new Map();
	/** @type {Set<Contact>} */
	const asStored = new Set();
	/** @type {Contact[]} */
	const added = [];
	seed.forEach((c, i) => {
		if (!c || typeof c.streamId !== 'string' || c.streamId === '') throw new Error(`contacts[${i}]: streamId is required`);
		const input = seedInput(c, i);
		const contact = store.stream(c.streamId).build(input, actorOf(ownerOf(apps, c)), {
			id: c.id,
			status: c.status,
			createdAt: c.createdAt,
			updatedAt: c.updatedAt,
		});
		if (c.accountId) contact.accountId = c.accountId;
		if (c.asStored) asStored.add(contact);
		const list = byStream.get(c.streamId) || [];
		list.push(contact);
		byStream.set(c.streamId, list);
		added.push(contact);
	});
	for (const [streamId, list] of byStream) {
		const r = store.stream(streamId).insertAll(list, asStored);
		if (!r.ok) throw new Error(`contacts (stream ${streamId}): ${r.error.msg}`);
	}
	return added;
}

module.exports = { demoSeed, seedContacts, ownerOf };
