import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ContactDirectory } from '../../helpers/directory';
import { asItemError, prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import type { RequestMeta } from '../../transport';
import type { OperationContext } from '../types';
import { readTarget, resolveTarget, targetProperties } from './target';

export const description: INodeProperties[] = targetProperties(['delete'], 'delete');

/**
 * Said of a contact a repeat found gone after an earlier attempt may have deleted it: `lostBy` is what
 * lost that attempt's answer (e.g. "HTTP 503", "ECONNRESET").
 */
export function alreadyDeletedNote(lostBy: string | undefined): string {
	return `Not confirmed by Kore: an earlier attempt's answer was lost (${lostBy ?? 'unknown failure'}) after it may have reached Kore, and the repeat found the contact gone, so that attempt most likely deleted it; Kore's copy of the contact could not be returned`;
}

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
		const meta: RequestMeta = { attempts: 0, maybeApplied: false };
		try {
			return await client.request<IDataObject>({ method: 'DELETE', streamId, path: [contactId], contactId, itemIndex }, meta);
		} catch (error) {
			// Sent again after an attempt whose answer was lost once it may have reached Kore (a reset, a
			// timeout, a 5xx — not a 429 or a refused connection), Kore no longer knows the contact: that
			// attempt most likely deleted it. The output says it was not confirmed.
			if (meta.maybeApplied && error instanceof NodeApiError && error.httpCode === '404') {
				return { id: contactId, status: 'INACTIVE', deleted: true, note: alreadyDeletedNote(meta.maybeAppliedBy) };
			}
			throw asItemError(this, error, itemIndex);
		}
	});
	return [...failed, ...done];
}
