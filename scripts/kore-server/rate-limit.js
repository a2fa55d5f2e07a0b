'use strict';

/**
 * Per-account request rate limiting: Kore documents 60 requests per minute per account for the contact-center
 * public APIs.
 */

/**
 * @typedef {object} RateLimitOptions
 * @property {number} [limit]          requests per window; 0 = no limit (default 60)
 * @property {number} [windowMs]       window length (default 60000)
 * @property {'sliding'|'fixed'} [mode] sliding log (default) or a fixed window that starts at the first request
 * @property {number} [status]         status of a rejected request (default 429)
 * @property {boolean} [retryAfter]    send a Retry-After header, seconds rounded up (default false)
 * @property {boolean} [countRejected] rejected requests also count against the limit (default false)
 *
 * @typedef {Required<RateLimitOptions>} RateLimitConfig
 * @typedef {{ allowed: true } | { allowed: false, retryAfterMs: number }} Decision
 */

/** @type {RateLimitConfig} */
const DEFAULTS = { limit: 60, windowMs: 60000, mode: 'sliding', status: 429, retryAfter: false, countRejected: false };

/**
 * @param {RateLimitOptions|undefined} opts
 * @param {RateLimitConfig} [base]
 * @returns {RateLimitConfig}
 */
function normalize(opts, base = DEFAULTS) {
	const c = { ...base, ...(opts || {}) };
	if (!Number.isInteger(c.limit) || c.limit < 0) throw new Error('rateLimit.limit must be an integer >= 0');
	if (!(c.windowMs > 0)) throw new Error('rateLimit.windowMs must be > 0');
	if (c.mode !== 'sliding' && c.mode !== 'fixed') throw new Error("rateLimit.mode must be 'sliding' or 'fixed'");
	if (!Number.isInteger(c.status) || c.status < 100 || c.status > 599) throw new Error('rateLimit.status must be an HTTP status');
	c.retryAfter = Boolean(c.retryAfter);
	c.countRejected = Boolean(c.countRejected);
	return c;
}

class RateLimiter {
	/** @param {RateLimitOptions} [opts] */
	constructor(opts) {
		this.config = normalize(opts);
		/** @type {Map<string, { times: number[], head: number }>} sliding: request times per account */
		this.sliding = new Map();
		/** @type {Map<string, { start: number, count: number }>} fixed: current window per account */
		this.fixed = new Map();
	}

	/**
	 * Replaces the configuration (merged over the current one) and forgets all counts.
	 * @param {RateLimitOptions} opts
	 */
	set(opts) {
		this.config = normalize(opts, this.config);
		this.clear();
	}

	clear() {
		this.sliding.clear();
		this.fixed.clear();
	}

	/**
	 * Counts one request of `key` at time `now` and decides whether it is admitted.
	 * @param {string} key
	 * @param {number} now ms
	 * @returns {Decision}
	 */
	hit(key, now) {
		const { limit, windowMs, mode, countRejected } = this.config;
		if (limit === 0) return { allowed: true };
		if (mode === 'fixed') {
			let w = this.fixed.get(key);
			if (!w || now >= w.start + windowMs) {
				w = { start: now, count: 0 };
				this.fixed.set(key, w);
			}
			if (w.count >= limit) {
				if (countRejected) w.count++;
				return { allowed: false, retryAfterMs: w.start + windowMs - now };
			}
			w.count++;
			return { allowed: true };
		}
		let s = this.sliding.get(key);
		if (!s) {
			s = { times: [], head: 0 };
			this.sliding.set(key, s);
		}
		const cutoff = now - windowMs;
		while (s.head < s.times.length && s.times[s.head] <= cutoff) s.head++;
		if (s.head > 1024 && s.head * 2 > s.times.length) {
			s.times = s.times.slice(s.head);
			s.head = 0;
		}
		const inWindow = s.times.length - s.head;
		if (inWindow >= limit) {
			// the request becomes admissible once enough old ones have left the window
			const oldestThatMustLeave = s.times[s.times.length - limit];
			if (countRejected) s.times.push(now);
			return { allowed: false, retryAfterMs: oldestThatMustLeave + windowMs - now };
		}
		s.times.push(now);
		return { allowed: true };
	}
}

module.exports = { RateLimiter, normalizeRateLimit: normalize, RATE_LIMIT_DEFAULTS: DEFAULTS };
