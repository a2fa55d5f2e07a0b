'use strict';

/**
 * Changes to the stored contacts made in this process, as another system working on the same Kore account would
 * make them (a CRM's own integration, an agent in Kore's UI): no request, no log entry, no rate-limit count. Kore's
 * rules apply as they do to the API, and a change the API would refuse throws. For tests that stage such a change
 * at a chosen moment (e.g. from a hook, between two pages of a scan).
 */

const { render } = require('./store');
const { validateContactInput } = require('./validation');
const { actorOf } = require('./auth');
const { seedContacts, ownerOf } = require('./seeds');

/**
 * @typedef {import('./index').SeedContact} SeedContact
 * @typedef {import('./index').ContactChange} ContactChange
 * @typedef {import('./pipeline').Context} Context
 */

/**
 * @param {Context} ctx
 * @param {string} streamId
 * @param {string} id
 */
function stored(ctx, streamId, id) {
	const c = ctx.store.stream(streamId).find(id, false);
	if (!c) throw new Error(`no ACTIVE contact ${id} in stream ${streamId}`);
	return c;
}

/** @param {import('./store').Contact} c @returns {import('./index').KoreContact} */
const rendered = (c) => /** @type {any} */ (render(c));

/**
 * @param {Context} ctx
 */
function createEdits(ctx) {
	return {
		/**
		 * Adds contacts now, checked as the `contacts` option's are (reset() does not keep them).
		 * @param {SeedContact[]} contacts
		 */
		addContacts(contacts) {
			return seedContacts(ctx.store, ctx.apps, contacts).map(rendered);
		},

		/**
		 * Changes the fields given of an ACTIVE contact, as Update does.
		 * @param {string} streamId
		 * @param {string} id
		 * @param {ContactChange} fields
		 */
		updateContact(streamId, id, fields) {
			const v = validateContactInput(fields, 'update', { requireAllFields: false });
			if (!v.ok) throw new Error(`contact ${id}: ${v.error.msg}`);
			const stream = ctx.store.stream(streamId);
			const c = stored(ctx, streamId, id);
			const err = stream.update(c, v.value, actorOf(ownerOf(ctx.apps, { streamId, accountId: c.accountId })));
			if (err) throw new Error(`contact ${id}: ${err.msg}`);
			return rendered(c);
		},

		/**
		 * Deletes an ACTIVE contact, as Delete does (it becomes INACTIVE and its number is free).
		 * @param {string} streamId
		 * @param {string} id
		 */
		deleteContact(streamId, id) {
			const c = stored(ctx, streamId, id);
			ctx.store.stream(streamId).softDelete(c);
			return rendered(c);
		},
	};
}

module.exports = { createEdits };
