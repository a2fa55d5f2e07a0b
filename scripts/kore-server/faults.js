'use strict';

/**
 * What the server does to a request besides answering it: fault rules (a 429 or 5xx answer, a reset connection, a
 * request that hangs), hooks (functions that see each request and may hold it back or answer it with such an
 * action), and latency. The pipeline takes a fault when a request arrives and runs the hooks once its body is read.
 */

const { isPlainObject } = require('./validation');

/**
 * @typedef {import('./index').FaultAction} FaultAction
 * @typedef {import('./index').FaultRule} FaultRule
 * @typedef {import('./index').RequestHook} RequestHook
 * @typedef {import('./index').HookedRequest} HookedRequest
 * @typedef {'status'|'reset-before'|'reset-after'|'hang'|'rate-limit-message'} FaultKind
 */

/**
 * @param {unknown} a
 * @returns {a is FaultAction}
 */
function isFaultAction(a) {
	const x = /** @type {any} */ (a);
	return (
		a === 'reset' ||
		a === 'hang' ||
		(isPlainObject(a) && (x.reset === 'before' || x.reset === 'after' || x.rateLimitMessage === true || Number.isInteger(x.status)))
	);
}

/**
 * @param {FaultAction} a
 * @returns {FaultKind}
 */
function faultKind(a) {
	if (a === 'reset') return 'reset-before';
	if (a === 'hang') return 'hang';
	const x = /** @type {any} */ (a);
	if (x.reset === 'before') return 'reset-before';
	if (x.reset === 'after') return 'reset-after';
	if (x.rateLimitMessage) return 'rate-limit-message';
	return 'status';
}

/**
 * A rule as the admin API receives it: JSON cannot carry a RegExp (pathRegex + pathFlags) or Infinity (-1).
 * @param {any} r
 * @returns {FaultRule}
 */
function faultFromJson(r) {
	if (!isPlainObject(r)) throw new Error('fault rule must be an object');
	/** @type {any} */
	const rule = { ...r };
	if (typeof r.pathRegex === 'string') {
		rule.path = new RegExp(r.pathRegex, typeof r.pathFlags === 'string' ? r.pathFlags : '');
		delete rule.pathRegex;
		delete rule.pathFlags;
	}
	if (rule.times === null || rule.times === -1) rule.times = Infinity;
	return rule;
}

/** @param {FaultRule & { times: number }} f */
function faultJson(f) {
	return {
		method: f.method,
		path: f.path instanceof RegExp ? undefined : f.path,
		pathRegex: f.path instanceof RegExp ? f.path.source : undefined,
		times: Number.isFinite(f.times) ? f.times : -1,
		action: f.action,
	};
}

/**
 * @param {number|[number, number]|undefined} ms
 * @returns {number|[number, number]}
 */
function checkedLatency(ms) {
	if (ms === undefined || ms === null) ms = 0;
	const ok = Array.isArray(ms) ? ms.length === 2 && ms.every((n) => n >= 0) : ms >= 0;
	if (!ok) throw new Error('latencyMs must be a number >= 0 or [min, max]');
	return ms;
}

/**
 * The fault rules, hooks and latency of one server.
 * @param {number|[number, number]} initialLatency
 */
function createFaults(initialLatency) {
	/** @type {(FaultRule & { times: number })[]} */
	let rules = [];
	/** @type {RequestHook[]} */
	let hooks = [];
	let latency = initialLatency;

	return {
		/** @param {FaultRule} rule */
		add(rule) {
			if (!rule || rule.action === undefined) throw new Error('fault rule needs an action');
			if (!isFaultAction(rule.action)) throw new Error(`unsupported fault action: ${JSON.stringify(rule.action)}`);
			const times = rule.times === undefined ? 1 : rule.times;
			if (!(times > 0)) throw new Error('fault times must be > 0');
			rules.push({ ...rule, method: rule.method ? rule.method.toUpperCase() : undefined, times });
		},

		/** @param {unknown} json one rule or an array, as the admin API receives them */
		addJson(json) {
			for (const r of Array.isArray(json) ? json : [json]) this.add(faultFromJson(r));
		},

		list() {
			return rules.map(faultJson);
		},

		clear() {
			rules = [];
		},

		/** Back to the start: no rules, no hooks, the starting latency. */
		reset() {
			rules = [];
			hooks = [];
			latency = initialLatency;
		},

		/**
		 * Takes (consumes one use of) the first rule matching this request.
		 * @param {string} method
		 * @param {string} rawPath
		 * @returns {FaultAction|undefined}
		 */
		take(method, rawPath) {
			for (let i = 0; i < rules.length; i++) {
				const f = rules[i];
				if (f.method && f.method !== method) continue;
				if (f.path !== undefined) {
					if (f.path instanceof RegExp) {
						f.path.lastIndex = 0;
						if (!f.path.test(rawPath)) continue;
					} else if (!rawPath.startsWith(f.path)) continue;
				}
				f.times--;
				if (f.times <= 0) rules.splice(i, 1);
				return f.action;
			}
			return undefined;
		},

		/**
		 * Adds a hook; returns the function that removes it.
		 * @param {RequestHook} hook
		 */
		intercept(hook) {
			if (typeof hook !== 'function') throw new Error('a hook must be a function');
			hooks.push(hook);
			return () => {
				hooks = hooks.filter((h) => h !== hook);
			};
		},


		/**
		 * Runs the hooks in the order they were added, each awaited; the first action one returns is the answer
		 * (later hooks do not run).
		 * @param {HookedRequest} request
		 * @returns {Promise<FaultAction|undefined>}
		 */
		async runHooks(request) {
			for (const hook of [...hooks]) {
				const action = await hook(request);
				if (action === undefined || action === null) continue;
				if (!isFaultAction(action)) throw new Error(`a hook returned an unsupported action: ${JSON.stringify(action)}`);
				return action;
			}
			return undefined;
		},

		get latency() {
			return latency;
		},

		/** @param {number|[number, number]|undefined} ms */
		setLatency(ms) {
			latency = checkedLatency(ms);
		},

		/** This request's delay: the fixed latency, or a random one in [min, max]. */
		latencyNow() {
			if (Array.isArray(latency)) {
				const [min, max] = latency;
				return min + Math.random() * Math.max(0, max - min);
			}
			return latency || 0;
		},
	};
}

module.exports = { createFaults, faultKind };
