import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'n8n-workflow';

import { n8nQueueSettings, onShutdown } from './environment';
import type { QueueSettings } from './environment';
import { Patience, REDIS_WAIT_MS } from './patience';
import { LEASE_MS, RedisState } from './redisState';
import type { Client } from './redisState';
import { LOCAL } from './types';
import type { SharedState } from './types';

export { LEASE_MS, RETAIN_READ_MS, RedisState } from './redisState';
export { n8nQueueSettings, queueSettingsFrom } from './environment';
export type { QueueSettings } from './environment';
export { Patience } from './patience';
export { LeaseLostError, LockTimeoutError, RedisUnavailableError } from './types';
export type { Lease, ReadPage, SharedRead, SharedRecord, SharedState } from './types';

/**
 * n8n's queue mode: which state this process shares with the other n8n processes, and the one connection
 * to n8n's Redis that carries it.
 */

/** Opens n8n's Redis; ioredis is loaded only here, in queue mode. */
async function connect(settings: QueueSettings): Promise<{ client: Client; where: string }> {
	type IoRedis = { Redis: typeof Redis; Cluster: typeof Cluster };
	const loaded = (await import('ioredis')) as unknown as IoRedis & { default?: IoRedis };
	// Node's ESM loader hands a CommonJS module over as `default` (the built package, dist/vendor/ioredis.js)
	const { Cluster: ClusterClient, Redis: RedisClient } = loaded.default?.Redis ? loaded.default : loaded;
	const tls = settings.tls === 'true' ? {} : undefined;
	const common = { username: settings.username || undefined, password: settings.password || undefined, tls };
	const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 };
	const nodes = (settings.clusterNodes ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => {
			const [host, port] = entry.split(':');
			return { host, port: Number(port) || 6379 };
		});
	if (nodes.length > 0) {
		return {
			client: new ClusterClient(nodes, { lazyConnect: true, redisOptions: { ...common, ...options } }),
			where: `cluster ${nodes.map(({ host, port }) => `${host}:${port}`).join(',')}`,
		};
	}
	const host = settings.host || 'localhost';
	const port = Number(settings.port) || 6379;
	return {
		client: new RedisClient({ host, port, db: Number(settings.db) || 0, ...common, ...options }),
		where: `${host}:${port}`,
	};
}

/** A prefix of n8n's Redis keys (Bull's, its own): on a Redis cluster n8n wraps it in braces (RedisClientService.toValidPrefix). */
function keyPrefix(prefix: string, client: Client): string {
	if (!client.isCluster) return prefix;
	return `${prefix.startsWith('{') ? '' : '{'}${prefix}${prefix.endsWith('}') ? '' : '}'}`;
}

let shared: Promise<SharedState> | undefined;

/** How long a lock's lease lasts and how long a call waits for Redis (tests shorten them). */
export const queueTiming = { leaseMs: LEASE_MS, redisWaitMs: REDIS_WAIT_MS };

/**
 * The process's shared state: Redis in n8n's queue mode (opened on first use, one connection per process,
 * closed when n8n shuts down), else the in-process no-op. Logs once which mode is in use.
 */
export async function sharedState(logger: Logger, readSettings: () => QueueSettings = n8nQueueSettings): Promise<SharedState> {
	shared ??= (async () => {
		let settings: QueueSettings;
		try {
			settings = readSettings();
		} catch (error) {
			logger.warn(`Kore Contacts: n8n's queue settings could not be read (${(error as Error).message}); pacing and write locks are kept per process`);
			return LOCAL;
		}
		if (settings.mode !== 'queue') {
			logger.info('Kore Contacts: pacing and write locks are kept in this n8n process (n8n is not in queue mode)');
			return LOCAL;
		}
		const { client, where } = await connect(settings);
		// its failures reach the calls that made them (see Patience), which log an outage once
		client.on('error', () => undefined);
		const prefix = settings.prefix || 'bull';
		const state = new RedisState(client, prefix, {
			patience: new Patience(where, logger, queueTiming.redisWaitMs),
			leaseMs: queueTiming.leaseMs,
			jobs: `${keyPrefix(prefix, client)}:jobs`,
			leaderKey: `${keyPrefix(settings.redisPrefix || 'n8n', client)}:main_instance_leader`,
		});
		onShutdown(() => void closeSharedState());
		// Never a quiet fallback to this process alone (other workers would not see its requests and writes):
		// the client keeps reconnecting, and each call waits for Redis a bounded time (see Patience).
		void state.ping().then(
			() =>
				logger.info(
					`Kore Contacts: queue mode: the request budget, rate-limit pauses, write locks and what writes answered are shared by all n8n processes through Redis at ${where}`,
				),
			(error: unknown) =>
				logger.warn(`Kore Contacts: n8n runs in queue mode but its Redis at ${where} cannot be reached (${(error as Error).message}); requests and writes wait for it`),
		);
		return state;
	})();
	return await shared;
}

/** Closes the shared connection (n8n shutting down); a later use opens a new one. */
export async function closeSharedState(): Promise<void> {
	const current = shared;
	shared = undefined;
	const state = await current;
	if (state instanceof RedisState) await state.close();
}
