'use strict';

/**
 * The local server's Campaign Management API, outside its endpoints: one server's contact lists and campaigns
 * (campaign-store.js) with their seed, what the server handle exposes as `campaigns`, the demo's list and
 * campaigns, the checks every campaign endpoint makes (the `iid` header, `?accountId=`, a JSON body) and the page
 * their paged answers share. The endpoints are endpoints/contact-lists.js and endpoints/campaigns.js; docs/campaigns.md lists the choices made
 * where Kore's pages are silent.
 */

const { CampaignStore } = require('./campaign-store');
const { HttpError } = require('./errors');

/**
 * @typedef {import('./index').CampaignOptions} CampaignOptions
 * @typedef {import('./index').CampaignSeed} CampaignSeed
 */

/**
 * One server's campaign state.
 * @param {CampaignOptions} [options]
 */
function createCampaigns(options = {}) {
	const store = new CampaignStore({ addDelayMs: options.addDelayMs });
	const initialDelay = store.addDelayMs;
	const seed = { contactLists: options.contactLists, campaigns: options.campaigns };
	store.seed(seed);

	/** What the server handle exposes as `campaigns` (index.d.ts, CampaignHandle). */
	const api = {
		/** @param {CampaignSeed & { addDelayMs?: number }} more */
		seed(more) {
			if (more.addDelayMs !== undefined) api.setAddDelay(more.addDelayMs);
			store.seed(more);
			return store.snapshot();
		},
		/** @param {string} streamId */
		contactLists: (streamId) =>
			[...store.streamLists(streamId).values()].map((l) => ({ ...store.renderList(streamId, l, true), members: l.members.map((m) => m.phoneNumber) })),
		/** @param {string} streamId */
		campaigns: (streamId) => [...store.streamCampaigns(streamId).values()].map((c) => ({ ...c, outcomes: c.outcomes.map((o) => ({ ...o })) })),
		/** @param {number} ms */
		setAddDelay(ms) {
			if (!(typeof ms === 'number' && ms >= 0)) throw new Error('addDelayMs must be a number >= 0');
			store.addDelayMs = ms;
		},
		snapshot: () => store.snapshot(),
	};

	return {
		store,
		maxAdd: options.maxAdd ?? 10000,
		api,
		/** Back to the seed given at start: adds still waiting are dropped. */
		reset() {
			store.clear();
			store.addDelayMs = initialDelay;
			store.seed(seed);
		},
	};
}

/** A 400 answer in Kore's error shape. @param {string} message */
const bad = (message) => new HttpError(400, message);

/**
 * What every campaign endpoint checks before its own work: the `iid` header is the stream of the path, an
 * `accountId` query is the app's account, and a body, when there is one, is JSON. Returns the parsed body.
 * @param {import('./routes').Call} call
 * @returns {unknown}
 */
function checkCall({ params, query, body, app, headers }) {
	if (headers.iid !== params.streamId) throw bad('the iid header is required and must be the stream ID of the path');
	if (query.accountId !== undefined && query.accountId !== app.accountId) throw bad('accountId does not match the accountId header');
	if (body.jsonError || (body.raw.length > 0 && body.json === undefined)) throw bad('the body must be JSON');
	return body.json;
}

/**
 * A whole number ≥ `min` from a query or body value; `fallback` when absent or '' (Kore accepts an empty string).
 * @param {unknown} value @param {string} name @param {number} fallback @param {number} [min]
 */
function whole(value, name, fallback, min = 0) {
	if (value === undefined || value === '') return fallback;
	const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw bad(`${name} must be a whole number of at least ${min}`);
	return n;
}

/**
 * One page of `all` from `skip`, in the envelope Kore's paged campaign answers share (as Get All's for contacts).
 * @template T @param {T[]} all @param {number} skip @param {number} limit @param {(item: T) => unknown} render
 */
function skipPage(all, skip, limit, render) {
	const results = all.slice(skip, skip + limit).map(render);
	return { results, skip, limit, hasMore: skip + results.length < all.length, totalPages: Math.ceil(all.length / limit), totalResults: all.length };
}

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Ids of the demo contact list and campaigns (examples/ use them). */
const DEMO_CAMPAIGN = {
	contactListId: 'cl-0d3e5a61-7c2b-4f19-9e8a-5b2c4d6e8f01',
	contactListName: 'Renewal Due - July 2025',
	voiceCampaignId: 'cd-5e1f7a93-2b4c-4d6e-8f01-a2b3c4d5e6f7',
	smsCampaignId: 'cd-7a2b9c4d-3e5f-4a6b-8c7d-9e0f1a2b3c4d',
};

/**
 * The demo's contact list (empty) and a voice and an SMS campaign that dial it, for `demoSeed()`.
 * @param {string} streamId
 * @returns {CampaignOptions}
 */
function demoCampaignSeed(streamId) {
	const { contactListId, contactListName, voiceCampaignId, smsCampaignId } = DEMO_CAMPAIGN;
	return {
		contactLists: [{ streamId, _id: contactListId, name: contactListName, description: 'Customers whose plan renews in July 2025' }],
		campaigns: [
			{ streamId, _id: voiceCampaignId, name: 'Renewal Reminder (Voice)', type: 'voice', contactLists: [contactListName] },
			{ streamId, _id: smsCampaignId, name: 'Renewal Reminder (SMS)', type: 'sms', contactLists: [contactListName] },
		],
	};
}

module.exports = { createCampaigns, checkCall, whole, skipPage, isObject, bad, demoCampaignSeed };
