'use strict';

/**
 * A local server that speaks Kore.ai's contact-center Contacts public API (see README.md beside this file for the
 * contract, the module layout, and every choice made where Kore's documentation is silent). This entry assembles
 * one server from its parts and listens; the endpoints are in endpoints/, listed by routes.js.
 */

const http = require('node:http');
const { Store, render } = require('./store');
const { buildApps } = require('./auth');
const { RateLimiter } = require('./rate-limit');
const { readConfig, changeConfig } = require('./config');
const { demoSeed, seedContacts } = require('./seeds');
const { createRequestLog } = require('./request-log');
const { createFaults } = require('./faults');
const { createEdits } = require('./edits');
const { createPipeline } = require('./pipeline');
const { matchRoute } = require('./routes');
const { RATE_LIMIT_MESSAGE, VALIDATION_MESSAGE } = require('./errors');
const { createCampaigns } = require('./campaigns');

/**
 * Starts the server. Resolves once it listens.
 * @param {import('./index').ServerOptions} [options]
 * @returns {Promise<import('./index').KoreServer>}
 */
async function startKoreServer(options = {}) {
	const config = readConfig(options);
	const initialConfig = { ...config };
	const apps = buildApps(options.accounts || demoSeed().accounts);
	const seed = options.contacts || [];
	const store = new Store();
	const limiter = new RateLimiter(options.rateLimit);
	const initialRateLimit = { ...limiter.config };
	const log = createRequestLog(config);
	const faults = createFaults(options.latencyMs ?? 0);
	const campaigns = createCampaigns(options.campaign);

	function loadSeed() {
		store.clear();
		for (const app of apps.values()) app.seenJti.clear();
		seedContacts(store, apps, seed);
	}

	/**
	 * Every contact of a stream (INACTIVE included), in creation order, as the API renders them.
	 * @param {string} streamId
	 * @returns {import('./index').KoreContact[]}
	 */
	function contacts(streamId) {
		const s = store.streams.get(streamId);
		return s ? /** @type {any[]} */ ([...s.byId.values()].map(render)) : [];
	}

	/** Back to the state right after start: seed contacts, empty log and counters, no faults or hooks, the starting
	 * rate limit, latency and options. */
	function reset() {
		loadSeed();
		log.clear();
		faults.reset();
		limiter.set(initialRateLimit);
		Object.assign(config, initialConfig);
		campaigns.reset();
	}

	loadSeed();
	/** @type {import('./pipeline').Context} */
	const ctx = { config, store, apps, limiter, log, faults, reset, contacts, campaigns };
	const pipeline = createPipeline(ctx);
	const server = http.createServer(pipeline.listener);
	server.keepAliveTimeout = 5000;

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

	return {
		url: `http://${hostForUrl}:${address.port}`,
		port: address.port,
		requests: log.requests,
		contacts,
		reset,
		addFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		intercept: (hook) => faults.intercept(hook),
		setRateLimit: (opts) => limiter.set(opts),
		setLatency: (ms) => faults.setLatency(ms),
		setOptions: (changes) => changeConfig(config, changes),
		...createEdits(ctx),
		campaigns: campaigns.api,
		stats: () => log.stats(),
		close() {
			pipeline.close();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { startKoreServer, demoSeed, matchRoute, RATE_LIMIT_MESSAGE, VALIDATION_MESSAGE };
