import type { SharedState } from '../../KoreContacts/queue';
import type { Change } from './changes';

/**
 * Several n8n main processes (multi-main, queue mode): n8n runs pollers on the leader only. The trigger's
 * state is n8n's static data of the node: the leader holds it in memory, n8n writes it to its database when
 * a poll emits items (without waiting) and after an activation, and a main that becomes leader loads it from
 * there and polls at once. Two things could then report a change twice:
 *
 * - the old leader still polling: it learns it lost the lead only at its next check (every few seconds), and
 *   n8n drops an in-flight poll's result only once that leader has removed its pollers. So a poll notes
 *   n8n's leader key when it begins and keeps its result only when the key is unchanged when it ends
 *   (`stillLeading`); otherwise the new leader reports the changes (from the state before).
 * - the new leader starting from a state older than the old leader's last emitted poll (that write had not
 *   landed): the changes each poll emitted are remembered a while in n8n's Redis, and a change already
 *   emitted is not emitted again.
 *
 * In one n8n process (regular mode) the same can happen when a workflow is republished while its poller emits
 * (n8n loads the static data for the new activation while the old poller's write is on its way): the changes
 * emitted are then remembered in the process's memory instead of Redis, and there is no leader to check.
 */

/** How long emitted changes are remembered: a leader change is over in seconds (n8n's leader key lives 10 s). */
const REMEMBER_MS = 10 * 60_000;
/** How long a poll waits for another main's commit of the same trigger (a commit takes a few Redis calls). */
const COMMIT_WAIT_MS = 60_000;
/** Emitted changes remembered at most (a bulk change emits many at once). */
const REMEMBER_MAX = 50_000;

type Emitted = { at: number; keys: string[] };

/** One n8n process (no Redis): the changes each trigger emitted lately. */
const local = new Map<string, Emitted[]>();

/** The batches still remembered at `now`, at most REMEMBER_MAX changes (the newest). */
function recentOf(batches: Emitted[] | undefined, now: number): Emitted[] {
	let recent = (batches ?? []).filter((batch) => now - batch.at < REMEMBER_MS);
	while (recent.length > 1 && recent.reduce((sum, batch) => sum + batch.keys.length, 0) > REMEMBER_MAX) recent = recent.slice(1);
	return recent;
}

export class Handover {
	private constructor(
		private readonly shared: SharedState,
		private readonly name: string,
		private readonly leaderAtStart: string | undefined,
	) {}

	/** Notes who leads as a poll begins. `name` names the trigger (workflow and node ids). */
	static async begin(shared: SharedState, name: string): Promise<Handover> {
		return new Handover(shared, `trigger ${name}`, await shared.leader());
	}

	/**
	 * Runs `work` while no other poll of this trigger commits (in queue mode: in any main process), with:
	 * whether n8n's leader is still the one that led when the poll began, and the changes not emitted yet by
	 * any poll of this trigger (`emit` records them as emitted).
	 */
	async commit<T>(changes: Change[], work: (outcome: { stillLeading: boolean; unseen: Change[]; emit: () => Promise<void> }) => Promise<T>): Promise<T> {
		const { queueMode } = this.shared;
		const lease = queueMode ? await this.shared.lock([this.name], { timeoutMs: COMMIT_WAIT_MS, what: 'the commit of a poll of this trigger' }) : undefined;
		try {
			const stillLeading = (await this.shared.leader()) === this.leaderAtStart;
			const now = Date.now();
			for (const [name, batches] of local) if (recentOf(batches, now).length === 0) local.delete(name);
			const recent = recentOf(queueMode ? ((await this.shared.record(this.name))?.emitted as Emitted[] | undefined) : local.get(this.name), now);
			const seen = new Set(recent.flatMap((batch) => batch.keys));
			const unseen = changes.filter((change) => !seen.has(change.key));
			const emit = async () => {
				if (unseen.length === 0) return;
				const emitted = recentOf([...recent, { at: now, keys: unseen.map((change) => change.key) }], now);
				if (queueMode) await this.shared.publish(this.name, { pos: await this.shared.nextPosition(), emitted });
				else local.set(this.name, emitted);
			};
			return await work({ stillLeading, unseen, emit });
		} finally {
			await lease?.release();
		}
	}
}
