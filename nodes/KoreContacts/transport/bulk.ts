import type { IDataObject } from 'n8n-workflow';

import { koreErrorText } from './errors';

/** What Kore's bulk answer says about one id. */
export type BulkOutcome = { ok: true; record: IDataObject } | { ok: false; reason: string };

function idOf(entry: unknown): string | undefined {
	if (typeof entry === 'string' || typeof entry === 'number') return String(entry);
	if (entry && typeof entry === 'object') {
		const record = entry as IDataObject;
		for (const key of ['id', 'contactId', '_id']) {
			if (typeof record[key] === 'string' || typeof record[key] === 'number') return String(record[key]);
		}
	}
	return undefined;
}

function reasonOf(entry: unknown): string {
	if (entry && typeof entry === 'object') {
		const record = entry as IDataObject;
		const nested = record.error ?? record.errors ?? record.reason;
		const text =
			koreErrorText(typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? { errors: [nested] } : { errors: nested }) ??
			koreErrorText(record) ??
			(typeof nested === 'string' ? nested : undefined);
		if (text) return text;
	}
	return 'Kore reported it as failed without a reason';
}

/**
 * Reads Kore's bulk answer (`{totalRequested, successful, failed, successfulRecords[], failedRecords[]}`)
 * into an outcome per requested id. The shape of a `failedRecords` entry is not documented, so an entry
 * may be an id, or an object with `id`/`contactId` and a message in `error`, `msg`, `message` or `reason`.
 * An id the answer does not account for is reported as such, never assumed done — unless the counts say
 * every id succeeded.
 */
export function bulkOutcomes(body: unknown, ids: string[]): Map<string, BulkOutcome> {
	const answer = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const successful = Array.isArray(answer.successfulRecords) ? answer.successfulRecords : [];
	const failedRecords = Array.isArray(answer.failedRecords) ? answer.failedRecords : [];
	const outcomes = new Map<string, BulkOutcome>();
	for (const entry of successful) {
		const id = idOf(entry);
		if (id !== undefined) outcomes.set(id, { ok: true, record: (typeof entry === 'object' ? entry : { id }) as IDataObject });
	}
	const unattributed: string[] = [];
	for (const entry of failedRecords) {
		const id = idOf(entry);
		if (id === undefined) unattributed.push(reasonOf(entry));
		else outcomes.set(id, { ok: false, reason: reasonOf(entry) });
	}
	const allSucceeded = failedRecords.length === 0 && answer.failed === 0 && answer.successful === ids.length;
	for (const id of ids) {
		if (outcomes.has(id)) continue;
		if (allSucceeded) outcomes.set(id, { ok: true, record: { id } });
		else
			outcomes.set(id, {
				ok: false,
				reason: unattributed.length
					? `Kore reported failures without saying for which contact: ${unattributed.join('; ')}`
					: "Kore's answer does not mention this contact, so whether it was changed is unknown; check it in Kore",
			});
	}
	return outcomes;
}
