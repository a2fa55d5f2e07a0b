'use strict';
/**
 * n8n as a scaled installation runs it: `n8n start` (main) and `n8n worker`s on one PostgreSQL database and one
 * Redis queue (services.js starts both), or one process in regular mode on the same database for comparison.
 * Node built-ins only.
 */
const { installedN8n } = require('./install');
const { freePort, httpGet, seconds, startDaemon } = require('./processes');

/** @typedef {import('./processes').LogFn} LogFn */

/**
 * How long an n8n process may take to be ready (booted, DB migrated, webhooks registered): a guard against a
 * hung start, not a measure of speed. About 15 s on an idle machine; a busy one takes many times that.
 */
const READY_TIMEOUT_MS = 10 * 60_000;

// ------------------------------------------------------------------------------------------- environment


/**
 * n8n's database settings for a PostgreSQL server from services.js (queue mode needs one DB that
 * main and every worker share; n8n recommends PostgreSQL for it, and SQLite loses executions to SQLITE_BUSY
 * with several processes). Names read by n8n 2.41.1 (@n8n/config DatabaseConfig).
 *
 * Sized for 300 webhook executions at once on a 2-core host. With n8n's defaults (a pool of 2, a 20 s wait
 * for a connection, a 5 s ping that after 3 failures rebuilds the pool) the burst queues on the pool, the
 * ping times out behind it, and n8n's recovery closes the connections under running executions: measured,
 * 275 of 300 events answered HTTP 500 ("Query runner already released", "timeout exceeded when trying to
 * connect") before any reached the node. Hence 20 connections per process (3 processes stay well under the
 * server's max_connections=200), and waits long enough to outlast the burst — also on a busy machine: with
 * 120 s for a connection and a 60 s ping, one process on a machine loaded 10 times over lost 69 of 300 events
 * (21 "timeout exceeded when trying to connect", 48 n8n's 500 "There was a problem executing the workflow"),
 * hence 10 minutes for both: guards against a dead database, not against a slow machine.
 * Set these in the env of EVERY n8n command, import:* and publish:workflow included, so they target this DB.
 * @param {{ host: string, port: number, user: string, password?: string }} postgres
 * @param {string} database
 * @returns {NodeJS.ProcessEnv}
 */
function postgresEnv(postgres, database) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password ?? '',
		DB_POSTGRESDB_POOL_SIZE: '20',
		DB_POSTGRESDB_CONNECTION_TIMEOUT: '600000',
		DB_PING_TIMEOUT_MS: '600000',
	};
}

/**
 * Queue mode (n8n 2.41.1 @n8n/config ScalingModeConfig / ExecutionsConfig): main enqueues executions in
 * Bull on this Redis, `n8n worker` processes run them. `prefix` namespaces the Bull keys (QUEUE_BULL_PREFIX),
 * so two clusters can share one redis-server.
 * @param {{ host: string, port: number }} redis @param {string} [prefix]
 * @returns {NodeJS.ProcessEnv}
 */
function queueEnv(redis, prefix = 'bull') {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: prefix,
	};
}

// ------------------------------------------------------------------------------------------- processes

/**
 * Every URL (a POST-only webhook) answers a GET with n8n's "Did you mean to make a POST request?" 404, which
 * n8n 2.41.1 gives only for a registered path (an unregistered one gets "The requested webhook … is not
 * registered"). A GET runs no workflow. (OPTIONS is no probe: the CORS layer answers it for any path.)
 * @param {string[]} urls @returns {Promise<boolean>}
 */
async function webhooksRegistered(urls) {
	for (const url of urls) {
		const res = await httpGet(url).catch(() => ({ status: 0, body: '' }));
		if (!/Did you mean to make a POST request/.test(res.body)) return false;
	}
	return true;
}

/**
 * Spawns one long-running n8n command (`start` or `worker`) and resolves when `GET <readyUrl>` answers 200.
 * If this process exits without stop(), the child is killed (SIGKILL).
 * @param {NodeJS.ProcessEnv} env @param {string[]} args
 * @param {{ name: string, readyUrl: string, webhookUrls?: string[], log?: LogFn, timeoutMs?: number }} opts
 *   webhookUrls: also wait until each POST-only webhook is registered (see webhooksRegistered)
 */
async function startN8nProcess(env, args, opts) {
	const { nodeBin, n8nBin } = installedN8n(env);
	const proc = await startDaemon(nodeBin, [n8nBin, ...args], {
		name: opts.name,
		cwd: env.N8N_USER_FOLDER,
		env,
		log: opts.log,
		timeoutMs: opts.timeoutMs ?? READY_TIMEOUT_MS,
		// stop(): SIGTERM is graceful, a worker finishes its running jobs first (N8N_GRACEFUL_SHUTDOWN_TIMEOUT)
		isReady: async () => (await httpGet(opts.readyUrl)).status === 200 && (await webhooksRegistered(opts.webhookUrls ?? [])),
	});
	// seen: POSTs in the first moments after registration still got 404 while n8n finished activating
	if (opts.webhookUrls?.length) await new Promise((r) => setTimeout(r, 2000));
	return proc;
}

