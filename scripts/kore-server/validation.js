'use strict';

/**
 * Validation of a contact as Create, Import, Update and Update Bulk receive it: the field types and lengths, the
 * phone number (digits only) and country code ("+91"; a missing "+" is added), and which fields each needs.
 * Returns the normalized input the store applies, or the error for the answer.
 */

/**
 * @typedef {import('./store').ItemError} ItemError
 * @typedef {import('./store').ContactInput} ContactInput
 */

const DIGITS = /^\d{1,15}$/;
const COUNTRY_CODE = /^\+?\d{1,4}$/;
const NAME_MAX = 256;

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
function isPlainObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Normalizes a country code to "+<digits>" or returns null when it is not one.
 * @param {unknown} v
 * @returns {string|null}
 */
function normalizeCountryCode(v) {
	if (typeof v !== 'string') return null;
	const s = v.trim();
	if (!COUNTRY_CODE.test(s)) return null;
	return s.startsWith('+') ? s : `+${s}`;
}

/**
 * Validates one string field. Returns an error message or null.
 * @param {Record<string, unknown>} obj
 * @param {string} key
 * @param {{ required: boolean, nonEmpty?: boolean, label?: string }} rule
 * @returns {string|null}
 */
function checkString(obj, key, rule) {
	const v = obj[key];
	const label = rule.label || key;
	if (v === undefined || v === null) return rule.required ? `${label} is required` : null;
	if (typeof v !== 'string') return `${label} must be a string`;
	if (rule.nonEmpty && v.trim() === '') return `${label} must not be empty`;
	if (v.length > NAME_MAX) return `${label} must be at most ${NAME_MAX} characters`;
	return null;
}

/**
 * Validates the body of one contact for Create / Import (mode 'create') or Update / Bulk Update (mode 'update',
 * where every field is optional but at least one must be given). Returns the normalized input or an error.
 *
 * @param {unknown} input
 * @param {'create'|'update'} mode
 * @param {{ requireAllFields: boolean }} opts
 * @returns {{ ok: true, value: ContactInput } | { ok: false, error: ItemError }}
 */
function validateContactInput(input, mode, opts) {
	/** @param {string} msg @param {string} [property] @returns {{ ok: false, error: ItemError }} */
	const fail = (msg, property) => ({ ok: false, error: { kind: 'validation', msg, property } });
	if (!isPlainObject(input)) return fail('contact must be a JSON object');
	const create = mode === 'create';
	const strict = create && opts.requireAllFields;

	for (const [key, rule] of /** @type {const} */ ([
		['firstName', { required: create, nonEmpty: true }],
		['lastName', { required: strict }],
		['salutation', { required: strict }],
		['fullName', { required: false }],
	])) {
		const err = checkString(input, key, rule);
		if (err) return fail(err, key);
	}

	/** @type {{ digits?: string, countryCode?: string, extension?: string } | undefined} */
	let cellPhone;
	const cp = input.cellPhone;
	if (cp === undefined || cp === null) {
		if (create) return fail('cellPhone is required', 'cellPhone');
	} else if (!isPlainObject(cp)) {
		return fail('cellPhone must be an object', 'cellPhone');
	} else {
		cellPhone = {};
		const pn = cp.phoneNumber;
		if (pn === undefined || pn === null) {
			if (create) return fail('cellPhone.phoneNumber is required', 'cellPhone.phoneNumber');
		} else if (typeof pn !== 'string' || !DIGITS.test(pn)) {
			return fail(
				'cellPhone.phoneNumber must be a string of 1 to 15 digits, without country code, spaces or symbols',
				'cellPhone.phoneNumber',
			);
		} else cellPhone.digits = pn;

		const cc = cp.countryCode;
		if (cc === undefined || cc === null) {
			if (create) return fail('cellPhone.countryCode is required', 'cellPhone.countryCode');
		} else {
			const norm = normalizeCountryCode(cc);
			if (!norm) return fail('cellPhone.countryCode must look like "+91"', 'cellPhone.countryCode');
			cellPhone.countryCode = norm;
		}

		const extErr = checkString(cp, 'extension', { required: strict, label: 'cellPhone.extension' });
		if (extErr) return fail(extErr, 'cellPhone.extension');
		if (typeof cp.extension === 'string') cellPhone.extension = cp.extension;
	}

	/** @type {ContactInput} */
	const value = {};
	for (const key of /** @type {const} */ (['firstName', 'lastName', 'salutation', 'fullName'])) {
		const v = input[key];
		if (typeof v === 'string') value[key] = v;
	}
	if (cellPhone) value.cellPhone = cellPhone;
	const hasField =
		Object.keys(value).some((k) => k !== 'cellPhone') || (cellPhone !== undefined && Object.keys(cellPhone).length > 0);
	if (!create && !hasField) {
		return fail('nothing to update: give at least one of firstName, lastName, fullName, salutation, cellPhone');
	}
	return { ok: true, value };
}

module.exports = { validateContactInput, normalizeCountryCode, isPlainObject };
