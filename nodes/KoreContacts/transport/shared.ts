// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- n8n's `<NAME>_FILE` settings (Docker secrets) are files
import { readFileSync } from 'node:fs';

import type { Cluster, Redis } from 'ioredis';
import { sleep } from 'n8n-workflow';
import type { IDataObject, Logger } from 'n8n-workflow';

/**
 * State shared by every n8n process of one installation, for n8n's queue mode (a main process and several
 * `n8n worker` processes, with Redis): the per-account request budget, a rate-limit pause every process
 * honours, locks with leases for writes to one contact or one phone number, and Kore's last answer for a
 * contact (so a writer in another process merges on top of it). Redis is n8n's own (`QUEUE_BULL_REDIS_*`).
 *
 * In one process (n8n's default regular mode), or when that Redis cannot be reached, everything here is a
 * no-op and the in-process pacer and locks do the work alone. Which mode is in use is logged once.
 */
export interface SharedState {
	readonly queueMode: boolean;
	/**
	 * Waits until the account's shared budget grants a request (and any pause is over); resolves with `done`,
	 * to call when its answer is in. The slot is taken until a window after `done`, or after `inFlightMs` +
	 * the window if `done` never comes (a worker that crashed mid-request).
	 */
	acquire(account: string, limit: number, windowMs: number, inFlightMs: number, signal: AbortSignal): Promise<() => Promise<void>>;
	/** Holds every process's requests for this account for `delayMs`. */
	pause(account: string, delayMs: number): Promise<void>;
	/** Takes the locks of these keys (in the order given); resolves with their release. */
	lock(keys: string[]): Promise<() => Promise<void>>;
	get(key: string): Promise<IDataObject | undefined>;
	put(key: string, value: IDataObject): Promise<void>;
	/**
	 * The id of an execution n8n's main process had already created and queued (the newest one its queue
	 * still holds), or undefined. n8n numbers executions in the order it creates them, so every execution
	 * with an id up to this one existed — its event had arrived — before the call.
	 */
	newestQueuedExecution(): Promise<number | undefined>;
	/**
	 * One read of a stream for all workers. Gives another worker's read that covers the executions up to
	 * `need` (its `createdBefore` is at least that: published, or finished while this worker waited for it),
	 * else runs `readOwn` — one worker at a time per stream — and publishes what it read for the others
	 * (kept RETAIN_READ_MS). Outside queue mode, or with `need` unknown, it just runs `readOwn`.
	 */
	sharedRead(stream: string, need: number | undefined, readOwn: () => Promise<SharedRead>): Promise<SharedRead | undefined>;
}

/** A read of a stream: its contacts, and the newest execution n8n had queued before it began (queue mode). */
export interface SharedRead {
	createdBefore?: number;
	contacts: IDataObject[];
}

const LOCAL: SharedState = {
	queueMode: false,
	acquire: async () => async () => undefined,
	pause: async () => undefined,
	lock: async () => async () => undefined,
	get: async () => undefined,
	put: async () => undefined,
	newestQueuedExecution: async () => undefined,
	sharedRead: async (_stream, _need, readOwn) => await readOwn().then(() => undefined),
};

/** A lock a crashed worker held frees itself after this; a live holder renews it every third of it. */
export const LEASE_MS = 30_000;
/** How long a read stays published for the other workers (the executions queued before it still start). */
export const RETAIN_READ_MS = 60_000;
/** What is kept of a contact's last write (long enough for a burst of events; Kore stays the truth). */
const RECORD_TTL_MS = 15 * 60_000;
const LOCK_POLL_MS = [20, 200];
/** How often a worker asks again while every slot is held by a request still in flight. */
const IN_FLIGHT_POLL_MS = 25;

/**
 * One rolling window per account, timed by Redis's own clock: a sorted set of the slots taken by every
 * process, each scored with when it frees. A grant takes a slot until `inFlight` + `window` from now; the
 * request's `done` (DONE) moves that to a window after its answer, as the in-process pacer does. Returns 0
 * (granted) or how long to wait. A pause key holds all grants until its time.
 */
const BUDGET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local limit, window, inFlight = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local used = redis.call('ZCARD', KEYS[1])
if used < limit then
  redis.call('ZADD', KEYS[1], now + inFlight + window, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], inFlight + window)
  return 0
end
local frees = tonumber(redis.call('ZRANGE', KEYS[1], used - limit, used - limit, 'WITHSCORES')[2]) - now
if frees > window then return tonumber(ARGV[5]) end
return math.max(1, frees)`;

const DONE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
return 0`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000) end
return 0`;

/**
 * The data of the newest job in n8n's Bull queue `KEYS[1]` (Bull 4 keeps a counter `<queue>:id` and a hash
 * `<queue>:<id>` per job; a finished job's hash may be gone already, so a few before it are tried).
 */
const NEWEST_JOB = `
local id = tonumber(redis.call('GET', KEYS[1] .. ':id') or '0')
for i = id, math.max(1, id - 50), -1 do
  local data = redis.call('HGET', KEYS[1] .. ':' .. i, 'data')
  if data then return data end
