import { sleep } from 'n8n-workflow';
import type { Logger } from 'n8n-workflow';

import { RedisUnavailableError } from './types';

/** How long a call waits for n8n's Redis to come back before it fails (its item then fails). */
export const REDIS_WAIT_MS = 30_000;
const BACKOFF_MS = [100, 2_000];
/** An answer slower than this counts as Redis not answering (logged; the call goes on waiting). */
const SLOW_MS = 2_000;

/** Redis answered, with an error of the command itself (a script's): waiting would not change it. */
const isReply = (error: unknown) => (error as Error)?.name === 'ReplyError';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown; timedOut?: boolean };

/**
 * Runs Redis calls for the queue-mode state: a call that fails because Redis cannot be reached is tried
 * again with backoff, and no call waits longer than `waitMs` in all: then it fails with a clear error.
 * Redis trouble is never silent: the start of an outage and the recovery are logged, once each.
 */
export class Patience {
	private outageSince?: number;

	constructor(
		private readonly where: string,
		private readonly logger: Logger,
		readonly waitMs = REDIS_WAIT_MS,
	) {}

	async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		const started = Date.now();
		for (let attempt = 0; ; attempt++) {
			const timers = new AbortController();
			const slow = sleep(SLOW_MS, timers.signal).then(
				() => this.outage('no answer yet'),
				() => undefined,
			);
			const outcome: Outcome<T> = await Promise.race([
				call().then(
					(value): Outcome<T> => ({ ok: true, value }),
					(error: unknown): Outcome<T> => ({ ok: false, error }),
				),
				sleep(Math.max(0, this.waitMs - (Date.now() - started)), timers.signal).then(
					(): Outcome<T> => ({ ok: false, error: new Error('no answer'), timedOut: true }),
					(): Outcome<T> => ({ ok: false, error: new Error('stopped') }),
				),
			]);
			timers.abort();
			await slow;
			if (outcome.ok) {
				this.recovered();
				return outcome.value;
			}
			if (isReply(outcome.error)) return await Promise.reject(outcome.error);
			const message = (outcome.error as Error)?.message;
			this.outage(message);
			const delay = Math.min(BACKOFF_MS[1], BACKOFF_MS[0] * 2 ** attempt);
			if (outcome.timedOut || Date.now() - started + delay > this.waitMs) {
				throw new RedisUnavailableError(
					`n8n's Redis at ${this.where} did not answer for ${Math.round((Date.now() - started) / 1000)} s (${message}). In queue mode the request budget and the locks on contacts are kept there, so nothing was sent`,
				);
			}
			await sleep(delay, signal);
		}
	}

	private outage(message: string): void {
		if (this.outageSince !== undefined) return;
		this.outageSince = Date.now();
		this.logger.warn(
			`Kore Contacts: n8n's Redis at ${this.where} does not answer (${message}); requests and writes wait for it, up to ${Math.round(this.waitMs / 1000)} s each`,
		);
	}

	private recovered(): void {
		if (this.outageSince === undefined) return;
		this.logger.info(`Kore Contacts: n8n's Redis at ${this.where} answers again (after ${Math.round((Date.now() - this.outageSince) / 1000)} s)`);
		this.outageSince = undefined;
	}
}
