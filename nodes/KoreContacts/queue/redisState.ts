import type { Cluster, Redis } from 'ioredis';
import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { QUIET_WINDOWS, spacingMs } from '../transport/learnedRate';
import type { LearnedRate, Learning, Recent } from '../transport/learnedRate';
import { BUDGET, DONE, LEARN, NEWEST_JOB, PAUSE, PUBLISH_READ, RELEASE, RENEW } from './scripts';
import type { SharedRate, SharedRead, SharedState } from './types';

/** A lock a crashed worker held frees itself after this; a live holder renews it every third of it. */
export const LEASE_MS = 30_000;
/** How long a read stays published for the other workers (the executions queued before it still start). */
export const RETAIN_READ_MS = 60_000;
/** What is kept of a contact's last write (long enough for a burst of events; Kore stays the truth). */
const RECORD_TTL_MS = 15 * 60_000;
const LOCK_POLL_MS = [20, 200];
/** How often a worker asks again while every slot is held by a request still in flight. */
const IN_FLIGHT_POLL_MS = 25;
/** How often a worker computes the learned rate again when other workers keep changing it under it. */
const LEARN_TRIES = 8;

/** A SNAPSHOT (scripts.ts) as the learning rule reads it: the ages Redis gives become times on this clock. */
function sharedRate([version, state, accepted, age]: unknown[], now = Date.now()): SharedRate {
	return {
		version: String(version),
		state: state ? (JSON.parse(String(state)) as LearnedRate) : undefined,
		recent: { accepted: Number(accepted), oldest: Number(age) >= 0 ? now - Number(age) : undefined },
	};
}

export type Client = Redis | Cluster;

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
				);
				if (wait <= 0) {
					return async (accepted) => {
						const known = await this.client
							.eval(DONE, 3, budget, this.key('accepted', account), this.key('learned', account), windowMs, slot, accepted ? 1 : 0)
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
		await this.client.eval(PAUSE, 1, this.key('pause', account), Math.max(1, Math.round(delayMs)));
	}

	async learn(
		account: string,
		windowMs: number,
		step: (state: LearnedRate | undefined, recent: Recent) => Learning,
		known?: SharedRate,
	): Promise<Learning | undefined> {
		const keys = [this.key('accepted', account), this.key('learned', account)];
		// '?' is no version: LEARN only reads
		let shared = known ?? sharedRate(((await this.client.eval(LEARN, 2, ...keys, '?', '', '', 0, 0, windowMs)) as unknown[]).slice(1));
		for (let tries = 0; tries < LEARN_TRIES; tries++) {
			const learning = step(shared.state, shared.recent);
			const state = learning.state ? JSON.stringify(learning.state) : '';
			if (state === (shared.state ? JSON.stringify(shared.state) : '')) return learning;
			const version = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
			const spacing = learning.state ? spacingMs(learning.state, windowMs) : 0;
			const reply = (await this.client.eval(LEARN, 2, ...keys, shared.version, version, state, spacing, QUIET_WINDOWS * windowMs, windowMs)) as unknown[];
			if (Number(reply[0]) === 1) return learning;
			shared = sharedRate(reply.slice(1));
		}
		throw new Error('the learned rate kept changing under this worker');
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
