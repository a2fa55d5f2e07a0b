'use strict';

/**
 * Update: `PUT …/{streamId}/contacts/{id}` changes the fields given of one contact (a partial update) and answers
 * the updated contact. An unknown id, or by default an INACTIVE one, is not found; a number another ACTIVE
 * contact has is refused.
 */

const { render } = require('../store');
const { validateContactInput, isPlainObject } = require('../validation');
const { actorOf } = require('../auth');
const { validation, throwItemError, notFound } = require('../errors');

/** @type {import('../routes').Route[]} */
const routes = [{ method: 'PUT', path: '/agentassist/api/v1/public/:streamId/contacts/:id', kind: 'update', body: 'json', handle: update }];

/**
 * @param {import('../routes').Call} call
 * @param {import('../pipeline').Context} ctx
 */
function update({ params, body, app }, { config, store }) {
	const stream = store.stream(params.streamId);
	const id = params.id;
	if (!isPlainObject(body.json)) throw validation('body must be a JSON object');
	const v = validateContactInput(body.json, 'update', { requireAllFields: false });
	if (!v.ok) throw validation(v.error.msg, v.error.property);
	const c = stream.find(id, config.inactiveIds === 'ok');
	if (!c) return throwItemError(config, notFound(id));
	const err = stream.update(c, v.value, actorOf(app));
	if (err) throwItemError(config, err);
	return render(c);
}

module.exports = { routes };
