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
 *   landed): the changes each poll emitted are kept a while in n8n's Redis (`unseen` / `record`), and a
 *   change already emitted is not emitted again.
 *
 * Outside queue mode (one n8n process) all of this is a no-op: the state in memory is the only one.
 */

/** How long emitted changes are remembered: a leader change is over in seconds (n8n's leader key lives 10 s). */
const REMEMBER_MS = 10 * 60_000;
/** Emitted changes remembered at most (a bulk change emits many at once). */
const REMEMBER_MAX = 50_000;

type Emitted = { at: number; keys: string[] };

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
	 * Runs `work` while no other main process commits a poll of this trigger, with: whether n8n's leader is
	 * still the one that led when the poll began, and the changes not emitted yet by any poll of this
	 * trigger (`emit` records them as emitted).
	 */
	async commit<T>(changes: Change[], work: (outcome: { stillLeading: boolean; unseen: Change[]; emit: () => Promise<void> }) => Promise<T>): Promise<T> {
		if (!this.shared.queueMode) return await work({ stillLeading: true, unseen: changes, emit: async () => undefined });
		const release = await this.shared.lock([this.name]);
		try {
			const stillLeading = (await this.shared.leader()) === this.leaderAtStart;
			const now = Date.now();
			const record = await this.shared.get(this.name);
			const recent = ((record?.emitted ?? []) as Emitted[]).filter((batch) => now - batch.at < REMEMBER_MS);
			const seen = new Set(recent.flatMap((batch) => batch.keys));
			const unseen = changes.filter((change) => !seen.has(change.key));
			const emit = async () => {
				if (unseen.length === 0) return;
				let emitted = [...recent, { at: now, keys: unseen.map((change) => change.key) }];
				while (emitted.length > 1 && emitted.reduce((sum, batch) => sum + batch.keys.length, 0) > REMEMBER_MAX) emitted = emitted.slice(1);
				await this.shared.put(this.name, { emitted });
			};
			return await work({ stillLeading, unseen, emit });
		} finally {
			await release();
		}
	}
}
