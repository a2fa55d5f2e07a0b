'use strict';

/**
 * One request's way through the server (README, "Processing order"): admin paths apart; the fault rule taken;
 * latency; faults that end it early; routing (404, 405); the body (413); the hooks; a fault's answer; access (401,
 * 429); body checks (400, 412); the endpoint. Every API request ends in one log entry.
 */

const http = require('node:http');
const { resolve } = require('./routes');
const { HttpError, RATE_LIMIT_MESSAGE, errorBody, validation } = require('./errors');
const { parseQuery, readBody, isJsonType, headerValue, send } = require('./http-io');
const { faultKind } = require('./faults');
const { loggedBody } = require('./request-log');
const { authenticate, overRateLimit } = require('./access');
const { handleAdmin } = require('./admin');

/**
 * @typedef {object} Context  one server's state, shared by its modules
 * @property {import('./config').Config} config
 * @property {import('./store').Store} store
 * @property {Map<string, import('./auth').App>} apps   by clientId
 * @property {import('./rate-limit').RateLimiter} limiter
 * @property {ReturnType<import('./request-log').createRequestLog>} log
 * @property {ReturnType<import('./faults').createFaults>} faults
 * @property {() => void} reset
 * @property {(streamId: string) => import('./index').KoreContact[]} contacts
 * @property {ReturnType<import('./campaigns').createCampaigns>} campaigns  contact lists and campaigns (Campaign Management API)
 *
 * @typedef {import('./index').LogEntry} LogEntry
 * @typedef {import('./index').FaultAction} FaultAction
 * @typedef {import('./index').StatusAction} StatusAction
 * @typedef {import('./request-log').Body} Body
 * @typedef {{ status: number, out: unknown, headers: Record<string, string> }} Answer
 */

/**
 * @param {Context} ctx
 */
