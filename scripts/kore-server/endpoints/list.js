'use strict';

/**
 * Get All: `GET …/{streamId}/contacts?skip=&limit=` answers one page of the stream's contacts, in creation order:
 * ACTIVE ones only unless `listInactive`; `limit` defaults to `pageSize` and is clamped to `maxPageSize`.
 */

const { render } = require('../store');
const { validation } = require('../errors');

/** @type {import('../routes').Route[]} */
const routes = [{ method: 'GET', path: '/agentassist/api/v1/public/:streamId/contacts', kind: 'list', handle: list }];

/**
 * @param {import('../routes').Call} call
 * @param {import('../pipeline').Context} ctx
 */
function list({ params, query }, { config, store }) {
	const stream = store.stream(params.streamId);
	for (const k of ['skip', 'limit']) {
		if (query[k] !== undefined && !/^\d{1,9}$/.test(query[k])) throw validation(`${k} must be a non-negative integer`, k);
	}
	const skip = query.skip !== undefined ? Number(query.skip) : 0;
	let limit = query.limit !== undefined ? Number(query.limit) : config.pageSize;
	if (limit < 1) throw validation('limit must be at least 1', 'limit');
	limit = Math.min(limit, config.maxPageSize);
	const { results, total } = stream.page(skip, limit, config.listInactive);
	/** @type {Record<string, unknown>} */
	const page = { results: results.map(render), skip, limit, hasMore: skip + results.length < total };
	if (config.listTotals) {
		page.totalPages = Math.ceil(total / limit);
		page.totalResults = total;
	}
	return page;
}

module.exports = { routes };
