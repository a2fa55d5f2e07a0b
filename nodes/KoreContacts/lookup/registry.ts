import { sleep } from 'n8n-workflow';

import { RETAIN_READ_MS } from '../queue';
import { StreamState } from './knowledge';

/**
 * Every stream the layer holds in this process, by Kore host + account + stream. A stream lives while an
 * execution holds it (a lease), a read runs, or a write holds a lock, and is dropped after — in queue mode
 * a minute after (RETAIN_READ_MS): executions n8n had queued before its last read began may still start on
 * this worker, and that read answers them.
 */
const streams = new Map<string, StreamState>();

/** The stream's state, held by one more execution until `release`. */
export function holdStream(key: string, streamId: string): StreamState {
	let state = streams.get(key);
	state?.retained?.abort();
	if (state) state.retained = undefined;
	if (!state) {
		state = new StreamState(key, streamId);
		streams.set(key, state);
	}
	state.leases++;
	return state;
}

/** Drops a stream no one uses (in queue mode after a while, see above). */
export function release(state: StreamState): void {
	if (!state.idle() || streams.get(state.key) !== state) return;
	if (state.lastRead?.createdBefore === undefined) {
		streams.delete(state.key);
		return;
	}
	if (state.retained) return;
	const retained = new AbortController();
	state.retained = retained;
	void sleep(RETAIN_READ_MS, retained.signal).then(
		() => {
			state.retained = undefined;
			if (state.idle() && streams.get(state.key) === state) streams.delete(state.key);
		},
		() => undefined,
	);
}

/** How many streams the layer holds now (tests check that a burst leaves nothing behind). */
export function heldStreams(): number {
	return streams.size;
}

/** Drops every idle stream now, kept ones included (tests: a kept stream would outlive its test). */
export function dropIdleStreams(): void {
	for (const state of [...streams.values()]) {
		state.retained?.abort();
		state.retained = undefined;
		if (state.idle()) streams.delete(state.key);
	}
}

/**
 * Contacts this process deleted recently (by stream + id, and stream + phone number), so that a repeated
 * delivery of a "contact deleted" event can be told apart from a typo even when Kore does not list deleted
 * contacts. Bounded in time and size; the oldest entries go first.
 */
const RECENT_MS = 15 * 60_000;
const RECENT_MAX = 10_000;
const recentlyDeleted = new Map<string, number>();

export function rememberDeleted(keys: string[]): void {
	const now = Date.now();
	for (const key of keys) {
		recentlyDeleted.delete(key);
		recentlyDeleted.set(key, now + RECENT_MS);
	}
	for (const [key, until] of recentlyDeleted) {
		if (recentlyDeleted.size <= RECENT_MAX && until > now) break;
		recentlyDeleted.delete(key);
	}
}

export function deletedRecently(key: string): boolean {
	const until = recentlyDeleted.get(key);
	if (until === undefined) return false;
	if (until > Date.now()) return true;
	recentlyDeleted.delete(key);
	return false;
}