function createPipeline(ctx) {
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let closing = false;

	/** @param {number} ms */
	function delay(ms) {
		return new Promise((done) => {
			const t = setTimeout(() => {
				timers.delete(t);
				done(undefined);
			}, ms);
			timers.add(t);
		});
	}

	/**
	 * Ends the request without an answer when its fault (a rule's, or a hook's) says so: a reset connection, or a
	 * request left hanging. Logs it and says whether it did.
	 * @param {string|undefined} kind  faultKind() of the fault, if any
	 * @param {http.IncomingMessage} req
	 * @param {LogEntry} entry
	 */
	function endsWithoutAnswer(kind, req, entry) {
		if (kind === 'reset-before') {
			req.socket.destroy();
			ctx.log.record(entry);
			return true;
		}
		if (kind === 'hang') {
			ctx.log.record(entry);
			req.resume(); // swallow the body (if not read yet), never answer
			return true;
		}
		return false;
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function onRequest(req, res) {
		const at = Date.now();
		const url = req.url || '/';
		const qi = url.indexOf('?');
		const rawPath = qi < 0 ? url : url.slice(0, qi);
		const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
		const method = (req.method || 'GET').toUpperCase();
		if (rawPath === '/__admin' || rawPath.startsWith('/__admin/')) return handleAdmin(ctx, req, res, method, rawPath, parseQuery(rawQuery));

		/** @type {LogEntry} */
		const entry = {
			at,
			method,
			path: rawPath,
			query: parseQuery(rawQuery),
			accountId: headerValue(req.headers.accountid),
			appId: null,
			jti: null,
			status: null,
		};
		let fault = ctx.faults.take(method, rawPath);
		let kind = fault === undefined ? undefined : faultKind(fault);
		if (kind) entry.fault = kind;

		const wait = ctx.faults.latencyNow();
		if (wait > 0) await delay(wait);
		if (closing) return;

		if (endsWithoutAnswer(kind, req, entry)) return;

		/** @type {Answer} */
		let answer;
		const route = resolve(rawPath, method);
		try {
			const raw = await readBody(req, ctx.config.maxBodyBytes);
			if (raw === null) {
				entry.status = 413;
				ctx.log.record(entry);
				send(res, 413, errorBody(ctx.config, 413, 'Request Entity Too Large'), { connection: 'close' });
				return;
			}
			const contentType = headerValue(req.headers['content-type']) || undefined;
			/** @type {Body} */
			const body = { raw, contentType };
			if (raw.length > 0 && isJsonType(contentType)) {
				try {
					body.json = JSON.parse(raw.toString('utf8'));
				} catch {
					body.jsonError = true;
				}
			}
			if ('route' in route) entry.body = loggedBody(body, route.route.body);
			else if (raw.length > 0) entry.body = body.json !== undefined ? body.json : raw.subarray(0, 1000).toString('utf8');

			const hooked = await ctx.faults.runHooks({
				method,
				path: rawPath,
				route: /** @type {import('./index').RouteMatch} */ ('route' in route ? { kind: route.kind, ...route.params } : route),
				query: { ...entry.query },
				headers: req.headers,
				body: body.json !== undefined ? body.json : raw,
			});
			if (closing) return;
			if (hooked !== undefined) {
				fault = hooked;
				kind = faultKind(hooked);
				entry.fault = kind;
				if (endsWithoutAnswer(kind, req, entry)) return;
			}

			if (kind === 'status') {
				const a = /** @type {StatusAction} */ (fault);
				const out = a.body !== undefined ? a.body : errorBody(ctx.config, a.status, http.STATUS_CODES[a.status] || 'Error');
				answer = { status: a.status, out, headers: a.headers || {} };
			} else if (kind === 'rate-limit-message') {
				const status = /** @type {{ status?: number }} */ (fault).status ?? 200;
				answer = { status, out: errorBody(ctx.config, status, RATE_LIMIT_MESSAGE, 429), headers: {} };
				entry.rateLimited = true;
			} else {
				answer = await apiRequest(route, body, entry, req, at);
			}
		} catch (e) {
			if (e instanceof HttpError) {
				answer = { status: e.status, out: errorBody(ctx.config, e.status, e.message, e.code, e.detail), headers: {} };
				if (e.authError) entry.authError = e.authError;
			} else {
				answer = { status: 500, out: errorBody(ctx.config, 500, 'Internal Server Error'), headers: {} };
				console.error('[kore-server]', e);
			}
		}
		entry.status = answer.status;
		entry.durationMs = Date.now() - at;
		ctx.log.record(entry);
		if (kind === 'reset-after') {
			req.socket.destroy();
			return;
		}
		send(res, answer.status, answer.out, answer.headers);
	}

	/**
	 * Routing errors, access, body checks and the endpoint.
	 * @param {import('./routes').Resolved} resolved
	 * @param {Body} body
	 * @param {LogEntry} entry
	 * @param {http.IncomingMessage} req
	 * @param {number} at
	 * @returns {Promise<Answer>}
	 */
	async function apiRequest(resolved, body, entry, req, at) {
		if (!('route' in resolved)) {
			if (resolved.kind === 'methodNotAllowed') {
				return { status: 405, out: errorBody(ctx.config, 405, 'Method Not Allowed'), headers: { allow: resolved.allow } };
			}
			throw new HttpError(404, 'Not Found');
		}
		const { route, params } = resolved;
		const app = await authenticate(ctx, route, params, req, entry);
		const limited = overRateLimit(ctx, app, at, entry);
		if (limited) return limited;
		if (route.body === 'json') {
			if (body.raw.length === 0) throw validation('a JSON body is required');
			if (!isJsonType(body.contentType)) throw validation('Content-Type must be application/json');
			if (body.jsonError) throw new HttpError(400, 'Invalid JSON payload');
		}
		return { status: 200, out: await route.handle({ params, query: entry.query, body, app, headers: req.headers }, ctx), headers: {} };
	}

	return {
		/** The `request` listener of the server. */
		listener: (/** @type {http.IncomingMessage} */ req, /** @type {http.ServerResponse} */ res) => {
			onRequest(req, res).catch((e) => {
				console.error('[kore-server]', e);
				if (!res.headersSent) send(res, 500, errorBody(ctx.config, 500, 'Internal Server Error'));
			});
		},
		/** Stops answering: pending latency timers are cleared and requests still waiting are dropped. */
		close() {
			closing = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
		},
	};
}

module.exports = { createPipeline };
