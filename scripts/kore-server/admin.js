'use strict';

/**
 * The admin endpoints under `/__admin/` (no auth, never logged, faulted or delayed): the request log, fault rules,
 * reset, rate limit, latency and the stored contacts, for a client in another process (the CLI's users).
 */

const { readBody, send } = require('./http-io');

/**
 * @param {import('./pipeline').Context} ctx
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} method
 * @param {string} rawPath
 * @param {Record<string, string>} query
 */
async function handleAdmin(ctx, req, res, method, rawPath, query) {
	const raw = await readBody(req, ctx.config.maxBodyBytes);
	/** @type {any} */
	let json;
	if (raw && raw.length > 0) {
		try {
			json = JSON.parse(raw.toString('utf8'));
		} catch {
			return send(res, 400, { error: 'invalid JSON' });
		}
	}
	const { log, faults, limiter } = ctx;
	const p = rawPath.replace(/\/+$/, '');
	/** @type {Record<string, Record<string, () => unknown>>} */
	const routes = {
		'/__admin/requests': {
			GET: () => {
				const limit = query.limit !== undefined ? Number(query.limit) : undefined;
				const all = log.requests;
				return {
					...log.stats(),
					requests: query.summary ? undefined : limit !== undefined && limit >= 0 ? all.slice(Math.max(0, all.length - limit)) : all,
				};
			},
			DELETE: () => {
				log.clear();
				return log.stats();
			},
		},
		'/__admin/faults': {
			GET: () => ({ faults: faults.list() }),
			POST: () => {
				faults.addJson(json);
				return { faults: faults.list() };
			},
			DELETE: () => {
				faults.clear();
				return { faults: [] };
			},
		},
		'/__admin/reset': { POST: () => (ctx.reset(), { ok: true }) },
		'/__admin/rate-limit': {
			GET: () => limiter.config,
			POST: () => (limiter.set(json || {}), limiter.config),
		},
		'/__admin/latency': {
			GET: () => ({ latencyMs: faults.latency }),
			POST: () => {
				faults.setLatency(json && json.latencyMs);
				return { latencyMs: faults.latency };
			},
		},
		'/__admin/contacts': {
			GET: () => {
				if (query.streamId !== undefined) return ctx.contacts(query.streamId);
				/** @type {Record<string, unknown[]>} */
				const all = {};
				for (const id of ctx.store.streams.keys()) all[id] = ctx.contacts(id);
				return all;
			},
		},
	};
	const r = routes[p];
	if (!r) return send(res, 404, { error: 'unknown admin endpoint' });
	const fn = r[method];
	if (!fn) return send(res, 405, { error: 'Method Not Allowed' }, { allow: Object.keys(r).join(', ') });
	try {
		send(res, 200, fn());
	} catch (e) {
		send(res, 400, { error: /** @type {Error} */ (e).message });
	}
}

module.exports = { handleAdmin };
