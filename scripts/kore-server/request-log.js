'use strict';

/**
 * The request log and its counters: one entry per API request (admin requests are not logged), kept up to
 * `logLimit` entries, oldest dropped; the counters count every request either way. Never holds a JWT or a secret.
 */

const { multipartBoundary, parseMultipart } = require('./multipart');

/**
 * @typedef {import('./index').LogEntry} LogEntry
 * @typedef {import('./index').Stats} Stats
 * @typedef {{ json?: unknown, raw: Buffer, contentType?: string, jsonError?: boolean }} Body
 */

/**
 * What the log keeps of a body: the JSON value, a summary of the parts of a multipart body, or the first 1000
 * characters.
 * @param {Body} body
 * @param {'json'|'multipart'} [kind]  what the route expects
 */
function loggedBody(body, kind) {
	if (body.raw.length === 0) return undefined;
	if (kind === 'multipart') {
		const boundary = multipartBoundary(body.contentType);
		if (!boundary) return body.raw.subarray(0, 1000).toString('utf8');
		try {
			return {
				multipart: parseMultipart(body.raw, boundary).map((p) => ({
					name: p.name,
					filename: p.filename,
					size: p.data.length,
					text: p.data.subarray(0, 1000).toString('utf8'),
				})),
			};
		} catch {
			return body.raw.subarray(0, 1000).toString('utf8');
		}
	}
	if (body.json !== undefined) return body.json;
	return body.raw.subarray(0, 1000).toString('utf8');
}

/**
 * @param {{ logLimit: number, logBodies: boolean }} config
 */
function createRequestLog(config) {
	/** @type {LogEntry[]} the live log: the same array for the server's whole life */
	const requests = [];
	const stats = {
		total: 0,
		/** @type {Record<string, number>} */
		byStatus: {},
		rateLimited: 0,
		/** @type {Record<string, number>} */
		faults: {},
		dropped: 0,
	};

	return {
		requests,

		/** @param {LogEntry} entry */
		record(entry) {
			stats.total++;
			const key = entry.status === null ? 'none' : String(entry.status);
			stats.byStatus[key] = (stats.byStatus[key] || 0) + 1;
			if (entry.rateLimited) stats.rateLimited++;
			if (entry.fault) stats.faults[entry.fault] = (stats.faults[entry.fault] || 0) + 1;
			if (config.logLimit <= 0) return;
			if (!config.logBodies) delete entry.body;
			requests.push(entry);
			while (requests.length > config.logLimit) {
				requests.shift();
				stats.dropped++;
			}
		},

		/** @returns {Stats} */
		stats() {
			return {
				total: stats.total,
				byStatus: { ...stats.byStatus },
				rateLimited: stats.rateLimited,
				faults: { ...stats.faults },
				logged: requests.length,
				dropped: stats.dropped,
			};
		},

		clear() {
			requests.length = 0;
			stats.total = 0;
			stats.byStatus = {};
			stats.rateLimited = 0;
			stats.faults = {};
			stats.dropped = 0;
		},
	};
}

module.exports = { createRequestLog, loggedBody };
