'use strict';

/**
 * The route table. Each endpoint family is one module under endpoints/ that exports `routes`; adding a family is
 * one new module and one line in FAMILIES. `resolve` finds a request's route as a router would:
 *  - the raw path is split on `/` and each segment is percent-decoded on its own (malformed encoding: 404);
 *  - a `:name` segment of a route's path matches any one non-empty segment and is handed over decoded;
 *  - a literal segment matches the raw segment, so an encoded look-alike (`bulk%2Ddelete`) is a parameter
 *    where a route has one there; elsewhere it matches the decoded segment too;
 *  - a path that matches no route is 404; a path that matches but not with this method is 405 with `Allow`
 *    (the methods in FAMILIES order).
 */

const { SCOPE_FLAGS } = require('./access');

/**
 * @typedef {import('./pipeline').Context} Context
 * @typedef {import('./request-log').Body} Body
 *
 * @typedef {object} Call  what a route's handler gets
 * @property {Record<string, string>} params   the path's `:name` segments, decoded
 * @property {Record<string, string>} query
 * @property {Body} body
 * @property {import('./auth').App} app        the authenticated JWT app
 * @property {import('node:http').IncomingHttpHeaders} headers  the request's headers (e.g. the Campaign API's `iid`)
 *
 * @typedef {object} Route
 * @property {'GET'|'POST'|'PUT'|'DELETE'} method
 * @property {string} path   e.g. '/agentassist/api/v1/public/:streamId/contacts/:id'
 * @property {string} kind   the endpoint's name in matchRoute()'s answer
 * @property {'json'|'multipart'} [body]  'json': a JSON body is required (412 when empty or not JSON-typed,
 *   400 when unparseable), checked after the rate limit; 'multipart': the log keeps a summary of the parts
 * @property {keyof typeof SCOPE_FLAGS} [scope]  the API scope the JWT app must be mapped to (default 'Configuration')
 * @property {(call: Call, ctx: Context) => unknown} handle  the 200 answer's body; throws an HttpError for any
 *   other answer
 *
 * @typedef {{ kind: 'notFound' } | { kind: 'methodNotAllowed', allow: string } |
 *   { kind: string, params: Record<string, string>, route: Route }} Resolved
 */

/** Every endpoint family, in the order their methods are listed in `Allow`. */
const FAMILIES = [
	require('./endpoints/list'),
	require('./endpoints/create'),
	require('./endpoints/import'),
	require('./endpoints/update'),
	require('./endpoints/delete'),
	require('./endpoints/bulk'),
	require('./endpoints/contact-lists'),
	require('./endpoints/campaigns'),
];

/** @typedef {{ literal: string } | { param: string }} Segment */

/** @type {{ segments: Segment[], routes: Route[] }[]} routes grouped by path */
const PATTERNS = [];
for (const family of FAMILIES) {
	for (const route of /** @type {Route[]} */ (family.routes)) {
		if (typeof route.handle !== 'function') throw new Error(`route ${route.method} ${route.path}: handle must be a function`);
		if (route.scope !== undefined && !(route.scope in SCOPE_FLAGS)) throw new Error(`route ${route.method} ${route.path}: unknown scope ${route.scope}`);
		const pattern = PATTERNS.find((p) => p.routes[0].path === route.path);
		if (pattern?.routes.some((r) => r.method === route.method)) throw new Error(`route ${route.method} ${route.path} is listed twice`);
		if (pattern) pattern.routes.push(route);
		else {
			const segments = route.path.slice(1).split('/').map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
			PATTERNS.push({ segments, routes: [route] });
		}
	}
}

/**
 * How well a pattern matches, segment by segment (literal as sent 2, parameter 1, literal once decoded 0), or null.
 * @param {Segment[]} segments
 * @param {string[]} raw
 * @param {string[]} decoded
 * @returns {{ score: number[], params: Record<string, string> } | null}
 */
function matchPattern(segments, raw, decoded) {
	if (segments.length !== raw.length) return null;
	/** @type {number[]} */
	const score = [];
	/** @type {Record<string, string>} */
	const params = {};
	for (let i = 0; i < segments.length; i++) {
		const s = segments[i];
		if ('param' in s) {
			if (decoded[i] === '') return null;
			params[s.param] = decoded[i];
			score.push(1);
		} else if (raw[i] === s.literal) score.push(2);
		else if (decoded[i] === s.literal) score.push(0);
		else return null;
	}
	return { score, params };
}

/** @param {number[]} a @param {number[]} b */
function better(a, b) {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
	return false;
}

/**
 * @param {string} rawPath  the path as received, without the query
 * @param {string} method
 * @returns {Resolved}
 */
function resolve(rawPath, method) {
	if (!rawPath.startsWith('/')) return { kind: 'notFound' };
	const raw = rawPath.slice(1).split('/');
	/** @type {string[]} */
	const decoded = [];
	for (const s of raw) {
		try {
			decoded.push(decodeURIComponent(s));
		} catch {
			return { kind: 'notFound' };
		}
	}
	/** @type {{ score: number[], params: Record<string, string>, routes: Route[] } | undefined} */
	let best;
	for (const pattern of PATTERNS) {
		const m = matchPattern(pattern.segments, raw, decoded);
		if (m && (!best || better(m.score, best.score))) best = { ...m, routes: pattern.routes };
	}
	if (!best) return { kind: 'notFound' };
	const route = best.routes.find((r) => r.method === method);
	if (!route) return { kind: 'methodNotAllowed', allow: best.routes.map((r) => r.method).join(', ') };
	return { kind: route.kind, params: best.params, route };
}

/**
 * Which endpoint a request is for, without its handler: { kind, ...params }, or notFound / methodNotAllowed.
 * @param {string} rawPath
 * @param {string} method
 */
function matchRoute(rawPath, method) {
	const r = resolve(rawPath, method);
	return 'route' in r ? { kind: r.kind, ...r.params } : r;
}

module.exports = { resolve, matchRoute };
