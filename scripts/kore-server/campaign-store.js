'use strict';

/**
 * In-memory state of the local server's Campaign Management API: contact lists (with their members), voice and SMS
 * campaigns (with per-contact outcomes), and the asynchronous adds that fill lists after a delay. The HTTP side is
 * campaigns.js and endpoints/; docs/campaigns.md lists what Kore's pages leave open and what this server chose.
 */

const crypto = require('node:crypto');

/**
 * @typedef {{ _id: string, phoneNumber: string, createdAt: string, updatedAt: string }} Member
 * @typedef {object} ContactList
 * @property {string} _id
 * @property {string} name
 * @property {string} description
 * @property {boolean} allowDuplicates
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {Member[]} members
 * @typedef {object} Outcome
 * @property {string} phoneNumber
 * @property {string} [dialerOutcome]
 * @property {number} [numberOfAttemptsSoFar]
 * @property {string[]} [agentDispositionCodes]
 * @property {string} [botOutboundStatus]
 * @typedef {object} Campaign
 * @property {string} _id
 * @property {string} name
 * @property {'voice'|'sms'} type
 * @property {string} status
 * @property {string[]} contactLists   list NAMES, as Kore's campaign records carry them
 * @property {string} [campaignInstanceId]
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {Outcome[]} outcomes
 * @typedef {{ streamId: string, _id?: string, name: string, description?: string, allowDuplicates?: boolean, members?: string[] }} SeedList
 * @typedef {{ streamId: string, _id?: string, name: string, type?: 'voice'|'sms', status?: string, contactLists?: string[], outcomes?: Outcome[] }} SeedCampaign
 * @typedef {{ contactLists?: SeedList[], campaigns?: SeedCampaign[] }} CampaignSeed
 */

/** An id shaped like Kore's campaign ids: a prefix and a uuid (`cl-…`, `cc-…`, `cd-…`, `cid-…`). */
const newId = (prefix) => `${prefix}-${crypto.randomUUID()}`;

/** A number as the list compares it: digits only (Kore shows members as `91…`, without `+`). */
const digitsOf = (phone) => String(phone).replace(/\D/g, '');

/** What the server accepts as a phone number in an add: digits, optionally with a leading `+`, 6 to 15 digits. */
const PHONE = /^\+?\d{6,15}$/;

const MAPPING = { firstName: 'firstName', lastName: 'lastName', phoneNumber: 'phoneNumber', timeZone: 'timeZone', uniqueId: 'uniqueId', contactPriority: 'contactPriority' };

class CampaignStore {
	/** @param {{ addDelayMs?: number }} [options] */
	constructor(options = {}) {
		this.addDelayMs = options.addDelayMs ?? 1000;
		/** @type {Map<string, Map<string, ContactList>>} */
		this.lists = new Map();
		/** @type {Map<string, Map<string, Campaign>>} */
		this.campaigns = new Map();
		/** @type {Set<NodeJS.Timeout>} */
		this.pending = new Set();
		/** Numbers an add dropped because they were not phone numbers: Kore's add is asynchronous and cannot say so. */
		/** @type {{ streamId: string, list: string, phoneNumber: unknown }[]} */
		this.rejected = [];
	}

	/** Forgets everything, including adds still waiting for their delay. */
	clear() {
		for (const timer of this.pending) clearTimeout(timer);
		this.pending.clear();
		this.lists.clear();
		this.campaigns.clear();
		this.rejected = [];
	}

	/** @param {CampaignSeed} seed */
	seed(seed = {}) {
		for (const [i, l] of (seed.contactLists || []).entries()) {
			if (!l || typeof l.streamId !== 'string' || typeof l.name !== 'string') throw new Error(`contactLists[${i}]: streamId and name are required`);
			const list = this.createList(l.streamId, { name: l.name, description: l.description ?? l.name, allowDuplicates: Boolean(l.allowDuplicates) }, l._id);
			this.append(list, l.members || []);
		}
		for (const [i, c] of (seed.campaigns || []).entries()) {
			if (!c || typeof c.streamId !== 'string' || typeof c.name !== 'string') throw new Error(`campaigns[${i}]: streamId and name are required`);
			const now = new Date().toISOString();
			const campaign = {
				_id: c._id || newId('cd'),
				name: c.name,
				type: c.type === 'sms' ? 'sms' : 'voice',
				status: c.status || 'Ready',
				contactLists: [...(c.contactLists || [])],
				createdAt: now,
				updatedAt: now,
				outcomes: (c.outcomes || []).map((o) => ({ ...o })),
			};
			this.streamCampaigns(c.streamId).set(campaign._id, /** @type {Campaign} */ (campaign));
		}
	}

	/** @param {string} streamId */
	streamLists(streamId) {
		if (!this.lists.has(streamId)) this.lists.set(streamId, new Map());
		return /** @type {Map<string, ContactList>} */ (this.lists.get(streamId));
	}

	/** @param {string} streamId */
	streamCampaigns(streamId) {
		if (!this.campaigns.has(streamId)) this.campaigns.set(streamId, new Map());
		return /** @type {Map<string, Campaign>} */ (this.campaigns.get(streamId));
	}

