import { sleep } from 'n8n-workflow';

/** How long a request waited for its slot, and how many were still waiting then. */
export interface PacingWait {
	waitedMs: number;
	queued: number;
}

interface Waiter {
	resolve: (wait: PacingWait) => void;
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
 * A rolling-window limiter: at most `limit` requests start in any `windowMs`. Requests queue for a slot
 * (first come, first served) instead of being refused. One pacer exists per Kore host + account in the
 * n8n process, so every execution and node that uses the same account shares the budget Kore enforces.
 *
 * Several credentials may name the same account with different limits: each registers as a user, and the
 * pacer applies the lowest limit (and longest window) among the users in use — with requests waiting, or
 * granted within their window. A user's limit stops counting once it has been idle for a whole window.
 */
export class Pacer {
	private readonly started: number[] = [];
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
	async acquire(signal?: AbortSignal, user = DEFAULT_USER): Promise<PacingWait> {
		if (signal?.aborted) throw signal.reason;
		const entry = this.users.get(user);
		if (entry) entry.pending++;
		const done = () => {
			if (!entry) return;
			entry.pending--;
			entry.lastUsed = Date.now();
		};
		return await new Promise<PacingWait>((resolve, reject) => {
			const waiter: Waiter = {
				resolve: (wait) => {
					done();
					resolve(wait);
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

	/** Milliseconds until the next request may start (0 = now). */
	nextDelay(now = Date.now()): number {
		const limit = this.limit;
		const windowMs = this.windowMs;
		while (this.started.length > 0 && this.started[0] + windowMs <= now) this.started.shift();
		let at = Math.max(now, this.pausedUntil);
		if (this.started.length >= limit) {
			at = Math.max(at, this.started[this.started.length - limit] + windowMs);
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
					await sleep(delay);
					continue;
				}
				const now = Date.now();
				this.started.push(now);
				const waiter = this.queue.shift()!;
				waiter.resolve({ waitedMs: now - waiter.since, queued: this.queue.length });
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

/** 2% of the window (1.2 s of Kore's minute). */
export const WINDOW_MARGIN = 0.02;
