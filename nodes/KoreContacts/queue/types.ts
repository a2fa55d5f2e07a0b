import type { IDataObject } from 'n8n-workflow';

import type { LearnedRate, Learning, Recent } from '../transport/learnedRate';

/**
 * State shared by every n8n process of one installation, for n8n's queue mode (a main process and several
 * `n8n worker` processes, with Redis): the per-account request budget, a rate-limit pause every process
 * honours, the one order of reads and writes, locks with leases for writes to one contact or one phone
 * number, what Kore last answered for a contact, and reads of a stream. Redis is n8n's own
 * (`QUEUE_BULL_REDIS_*`).
 *
 * In one process (n8n's default regular mode) everything here is local: the order is a counter of the
 * process and the in-process pacer and locks do the rest. In queue mode it is never local: when Redis cannot
 * be reached, calls wait for it a bounded time, then fail (`RedisUnavailableError`).
 */
export interface SharedState {
	readonly queueMode: boolean;
	/**
	 * Waits until the account's shared budget grants a request (and any pause is over, and the learned rate's
	 * interval since the last grant has passed); resolves with `done`, to call when its answer is in, with whether
	 * Kore accepted it (see PacingSlot), which resolves with the account's learned rate as Redis holds it then.
	 * The slot is taken until a window after `done`, or after `inFlightMs` + the window if `done` never comes
	 * (a worker that crashed mid-request).
	 */
	acquire(
		account: string,
		limit: number,
		windowMs: number,
		inFlightMs: number,
		signal: AbortSignal,
	): Promise<(accepted?: boolean) => Promise<SharedRate | undefined>>;
	/** Holds every process's requests for this account for `delayMs`. */
	pause(account: string, delayMs: number): Promise<void>;
	/**
	 * Applies a step of the learning rule to the account's learned rate shared by every process (atomically:
	 * again on a newer state if another process changed it), starting from `known` if given; resolves with it.
	 * Outside queue mode: undefined, and the in-process pacer learns alone.
	 */
	learn(
		account: string,
		windowMs: number,
		step: (state: LearnedRate | undefined, recent: Recent) => Learning,
		known?: SharedRate,
	): Promise<Learning | undefined>;
	/**
	 * The next position in the one order every worker shares: each read start (page request) and each write
	 * answer takes one, and knowledge of a contact is replaced only by knowledge with a later position.
	 */
	nextPosition(): Promise<number>;
	/** Takes the locks of these keys (in the order given), waiting at most `wait.timeoutMs`. */
	lock(keys: string[], wait: LockWait): Promise<Lease>;
	/** What the newest write (by any worker) left of a record, or undefined. */
	record(key: string): Promise<SharedRecord | undefined>;
	/** Publishes a record unless one with a later position is there already. */
	publish(key: string, record: SharedRecord): Promise<void>;
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
	/**
	 * The n8n main process that leads when several run (n8n's multi-main setup: pollers run on the leader only),
	 * as n8n's leader key names it; undefined with one main, or outside queue mode.
	 */
	leader(): Promise<string | undefined>;
}

/** An account's learned rate as n8n's Redis holds it (`version` changes with each write), and what Kore accepted. */
export interface SharedRate {
	version: string;
	state?: LearnedRate;
	recent: Recent;
}

/** How long to wait for a lock, what for (named in the error), and when to give up early (cancelled). */
export interface LockWait {
	timeoutMs: number;
	signal?: AbortSignal;
	/** E.g. `contact "c5"` or `phone +919876543210`. */
	what: string;
}

/** Locks held, with leases that are renewed while held. */
export interface Lease {
	/**
	 * Makes sure every lock is still this holder's and stays so for at least `ms` more (e.g. a request's
	 * timeout); throws `LeaseLostError` when one may have lapsed. Called right before a write is sent.
	 */
	extend(ms: number): Promise<void>;
	release(): Promise<void>;
}

/** A contact as a write left it (or, `pending`, that a write of it was sent and its answer not yet published). */
export interface SharedRecord extends IDataObject {
	pos: number;
	contact?: IDataObject;
	pending?: boolean;
}

/** One page of a read: its contacts, and the position taken before its request was sent. */
export interface ReadPage {
	pos: number;
	contacts: IDataObject[];
}

/**
 * A read of a stream: the position of its first page request, its pages, and the newest execution n8n had
 * queued before it began (queue mode).
 */
export interface SharedRead {
	startPos: number;
	createdBefore?: number;
	pages: ReadPage[];
}

/** A lease that may have lapsed: the write it guards must not be sent. */
export class LeaseLostError extends Error {}

/** n8n's Redis did not answer within the wait allowed. */
export class RedisUnavailableError extends Error {}

/** A lock that another holder kept longer than the wait allowed. */
export class LockTimeoutError extends Error {}

/** The process's own order: a counter. */
let position = 0;

/** Outside queue mode: nothing is shared; the order is this process's, and its pacer and locks do the rest. */
export const LOCAL: SharedState = {
	queueMode: false,
	acquire: async () => async () => undefined,
	pause: async () => undefined,
	learn: async () => undefined,
	nextPosition: async () => ++position,
	lock: async () => ({ extend: async () => undefined, release: async () => undefined }),
	record: async () => undefined,
	publish: async () => undefined,
	newestQueuedExecution: async () => undefined,
	sharedRead: async (_stream, _need, readOwn) => await readOwn().then(() => undefined),
	leader: async () => undefined,
};
