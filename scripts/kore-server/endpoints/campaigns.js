'use strict';

/**
 * Campaigns of the Campaign Management API (Kore's v2 pages): list (by type, filtered by status, paged), get by id,
 * start and stop (voice under /api/v2/…/campaign/trigger/{id}; SMS on the campaign's path, and on the Stop SMS
 * page's `campaign//trigger/{id}`), the status, and the per-contact outcomes (paged).
 */

const { HttpError } = require('../errors');
const { checkCall, whole, skipPage, isObject, bad } = require('../campaigns');

const V2 = '/campaign/api/v2/public/:streamId/campaign';
const SCOPE = 'Campaign Management';
const STATUSES = ['Active', 'Completed', 'Ready', 'Paused', 'Preparing', 'Stopped', 'Scheduled', 'Rescheduled'];

/**
 * @typedef {import('../routes').Call} Call
 * @typedef {import('../pipeline').Context} Context
 * @typedef {import('../campaign-store').Campaign} Campaign
 */

/** @param {Context} ctx @param {string} streamId @param {string} id */
function campaignById(ctx, streamId, id) {
	const campaign = ctx.campaigns.store.streamCampaigns(streamId).get(id);
	if (!campaign) throw new HttpError(404, `Campaign not found: ${id}`);
	return campaign;
}

/**
 * As Get Campaign by ID renders it (`get`), or as Get All Campaigns lists it: voice campaigns with `_id`, SMS
 * campaigns with `id`, as Kore's samples show.
 * @param {Campaign} c @param {'list'|'get'} view
 */
function render(c, view) {
	const common = { name: c.name, description: '', priority: '5', status: c.status, createdAt: c.createdAt, updatedAt: c.updatedAt, schedule: { isSchedulingEnabled: false, isRecurrenceEnabled: false }, contactLists: c.contactLists };
	if (view === 'get') return { _id: c._id, lname: c.name.toLowerCase(), ...common, ...(c.type === 'voice' ? { dialingMode: 'Agentless' } : { format: 'simple' }) };
	if (c.type === 'voice') return { _id: c._id, ...common, dialingMode: 'Agentless', isFiltersEnabled: false, campaignInstanceUpdatedAt: c.updatedAt, connection: 'Default Queue' };
	return { id: c._id, ...common, totalMessagesSent: 0, campaignInstanceUpdatedAt: c.updatedAt, campaignExecutionType: 'NORMAL', format: 'simple' };
}

/** @param {Call} call @param {Context} ctx */
function listAll(call, ctx) {
	const json = checkCall(call);
	const b = isObject(json) ? json : {};
	if (b.type !== 'voice' && b.type !== 'sms') throw bad('type is required and must be "voice" or "sms"');
	const statuses = isObject(b.filters) && Array.isArray(b.filters.status) ? b.filters.status : undefined;
	if (statuses && !statuses.every((x) => STATUSES.includes(x))) throw bad(`filters.status must list values of ${STATUSES.join(', ')}`);
	const limit = Math.min(100, whole(b.limit, 'limit', 10, 1));
	const page = whole(b.page, 'page', 1, 1);
	const skip = whole(b.skip, 'skip', (page - 1) * limit);
	const all = [...ctx.campaigns.store.streamCampaigns(call.params.streamId).values()]
		.filter((c) => c.type === b.type && (!statuses || statuses.includes(c.status)))
		.sort((x, y) => y.createdAt.localeCompare(x.createdAt) || x.name.localeCompare(y.name));
	return { status: 'success', message: 'Campaign  retrieved successfully', data: skipPage(all, skip, limit, (c) => render(c, 'list')) };
}

/** @param {Call} call @param {Context} ctx */
function get(call, ctx) {
	checkCall(call);
	const c = campaignById(ctx, call.params.streamId, call.params.campaignId);
	return { status: 'success', message: `Campaign ${c.name} retrieved successfully`, data: render(c, 'get') };
}

/** `view=status` (the default) or `view=contacts`: the outcomes, `page` ≥ 1 and `limit` 1–100. @param {Call} call @param {Context} ctx */
function status(call, ctx) {
	const json = checkCall(call);
	const c = campaignById(ctx, call.params.streamId, call.params.campaignId);
	if (call.query.view !== 'contacts') return { status: 'success', data: { id: c._id, status: c.status, name: c.name } };
	const b = isObject(json) ? json : {};
	const page = whole(b.page, 'page', 1, 1);
	const limit = whole(b.limit, 'limit', 10, 1);
	if (limit > 100) throw bad('limit must be at most 100');
	const total = c.outcomes.length;
	const results = c.outcomes.slice((page - 1) * limit, page * limit).map((o) => ({ ...o }));
	return { status: 'success', data: { results, page, limit, totalPages: Math.ceil(total / limit), totalResults: total } };
}

/**
 * Start (`trigger=play`) or stop a campaign of the path's type. Start gives every member of the campaign's lists
 * an outcome; a running campaign is not started again, a stopped one not stopped.
 * @param {'voice'|'sms'} pathType
 */
function trigger(pathType) {
	return (/** @type {Call} */ call, /** @type {Context} */ ctx) => {
		checkCall(call);
		const { query } = call;
		if (query.campaignType !== pathType) throw bad(`campaignType must be "${pathType}" on this path`);
		if (query.trigger !== 'play' && query.trigger !== 'stop') throw bad('trigger must be "play" or "stop"');
		const c = campaignById(ctx, call.params.streamId, call.params.campaignId);
		if (c.type !== pathType) throw bad(`Campaign ${c.name} is not a ${pathType} campaign`);
		if (query.trigger === 'play') {
			if (c.status === 'Active') throw bad(`Campaign ${c.name} is already Active`);
			ctx.campaigns.store.start(call.params.streamId, c);
			const answer = { status: 'Active', message: 'Campaign Started', updatedAt: c.updatedAt };
			return pathType === 'voice' ? { ...answer, totalCallsCompleted: 0, campaignInstanceId: c.campaignInstanceId } : answer;
		}
		if (c.status !== 'Active') throw bad(`Campaign ${c.name} is not Active`);
		c.status = 'Stopped';
		c.updatedAt = new Date().toISOString();
		const answer = { status: 'Stopped', message: 'Campaign Stopped', updatedAt: c.updatedAt };
		return pathType === 'voice' ? { ...answer, campaignInstanceId: c.campaignInstanceId } : { ...answer, campaignExecutionType: 'NORMAL' };
	};
}

/** @type {import('../routes').Route[]} */
const routes = [
	{ method: 'POST', path: `${V2}/getAllCampaignDetails`, kind: 'campaignList', body: 'json', scope: SCOPE, handle: listAll },
	{ method: 'GET', path: `${V2}/:campaignId`, kind: 'campaignGet', scope: SCOPE, handle: get },
	{ method: 'POST', path: `${V2}/:campaignId`, kind: 'campaignTriggerSms', scope: SCOPE, handle: trigger('sms') },
	{ method: 'POST', path: `${V2}//trigger/:campaignId`, kind: 'campaignTriggerSms', scope: SCOPE, handle: trigger('sms') },
	{ method: 'POST', path: `${V2}/:campaignId/status`, kind: 'campaignStatus', scope: SCOPE, handle: status },
	{ method: 'POST', path: '/api/v2/public/:streamId/campaign/trigger/:campaignId', kind: 'campaignTriggerVoice', scope: SCOPE, handle: trigger('voice') },
];

module.exports = { routes };
