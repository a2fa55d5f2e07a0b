'use strict';

/**
 * Reading requests and writing answers: the body (up to a size cap), the query, header values, and an answer as
 * JSON or plain text. Used by the API pipeline and the admin endpoints.
 */

/**
 * @param {string} rawQuery
 * @returns {Record<string, string>}
 */
function parseQuery(rawQuery) {
	/** @type {Record<string, string>} */
	const q = {};
	if (!rawQuery) return q;
	for (const [k, v] of new URLSearchParams(rawQuery)) q[k] = v;
	return q;
}

/**
 * Reads the whole body up to `max` bytes; resolves null when it is larger (the rest is not read).
 * @param {import('node:http').IncomingMessage} req
 * @param {number} max
 * @returns {Promise<Buffer|null>}
 */
function readBody(req, max) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let done = false;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			if (done) return;
			size += chunk.length;
			if (size > max) {
				done = true;
				req.pause();
				resolve(null);
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (!done) {
				done = true;
				resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
			}
		});
		req.on('error', (e) => {
			if (!done) {
				done = true;
				reject(e);
			}
		});
	});
}

/**
 * @param {string|undefined} contentType
 */
function isJsonType(contentType) {
	if (!contentType) return false;
	const t = contentType.split(';')[0].trim().toLowerCase();
	return t === 'application/json' || (t.startsWith('application/') && t.endsWith('+json'));
}

/**
 * @param {string|string[]|undefined} v
 * @returns {string|null}
 */
function headerValue(v) {
	if (Array.isArray(v)) return v[0] ?? null;
	return v === undefined ? null : v;
}

/**
 * Answers with a JSON body, or a plain-text one when `body` is a string. Does nothing once the socket is gone.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
	if (res.writableEnded || res.destroyed) return;
	const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {
		'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

module.exports = { parseQuery, readBody, isJsonType, headerValue, send };
