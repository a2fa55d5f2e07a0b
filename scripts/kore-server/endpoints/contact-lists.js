'use strict';

/**
 * Contact lists of the Campaign Management API (Kore's v2 pages; the add call is v1): create, list all, get, update,
 * delete, the members (paged), and the asynchronous add, which names the list by name, answers "in progress", and
 * applies the numbers `addDelayMs` later. Answers are wrapped as Kore's are: `{ status: "success", message, data }`.
 */

const { HttpError } = require('../errors');
const { checkCall, whole, skipPage, isObject, bad } = require('../campaigns');

const V2 = '/campaign/api/v2/public/:streamId/campaign/contactList';
const SCOPE = 'Campaign Management';

/**
 * @typedef {import('../routes').Call} Call
 * @typedef {import('../pipeline').Context} Context
 * @typedef {import('../campaign-store').ContactList} ContactList
 */

const ok = (data, message = '') => ({ status: 'success', message, data });

/** @param {Context} ctx @param {string} streamId @param {string} id */
function listById(ctx, streamId, id) {
	const list = ctx.campaigns.store.streamLists(streamId).get(id);
	if (!list) throw new HttpError(404, `Contact list not found: ${id}`);
	return list;
}

/**
 * A create or update body, checked against Kore's limits (name ≤ 48, description ≤ 256 characters).
 * @param {unknown} json @param {boolean} create
 * @returns {Record<string, unknown>}
 */
function listFields(json, create) {
	if (!isObject(json)) throw bad('body must be a JSON object');
	for (const [key, max] of /** @type {[string, number][]} */ ([['name', 48], ['description', 256]])) {
		if (json[key] === undefined && !create) continue;
		if (typeof json[key] !== 'string' || (key === 'name' && json[key].trim() === '')) throw bad(`${key} is required and must be a string`);
		if (json[key].length > max) throw bad(`${key} must be at most ${max} characters`);
	}
	if (create && json.source !== 'passiveApi') throw bad('source must be "passiveApi"');
	if (json.allowDuplicates !== undefined && typeof json.allowDuplicates !== 'boolean') throw bad('allowDuplicates must be a boolean');
	return json;
}

/** A list name is taken when another list has it, whatever the case. @param {Context} ctx @param {string} s @param {string} name @param {ContactList} [except] */
function checkNameFree(ctx, s, name, except) {
	const taken = ctx.campaigns.store.listByName(s, name);
	if (taken && taken !== except) throw bad(`A contact list named "${name}" already exists`);
}

/** @param {Call} call @param {Context} ctx */
function create(call, ctx) {
	const s = call.params.streamId;
	const b = listFields(checkCall(call), true);
	checkNameFree(ctx, s, String(b.name));
	const { store } = ctx.campaigns;
	const list = store.createList(s, { name: String(b.name).trim(), description: String(b.description), allowDuplicates: b.allowDuplicates === true });
	return ok(store.renderList(s, list, true), `Contact list ${list.name} created successfully`);
}

/** @param {Call} call @param {Context} ctx */
function listAll(call, ctx) {
	checkCall(call);
	const s = call.params.streamId;
	const { store } = ctx.campaigns;
	const lists = [...store.streamLists(s).values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	return ok(lists.map((l) => store.renderList(s, l, false)));
}

/** @param {Call} call @param {Context} ctx */
function get(call, ctx) {
	checkCall(call);
	const { streamId: s, contactListId: id } = call.params;
	return ok(ctx.campaigns.store.renderList(s, listById(ctx, s, id), true));
}

/** Name and description; campaigns that dial the list by name follow a rename. @param {Call} call @param {Context} ctx */
function update(call, ctx) {
	const { streamId: s, contactListId: id } = call.params;
	const b = listFields(checkCall(call), false);
	const list = listById(ctx, s, id);
	if (typeof b.name === 'string') {
		const name = b.name.trim();
		checkNameFree(ctx, s, name, list);
		for (const c of ctx.campaigns.store.streamCampaigns(s).values()) c.contactLists = c.contactLists.map((n) => (n === list.name ? name : n));
		list.name = name;
	}
	if (typeof b.description === 'string') list.description = b.description;
	list.updatedAt = new Date().toISOString();
	const changed = { name: list.name, ...(typeof b.description === 'string' ? { description: list.description } : {}) };
	const data = { contactListId: list._id, body: { ...changed, scope: ['campaign_management'], iId: s, listType: 'call', accountId: call.app.accountId } };
	return ok(data, `Contact list ${list.name} updated successfully`);
}

/** A list a campaign dials is not deleted. @param {Call} call @param {Context} ctx */
function remove(call, ctx) {
	checkCall(call);
	const { streamId: s, contactListId: id } = call.params;
	const { store } = ctx.campaigns;
	const rendered = store.renderList(s, listById(ctx, s, id), true);
	if (rendered.isListInUse) throw bad(`Contact list ${rendered.name} is in use by a campaign`);
	store.streamLists(s).delete(id);
	return ok(rendered, `Contact list ${rendered.name} deleted successfully`);
}

/** Paged by `skip` and `limit` (50 by default, at most 100). @param {Call} call @param {Context} ctx */
function members(call, ctx) {
	checkCall(call);
	const { streamId: s, contactListId: id } = call.params;
	const list = listById(ctx, s, id);
	const skip = whole(call.query.skip, 'skip', 0);
	const limit = Math.min(100, whole(call.query.limit, 'limit', 50, 1));
	return ok(skipPage(list.members, skip, limit, (m) => ({ ...m })), 'Contacts retrieved successfully');
}

/** The v1 add: the list by name; the numbers land `addDelayMs` later. @param {Call} call @param {Context} ctx */
function add(call, ctx) {
	const json = checkCall(call);
	if (!isObject(json)) throw bad('body must be a JSON object');
	const { contact_list_name: name, data } = json;
	if (typeof name !== 'string' || name.trim() === '') throw bad('contact_list_name is required');
	if (!Array.isArray(data) || data.length === 0) throw bad('data must be a non-empty array of { phoneNumber }');
	if (data.length > ctx.campaigns.maxAdd) throw bad(`data must hold at most ${ctx.campaigns.maxAdd} contacts`);
	const s = call.params.streamId;
	const list = ctx.campaigns.store.listByName(s, name);
	if (!list) throw new HttpError(404, `Contact list not found: ${name}`);
	ctx.campaigns.store.addLater(s, list, data);
	return { message: 'Adding contacts to public list is in progress' };
}

/** @type {import('../routes').Route[]} */
const routes = [
	{ method: 'POST', path: `${V2}/createContactList`, kind: 'contactListCreate', body: 'json', scope: SCOPE, handle: create },
	{ method: 'POST', path: `${V2}/getAllListDetails`, kind: 'contactListList', scope: SCOPE, handle: listAll },
	{ method: 'GET', path: `${V2}/:contactListId`, kind: 'contactListGet', scope: SCOPE, handle: get },
	{ method: 'PUT', path: `${V2}/:contactListId`, kind: 'contactListUpdate', body: 'json', scope: SCOPE, handle: update },
	{ method: 'DELETE', path: `${V2}/:contactListId`, kind: 'contactListDelete', scope: SCOPE, handle: remove },
	{ method: 'GET', path: `${V2}/:contactListId/getAllContacts`, kind: 'contactListMembers', scope: SCOPE, handle: members },
	{ method: 'POST', path: '/api/1.1/public/:streamId/campaign/contactList/addContacts', kind: 'contactListAdd', body: 'json', scope: SCOPE, handle: add },
];

module.exports = { routes };
