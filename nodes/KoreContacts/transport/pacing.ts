import { sleep } from 'n8n-workflow';
import type { Logger } from 'n8n-workflow';

import type { KoreCredentials } from './auth';
import { formatMs, formatRate } from './errors';
import { current, onAccepted, onRefused, refusalWaitMs, spacingMs } from './learnedRate';
import type { LearnedRate, Learning, Recent } from './learnedRate';

/** A step of the learning rule: from a state and what Kore accepted in the last window, to the next. */
export type LearningStep = (state: LearnedRate | undefined, recent: Recent) => Learning;

/**
 * A granted slot: how long the request waited for it, how many were still waiting then, and `done`, to call
 * once the request's answer (or failure) is in — with `accepted`: whether Kore let it through its rate limit
 * (any answer but a refusal), unknown without an answer. The slot stays taken until a window after `done`.
 */
export interface PacingSlot {
	waitedMs: number;
	queued: number;
	done: (accepted?: boolean) => void;
}

interface Waiter {
	resolve: (slot: PacingSlot) => void;
	reject: (reason: unknown) => void;
	since: number;
}

/** One credential (or other caller) that paces through a pacer, with its own idea of the limit. */
interface PacerUser {
	limit: number;
	windowMs: number;
	/** When it last registered or was granted a slot. */
	lastUsed: number;
	/** Its requests waiting for a slot. */
	pending: number;
}

/** A limit as a whole number of requests, at least 1 (a fraction would make the slot arithmetic NaN). */
function wholeLimit(limit: number): number {
	return Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 1;
}

/**
 * A rolling-window limiter: at most `limit` requests in any `windowMs`. Requests queue for a slot (first come,
 * first served) instead of being refused. One pacer exists per Kore host + account in the n8n process, so
 * every execution and node that uses the same account shares the budget Kore enforces.
 *
 * A slot is taken from when it is granted until a window after the request's answer (`done`). Kore counts a
 * request when it arrives, which is somewhere between the two, however long signing, sending or a busy event
 * loop delays it; counting the grant time only drew 429s from Kore on a loaded host.
 *
 * Several credentials may name the same account with different limits: each registers as a user, and the
 * pacer applies the lowest limit (and longest window) among the users in use — with requests waiting, or
 * granted within their window. A user's limit stops counting once it has been idle for a whole window.
 *
 * Below that limit, the rate learned from Kore's refusals (learnedRate.ts) spaces requests evenly: Kore's real
 * limit may be lower than the credential says (others use the account), and its window shorter than a minute.
 */
export class Pacer {
	/**
	 * When each taken slot frees: a window after its request's answer (IN_FLIGHT_MS after the grant until then);
	 * and when Kore accepted it, if it did (what Kore accepted in the last window is what the learning reads).
	 */
	private readonly taken: Array<{ frees: number; accepted?: number }> = [];
	private learned?: LearnedRate;
	private lastGrant = -Infinity;
	/** Ends the drain loop's current wait. */
	private wake?: AbortController;
	private readonly queue: Waiter[] = [];
	private readonly users = new Map<string, PacerUser>();
	private pausedUntil = 0;
	private draining = false;

	constructor(limit: number, windowMs: number, user = DEFAULT_USER) {
		this.register(user, limit, windowMs);
	}

	/** Records `user`'s limit (replacing its earlier one: an edited credential takes effect at once). */
	register(user: string, limit: number, windowMs: number, now = Date.now()): void {
		const known = this.users.get(user);
		const entry = { limit: wholeLimit(limit), windowMs, lastUsed: now, pending: known?.pending ?? 0 };
		this.users.set(user, entry);
		for (const [name, other] of this.users) {
			if (other.pending === 0 && other.lastUsed + STALE_WINDOWS * other.windowMs < now) this.users.delete(name);
		}
	}

	private inUse(now = Date.now()): PacerUser[] {
		const all = [...this.users.values()];
		const active = all.filter((user) => user.pending > 0 || user.lastUsed + user.windowMs > now);
		return active.length > 0 ? active : all;
	}

