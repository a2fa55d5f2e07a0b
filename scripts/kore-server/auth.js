'use strict';

/**
 * JWT checks for the local Kore-compatible server: the `auth` header carries an HS256 JWT signed with the client
 * secret of the JWT app whose Client ID equals the token's `appId` claim.
 */

const jose = require('jose');
const { derivedId } = require('./store');

/**
 * @typedef {object} AccountOption
 * @property {string} accountId
 * @property {string} clientId        the JWT app's Client ID (the token's `appId`)
 * @property {string} clientSecret    the JWT app's Client Secret (HS256 key)
 * @property {boolean} [enforceJti]   the app's "Enforce JTI" setting
 * @property {string[]} [streams]     streams (bots) this app may use; omitted = any streamId is accepted
 * @property {boolean} [configurationScope]  whether the app is mapped to the "Configuration" API scope (default true)
 * @property {boolean} [campaignScope]  whether the app is mapped to the "Campaign Management" API scope (default true)
 * @property {string} [orgId]         stamped on contacts (default derived from accountId)
 * @property {string} [userId]        `createdBy` / `updatedBy` (default derived from accountId)
 * @property {string} [aId]           `createdByAId` / `updatedByAId` (default derived from clientId)
 *
 * @typedef {object} App
 * @property {string} accountId
 * @property {string} clientId
 * @property {Uint8Array} key
 * @property {boolean} enforceJti
 * @property {Set<string>|null} streams
 * @property {boolean} configurationScope
 * @property {boolean} campaignScope
 * @property {string} orgId
 * @property {string} userId
 * @property {string} aId
 * @property {Map<string, number>} seenJti  jti → time (ms) after which it may be forgotten
 *
 * @typedef {{ appId?: string, jti?: string }} TokenInfo  unverified claims, for the request log
 * @typedef {{ ok: true, app: App, info: TokenInfo } | { ok: false, reason: string, info: TokenInfo }} VerifyResult
 */

const MAX_JTI_LIFETIME_S = 3600;

/**
 * @param {AccountOption[]} accounts
 * @returns {Map<string, App>} by clientId
 */
function buildApps(accounts) {
	/** @type {Map<string, App>} */
	const apps = new Map();
	for (const a of accounts) {
		for (const k of /** @type {const} */ (['accountId', 'clientId', 'clientSecret'])) {
			if (typeof a[k] !== 'string' || a[k] === '') throw new Error(`accounts[]: ${k} must be a non-empty string`);
		}
		if (apps.has(a.clientId)) throw new Error(`accounts[]: duplicate clientId ${a.clientId}`);
		apps.set(a.clientId, {
			accountId: a.accountId,
			clientId: a.clientId,
			key: new TextEncoder().encode(a.clientSecret),
			enforceJti: Boolean(a.enforceJti),
			streams: Array.isArray(a.streams) ? new Set(a.streams) : null,
			configurationScope: a.configurationScope !== false,
			campaignScope: a.campaignScope !== false,
			orgId: a.orgId || derivedId('o', `org:${a.accountId}`),
			userId: a.userId || derivedId('u', `user:${a.accountId}`),
			aId: a.aId || derivedId('a', `app:${a.clientId}`),
			seenJti: new Map(),
		});
	}
	return apps;
}

/** @type {Record<string, string>} jose error code → log reason */
const JOSE_REASONS = {
	ERR_JWT_EXPIRED: 'expired',
	ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad-signature',
	ERR_JOSE_ALG_NOT_ALLOWED: 'alg-not-allowed',
	ERR_JWT_CLAIM_VALIDATION_FAILED: 'claim-invalid',
	ERR_JWS_INVALID: 'malformed',
	ERR_JWT_INVALID: 'malformed',
	ERR_JOSE_NOT_SUPPORTED: 'alg-not-allowed',
};

/**
 * Verifies a token. Never throws.
 * @param {Map<string, App>} apps
 * @param {string} token
 * @param {number} now ms
 * @returns {Promise<VerifyResult>}
 */
async function verifyToken(apps, token, now) {
	/** @type {TokenInfo} */
	const info = {};
	/** @type {import('jose').JWTPayload} */
	let unverified;
	try {
		unverified = jose.decodeJwt(token);
	} catch {
		return { ok: false, reason: 'malformed', info };
	}
	if (typeof unverified.appId === 'string') info.appId = unverified.appId;
	if (typeof unverified.jti === 'string') info.jti = unverified.jti;
	const app = info.appId !== undefined ? apps.get(info.appId) : undefined;
	if (!app) return { ok: false, reason: info.appId === undefined ? 'no-appId' : 'unknown-appId', info };

	/** @type {import('jose').JWTPayload} */
	let claims;
	try {
		({ payload: claims } = await jose.jwtVerify(token, app.key, {
			algorithms: ['HS256'],
			currentDate: new Date(now),
		}));
	} catch (e) {
		const code = /** @type {{ code?: string }} */ (e).code;
		return { ok: false, reason: (code && JOSE_REASONS[code]) || 'invalid', info };
	}

	if (app.enforceJti) {
		const jti = claims.jti;
		if (typeof jti !== 'string' || jti === '') return { ok: false, reason: 'jti-missing', info };
		if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
			return { ok: false, reason: 'jti-needs-iat-exp', info };
		}
		if (claims.exp - claims.iat > MAX_JTI_LIFETIME_S) return { ok: false, reason: 'jti-lifetime-over-1h', info };
		pruneJti(app, now);
		if (app.seenJti.has(jti)) return { ok: false, reason: 'jti-replay', info };
		app.seenJti.set(jti, claims.exp * 1000);
	}
	return { ok: true, app, info };
}

/**
 * Forgets jti values of tokens that have expired anyway (they can no longer be replayed), at most once per 1000
 * insertions so the check stays O(1) amortized.
 * @param {App} app
 * @param {number} now
 */
function pruneJti(app, now) {
	if (app.seenJti.size < 1000 || app.seenJti.size % 1000 !== 0) return;
	for (const [jti, until] of app.seenJti) if (until < now) app.seenJti.delete(jti);
}

/**
 * Who an app's changes are stamped with: its account, org, user and app ids.
 * @param {App} app
 * @returns {import('./store').Actor}
 */
function actorOf(app) {
	return { accountId: app.accountId, orgId: app.orgId, userId: app.userId, aId: app.aId };
}

module.exports = { buildApps, verifyToken, actorOf };
