'use strict';

/**
 * Who may call an endpoint, checked after routing in this order: the `auth` JWT and the `accountId` header, the
 * app's account, its streams and its API scope (each a 401), then the account's rate limit (429).
 */

const { verifyToken } = require('./auth');
const { HttpError, RATE_LIMIT_MESSAGE, errorBody } = require('./errors');
const { headerValue } = require('./http-io');

/**
 * @typedef {import('./auth').App} App
 * @typedef {import('./index').LogEntry} LogEntry
 * @typedef {import('./pipeline').Context} Context
 */

/** The API scopes a route may need (`scope` in the route table), and the App field that says an app has it. */
const SCOPE_FLAGS = /** @type {const} */ ({ Configuration: 'configurationScope', 'Campaign Management': 'campaignScope' });

/**
 * The authenticated app, or a 401 HttpError. Fills the log entry's appId and jti (unverified when it fails).
 * @param {Context} ctx
 * @param {{ scope?: string }} route
 * @param {Record<string, string>} params
 * @param {import('node:http').IncomingMessage} req
 * @param {LogEntry} entry
 * @returns {Promise<App>}
 */
async function authenticate(ctx, route, params, req, entry) {
	const token = headerValue(req.headers.auth);
	if (!token || !entry.accountId) {
		throw new HttpError(401, 'Invalid SDK credentials', { code: 4002, authError: !token ? 'no-token' : 'no-accountId' });
	}
	const v = await verifyToken(ctx.apps, token.trim(), Date.now());
	if (v.info.appId !== undefined) entry.appId = v.info.appId;
	if (v.info.jti !== undefined) entry.jti = v.info.jti;
	if (!v.ok) throw new HttpError(401, 'Invalid JWT token', { code: 4002, authError: v.reason });
	const app = v.app;
	// Kore documents no body for an accountId that is not the app's account (reference: "Errors"); this
	// server names the account, so a client can tell it from a refused stream. See README, choice 8.
	if (app.accountId !== entry.accountId) {
		throw new HttpError(401, 'Invalid accountId', { code: 4002, authError: 'account-mismatch' });
	}
	if (app.streams && !app.streams.has(params.streamId)) {
		throw new HttpError(401, 'Invalid SDK credentials', { code: 4002, authError: 'unknown-stream' });
	}
	// Kore's documented answer for an app that is not mapped to the API's scope (reference: "Errors").
	const flag = SCOPE_FLAGS[/** @type {keyof typeof SCOPE_FLAGS} */ (route.scope || 'Configuration')];
	if (!app[flag]) {
		throw new HttpError(401, 'Permission denied. Scope is incorrect!', { code: 4002, authError: 'scope' });
	}
	return app;
}

/**
 * Counts the request against its account's limit: null when it may go on, else the rate-limit answer.
 * @param {Context} ctx
 * @param {App} app
 * @param {number} at  when the request arrived
 * @param {LogEntry} entry
 * @returns {{ status: number, out: unknown, headers: Record<string, string> } | null}
 */
function overRateLimit(ctx, app, at, entry) {
	const d = ctx.limiter.hit(app.accountId, at);
	if (d.allowed) return null;
	entry.rateLimited = true;
	const rl = ctx.limiter.config;
	/** @type {Record<string, string>} */
	const headers = rl.retryAfter ? { 'retry-after': String(Math.max(1, Math.ceil(d.retryAfterMs / 1000))) } : {};
	return { status: rl.status, out: errorBody(ctx.config, rl.status, RATE_LIMIT_MESSAGE, 429), headers };
}

module.exports = { authenticate, overRateLimit, SCOPE_FLAGS };