	/** The number of requests allowed per window: the lowest among the users in use. */
	get limit(): number {
		return Math.min(...this.inUse().map((user) => user.limit));
	}

	/** The window the limit applies to: the longest among the users in use. */
	get windowMs(): number {
		return Math.max(...this.inUse().map((user) => user.windowMs));
	}

	/** Resolves when the caller may send; rejects if `signal` aborts first. */
	async acquire(signal?: AbortSignal, user = DEFAULT_USER): Promise<PacingSlot> {
		if (signal?.aborted) throw signal.reason;
		const entry = this.users.get(user);
		if (entry) entry.pending++;
		const done = () => {
			if (!entry) return;
			entry.pending--;
			entry.lastUsed = Date.now();
		};
		return await new Promise<PacingSlot>((resolve, reject) => {
			const waiter: Waiter = {
				resolve: (slot) => {
					done();
					resolve(slot);
				},
				reject,
				since: Date.now(),
			};
			this.queue.push(waiter);
			signal?.addEventListener(
				'abort',
				() => {
					const at = this.queue.indexOf(waiter);
					if (at >= 0) {
						this.queue.splice(at, 1);
						done();
						reject(signal.reason);
					}
				},
				{ once: true },
			);
			void this.drain();
		});
	}

	/** Holds every request back until `until` (after Kore said the limit was exceeded). */
	pause(until: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, until);
	}

	/** The rate learned from Kore's refusals, unless forgotten. */
	learnedRate(now = Date.now()): LearnedRate | undefined {
		return current(this.learned, now, this.windowMs);
	}

	/** How long to hold the account's requests after a refusal, at the learned rate. */
	refusalWaitMs(now = Date.now()): number {
		return refusalWaitMs(this.learnedRate(now), this.windowMs, now);
	}

	/**
	 * Learns from Kore's answer to a request sent at `sentAt`: refused for its rate limit, or accepted. In n8n's
	 * queue mode `inRedis` applies the step to the rate every worker shares, and the pacer takes the result;
	 * without it (or when it fails) the pacer learns alone.
	 */
	async answered(refused: boolean, sentAt: number, inRedis?: (step: LearningStep) => Promise<Learning | undefined>): Promise<Learning> {
		const answer = { now: Date.now(), sentAt, ceiling: this.limit, windowMs: this.windowMs };
		const step: LearningStep = (state, recent) => (refused ? onRefused(state, answer, recent) : onAccepted(state, answer));
		// (outside queue mode nothing is awaited: an answer's bookkeeping lets no other request in before it)
		const shared = inRedis ? await inRedis(step).catch(() => undefined) : undefined;
		if (!shared) return this.learn(step, answer.now);
		this.learned = shared.state;
		return shared;
	}

	/** Applies a step of the learning rule, given what Kore accepted in the last window; returns it. */
	learn(step: LearningStep, now = Date.now()): Learning {
		const accepted = this.taken.filter((slot) => slot.accepted !== undefined && slot.accepted > now - this.windowMs).map((slot) => slot.accepted!);
		const learning = step(this.learned, { accepted: accepted.length, oldest: accepted.length ? Math.min(...accepted) : undefined });
		this.learned = learning.state;
		return learning;
	}

	/** Milliseconds until the next request may start (0 = now). */
	nextDelay(now = Date.now()): number {
		const limit = this.limit;
		for (let i = this.taken.length - 1; i >= 0; i--) if (this.taken[i].frees <= now) this.taken.splice(i, 1);
		let at = Math.max(now, this.pausedUntil, this.lastGrant + spacingMs(this.learnedRate(now), this.windowMs));
		if (this.taken.length >= limit) {
			// one more request fits when all but limit - 1 of the taken slots are free
			const frees = this.taken.map((slot) => slot.frees).sort((x, y) => x - y);
			at = Math.max(at, frees[frees.length - limit]);
		}
		return at - now;
	}

	private async drain(): Promise<void> {
		if (this.draining) return;
		this.draining = true;
		try {
			while (this.queue.length > 0) {
				const delay = this.nextDelay();
				if (delay > 0) {
					// a request's answer (done) frees its slot's time sooner: it ends the wait early
					this.wake = new AbortController();
					await sleep(delay, this.wake.signal).catch(() => undefined);
					this.wake = undefined;
					continue;
				}
				const now = Date.now();
				const slot: { frees: number; accepted?: number } = { frees: now + IN_FLIGHT_MS };
				this.taken.push(slot);
				this.lastGrant = now;
				const waiter = this.queue.shift()!;
				let done = false;
				waiter.resolve({
					waitedMs: now - waiter.since,
					queued: this.queue.length,
					done: (accepted) => {
						if (done) return;
						done = true;
						const answered = Date.now();
						slot.frees = answered + this.windowMs;
						if (accepted) slot.accepted = answered;
						this.wake?.abort();
					},
				});
			}
		} finally {
			this.draining = false;
		}
	}
}

