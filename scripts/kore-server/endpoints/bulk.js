'use strict';

/**
 * Update Bulk (`PUT …/{streamId}/contacts/bulk-update`, an array of `{ id, …fields }`) and Delete Bulk
 * (`DELETE …/{streamId}/contacts/bulk-delete`, `{ "ids": [...] }`). Each item is applied on its own, in order: a
 * problem with one (unknown or INACTIVE id, taken number, invalid field) goes to failedRecords and the answer is
 * still 200. A body of the wrong shape, empty, or over `maxBulk` items is a 412 for the whole request.
 */

const { render } = require('../store');
const { validateContactInput, isPlainObject } = require('../validation');
const { actorOf } = require('../auth');
const { validation, failedRecord, notFound } = require('../errors');
const { requireArray } = require('./create');

/** @type {import('../routes').Route[]} */
const routes = [
	{ method: 'PUT', path: '/agentassist/api/v1/public/:streamId/contacts/bulk-update', kind: 'bulkUpdate', body: 'json', handle: bulkUpdate },
	{ method: 'DELETE', path: '/agentassist/api/v1/public/:streamId/contacts/bulk-delete', kind: 'bulkDelete', body: 'json', handle: bulkDelete },
];

/**
 * @param {import('../routes').Call} call
 * @param {import('../pipeline').Context} ctx
 */
function bulkUpdate({ params, body, app }, { config, store }) {
	const stream = store.stream(params.streamId);
	const items = requireArray(body.json, 'contacts', config.maxBulk);
	const actor = actorOf(app);
	/** @type {{ id: string, contact: unknown }[]} */
	const ok = [];
	/** @type {unknown[]} */
	const failed = [];
	for (const item of items) {
		const id = isPlainObject(item) && typeof item.id === 'string' && item.id !== '' ? item.id : null;
		if (id === null) {
			failed.push(failedRecord(config, null, { kind: 'validation', msg: 'each item must be an object with a string id', property: 'id' }));
			continue;
		}
		const v = validateContactInput(item, 'update', { requireAllFields: false });
		if (!v.ok) {
			failed.push(failedRecord(config, id, v.error));
			continue;
		}
		const c = stream.find(id, config.inactiveIds === 'ok');
		if (!c) {
			failed.push(failedRecord(config, id, notFound(id)));
			continue;
		}
		const err = stream.update(c, v.value, actor);
		if (err) failed.push(failedRecord(config, id, err));
		else ok.push({ id, contact: render(c) });
	}
	return bulkEnvelope(items.length, ok, failed);
}

/**
 * @param {import('../routes').Call} call
 * @param {import('../pipeline').Context} ctx
 */
function bulkDelete({ params, body }, { config, store }) {
	const stream = store.stream(params.streamId);
	const b = body.json;
	if (!isPlainObject(b) || !Array.isArray(b.ids)) throw validation('body must be {"ids": [ … ]}', 'ids');
	const ids = b.ids;
	if (ids.length === 0) throw validation('ids must contain at least one id', 'ids');
	if (ids.length > config.maxBulk) throw validation(`at most ${config.maxBulk} ids per request (got ${ids.length})`, 'ids');
	if (!ids.every((x) => typeof x === 'string' && x !== '')) throw validation('ids must be non-empty strings', 'ids');
	/** @type {{ id: string }[]} */
	const ok = [];
	/** @type {unknown[]} */
	const failed = [];
	for (const id of /** @type {string[]} */ (ids)) {
		const c = stream.find(id, config.inactiveIds === 'ok');
		if (!c) {
			failed.push(failedRecord(config, id, notFound(id)));
			continue;
		}
		stream.softDelete(c);
		ok.push({ id });
	}
	return bulkEnvelope(ids.length, ok, failed);
}

/**
 * @param {number} totalRequested
 * @param {unknown[]} successfulRecords
 * @param {unknown[]} failedRecords
 */
function bulkEnvelope(totalRequested, successfulRecords, failedRecords) {
	return { totalRequested, successful: successfulRecords.length, failed: failedRecords.length, successfulRecords, failedRecords };
}

module.exports = { routes };
