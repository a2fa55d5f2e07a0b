import type { Cluster, Redis } from 'ioredis';
import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { QUIET_WINDOWS, spacingMs } from '../transport/learnedRate';
import type { LearnedRate, Learning, Recent } from '../transport/learnedRate';
import { takeLocks } from './lease';
import type { Patience } from './patience';
import { BUDGET, DONE, LEARN, NEWEST_JOB, PAUSE, PUBLISH_READ, PUBLISH_RECORD } from './scripts';
import type { Lease, LockWait, SharedRate, SharedRead, SharedRecord, SharedState } from './types';

/** A lock a crashed worker held frees itself after this; a live holder renews it every third of it. */
export const LEASE_MS = 30_000;
/** How long a read stays published for the other workers (the executions queued before it still start). */
export const RETAIN_READ_MS = 60_000;
/** What is kept of a contact's last write (long enough for a burst of events; Kore stays the truth). */
const RECORD_TTL_MS = 15 * 60_000;
/** How often a worker asks again while every slot is held by a request still in flight. */
const IN_FLIGHT_POLL_MS = 25;
/** How often a worker computes the learned rate again when other workers keep changing it under it. */
const LEARN_TRIES = 8;
/** How many pages of a published read one call fetches. */
const PAGES_PER_CALL = 20;
/** How long a worker waits for another's read of the same stream before it gives up (a read of 100,000 contacts at 60 a minute takes about 17 minutes). */
const READ_LOCK_WAIT_MS = 30 * 60_000;

export type Client = Redis | Cluster;

/** A SNAPSHOT (scripts.ts) as the learning rule reads it: the ages Redis gives become times on this clock. */
function sharedRate([version, state, accepted, age]: unknown[], now = Date.now()): SharedRate {
	return {
		version: String(version),
		state: state ? (JSON.parse(String(state)) as LearnedRate) : undefined,
		recent: { accepted: Number(accepted), oldest: Number(age) >= 0 ? now - Number(age) : undefined },
	};
}

export class RedisState implements SharedState {
	readonly queueMode = true;

	/** One poller per account in this process: local requests queue behind it, in order. */
	private readonly turns = new Map<string, Promise<void>>();

	private readonly leaseMs: number;

	private readonly jobs: string;

	private readonly patience: Patience;

	/** n8n's multi-main leader key (`<N8N_REDIS_KEY_PREFIX>:main_instance_leader`). */
	private readonly leaderKey: string;

	/**
	 * `prefix` is n8n's Bull prefix (QUEUE_BULL_PREFIX); `jobs` the key of n8n's Bull queue of executions
	 * (`<prefix>:jobs`, the prefix in braces on a Redis cluster, as n8n writes it).
	 */
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

	async acquire(
		account: string,
		limit: number,
		windowMs: number,
		inFlightMs: number,
		signal: AbortSignal,
	): Promise<(accepted?: boolean) => Promise<SharedRate | undefined>> {
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
							await this.client.eval(
								BUDGET,
								3,
								budget,
								this.key('pause', account),
								this.key('learned', account),
								limit,
								windowMs,
								Math.round(inFlightMs),
								slot,
								IN_FLIGHT_POLL_MS,
							),
						signal,
					),
				);
				if (wait <= 0) {
					return async (accepted) => {
						// not given back (Redis out of reach): the slot frees itself after the request timeout + a window
						const keys = [budget, this.key('accepted', account), this.key('learned', account)];
						const known = await this.patience
							.run(async () => await this.client.eval(DONE, 3, ...keys, windowMs, slot, accepted ? 1 : 0))
							.catch(() => undefined);
						return Array.isArray(known) ? sharedRate(known) : undefined;
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

	async learn(
		account: string,
		windowMs: number,
		step: (state: LearnedRate | undefined, recent: Recent) => Learning,
		known?: SharedRate,
	): Promise<Learning | undefined> {
		const keys = [this.key('accepted', account), this.key('learned', account)];
		const learn = async (...args: Array<string | number>) => (await this.patience.run(async () => await this.client.eval(LEARN, 2, ...keys, ...args))) as unknown[];
		// '?' is no version: LEARN only reads
		let shared = known ?? sharedRate((await learn('?', '', '', 0, 0, windowMs)).slice(1));
		for (let tries = 0; tries < LEARN_TRIES; tries++) {
			const learning = step(shared.state, shared.recent);
			const state = learning.state ? JSON.stringify(learning.state) : '';
			if (state === (shared.state ? JSON.stringify(shared.state) : '')) return learning;
			const version = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
			const spacing = learning.state ? spacingMs(learning.state, windowMs) : 0;
			const reply = await learn(shared.version, version, state, spacing, QUIET_WINDOWS * windowMs, windowMs);
			if (Number(reply[0]) === 1) return learning;
			shared = sharedRate(reply.slice(1));
		}
		throw new Error('the learned rate kept changing under this worker');
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