/**
 * Starts n8n the way a scaled installation runs it: `n8n start` (main: editor, REST API, webhooks) and
 * `workers` × `n8n worker --concurrency=<concurrency>`, all on one user folder (the package installed once in
 * <userFolder>/.n8n/nodes, loaded by every process at its start) and one N8N_ENCRYPTION_KEY (baseEnv).
 * `env` must already hold the database (postgresEnv) and, for workers, queueEnv(); with `workers: 0` and
 * no queueEnv it is one process in regular mode (the comparison run).
 * Import credentials and workflows, and publish:workflow, with the same env BEFORE calling this (the DB is
 * then migrated already, so main and workers boot in parallel).
 *
 * Readiness: main when GET /healthz/readiness answers 200 (DB migrated, nodes loaded) AND each of
 * `webhookPaths` is registered (webhooksRegistered), then 2 s more: n8n 2.41.1 answers readiness BEFORE
 * it registers the webhooks of active workflows, and a POST in between gets 404 "This webhook is not
 * registered" (seen: 176 of 300 events lost that way);
 * each worker when its worker server (QUEUE_HEALTH_CHECK_ACTIVE on its own port) answers /healthz/readiness
 * 200, which n8n 2.41.1 sends only after the DB and Redis are connected and the worker takes jobs.
 *
 * `executionsByWorker()` maps each execution id to the worker that ran it, from the workers' log lines
 * "Worker started execution <id> (job <n>)" (N8N_LOG_LEVEL=info, set by baseEnv).
 *
 * @param {NodeJS.ProcessEnv} env
 * @param {{ workers?: number, concurrency?: number, webhookPaths?: string[], port?: number, log?: LogFn, timeoutMs?: number }} [options]
 */
async function startCluster(env, options = {}) {
	const workers = options.workers ?? 0;
	if (workers > 0 && env.EXECUTIONS_MODE !== 'queue') throw new Error('startCluster: workers need queueEnv() in env (EXECUTIONS_MODE=queue)');
	if (env.EXECUTIONS_MODE === 'queue' && workers < 1) throw new Error('startCluster: queue mode without a worker runs nothing');
	const log = options.log ?? (() => {});
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const t0 = Date.now();

	const mainEnv = {
		...env,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `${url}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	};
	/** @type {Array<Promise<Awaited<ReturnType<typeof startN8nProcess>>>>} */
	const starting = [
		startN8nProcess(mainEnv, ['start'], {
			name: 'main',
			readyUrl: `${url}/healthz/readiness`,
			webhookUrls: (options.webhookPaths ?? []).map((p) => `${url}/webhook/${p}`),
			log,
			timeoutMs: options.timeoutMs,
		}),
	];
	/** @type {Map<string, string>} execution id -> worker name */
	const ranBy = new Map();
	for (let i = 1; i <= workers; i++) {
		const healthPort = await freePort();
		const workerEnv = {
			...env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		};
		const name = `worker${i}`;
		const args = ['worker', ...(options.concurrency ? [`--concurrency=${options.concurrency}`] : [])];
		starting.push(
			startN8nProcess(workerEnv, args, { name, readyUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`, log, timeoutMs: options.timeoutMs }).then((w) => {
				w.onLine((line) => {
					const m = /Worker started execution (\S+) \(job/.exec(line);
					if (m) ranBy.set(m[1], name);
				});
				return w;
			}),
		);
	}
	const settled = await Promise.allSettled(starting);
	const procs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
	const stop = async () => {
		// workers first (they finish running jobs), then main
		await Promise.all(procs.slice(1).map((p) => p.stop()));
		await procs[0]?.stop();
	};
	const failed = settled.find((s) => s.status === 'rejected');
	if (failed) {
		await Promise.all(procs.map((p) => p.stop()));
		throw /** @type {PromiseRejectedResult} */ (failed).reason;
	}
	log(`[n8n] ${workers ? `queue mode: main + ${workers} worker(s)` : 'regular mode: one process'} ready in ${seconds(Date.now() - t0)} at ${url}`);
	return {
		url,
		port,
		main: procs[0],
		workers: procs.slice(1),
		/** @returns {Map<string, string>} execution id -> worker name, for every execution a worker started */
		executionsByWorker: () => new Map(ranBy),
		stop,
	};
}

module.exports = { postgresEnv, queueEnv, startCluster };
