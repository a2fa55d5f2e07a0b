import type { Cluster, Redis } from 'ioredis';
import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { takeLocks } from './lease';
import type { Patience } from './patience';
import { BUDGET, DONE, NEWEST_JOB, PAUSE, PUBLISH_READ, PUBLISH_RECORD } from './scripts';
import type { Lease, LockWait, SharedRead, SharedRecord, SharedState } from './types';

/** A lock a crashed worker held frees itself after this; a live holder renews it every third of it. */
export const LEASE_MS = 30_000;
/** How long a read stays published for the other workers (the executions queued before it still start). */
export const RETAIN_READ_MS = 60_000;
/** What is kept of a contact's last write (long enough for a burst of events; Kore stays the truth). */
const RECORD_TTL_MS = 15 * 60_000;
/** How often a worker asks again while every slot is held by a request still in flight. */
const IN_FLIGHT_POLL_MS = 25;
/** How many pages of a published read one call fetches. */
const PAGES_PER_CALL = 20;
/** How long a worker waits for another's read of the same stream before it gives up (a read of 100,000 contacts at 60 a minute takes about 17 minutes). */
const READ_LOCK_WAIT_MS = 30 * 60_000;

export type Client = Redis | Cluster;

export class RedisState implements SharedState {
	readonly queueMode = true;

	/** One poller per account in this process: local requests queue behind it, in order. */
	private readonly turns = new Map<string, Promise<void>>();

	/**
	 * `prefix` is n8n's Bull prefix (QUEUE_BULL_PREFIX); `jobs` the key of n8n's Bull queue of executions
	 * (`<prefix>:jobs`, the prefix in braces on a Redis cluster, as n8n writes it).
	 */
	private readonly leaseMs: number;

	private readonly jobs: string;

	private readonly patience: Patience;

	/** n8n's multi-main leader key (`<N8N_REDIS_KEY_PREFIX>:main_instance_leader`). */
	private readonly leaderKey: string;

	constructor(
		private readonly client: Client,
		private readonly prefix: string,
		options: { patience: Patience; leaseMs?: number; jobs?: string; leaderKey?: string },
	) {
		this.patience = options.patience;
		this.leaseMs = options.leaseMs ?? LEASE_MS;
		this.jobs = options.jobs ?? `${prefix}:jobs`;
		this.leaderKey = options.leaderKey ?? 'n8n:main_instance_leader';
	}

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
					await this.patience.run(
						async () =>
							await this.client.eval(BUDGET, 2, budget, this.key('pause', account), limit, windowMs, Math.round(inFlightMs), slot, IN_FLIGHT_POLL_MS),
						signal,
					),
				);
				if (wait <= 0) {
					return async () => {
						// not given back (Redis out of reach): the slot frees itself after the request timeout + a window
						await this.patience.run(async () => await this.client.eval(DONE, 1, budget, windowMs, slot)).catch(() => undefined);
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
		await this.patience.run(async () => await this.client.eval(PAUSE, 1, this.key('pause', account), Math.max(1, Math.round(delayMs))));
	}

	/** Whether Redis answers (within the wait allowed). */
	async ping(): Promise<void> {
		await this.patience.run(async () => await this.client.ping());
	}

	async nextPosition(): Promise<number> {
		return await this.patience.run(async () => await this.client.incr(`${this.prefix}:kore-contacts:order`));
	}

	async lock(keys: string[], wait: LockWait): Promise<Lease> {
		return await takeLocks(
			this.client,
			this.patience,
			keys.map((name) => this.key('lock', name)),
			this.leaseMs,
			wait,
		);
	}

	async record(name: string): Promise<SharedRecord | undefined> {
		const found = await this.patience.run(async () => await this.client.hmget(this.key('record', name), 'pos', 'data'));
		const [pos, data] = found;
		if (pos === null || data === null) return undefined;
		return { ...(JSON.parse(data) as IDataObject), pos: Number(pos) };
	}

	async publish(name: string, record: SharedRecord): Promise<void> {
		const { pos, ...data } = record;
		await this.patience.run(
			async () => await this.client.eval(PUBLISH_RECORD, 1, this.key('record', name), JSON.stringify(data), pos, RECORD_TTL_MS),
		);
	}

	async newestQueuedExecution(): Promise<number | undefined> {
		const data = await this.patience.run(async () => await this.client.eval(NEWEST_JOB, 1, this.jobs));
		if (typeof data !== 'string') return undefined;
		const id = Number((JSON.parse(data) as { executionId?: unknown }).executionId);
		return Number.isSafeInteger(id) ? id : undefined;
	}

	async sharedRead(stream: string, need: number | undefined, readOwn: () => Promise<SharedRead>): Promise<SharedRead | undefined> {
		const key = this.key('read', stream);
		const readAndPublish = async () => {
			const read = await readOwn();
			if (read.createdBefore !== undefined) {
				const pages = read.pages.map((page) => JSON.stringify(page));
				// A read that cannot be published is only a read the others do not share: they read for themselves.
				await this.patience.run(async () => await this.client.eval(PUBLISH_READ, 1, key, read.createdBefore!, RETAIN_READ_MS, read.startPos, ...pages)).catch(() => undefined);
			}
			return undefined;
		};
		if (need === undefined) return await readAndPublish();
		const published = async (): Promise<SharedRead | undefined> => {
			const [createdBefore, startPos, count] = (await this.patience.run(async () => await this.client.hmget(key, 'createdBefore', 'startPos', 'pages'))).map(Number);
			if (!(createdBefore >= need)) return undefined;
			const pages: SharedRead['pages'] = [];
			// page by page, a few at a time: no one huge string to hold and parse
			for (let first = 0; first < count; first += PAGES_PER_CALL) {
				const fields = Array.from({ length: Math.min(PAGES_PER_CALL, count - first) }, (_, i) => String(first + i));
				const texts = await this.patience.run(async () => await this.client.hmget(key, ...fields));
				if (texts.some((text) => text === null)) return undefined; // replaced or expired meanwhile
				for (const text of texts) pages.push(JSON.parse(text!) as SharedRead['pages'][number]);
			}
			return { startPos, createdBefore, pages };
		};
		const ready = await published();
		if (ready) return ready;
		// One reader per stream at a time: a worker that waited for another's read takes it if it covers its
		// executions, else reads itself.
		const lease = await this.lock([`read ${stream}`], { timeoutMs: READ_LOCK_WAIT_MS, what: `the read of stream ${stream.split('\n').pop()}` });
		try {
			return (await published()) ?? (await readAndPublish());
		} finally {
			await lease.release();
		}
	}

	async leader(): Promise<string | undefined> {
		return (await this.patience.run(async () => await this.client.get(this.leaderKey))) ?? undefined;
	}

	async close(): Promise<void> {
		await this.client.quit().catch(() => this.client.disconnect());
	}
}