end
return false`;

/** Publishes a read unless one that began later (covering more executions) is there already. */
const PUBLISH_READ = `
local known = tonumber(redis.call('HGET', KEYS[1], 'createdBefore') or '-1')
if tonumber(ARGV[1]) < known then return 0 end
redis.call('HSET', KEYS[1], 'createdBefore', ARGV[1], 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type Client = Redis | Cluster;

/** n8n's queue settings, as n8n reads them (packages/@n8n/config ScalingModeConfig). */
export interface QueueSettings {
	mode?: string;
	host?: string;
	port?: string;
	username?: string;
	password?: string;
	db?: string;
	tls?: string;
	clusterNodes?: string;
	prefix?: string;
}

/**
 * Reads each setting as n8n's config does (@n8n/config `readEnv`): the variable itself, else the file named
 * by `<NAME>_FILE` (Docker secrets), trimmed.
 */
export function queueSettingsFrom(env: Record<string, string | undefined>, readFile: (path: string) => string = unreadable): QueueSettings {
	const read = (name: string) => {
		if (name in env) return env[name];
		const file = env[`${name}_FILE`];
		return file ? readFile(file).trim() : undefined;
	};
	return {
		mode: read('EXECUTIONS_MODE'),
		host: read('QUEUE_BULL_REDIS_HOST'),
		port: read('QUEUE_BULL_REDIS_PORT'),
		username: read('QUEUE_BULL_REDIS_USERNAME'),
		password: read('QUEUE_BULL_REDIS_PASSWORD'),
		db: read('QUEUE_BULL_REDIS_DB'),
		tls: read('QUEUE_BULL_REDIS_TLS'),
		clusterNodes: read('QUEUE_BULL_REDIS_CLUSTER_NODES'),
		prefix: read('QUEUE_BULL_PREFIX'),
	};
}

function unreadable(path: string): never {
	throw new Error(`cannot read ${path}`);
}

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

/** The prefix of n8n's Bull keys: on a Redis cluster n8n wraps it in braces (RedisClientService.toValidPrefix). */
function bullPrefix(prefix: string, client: Client): string {
	if (!client.isCluster) return prefix;
	return `${prefix.startsWith('{') ? '' : '{'}${prefix}${prefix.endsWith('}') ? '' : '}'}`;
}

/** The Redis-backed state; `prefix` keeps its keys apart (hash tags keep one account's keys on one slot). */
export class RedisState implements SharedState {
	readonly queueMode = true;

	/** One poller per account in this process: local requests queue behind it, in order. */
	private readonly turns = new Map<string, Promise<void>>();

	/**
	 * `prefix` is n8n's Bull prefix (QUEUE_BULL_PREFIX); `jobs` the key of n8n's Bull queue of executions
	 * (`<prefix>:jobs`, the prefix in braces on a Redis cluster, as n8n writes it).
	 */
	constructor(
		private readonly client: Client,
		private readonly prefix: string,
		private readonly leaseMs = LEASE_MS,
		private readonly jobs = `${prefix}:jobs`,
	) {}

	private key(kind: string, name: string): string {
		return `${this.prefix}:kore-contacts:${kind}:{${name}}`;
	}

	async acquire(account: string, limit: number, windowMs: number, inFlightMs: number, signal: AbortSignal): Promise<() => Promise<void>> {
		const previous = this.turns.get(account) ?? Promise.resolve();
		let turnOver!: () => void;
		const mine = new Promise<void>((resolve) => (turnOver = resolve));
		const tail = previous.then(() => mine);
		this.turns.set(account, tail);
		const budget = this.key('budget', account);
		try {
			await previous;
			for (;;) {
				if (signal.aborted) throw signal.reason;
				const slot = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
				const wait = Number(
					await this.client.eval(BUDGET, 2, budget, this.key('pause', account), limit, windowMs, Math.round(inFlightMs), slot, IN_FLIGHT_POLL_MS),
				);
				if (wait <= 0) {
					return async () => {
						await this.client.eval(DONE, 1, budget, windowMs, slot).catch(() => undefined);
					};
				}
				await sleep(Math.min(wait, windowMs), signal);
			}
		} finally {
			turnOver();
			if (this.turns.get(account) === tail) this.turns.delete(account);
		}
	}

	async pause(account: string, delayMs: number): Promise<void> {
		await this.client.eval(PAUSE, 1, this.key('pause', account), Math.max(1, Math.round(delayMs)));
	}

	async lock(keys: string[]): Promise<() => Promise<void>> {
		const token = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
		const held: string[] = [];
		const stopped = new AbortController();
		const release = async () => {
			stopped.abort();
			for (const key of [...held].reverse()) await this.client.eval(RELEASE, 1, key, token).catch(() => undefined);
		};
		let failure: unknown;
		for (const name of keys) {
			const key = this.key('lock', name);
			try {
				while ((await this.client.set(key, token, 'PX', this.leaseMs, 'NX')) !== 'OK') {
					await sleep(LOCK_POLL_MS[0] + Math.random() * (LOCK_POLL_MS[1] - LOCK_POLL_MS[0]));
				}
			} catch (error) {
				failure = error;
				break;
			}
			held.push(key);
		}
		if (failure !== undefined) {
			await release();
			return await Promise.reject(failure);
		}
		// A live holder keeps its leases; a crashed one stops renewing and its locks expire.
		// Renewal ends with the release, or when a lease could not be renewed (lost, or Redis gone).
		void (async () => {
			while (!stopped.signal.aborted) {
				await sleep(this.leaseMs / 3, stopped.signal).catch(() => undefined);
				if (stopped.signal.aborted) break;
				for (const key of held) {
					const renewed = await this.client.eval(RENEW, 1, key, token, this.leaseMs).catch(() => 0);
					if (Number(renewed) !== 1) stopped.abort();
				}
			}
		})();
		return release;
	}

	async get(name: string): Promise<IDataObject | undefined> {
		const text = await this.client.get(this.key('record', name));
		return text ? (JSON.parse(text) as IDataObject) : undefined;
	}

	async put(name: string, value: IDataObject): Promise<void> {
		await this.client.set(this.key('record', name), JSON.stringify(value), 'PX', RECORD_TTL_MS);
	}

	async newestQueuedExecution(): Promise<number | undefined> {
		const data = await this.client.eval(NEWEST_JOB, 1, this.jobs);
		if (typeof data !== 'string') return undefined;
		const id = Number((JSON.parse(data) as { executionId?: unknown }).executionId);
		return Number.isSafeInteger(id) ? id : undefined;
	}

	async sharedRead(stream: string, need: number | undefined, readOwn: () => Promise<SharedRead>): Promise<SharedRead | undefined> {
		const key = this.key('read', stream);
		const readAndPublish = async () => {
			const read = await readOwn();
			if (read.createdBefore !== undefined) {
				await this.client.eval(PUBLISH_READ, 1, key, read.createdBefore, JSON.stringify(read.contacts), RETAIN_READ_MS).catch(() => undefined);
			}
			return undefined;
		};
		if (need === undefined) return await readAndPublish();
		const published = async (): Promise<SharedRead | undefined> => {
			const createdBefore = Number(await this.client.hget(key, 'createdBefore'));
			if (!(createdBefore >= need)) return undefined;
			const data = await this.client.hget(key, 'data');
			return data === null ? undefined : { createdBefore, contacts: JSON.parse(data) as IDataObject[] };
		};
		const ready = await published();
		if (ready) return ready;
		// One reader per stream at a time: a worker that waited for another's read takes it if it covers its
		// executions, else reads itself.
		const release = await this.lock([`read ${stream}`]);
		try {
			return (await published()) ?? (await readAndPublish());
		} finally {
			await release();
		}
	}

	async close(): Promise<void> {
		await this.client.quit().catch(() => this.client.disconnect());
	}
}

let shared: Promise<SharedState> | undefined;

/**
 * n8n's own queue settings, from this process's environment (and the files `<NAME>_FILE` names): n8n gives
 * nodes no other way to learn that it runs in queue mode or where its Redis is. (n8n Cloud's lint forbids
 * `process` and `fs`; this package cannot be verified for Cloud anyway, see the README's Compatibility section.)
 */
export function n8nQueueSettings(): QueueSettings {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
	const { env, argv } = process;
	// `n8n worker` and `n8n webhook` run in queue mode without EXECUTIONS_MODE in their environment
	const command = argv[2];
	return queueSettingsFrom(command === 'worker' || command === 'webhook' ? { ...env, EXECUTIONS_MODE: 'queue' } : env, (path) =>
		readFileSync(path, 'utf8'),
	);
}

/** Closes the connection when n8n shuts down (n8n stops on SIGTERM / SIGINT). */
function closeOnShutdown(): void {
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
		process.once(signal, () => void closeSharedState());
	}
}

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
		try {
			await client.connect();
			await client.ping();
		} catch (error) {
			client.disconnect();
			logger.warn(
				`Kore Contacts: n8n runs in queue mode but its Redis at ${where} could not be reached (${(error as Error).message}); pacing and write locks are kept per process`,
			);
			return LOCAL;
		}
		const prefix = settings.prefix || 'bull';
		const state = new RedisState(client, prefix, LEASE_MS, `${bullPrefix(prefix, client)}:jobs`);
		closeOnShutdown();
		logger.info(`Kore Contacts: queue mode: the request budget, rate-limit pauses and write locks are shared by all n8n processes through Redis at ${where}`);
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
