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

/**
 * A rolling-window limiter: at most `limit` requests start in any `windowMs`. Requests queue for a slot
 * (first come, first served) instead of being refused. One pacer exists per Kore host + account in the
 * n8n process, so every execution and node that uses the same account shares the budget Kore enforces.
 */
export class Pacer {
	private readonly started: number[] = [];
	private readonly queue: Waiter[] = [];
	private pausedUntil = 0;
	private draining = false;

	constructor(
		public limit: number,
		public windowMs: number,
	) {}

	/** Resolves when the caller may send; rejects if `signal` aborts first. */
	async acquire(signal?: AbortSignal): Promise<PacingWait> {
		if (signal?.aborted) throw signal.reason;
		return await new Promise<PacingWait>((resolve, reject) => {
			const waiter: Waiter = { resolve, reject, since: Date.now() };
			this.queue.push(waiter);
			signal?.addEventListener(
				'abort',
				() => {
					const at = this.queue.indexOf(waiter);
					if (at >= 0) {
						this.queue.splice(at, 1);
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
		while (this.started.length > 0 && this.started[0] + this.windowMs <= now) this.started.shift();
		let at = Math.max(now, this.pausedUntil);
		if (this.limit > 0 && this.started.length >= this.limit) {
			at = Math.max(at, this.started[this.started.length - this.limit] + this.windowMs);
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

/**
 * The pacer for one Kore host + account. Kore counts per account; the margin on the window absorbs
 * network jitter between when a request leaves here and when Kore counts it.
 */
export function pacerFor(host: string, accountId: string, limit: number, windowMs: number): Pacer {
	const key = `${host}\n${accountId}`;
	const effectiveWindow = Math.round(windowMs * (1 + WINDOW_MARGIN));
	let pacer = pacers.get(key);
	if (!pacer) {
		pacer = new Pacer(limit, effectiveWindow);
		pacers.set(key, pacer);
	} else {
		pacer.limit = limit;
		pacer.windowMs = effectiveWindow;
	}
	return pacer;
}

/** 2% of the window (1.2 s of Kore's minute). */
export const WINDOW_MARGIN = 0.02;
