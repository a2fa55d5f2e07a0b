'use strict';

/**
 * Create: `POST …/{streamId}/contacts` with a JSON array of contacts creates them all or none: one invalid row, or
 * a number an ACTIVE contact already has (or that the batch repeats), refuses the whole request. The answer is the
 * array of created contacts. `createAll` is shared with Import CSV.
 */

const { render } = require('../store');
const { validateContactInput } = require('../validation');
const { actorOf } = require('../auth');
const { validation, throwItemError } = require('../errors');

/** @type {import('../routes').Route[]} */
const routes = [
	{
		method: 'POST',
		path: '/agentassist/api/v1/public/:streamId/contacts',
		kind: 'create',
		body: 'json',
		handle: ({ params, body, app }, { config, store }) => {
			const stream = store.stream(params.streamId);
			return createAll(config, stream, requireArray(body.json, 'contacts', config.maxBulk), app, (i) => `[${i}]`);
		},
	},
];

/**
 * A bulk body: a non-empty JSON array of at most `maxBulk` items, else 412.
 * @param {unknown} body
 * @param {string} what
 * @param {number} maxBulk
 * @returns {unknown[]}
 */
function requireArray(body, what, maxBulk) {
	if (!Array.isArray(body)) throw validation(`body must be a JSON array of ${what}`);
	if (body.length === 0) throw validation(`body must contain at least one ${what.replace(/s$/, '')}`);
	if (body.length > maxBulk) throw validation(`at most ${maxBulk} ${what} per request (got ${body.length})`);
	return body;
}

/**
 * Validates and inserts contacts all-or-nothing; returns them as the API renders them.
 * @param {import('../config').Config} config
 * @param {import('../store').Stream} stream
 * @param {unknown[]} inputs
 * @param {import('../auth').App} app
 * @param {(i: number) => string} where  names row i in an error message
 */
function createAll(config, stream, inputs, app, where) {
	const actor = actorOf(app);
	const built = inputs.map((input, i) => {
		const v = validateContactInput(input, 'create', { requireAllFields: config.requireAllFields });
		if (!v.ok) throw validation(`${where(i)}: ${v.error.msg}`, v.error.property);
		return stream.build(v.value, actor, config.newId ? { id: config.newId() } : undefined);
	});
	const r = stream.insertAll(built);
	if (!r.ok) throwItemError(config, r.error);
	return built.map(render);
}

module.exports = { routes, requireArray, createAll };