const pacers = new Map<string, Pacer>();

/** The user of a pacer when the caller names none. */
const DEFAULT_USER = '';
/** A user idle for this many windows is forgotten. */
const STALE_WINDOWS = 10;

/**
 * The pacer for one Kore host + account, registering `user` (the credential) with its limit. Kore counts
 * per account, so every credential for the account shares one pacer, at the lowest limit in use. The
 * margin on the window absorbs network jitter between when a request leaves here and when Kore counts it.
 */
export function pacerFor(host: string, accountId: string, limit: number, windowMs: number, user = DEFAULT_USER): Pacer {
	const key = `${host}\n${accountId}`;
	const effectiveWindow = Math.round(windowMs * (1 + WINDOW_MARGIN));
	let pacer = pacers.get(key);
	if (!pacer) {
		pacer = new Pacer(limit, effectiveWindow, user);
		pacers.set(key, pacer);
	} else {
		pacer.register(user, limit, effectiveWindow);
	}
	return pacer;
}

/**
 * How long a slot stays taken when its request never says it is done (a bug, or a request that hangs past
 * any timeout): long enough to outlast the node's longest request timeout, short enough not to block forever.
 */
const IN_FLIGHT_MS = 10 * 60_000;

/** 2% of the window (1.2 s of Kore's minute). */
export const WINDOW_MARGIN = 0.02;

/** How often (at most) a pacer's waits are logged. */
const WAIT_LOG_INTERVAL_MS = 10_000;
const lastWaitLog = new WeakMap<Pacer, number>();

/** Logs a wait for a pacing slot of a second or more, at most once per WAIT_LOG_INTERVAL_MS per account. */
export function logPacingWait(logger: Logger, pacer: Pacer, credentials: KoreCredentials, wait: PacingSlot): void {
	if (wait.waitedMs < 1000) return;
	const now = Date.now();
	if (now - (lastWaitLog.get(pacer) ?? 0) < WAIT_LOG_INTERVAL_MS) return;
	lastWaitLog.set(pacer, now);
	const per = formatMs(credentials.rateLimitWindowMs);
	const learned = pacer.learnedRate(now);
	logger.info(
		`Kore Contacts: pacing requests to ${pacer.limit} per ${per} for account ${credentials.accountId} at ${credentials.host} (Kore's rate limit${learned ? `; learned rate ${formatRate(learned.rate)} per ${per}` : ''}); a request waited ${formatMs(wait.waitedMs)}, ${wait.queued} more waiting`,
	);
}

/** Logs a change of the account's learned rate (from → to, and why). */
export function logLearnedRate(logger: Logger, pacer: Pacer, credentials: KoreCredentials, { change }: Learning): void {
	if (!change) return;
	logger.info(
		`Kore Contacts: learned rate for account ${credentials.accountId} at ${credentials.host}: ${formatRate(change.from)} → ${formatRate(change.to)} requests per ${formatMs(credentials.rateLimitWindowMs)} (${change.why}); the credential allows ${pacer.limit}`,
	);
}
