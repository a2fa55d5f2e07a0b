'use strict';

/**
 * Kore's error answers: the `{"errors":[{"msg","code"}]}` body, the validation error (412), and how a problem with
 * one contact (unknown id, number taken, invalid field) becomes a status, or a failedRecords entry of a bulk answer.
 */

/** Kore's documented rate-limit message. */
const RATE_LIMIT_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.";
const VALIDATION_MESSAGE = 'Validation errors/ Invalid arguments';

/**
 * @typedef {import('./store').ItemError} ItemError
 * @typedef {{ errorKey: 'msg'|'message', notFoundStatus: number, duplicateStatus: number }} ErrorConfig
 * @typedef {{ property?: string, message: string }} Detail
 */

/** An error answer: thrown by the endpoints and the access checks, written by the pipeline with `errorBody`. */
class HttpError extends Error {
	/**
	 * @param {number} status
	 * @param {string} msg
	 * @param {{ code?: number, detail?: Detail[], authError?: string }} [extra]
	 */
	constructor(status, msg, extra = {}) {
		super(msg);
		this.status = status;
		this.code = extra.code !== undefined ? extra.code : status;
		this.detail = extra.detail;
		this.authError = extra.authError;
	}
}

/**
 * @param {string} message
 * @param {string} [property]
 */
function validation(message, property) {
	return new HttpError(412, VALIDATION_MESSAGE, { detail: [property ? { property, message } : { message }] });
}

/**
 * @param {ErrorConfig} config
 * @param {number} status
 * @param {string} msg
 * @param {number} [code]
 * @param {Detail[]} [detail]
 */
function errorBody(config, status, msg, code = status, detail) {
	/** @type {Record<string, unknown>} */
	const e = { [config.errorKey]: msg, code };
	if (detail) e.error = detail;
	return { errors: [e] };
}

/** @param {string} id @returns {ItemError} */
const notFound = (id) => ({ kind: 'notFound', msg: `Contact not found: ${id}` });

/**
 * @param {ErrorConfig} config
 * @param {ItemError} e
 * @returns {{ status: number, msg: string, detail?: Detail[] }}
 */
function itemErrorStatus(config, e) {
	if (e.kind === 'notFound') return { status: config.notFoundStatus, msg: e.msg };
	if (e.kind === 'duplicate') return { status: config.duplicateStatus, msg: e.msg };
	return { status: 412, msg: VALIDATION_MESSAGE, detail: [e.property ? { property: e.property, message: e.msg } : { message: e.msg }] };
}

/**
 * The answer to a one-contact request that failed on that contact.
 * @param {ErrorConfig} config
 * @param {ItemError} e
 * @returns {never}
 */
function throwItemError(config, e) {
	const s = itemErrorStatus(config, e);
	throw new HttpError(s.status, s.msg, { detail: s.detail });
}

/**
 * A bulk answer's failedRecords entry: { id, error: { msg, code } } (msg → message with errorKey 'message').
 * @param {ErrorConfig} config
 * @param {string|null} id
 * @param {ItemError} e
 */
function failedRecord(config, id, e) {
	const s = itemErrorStatus(config, e);
	return { id, error: { [config.errorKey]: e.kind === 'validation' ? `${VALIDATION_MESSAGE}: ${e.msg}` : e.msg, code: s.status } };
}

module.exports = {
	RATE_LIMIT_MESSAGE,
	VALIDATION_MESSAGE,
	HttpError,
	validation,
	errorBody,
	notFound,
	throwItemError,
	failedRecord,
};
