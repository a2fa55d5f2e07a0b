'use strict';

/**
 * The local server's Campaign Management endpoints (contact lists and campaigns), as Kore's v2 pages describe them
 * (ai-for-service/apis/contact-center/*-v2.mdx; the add call is v1). index.js routes to them, then applies its own
 * authentication, rate limit, faults and log as for every endpoint; this module checks the app's "Campaign
 * Management" scope, the `iid` header, the bodies, and answers in Kore's `{ status, message, data }` wrapper.
 * Choices where the docs are silent: docs/campaigns.md.
 */

const { CampaignStore } = require('./campaign-store');

const V2 = '/campaign/api/v2/public/:s/campaign';
/** Raw path patterns (`:s` the stream, `:id` a list or campaign), first match wins, and the route of each method. */
/** @type {[string, Record<string, string>][]} */
const ROUTES = [
	[`${V2}/contactList/createContactList`, { POST: 'createContactList' }],
	[`${V2}/contactList/getAllListDetails`, { POST: 'listContactLists' }],
	[`${V2}/contactList/:id/getAllContacts`, { GET: 'listMembers' }],
	[`${V2}/contactList/:id`, { GET: 'getContactList', PUT: 'updateContactList', DELETE: 'deleteContactList' }],
	[`${V2}/getAllCampaignDetails`, { POST: 'listCampaigns' }],
	// the Stop SMS v2 page's path (an empty segment); the Start SMS v2 page's is `campaign/:id` with the same query
	[`${V2}//trigger/:id`, { POST: 'smsTrigger' }],
	[`${V2}/:id/status`, { POST: 'campaignStatus' }],
	[`${V2}/:id`, { GET: 'getCampaign', POST: 'smsTrigger' }],
	['/api/v2/public/:s/campaign/trigger/:id', { POST: 'voiceTrigger' }],
	['/api/1.1/public/:s/campaign/contactList/addContacts', { POST: 'addMembers' }],
];
const MAPPING = { firstName: 'firstName', lastName: 'lastName', phoneNumber: 'phoneNumber', timeZone: 'timeZone', uniqueId: 'uniqueId', contactPriority: 'contactPriority' };
const STATUSES = ['Active', 'Completed', 'Ready', 'Paused', 'Preparing', 'Stopped', 'Scheduled', 'Rescheduled'];

/**
 * @typedef {import('./campaign-store').ContactList} ContactList
 * @typedef {import('./campaign-store').Campaign} Campaign
 * @typedef {{ json?: unknown, raw: Buffer, contentType?: string, jsonError?: boolean }} Body
 * @typedef {{ status: number, out: unknown, headers: Record<string, string> }} Answer
 */

