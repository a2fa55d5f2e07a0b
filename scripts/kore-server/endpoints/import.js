'use strict';

/**
 * Import CSV: `POST …/{streamId}/contacts/import-contacts` with a multipart/form-data body whose `result_file` part
 * is a CSV file (a header row naming Kore's columns, then one contact per row) creates the rows as Create does:
 * all or none.
 */

const { multipartBoundary, parseMultipart, parseCsv } = require('../multipart');
const { validation } = require('../errors');
const { createAll } = require('./create');

const CSV_COLUMNS = ['firstName', 'lastName', 'salutation', 'cellPhoneNumber', 'cellPhoneCountryCode', 'cellPhoneExtension'];

/** @type {import('../routes').Route[]} */
const routes = [
	{
		method: 'POST',
		path: '/agentassist/api/v1/public/:streamId/contacts/import-contacts',
		kind: 'import',
		body: 'multipart',
		handle: ({ params, body, app }, { config, store }) => {
			const stream = store.stream(params.streamId);
			return createAll(config, stream, csvContacts(body, config), app, (i) => `CSV row ${i + 2}`);
		},
	},
];

/**
 * The contacts of an Import CSV request, as Create inputs.
 * @param {{ raw: Buffer, contentType?: string }} body
 * @param {{ requireAllFields: boolean, maxBulk: number }} config
 * @returns {unknown[]}
 */
function csvContacts(body, { requireAllFields, maxBulk }) {
	const boundary = multipartBoundary(body.contentType);
	if (!boundary) throw validation('expected a multipart/form-data body with a CSV file in the result_file field', 'result_file');
	/** @type {import('../multipart').Part[]} */
	let parts;
	try {
		parts = parseMultipart(body.raw, boundary);
	} catch (e) {
		throw validation(`malformed multipart body: ${/** @type {Error} */ (e).message}`);
	}
	const file = parts.find((p) => p.name === 'result_file');
	if (!file) throw validation('the result_file field is missing', 'result_file');
	/** @type {string[][]} */
	let rows;
	try {
		rows = parseCsv(file.data.toString('utf8'));
	} catch (e) {
		throw validation(`malformed CSV: ${/** @type {Error} */ (e).message}`, 'result_file');
	}
	if (rows.length === 0) throw validation('the CSV file is empty', 'result_file');
	const header = rows[0].map((h) => h.trim().toLowerCase());
	/** @type {Record<string, number>} */
	const col = {};
	for (const name of CSV_COLUMNS) col[name] = header.indexOf(name.toLowerCase());
	const required = requireAllFields ? CSV_COLUMNS : ['firstName', 'cellPhoneNumber', 'cellPhoneCountryCode'];
	const missing = required.filter((n) => col[n] < 0);
	if (missing.length) throw validation(`CSV header is missing column(s): ${missing.join(', ')}`, 'result_file');
	const data = rows.slice(1);
	if (data.length === 0) throw validation('the CSV file has no contact rows', 'result_file');
	if (data.length > maxBulk) throw validation(`at most ${maxBulk} contacts per request (got ${data.length})`, 'result_file');
	/** @param {string[]} r @param {string} name */
	const cell = (r, name) => (col[name] < 0 ? undefined : (r[col[name]] ?? '').trim());
	return data.map((r) => ({
		firstName: cell(r, 'firstName'),
		lastName: cell(r, 'lastName'),
		salutation: cell(r, 'salutation'),
		cellPhone: {
			phoneNumber: cell(r, 'cellPhoneNumber'),
			countryCode: cell(r, 'cellPhoneCountryCode'),
			extension: cell(r, 'cellPhoneExtension'),
		},
	}));
}

module.exports = { routes };
