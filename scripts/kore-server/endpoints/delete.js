'use strict';

/**
 * Delete: `DELETE …/{streamId}/contacts/{id}` is a soft delete: the contact becomes INACTIVE (its number is free
 * again) and is answered. An unknown id, or by default an already deleted one, is not found.
 */

const { render } = require('../store');
const { throwItemError, notFound } = require('../errors');

/** @type {import('../routes').Route[]} */
const routes = [{ method: 'DELETE', path: '/agentassist/api/v1/public/:streamId/contacts/:id', kind: 'delete', handle: remove }];

/**
 * @param {import('../routes').Call} call
 * @param {import('../pipeline').Context} ctx
 */
function remove({ params }, { config, store }) {
	const stream = store.stream(params.streamId);
	const c = stream.find(params.id, config.inactiveIds === 'ok');
	if (!c) return throwItemError(config, notFound(params.id));
	stream.softDelete(c);
	return render(c);
}

module.exports = { routes };