class Failure extends Error {
	/** @param {number} status @param {string} message */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

const ok = (data, message = '') => ({ status: 200, out: { status: 'success', message, data }, headers: {} });
const bad = (message) => new Failure(400, message);

/** @param {unknown} v */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

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
 * @param {{ accounts?: { clientId: string, campaignScope?: boolean }[], addDelayMs?: number, maxAdd?: number,
 *   contactLists?: import('./campaign-store').SeedList[], campaigns?: import('./campaign-store').SeedCampaign[] }} options
 */
function createCampaignApi(options = {}) {
	const store = new CampaignStore({ addDelayMs: options.addDelayMs });
	const initialDelay = store.addDelayMs;
	const maxAdd = options.maxAdd ?? 10000;
	const unscoped = new Set((options.accounts || []).filter((a) => a.campaignScope === false).map((a) => a.clientId));
	const seed = { contactLists: options.contactLists, campaigns: options.campaigns };
	store.seed(seed);

	/** @param {string} streamId @param {ContactList} list @param {boolean} full */
	function renderList(streamId, list, full) {
		const campaignInUse = [...store.streamCampaigns(streamId).values()].filter((c) => c.contactLists.includes(list.name)).map((c) => ({ id: c._id, name: c.name }));
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

	/** @param {Campaign} c @param {'list'|'get'} view */
	function renderCampaign(c, view) {
		const common = { name: c.name, description: '', priority: '5', status: c.status, createdAt: c.createdAt, updatedAt: c.updatedAt, schedule: { isSchedulingEnabled: false, isRecurrenceEnabled: false }, contactLists: c.contactLists };
		if (view === 'get') return { _id: c._id, lname: c.name.toLowerCase(), ...common, ...(c.type === 'voice' ? { dialingMode: 'Agentless' } : { format: 'simple' }) };
		// Kore's sample lists voice campaigns with `_id` and SMS campaigns with `id`
		if (c.type === 'voice') return { _id: c._id, ...common, dialingMode: 'Agentless', isFiltersEnabled: false, campaignInstanceUpdatedAt: c.updatedAt, connection: 'Default Queue' };
		return { id: c._id, ...common, totalMessagesSent: 0, campaignInstanceUpdatedAt: c.updatedAt, campaignExecutionType: 'NORMAL', format: 'simple' };
	}

	/** @param {string} streamId @param {string} id */
	function listById(streamId, id) {
		const list = store.streamLists(streamId).get(id);
		if (!list) throw new Failure(404, `Contact list not found: ${id}`);
		return list;
	}

	/** @param {string} streamId @param {string} id */
	function campaignById(streamId, id) {
		const campaign = store.streamCampaigns(streamId).get(id);
		if (!campaign) throw new Failure(404, `Campaign not found: ${id}`);
		return campaign;
	}

	/** @param {unknown} body @param {boolean} create */
	function listFields(body, create) {
		if (!isObject(body)) throw bad('body must be a JSON object');
		const b = /** @type {Record<string, unknown>} */ (body);
		for (const [key, max] of /** @type {[string, number][]} */ ([['name', 48], ['description', 256]])) {
			if (b[key] === undefined && !create) continue;
			if (typeof b[key] !== 'string' || (key === 'name' && b[key].trim() === '')) throw bad(`${key} is required and must be a string`);
			if (/** @type {string} */ (b[key]).length > max) throw bad(`${key} must be at most ${max} characters`);
		}
		if (create && b.source !== 'passiveApi') throw bad('source must be "passiveApi"');
		if (b.allowDuplicates !== undefined && typeof b.allowDuplicates !== 'boolean') throw bad('allowDuplicates must be a boolean');
		return b;
	}

	/** @param {string} streamId @param {string} name @param {ContactList} [except] */
	function checkNameFree(streamId, name, except) {
		const taken = store.listByName(streamId, name);
		if (taken && taken !== except) throw bad(`A contact list named "${name}" already exists`);
	}

	/**
	 * The endpoints, by route name: (streamId, id, body, query, app) → Answer.
	 * @type {Record<string, (s: string, id: string, body: unknown, query: Record<string, string>, app: { accountId: string }) => Answer>}
	 */
	const endpoints = {
		createContactList(s, _id, body) {
			const b = listFields(body, true);
			checkNameFree(s, /** @type {string} */ (b.name));
			const list = store.createList(s, { name: /** @type {string} */ (b.name).trim(), description: /** @type {string} */ (b.description), allowDuplicates: b.allowDuplicates === true });
			return ok(renderList(s, list, true), `Contact list ${list.name} created successfully`);
		},
		listContactLists(s) {
			const lists = [...store.streamLists(s).values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
			return ok(lists.map((l) => renderList(s, l, false)));
		},
		getContactList: (s, id) => ok(renderList(s, listById(s, id), true)),
		updateContactList(s, id, body, _q, app) {
			const list = listById(s, id);
			const b = listFields(body, false);
			if (typeof b.name === 'string') {
				checkNameFree(s, b.name, list);
				// campaigns name their lists: they follow the rename
				for (const c of store.streamCampaigns(s).values()) c.contactLists = c.contactLists.map((n) => (n === list.name ? b.name.trim() : n));
				list.name = b.name.trim();
			}
			if (typeof b.description === 'string') list.description = b.description;
			list.updatedAt = new Date().toISOString();
			const changed = { name: list.name, ...(typeof b.description === 'string' ? { description: list.description } : {}) };
			const data = { contactListId: list._id, body: { ...changed, scope: ['campaign_management'], iId: s, listType: 'call', accountId: app.accountId } };
			return ok(data, `Contact list ${list.name} updated successfully`);
		},
		deleteContactList(s, id) {
			const list = listById(s, id);
			const rendered = renderList(s, list, true);
			if (rendered.isListInUse) throw bad(`Contact list ${list.name} is in use by a campaign`);
			store.streamLists(s).delete(id);
			return ok(rendered, `Contact list ${list.name} deleted successfully`);
		},
		listMembers(s, id, _body, query) {
			const list = listById(s, id);
			const skip = whole(query.skip, 'skip', 0);
			const limit = Math.min(100, whole(query.limit, 'limit', 50, 1));
			const total = list.members.length;
			const results = list.members.slice(skip, skip + limit).map((m) => ({ ...m }));
			return ok({ results, skip, limit, hasMore: skip + results.length < total, totalPages: Math.ceil(total / limit), totalResults: total }, 'Contacts retrieved successfully');
		},
		addMembers(s, _id, body) {
			if (!isObject(body)) throw bad('body must be a JSON object');
			const { contact_list_name: name, data } = /** @type {Record<string, unknown>} */ (body);
			if (typeof name !== 'string' || name.trim() === '') throw bad('contact_list_name is required');
			if (!Array.isArray(data) || data.length === 0) throw bad('data must be a non-empty array of { phoneNumber }');
			if (data.length > maxAdd) throw bad(`data must hold at most ${maxAdd} contacts`);
			const list = store.listByName(s, name);
			if (!list) throw new Failure(404, `Contact list not found: ${name}`);
			store.addLater(s, list, data);
			return { status: 200, out: { message: 'Adding contacts to public list is in progress' }, headers: {} };
		},
		listCampaigns(s, _id, body) {
			const b = isObject(body) ? /** @type {Record<string, any>} */ (body) : {};
			if (b.type !== 'voice' && b.type !== 'sms') throw bad('type is required and must be "voice" or "sms"');
			const statuses = isObject(b.filters) && Array.isArray(b.filters.status) ? b.filters.status : undefined;
			if (statuses && !statuses.every((x) => STATUSES.includes(x))) throw bad(`filters.status must list values of ${STATUSES.join(', ')}`);
			const limit = Math.min(100, whole(b.limit, 'limit', 10, 1));
			const page = whole(b.page, 'page', 1, 1);
			const skip = whole(b.skip, 'skip', (page - 1) * limit);
			const all = [...store.streamCampaigns(s).values()]
				.filter((c) => c.type === b.type && (!statuses || statuses.includes(c.status)))
				.sort((x, y) => y.createdAt.localeCompare(x.createdAt) || x.name.localeCompare(y.name));
			const results = all.slice(skip, skip + limit).map((c) => renderCampaign(c, 'list'));
			const data = { results, skip, limit, hasMore: skip + results.length < all.length, totalPages: Math.ceil(all.length / limit), totalResults: all.length };
			return ok(data, 'Campaign  retrieved successfully');
		},
		getCampaign(s, id) {
			const c = campaignById(s, id);
			return ok(renderCampaign(c, 'get'), `Campaign ${c.name} retrieved successfully`);
		},
		campaignStatus(s, id, body, query) {
			const c = campaignById(s, id);
			if (query.view !== 'contacts') return { status: 200, out: { status: 'success', data: { id: c._id, status: c.status, name: c.name } }, headers: {} };
			const b = isObject(body) ? /** @type {Record<string, unknown>} */ (body) : {};
			const page = whole(b.page, 'page', 1, 1);
			const limit = whole(b.limit, 'limit', 10, 1);
			if (limit > 100) throw bad('limit must be at most 100');
			const total = c.outcomes.length;
			const results = c.outcomes.slice((page - 1) * limit, page * limit).map((o) => ({ ...o }));
			return { status: 200, out: { status: 'success', data: { results, page, limit, totalPages: Math.ceil(total / limit), totalResults: total } }, headers: {} };
		},
		voiceTrigger: (s, id, _body, query) => trigger(s, id, query, 'voice'),
		smsTrigger: (s, id, _body, query) => trigger(s, id, query, 'sms'),
	};

	/** @param {string} s @param {string} id @param {Record<string, string>} query @param {'voice'|'sms'} pathType */
	function trigger(s, id, query, pathType) {
		if (query.campaignType !== pathType) throw bad(`campaignType must be "${pathType}" on this path`);
		if (query.trigger !== 'play' && query.trigger !== 'stop') throw bad('trigger must be "play" or "stop"');
		const c = campaignById(s, id);
		if (c.type !== pathType) throw bad(`Campaign ${c.name} is not a ${pathType} campaign`);
		const updatedAt = new Date().toISOString();
		if (query.trigger === 'play') {
			if (c.status === 'Active') throw bad(`Campaign ${c.name} is already Active`);
			store.start(s, c);
			const answer = { status: 'Active', message: 'Campaign Started', updatedAt: c.updatedAt };
			return { status: 200, out: pathType === 'voice' ? { ...answer, totalCallsCompleted: 0, campaignInstanceId: c.campaignInstanceId } : answer, headers: {} };
		}
		if (c.status !== 'Active') throw bad(`Campaign ${c.name} is not Active`);
		c.status = 'Stopped';
		c.updatedAt = updatedAt;
		const answer = { status: 'Stopped', message: 'Campaign Stopped', updatedAt };
		return { status: 200, out: pathType === 'voice' ? { ...answer, campaignInstanceId: c.campaignInstanceId } : { ...answer, campaignExecutionType: 'NORMAL' }, headers: {} };
	}

	/**
	 * The route of a raw path, or undefined when it is not a Campaign Management path. Each segment is
	 * percent-decoded on its own; fixed segments are matched raw.
	 * @param {string} rawPath @param {string} method
	 */
	function match(rawPath, method) {
		const raw = rawPath.split('/');
		for (const [pattern, methods] of ROUTES) {
			const parts = pattern.split('/');
			if (parts.length !== raw.length) continue;
			/** @type {Record<string, string>} */
			const vars = {};
			const fits = parts.every((part, i) => {
				if (!part.startsWith(':')) return part === raw[i];
				try {
					vars[part.slice(1)] = decodeURIComponent(raw[i]);
				} catch {
					return false;
				}
				return vars[part.slice(1)] !== '';
			});
			if (!fits) continue;
			const name = methods[method];
			if (!name) return { kind: 'methodNotAllowed', allow: Object.keys(methods).join(', ') };
			return route(name, vars.s, vars.id ?? '');
		}
		return undefined;
	}

	/** @param {string} name @param {string} streamId @param {string} id */
	function route(name, streamId, id) {
		return {
			kind: `campaign:${name}`,
			streamId,
			/** Whether the app is mapped to the "Campaign Management" scope. @param {{ clientId: string }} app */
			scope: (app) => !unscoped.has(app.clientId),
			/**
			 * @param {Body} body @param {Record<string, string>} query @param {{ accountId: string }} app
			 * @param {Record<string, string|string[]|undefined>} headers
			 * @returns {Answer}
			 */
			handle(body, query, app, headers) {
				try {
					if (headers.iid !== streamId) throw bad('the iid header is required and must be the stream ID of the path');
					if (query.accountId !== undefined && query.accountId !== app.accountId) throw bad('accountId does not match the accountId header');
					if (body.jsonError || (body.raw.length > 0 && body.json === undefined)) throw bad('the body must be JSON');
					return endpoints[name](streamId, id, body.json, query, app);
				} catch (e) {
					if (!(e instanceof Failure)) throw e;
					return { status: e.status, out: { status: 'failure', message: e.message }, headers: {} };
				}
			},
		};
	}

	/** What the server handle exposes as `campaigns` (see index.d.ts). */
	const api = {
		/** @param {import('./campaign-store').CampaignSeed & { addDelayMs?: number }} more */
		seed(more) {
			if (more.addDelayMs !== undefined) api.setAddDelay(more.addDelayMs);
			store.seed(more);
			return store.snapshot();
		},
		/** @param {string} streamId */
		contactLists: (streamId) => [...store.streamLists(streamId).values()].map((l) => ({ ...renderList(streamId, l, true), members: l.members.map((m) => m.phoneNumber) })),
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
		match,
		api,
		/** Back to the seed given at start: adds still waiting are dropped. */
		reset() {
			store.clear();
			store.addDelayMs = initialDelay;
			store.seed(seed);
		},
		/** The admin API's `/__admin/campaigns`: GET the state, POST a seed (and `addDelayMs`). */
		admin: { GET: () => store.snapshot(), POST: (/** @type {any} */ json) => api.seed(json || {}) },
	};
}

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

module.exports = { createCampaignApi, demoCampaignSeed, DEMO_CAMPAIGN };
