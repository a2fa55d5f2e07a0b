import { NodeOperationError, sleep } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { LockTimeoutError } from '../queue';
import type { Lease, SharedState } from '../queue';
import type { StreamState } from './knowledge';
import { release } from './registry';

/** How long a write waits for other writes to the same contact or number before its item fails (tests shorten it). */
export const lockTiming = { waitMs: 5 * 60_000 };

/** The lock of every write keyed by one phone number (sorted before contact ids: "#" < letters). */
export function phoneLock(candidates: string[]): string {
	return `#phone ${[...candidates].sort().join(' ')}`;
}

/** What a lock key stands for, in a message: `contact "c5"` or `phone +919876543210`. */
function named(key: string): string {
	return key.startsWith('#phone ') ? `phone ${key.slice('#phone '.length).split(' ').join(' or ')}` : `contact "${key}"`;
}

/** What a write waits with: the execution's stop signal, and where to report. */
export interface LockWaiter {
	node: INode;
	itemIndex: number;
	signal: AbortSignal;
	shared: SharedState;
}

/**
 * Runs `work` while no other write to the same keys runs: in this process (keys taken in sorted order, each
 * a chain of waiters) and, in queue mode, in every worker (n8n's Redis, with leases; see `queue/lease.ts`).
 * Waits are bounded and end when the execution stops, with a message naming what was waited for; `work`
 * gets the lease, whose `extend` must be called before a write is sent.
 */
export async function exclusive<T>(state: StreamState, keys: string[], waiter: LockWaiter, work: (lease: Lease) => Promise<T>): Promise<T> {
	const sorted = [...new Set(keys)].sort();
	const releases: Array<() => void> = [];
	const waitMs = lockTiming.waitMs;
	const deadline = Date.now() + waitMs;
	const fail = (key: string, why: 'stopped' | 'timeout') =>
		new NodeOperationError(
			waiter.node,
			why === 'stopped'
				? `Item ${waiter.itemIndex}: not sent: the execution stopped while it waited for another write to ${named(key)} to finish`
				: `Item ${waiter.itemIndex}: not sent: another write to ${named(key)} did not finish within ${Math.round(waitMs / 1000)} s`,
			{ itemIndex: waiter.itemIndex, description: 'Nothing was changed in Kore for this item.' },
		);
	try {
		for (const key of sorted) {
			const previous = state.locks.get(key) ?? Promise.resolve();
			let unlock!: () => void;
			const mine = new Promise<void>((resolve) => (unlock = resolve));
			const tail = previous.then(() => mine);
			state.locks.set(key, tail);
			const done = () => {
				unlock();
				if (state.locks.get(key) === tail) state.locks.delete(key);
			};
			const timer = new AbortController();
			const gaveUp = await Promise.race([
				previous.then(() => undefined),
				sleep(Math.max(0, deadline - Date.now()), AbortSignal.any([timer.signal, waiter.signal])).then(
					() => fail(key, 'timeout'),
					() => (waiter.signal.aborted ? fail(key, 'stopped') : undefined),
				),
			]);
			timer.abort();
			if (gaveUp) {
				// the chain goes on as if this waiter had taken its turn and left at once
				void previous.then(done);
				throw gaveUp;
			}
			releases.push(done);
		}
		let lease: Lease;
		try {
			lease = await waiter.shared.lock(
				sorted.map((key) => `${state.key}\n${key}`),
				{ timeoutMs: Math.max(1, deadline - Date.now()), signal: waiter.signal, what: sorted.map(named).join(' and ') },
			);
		} catch (error) {
			if (waiter.signal.aborted) throw fail(sorted[0], 'stopped');
			if (error instanceof LockTimeoutError) throw fail(sorted[0], 'timeout');
			throw new NodeOperationError(waiter.node, `Item ${waiter.itemIndex}: not sent: ${(error as Error).message}`, { itemIndex: waiter.itemIndex });
		}
		try {
			return await work(lease);
		} finally {
			await lease.release();
		}
	} finally {
		for (const unlock of releases.reverse()) unlock();
		release(state);
	}
}
