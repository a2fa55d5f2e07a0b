'use strict';

/**
 * The server's behaviour options (ServerOptions in index.d.ts) with their defaults, checked once at start. The
 * endpoints read them from `ctx.config`; `setOptions` changes the ones listed in CHANGEABLE while the server runs.
 */

/**
 * @typedef {import('./index').ServerOptions} ServerOptions
 *
 * @typedef {object} Config
 * @property {string} host
 * @property {number} port
 * @property {number} pageSize
 * @property {number} maxPageSize
 * @property {number} maxBulk
 * @property {number} maxBodyBytes
 * @property {boolean} listInactive
 * @property {boolean} listTotals
 * @property {'notFound'|'ok'} inactiveIds
 * @property {number} notFoundStatus
 * @property {number} duplicateStatus
 * @property {'msg'|'message'} errorKey
 * @property {boolean} requireAllFields
 * @property {number} logLimit
 * @property {boolean} logBodies
 * @property {(() => string)|undefined} newId
 */

/** Options `setOptions` accepts while the server runs (the others shape the listener, the log or the limits). */
const CHANGEABLE = /** @type {const} */ ([
	'pageSize',
	'maxPageSize',
	'listInactive',
	'listTotals',
	'inactiveIds',
	'notFoundStatus',
	'duplicateStatus',
	'errorKey',
	'requireAllFields',
]);

/**
 * @param {number} n
 * @param {string} name
 */
function positiveInt(n, name) {
	if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
	return n;
}

/**
 * @param {ServerOptions} options
 * @returns {Config}
 */
function readConfig(options) {
	/** @type {Config} */
	const o = {
		host: options.host || '127.0.0.1',
		port: options.port ?? 0,
		pageSize: positiveInt(options.pageSize ?? 10, 'pageSize'),
		maxPageSize: positiveInt(options.maxPageSize ?? 100, 'maxPageSize'),
		maxBulk: positiveInt(options.maxBulk ?? 10000, 'maxBulk'),
		maxBodyBytes: positiveInt(options.maxBodyBytes ?? 16 * 1024 * 1024, 'maxBodyBytes'),
		listInactive: Boolean(options.listInactive),
		listTotals: options.listTotals ?? true,
		inactiveIds: options.inactiveIds || 'notFound',
		notFoundStatus: options.notFoundStatus ?? 404,
		duplicateStatus: options.duplicateStatus ?? 409,
		errorKey: options.errorKey || 'msg',
		requireAllFields: options.requireAllFields ?? true,
		logLimit: options.logLimit ?? 10000,
		logBodies: options.logBodies ?? true,
		newId: options.newId,
	};
	if (o.inactiveIds !== 'notFound' && o.inactiveIds !== 'ok') throw new Error("inactiveIds must be 'notFound' or 'ok'");
	if (o.errorKey !== 'msg' && o.errorKey !== 'message') throw new Error("errorKey must be 'msg' or 'message'");
	if (o.newId !== undefined && typeof o.newId !== 'function') throw new Error('newId must be a function');
	if (o.pageSize > o.maxPageSize) o.maxPageSize = o.pageSize;
	return o;
}

/**
 * Changes the CHANGEABLE options of a running server, checked as at start; other keys are refused.
 * @param {Config} config
 * @param {Partial<ServerOptions>} changes
 */
function changeConfig(config, changes) {
	const unknown = Object.keys(changes).filter((k) => !(/** @type {readonly string[]} */ (CHANGEABLE)).includes(k));
	if (unknown.length) throw new Error(`setOptions cannot change ${unknown.join(', ')} (only ${CHANGEABLE.join(', ')})`);
	/** @type {ServerOptions} */
	const merged = { ...config, newId: config.newId };
	for (const k of CHANGEABLE) if (changes[k] !== undefined) /** @type {any} */ (merged)[k] = changes[k];
	Object.assign(config, readConfig(merged));
}

module.exports = { readConfig, changeConfig };