	/**
	 * The list named `name` (names are compared case-insensitively, as Kore keeps `lname`).
	 * @param {string} streamId
	 * @param {string} name
	 */
	listByName(streamId, name) {
		const wanted = name.trim().toLowerCase();
		return [...this.streamLists(streamId).values()].find((l) => l.name.toLowerCase() === wanted);
	}

	/**
	 * @param {string} streamId
	 * @param {{ name: string, description: string, allowDuplicates: boolean }} fields
	 * @param {string} [id]
	 */
	createList(streamId, fields, id) {
		const now = new Date().toISOString();
		/** @type {ContactList} */
		const list = { _id: id || newId('cl'), ...fields, createdAt: now, updatedAt: now, members: [] };
		this.streamLists(streamId).set(list._id, list);
		return list;
	}

	/**
	 * Adds numbers to a list now: a number already in a list without duplicates is not added again.
	 * @param {ContactList} list
	 * @param {string[]} numbers
	 */
	append(list, numbers) {
		const now = new Date().toISOString();
		const present = new Set(list.members.map((m) => digitsOf(m.phoneNumber)));
		for (const number of numbers) {
			const digits = digitsOf(number);
			if (!list.allowDuplicates && present.has(digits)) continue;
			present.add(digits);
			list.members.push({ _id: newId('cc'), phoneNumber: digits, createdAt: now, updatedAt: now });
		}
		if (numbers.length) list.updatedAt = now;
	}

	/**
	 * Kore's asynchronous add: the numbers land in the list `addDelayMs` later; entries that are not phone numbers
	 * are dropped then (and kept in `rejected`).
	 * @param {string} streamId
	 * @param {ContactList} list
	 * @param {unknown[]} entries
	 */
	addLater(streamId, list, entries) {
		const apply = () => {
			const valid = [];
			for (const entry of entries) {
				const phone = entry && typeof entry === 'object' ? /** @type {{ phoneNumber?: unknown }} */ (entry).phoneNumber : undefined;
				if (typeof phone === 'string' && PHONE.test(phone.trim())) valid.push(phone.trim());
				else this.rejected.push({ streamId, list: list.name, phoneNumber: phone });
			}
			// a list deleted in the meantime takes nothing
			if (this.streamLists(streamId).get(list._id) === list) this.append(list, valid);
		};
		if (this.addDelayMs <= 0) return apply();
		const timer = setTimeout(() => {
			this.pending.delete(timer);
			apply();
		}, this.addDelayMs);
		timer.unref();
		this.pending.add(timer);
	}

	/**
	 * Starts a campaign: a new run, and an outcome for every member of its lists that has none yet (the server does
	 * not dial: each number is "completed" after one attempt).
	 * @param {string} streamId
	 * @param {Campaign} campaign
	 */
	start(streamId, campaign) {
		campaign.status = 'Active';
		campaign.campaignInstanceId = newId('cid');
		campaign.updatedAt = new Date().toISOString();
		const known = new Set(campaign.outcomes.map((o) => digitsOf(o.phoneNumber)));
		for (const name of campaign.contactLists) {
			const list = this.listByName(streamId, name);
			for (const member of list ? list.members : []) {
				if (known.has(digitsOf(member.phoneNumber))) continue;
				known.add(digitsOf(member.phoneNumber));
				campaign.outcomes.push({
					phoneNumber: member.phoneNumber,
					uniqueId: '',
					dialerOutcome: 'completed',
					numberOfAttemptsSoFar: 1,
					botSessionId: crypto.randomBytes(12).toString('hex'),
					agentDispositionCodes: [],
					botOutboundStatus: 'userHangUp',
					botOutboundStatusDetail: 'user_hangup',
				});
			}
		}
	}

	/**
	 * A list as Kore renders it: `full` as Get Contact List Details does, else as Get All Contact Lists lists it.
	 * @param {string} streamId
	 * @param {ContactList} list
	 * @param {boolean} full
	 */
	renderList(streamId, list, full) {
		const campaignInUse = [...this.streamCampaigns(streamId).values()].filter((c) => c.contactLists.includes(list.name)).map((c) => ({ id: c._id, name: c.name }));
		const common = {
			_id: list._id,
			name: list.name,
			description: list.description,
			totalRecordCount: list.members.length,
			status: 'Ready',
			mapping: MAPPING,
			isListInUse: campaignInUse.length > 0,
			listType: 'call',
			campaignInUse,
			source: 'passiveApi',
			apiConfigurations: { dataSyncMode: list.allowDuplicates ? 'allowDuplicates' : 'skipDuplicates' },
			columns: [],
			files: [],
			updatedAt: list.updatedAt,
		};
		return full ? { ...common, isActive: true, isGlobalDNC: false, isDefault: false, createdAt: list.createdAt, allowDuplicates: list.allowDuplicates } : common;
	}

	/** Everything, by stream, as the handle's snapshot() shows it. */
	snapshot() {
		/** @type {Record<string, { contactLists: ContactList[], campaigns: Campaign[] }>} */
		const out = {};
		const streams = new Set([...this.lists.keys(), ...this.campaigns.keys()]);
		for (const s of streams) out[s] = { contactLists: [...this.streamLists(s).values()], campaigns: [...this.streamCampaigns(s).values()] };
		return { streams: out, pendingAdds: this.pending.size, rejected: this.rejected, addDelayMs: this.addDelayMs };
	}
}

module.exports = { CampaignStore };
