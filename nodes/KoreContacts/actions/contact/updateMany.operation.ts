import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ContactFields } from '../../helpers/contact';
import { asItemError, prepareItems, runBatches } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { requiredId, streamIdFor } from '../../helpers/params';
import { bulkOutcomes } from '../../transport/bulk';
import type { OperationContext } from '../types';
import { bulkContactIdProperty, toItemOutcomes } from './deleteMany.operation';
import { asContact, mergedBody, readUpdateFields, updateFieldsProperty } from './update.operation';

export const description: INodeProperties[] = [
	bulkContactIdProperty('updateMany', 'update', ' and its changes'),
	updateFieldsProperty('updateMany'),
];

/**
 * Updates the contacts named by the input items with Kore's bulk-update endpoint, in batches. Items that
 * name the same contact are sent once, with their changes applied in input order.
 */
export async function execute(
	this: IExecuteFunctions,
	{ items, lookups, batchSize, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		contactId: requiredId(this, 'contactId', index),
		changes: readUpdateFields(this, index),
	}));
	// Changes for the same contact are combined (later items win), since the contact is sent once.
	const combined = new Map<string, ContactFields>();
	for (const { value } of prepared) {
		const key = `${value.streamId}\n${value.contactId}`;
		combined.set(key, { ...combined.get(key), ...value.changes });
	}
	const done = await runBatches(
		this,
		prepared,
		{ group: (value) => value.streamId, dedupe: (value) => value.contactId, size: batchSize },
		async (batch) => {
			const streamId = batch[0].value.streamId;
			const ids = batch.map(({ value }) => value.contactId);
			return await lookups.writeMany(streamId, ids, batch[0].index, async (current, send) => {
				const outcomes: ItemOutcome[] = [];
				const sendable: typeof batch = [];
				const body = [];
				for (const entry of batch) {
					const { contactId } = entry.value;
					try {
						const changes = combined.get(`${streamId}\n${contactId}`)!;
						body.push({ id: contactId, ...(await mergedBody(this, entry.index, changes, () => current(contactId, entry.index))) });
						sendable.push(entry);
					} catch (error) {
						outcomes.push({ index: entry.index, error: asItemError(this, error, entry.index) });
					}
				}
				const answers = new Map<string, IDataObject | undefined>();
				if (sendable.length === 0) return { result: outcomes, answers };
				const sentIds = sendable.map(({ value }) => value.contactId);
				const answer = await send({ method: 'PUT', streamId, path: ['bulk-update'], body, itemIndex: sendable[0].index });
				const results = bulkOutcomes(answer, sentIds);
				for (const [id, outcome] of results) answers.set(id, outcome.ok ? asContact(outcome.record.contact) : undefined);
				const updated = toItemOutcomes(
					this.getNode(),
					sendable,
					results,
					({ contactId }, record) => ({ id: contactId, updated: true, contact: record.contact ?? record }),
					'update',
				);
				return { result: [...outcomes, ...updated], answers };
			});
		},
	);
	return [...failed, ...done];
}
