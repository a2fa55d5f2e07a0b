import type { IDataObject } from 'n8n-workflow';

import type { LearnedRate, Learning, Recent } from '../transport/learnedRate';

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

/** An account's learned rate as n8n's Redis holds it (`version` changes with each write), and what Kore accepted. */
export interface SharedRate {
	version: string;
	state?: LearnedRate;
	recent: Recent;
}

/** A read of a stream: its contacts, and the newest execution n8n had queued before it began (queue mode). */
export interface SharedRead {
	createdBefore?: number;
	contacts: IDataObject[];
}

/** Outside queue mode: nothing is shared; the in-process pacer and locks do the work alone. */
export const LOCAL: SharedState = {
	queueMode: false,
	acquire: async () => async () => undefined,
	pause: async () => undefined,
	learn: async () => undefined,
	lock: async () => async () => undefined,
	get: async () => undefined,
	put: async () => undefined,
	newestQueuedExecution: async () => undefined,
	sharedRead: async (_stream, _need, readOwn) => await readOwn().then(() => undefined),
};
