import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { decodeAll, encodeAll } from './digest';
import type { TriggerState } from './changes';

/**
 * The trigger's state in n8n's static data of the node (`getWorkflowStaticData('node')`), as plain fields:
 * n8n saves it with the workflow (its database), so it survives restarts and a republish of the workflow.
 * Bounded: a few numbers, and the digest records of the stream's contacts (37 bytes each, see digest.ts).
 */

/** The stored form's version: a state stored in another form is not read (the trigger records afresh). */
const VERSION = 1;

export interface StoredState extends TriggerState {
	/** Polls that moved the state since the first read. */
	seq: number;
	/** When the last complete read began, and what it cost in requests (the budget guard). */
	readAt: number;
	readCost: number;
}

/** What a state describes: the stream, on one Kore host and account (named by a hash). */
export function scopeOf(host: string, accountId: string, streamId: string): string {
	return `${streamId} ${createHash('sha1').update(`${host}\n${accountId}`).digest('hex').slice(0, 12)}`;
}

function numberIn(data: IDataObject, name: string): number | undefined {
	const value = data[name];
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The state kept for `scope`; undefined when there is none (first activation) or it describes something else. */
export function loadState(data: IDataObject, scope: string): StoredState | undefined {
	if (data.v !== VERSION || data.scope !== scope || typeof data.known !== 'string') return undefined;
	const [since, mark, seq, readAt, readCost] = ['since', 'mark', 'seq', 'readAt', 'readCost'].map((name) => numberIn(data, name));
	if (since === undefined || mark === undefined) return undefined;
	return { since, mark, known: decodeAll(data.known), seq: seq ?? 0, readAt: readAt ?? 0, readCost: readCost ?? 0 };
}

/** Replaces the state kept in `data` (n8n's node static data) with `state`. */
export function saveState(data: IDataObject, scope: string, state: StoredState): void {
	for (const key of Object.keys(data)) delete data[key];
	Object.assign(data, {
		v: VERSION,
		scope,
		seq: state.seq,
		since: state.since,
		mark: state.mark,
		readAt: state.readAt,
		readCost: state.readCost,
		known: encodeAll(state.known.values()),
	});
}

/** The size of the static data as n8n stores it (JSON), in bytes. */
export function storedBytes(data: IDataObject): number {
	return Buffer.byteLength(JSON.stringify(data));
}
