import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, INodeProperties, JsonObject } from 'n8n-workflow';

import { prepareItems, runBatches } from '../../helpers/items';
import type { ItemOutcome, Prepared } from '../../helpers/items';
import { requiredId, streamIdFor } from '../../helpers/params';
import { bulkOutcomes } from '../../transport/bulk';
import type { BulkOutcome } from '../../transport/bulk';
import type { RequestMeta } from '../../transport';
import type { OperationContext } from '../types';
import { alreadyDeleted, alreadyDeletedNote } from './delete.operation';

/** The per-item Contact ID of the bulk operations. */
export function bulkContactIdProperty(operation: string, verb: string, more: string): INodeProperties {
	return {
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.koreId }}',
		description: `The Kore ID of the contact to ${verb}, usually an expression: each input item names one contact${more}, and the node sends them to Kore's bulk-${verb} endpoint in batches (see Batch Size). A contact named by several items is sent once.`,
		displayOptions: { show: { resource: ['contact'], operation: [operation] } },
	};
}

export const description: INodeProperties[] = [bulkContactIdProperty('deleteMany', 'delete', '')];

/** Turns Kore's bulk answer into one outcome per item of the batch. */
export function toItemOutcomes<T extends { contactId: string }>(
	node: INode,
	batch: Array<Prepared<T>>,
	outcomes: Map<string, BulkOutcome>,
	success: (value: T, record: Record<string, unknown>) => Record<string, unknown>,
	verb: string,
): ItemOutcome[] {
	return batch.map(({ index, value }) => {
		const outcome = outcomes.get(value.contactId)!;
		if (outcome.ok) return { index, json: [success(value, outcome.record) as never] };
		const error = new NodeApiError(node, { message: outcome.reason } as JsonObject, {
			itemIndex: index,
			description: `Kore's bulk ${verb} reported this contact as failed; the other contacts of the batch are not affected.`,
		});
		error.message = `Could not ${verb} contact "${value.contactId}": ${outcome.reason}`;
		return { index, error };
	});
}

/** Deletes the contacts named by the input items with Kore's bulk-delete endpoint, in batches. */
export async function execute(
	this: IExecuteFunctions,
	{ items, lookups, batchSize, options, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const succeedIfGone = options.succeedIfAlreadyDeleted === true;
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		contactId: requiredId(this, 'contactId', index),
	}));
	const done = await runBatches(
		this,
		prepared,
		{ group: (value) => value.streamId, dedupe: (value) => value.contactId, size: batchSize },
		async (batch) => {
			const streamId = batch[0].value.streamId;
			const ids = batch.map(({ value }) => value.contactId);
			return await lookups.writeMany(streamId, ids, batch[0].index, async (_current, send) => {
				const answers = new Map<string, IDataObject | undefined>();
				// With Succeed If Already Deleted, ids this n8n deleted recently are not sent again.
				const gone = succeedIfGone ? await lookups.deleted(streamId, ids, batch[0].index, false) : new Map<string, IDataObject>();
				const toSend = ids.filter((id) => !gone.has(id));
				const outcomes = new Map<string, BulkOutcome>();
				if (toSend.length > 0) {
					const meta: RequestMeta = { attempts: 0, maybeApplied: false };
					const answer = await send(
						{ method: 'DELETE', streamId, path: ['bulk-delete'], body: { ids: toSend }, itemIndex: batch[0].index },
						meta,
					);
					for (const [id, outcome] of bulkOutcomes(answer, toSend)) {
						// Sent again after an attempt whose answer was lost once it may have reached Kore (not after a
						// 429 or a refused connection): ids Kore no longer knows were most likely deleted by it.
						const lostThenGone = meta.maybeApplied && !outcome.ok && /not found/i.test(outcome.reason);
						const note = alreadyDeletedNote(meta.maybeAppliedBy);
						outcomes.set(id, lostThenGone ? { ok: true, record: { id, note } } : outcome);
						answers.set(id, outcome.ok || lostThenGone ? { id, status: 'INACTIVE' } : undefined);
					}
				}
				const notFound = [...outcomes].filter(([, outcome]) => !outcome.ok && /not found/i.test(outcome.reason)).map(([id]) => id);
				if (succeedIfGone && notFound.length > 0) {
					for (const [id, contact] of await lookups.deleted(streamId, notFound, batch[0].index, true)) gone.set(id, contact);
				}
				for (const [id, contact] of gone) {
					outcomes.set(id, { ok: true, record: alreadyDeleted(contact) });
					answers.set(id, contact);
				}
				const result = toItemOutcomes(this.getNode(), batch, outcomes, ({ contactId }, record) =>
					record.alreadyDeleted ? { ...record, id: contactId } : { ...record, id: contactId, deleted: true }, 'delete');
				return { result, answers };
			});
		},
	);
	return [...failed, ...done];
}
