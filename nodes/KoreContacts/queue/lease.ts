import { sleep } from 'n8n-workflow';

import type { Patience } from './patience';
import { RELEASE, RENEW } from './scripts';
import { LeaseLostError, LockTimeoutError } from './types';
import type { Lease, LockWait } from './types';
import type { Client } from './redisState';

const LOCK_POLL_MS = [20, 200];
/** A lease counts as lapsed this share of it before Redis would expire it (clocks and answers take time). */
const SAFETY_SHARE = 0.1;
/** How soon a failed renewal is tried again. */
const RENEW_RETRY_MS = 250;

/**
 * Locks in n8n's Redis with leases: a lock a crashed worker held frees itself after `leaseMs`; a live holder
 * renews it every third of that, and a renewal that fails (Redis unreachable) is tried again until it works
 * or the lease may have lapsed. The holder knows until when every lock is surely its own (`validUntil`, on
 * its own clock, from when the last renewal that worked was sent): a write is sent only after `extend` made
 * sure of that for the time the request may take.
 */
export async function takeLocks(client: Client, patience: Patience, keys: string[], leaseMs: number, wait: LockWait): Promise<Lease> {
	const token = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
	const held: string[] = [];
	const stopped = new AbortController();
	let validUntil = Infinity;
	let lost: string | undefined;
	const release = async () => {
		stopped.abort();
		// a lock that cannot be released (Redis out of reach) frees itself when its lease runs out
		for (const key of [...held].reverse()) await patience.run(async () => await client.eval(RELEASE, 1, key, token)).catch(() => undefined);
	};
	const deadline = Date.now() + wait.timeoutMs;
	const safety = leaseMs * SAFETY_SHARE;
	try {
		for (const key of keys) {
			for (;;) {
				if (wait.signal?.aborted) throw wait.signal.reason;
				const sent = Date.now();
				if ((await patience.run(async () => await client.set(key, token, 'PX', leaseMs, 'NX'), wait.signal)) === 'OK') {
					validUntil = Math.min(validUntil, sent + leaseMs);
					break;
				}
				if (Date.now() >= deadline) {
					throw new LockTimeoutError(`another write to ${wait.what} held it for more than ${Math.round(wait.timeoutMs / 1000)} s`);
				}
				await sleep(LOCK_POLL_MS[0] + Math.random() * (LOCK_POLL_MS[1] - LOCK_POLL_MS[0]), wait.signal);
			}
			held.push(key);
		}
	} catch (error) {
		await release();
		return await Promise.reject(error);
	}

	/** Renews every lock for `ms`; true when all are still this holder's, false when one is not. */
	const renew = async (ms: number) => {
		const sent = Date.now();
		for (const key of held) if (Number(await client.eval(RENEW, 1, key, token, ms)) !== 1) return false;
		validUntil = Math.max(validUntil, sent + ms);
		return true;
	};
	void (async () => {
		while (!stopped.signal.aborted && lost === undefined) {
			await sleep(leaseMs / 3, stopped.signal).catch(() => undefined);
			while (!stopped.signal.aborted && lost === undefined) {
				const renewed = await patience.run(async () => await renew(leaseMs)).catch(() => undefined);
				if (renewed === true) break;
				if (renewed === false) lost = 'another holder has it now';
				else if (Date.now() >= validUntil - safety) lost = "n8n's Redis did not answer while it was held";
				else await sleep(RENEW_RETRY_MS, stopped.signal).catch(() => undefined);
			}
		}
	})();

	return {
		release,
		extend: async (ms: number) => {
			const fail = (why: string) => new LeaseLostError(`the lock on ${wait.what} may have lapsed (${why}), so this write was not sent`);
			if (lost !== undefined) throw fail(lost);
			if (Date.now() >= validUntil - safety) throw fail("n8n's Redis did not answer while it was held");
			const renewed = await patience.run(async () => await renew(ms + leaseMs));
			if (!renewed) {
				lost = 'another holder has it now';
				throw fail(lost);
			}
		},
	};
}
