import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ContactDirectory } from '../../helpers/directory';
import { asItemError, prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import type { OperationContext } from '../types';
import { readTarget, resolveTarget, targetProperties } from './target';

export const description: INodeProperties[] = targetProperties(['delete'], 'delete');

/** Said of a contact that an earlier attempt, whose answer was lost, already deleted. */
export const ALREADY_DELETED_NOTE =
	'Deleted by an earlier attempt whose answer was lost on the way back (the repeat found it gone), so Kore\'s copy of the contact could not be returned';

/** Deletes one contact per input item; Kore marks it INACTIVE and returns it, which is the output. */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, concurrency, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		target: readTarget(this, index),
	}));
	const directory = new ContactDirectory(this, client);
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, target }, itemIndex) => {
		const contactId = await resolveTarget(directory, streamId, target, itemIndex);
		const meta = { attempts: 0 };
		try {
			return await client.request<IDataObject>({ method: 'DELETE', streamId, path: [contactId], contactId, itemIndex }, meta);
		} catch (error) {
			// Sent again after an attempt whose answer was lost (a reset, a timeout, a 5xx), Kore no longer
			// knows the contact: that attempt deleted it. The contact is gone, which is what was asked.
			if (meta.attempts > 1 && error instanceof NodeApiError && error.httpCode === '404') {
				return { id: contactId, status: 'INACTIVE', deleted: true, note: ALREADY_DELETED_NOTE };
			}
			throw asItemError(this, error, itemIndex);
		}
	});
	return [...failed, ...done];
}
