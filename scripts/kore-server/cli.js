#!/usr/bin/env node
'use strict';

/**
 * Runs the local Kore-compatible Contacts server in its own process.
 *
 *   node scripts/kore-server/cli.js [--port 0] [--seed demo|N] [--rate-limit 60/60000[/fixed|sliding]|off]
 *        [--latency ms|min-max] [--account-id …] [--client-id …] [--client-secret …] [--stream-id …]
 *        [--enforce-jti] [--page-size 10] [--max-page-size 100] [--max-bulk 10000] [--log-limit 10000]
 *        [--list-inactive] [--inactive-ids notFound|ok] [--error-key msg|message] [--rate-limit-status 429]
 *        [--retry-after] [--host 127.0.0.1]
 *
 * Account settings may also come from KORE_ACCOUNT_ID, KORE_CLIENT_ID, KORE_CLIENT_SECRET, KORE_STREAM_ID,
 * KORE_ENFORCE_JTI=1 (flags win). Defaults: the demo account of `demoSeed()`.
 * When listening it prints exactly one JSON line to stdout: {"url", "port", "accountId", "clientId", "streamId"}
 * (never the secret). SIGTERM / SIGINT close it and exit 0.
 */

const { startKoreServer, demoSeed } = require('./index');

/** Flags that take no value. */
const BOOLEAN_FLAGS = new Set(['enforce-jti', 'list-inactive', 'retry-after', 'help']);

/**
 * @param {string[]} argv
 * @returns {Record<string, string|true>}
 */
function parseArgs(argv) {
	/** @type {Record<string, string|true>} */
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
		const eq = a.indexOf('=');
		const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
		if (eq >= 0) out[name] = a.slice(eq + 1);
		else if (BOOLEAN_FLAGS.has(name)) out[name] = true;
		else {
			if (i + 1 >= argv.length) throw new Error(`--${name} needs a value`);
			out[name] = argv[++i];
		}
	}
	return out;
}

/**
 * @param {string|true|undefined} v
 * @param {string} name
 * @returns {number|undefined}
 */
function int(v, name) {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (typeof v !== 'string' || !Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
	return n;
}

/**
 * "60/60000", "60/60000/fixed", "off" or "0".
 * @param {string} v
 * @returns {import('./rate-limit').RateLimitOptions}
 */
function parseRateLimit(v) {
	if (v === 'off' || v === '0') return { limit: 0 };
	const m = /^(\d+)\/(\d+)(?:\/(sliding|fixed))?$/.exec(v);
	if (!m) throw new Error('--rate-limit must look like 60/60000, 60/60000/fixed, or off');
	/** @type {import('./rate-limit').RateLimitOptions} */
	const r = { limit: Number(m[1]), windowMs: Number(m[2]) };
	if (m[3]) r.mode = /** @type {'sliding'|'fixed'} */ (m[3]);
	return r;
}

/**
 * "250" or "100-400".
 * @param {string} v
 * @returns {number|[number, number]}
 */
function parseLatency(v) {
	const m = /^(\d+)(?:-(\d+))?$/.exec(v);
	if (!m) throw new Error('--latency must look like 250 or 100-400 (ms)');
	return m[2] !== undefined ? [Number(m[1]), Number(m[2])] : Number(m[1]);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(`${require('node:fs').readFileSync(__filename, 'utf8').split('*/')[0]}*/\n`);
		return;
	}
	/** @param {string} flag @param {string} env */
	const str = (flag, env) => {
		const v = args[flag];
		if (typeof v === 'string') return v;
		return process.env[env] || undefined;
	};
	const enforceEnv = process.env.KORE_ENFORCE_JTI;
	const seedArg = typeof args.seed === 'string' ? args.seed : undefined;
	const count = seedArg === undefined || seedArg === 'demo' ? undefined : int(seedArg, 'seed');
	const demo = demoSeed({
		count,
		accountId: str('account-id', 'KORE_ACCOUNT_ID'),
		clientId: str('client-id', 'KORE_CLIENT_ID'),
		clientSecret: str('client-secret', 'KORE_CLIENT_SECRET'),
		streamId: str('stream-id', 'KORE_STREAM_ID'),
		enforceJti: args['enforce-jti'] === true || enforceEnv === '1' || enforceEnv === 'true',
	});

	/** @type {import('./index').ServerOptions} */
	const options = {
		host: typeof args.host === 'string' ? args.host : undefined,
		port: int(args.port, 'port') ?? int(process.env.KORE_SERVER_PORT, 'KORE_SERVER_PORT') ?? 0,
		accounts: demo.accounts,
		contacts: seedArg === undefined ? [] : demo.contacts,
		pageSize: int(args['page-size'], 'page-size'),
		maxPageSize: int(args['max-page-size'], 'max-page-size'),
		maxBulk: int(args['max-bulk'], 'max-bulk'),
		logLimit: int(args['log-limit'], 'log-limit'),
		listInactive: args['list-inactive'] === true,
	};
	if (typeof args['inactive-ids'] === 'string') options.inactiveIds = /** @type {any} */ (args['inactive-ids']);
	if (typeof args['error-key'] === 'string') options.errorKey = /** @type {any} */ (args['error-key']);
	if (typeof args.latency === 'string') options.latencyMs = parseLatency(args.latency);
	/** @type {import('./rate-limit').RateLimitOptions} */
	const rateLimit = typeof args['rate-limit'] === 'string' ? parseRateLimit(args['rate-limit']) : {};
	if (args['rate-limit-status'] !== undefined) rateLimit.status = int(args['rate-limit-status'], 'rate-limit-status');
	if (args['retry-after'] === true) rateLimit.retryAfter = true;
	options.rateLimit = rateLimit;

	const server = await startKoreServer(options);
	process.stdout.write(
		`${JSON.stringify({ url: server.url, port: server.port, accountId: demo.accountId, clientId: demo.clientId, streamId: demo.streamId })}\n`,
	);

	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		server.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((e) => {
	process.stderr.write(`kore-server: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(2);
});
