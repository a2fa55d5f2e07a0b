import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { asItemError, prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import type { Send } from '../../lookup';
import type { RequestMeta } from '../../transport';
import type { OperationContext } from '../types';
import { readTarget, targetProperties } from './target';

export const description: INodeProperties[] = targetProperties(['delete'], 'delete');

export const options: INodeProperties[] = [
	{
		displayName: 'Succeed If Already Deleted',
		name: 'succeedIfAlreadyDeleted',
		type: 'boolean',
		default: false,
		description:
			'Whether a contact that is already deleted counts as a success (output with "alreadyDeleted": true) instead of an error. For CRM webhooks, which may deliver one event twice. Known deleted means: Kore lists it as INACTIVE, or this n8n deleted it in the last 15 minutes. An ID or number Kore does not know at all still fails.',
		displayOptions: { show: { '/operation': ['delete', 'deleteMany'] } },
	},
];

/**
 * Said of a contact a repeat found gone after an earlier attempt may have deleted it: `lostBy` is what
 * lost that attempt's answer (e.g. "HTTP 503", "ECONNRESET").
 */
export function alreadyDeletedNote(lostBy: string | undefined): string {
	return `Not confirmed by Kore: an earlier attempt's answer was lost (${lostBy ?? 'unknown failure'}) after it may have reached Kore, and the repeat found the contact gone, so that attempt most likely deleted it; Kore's copy of the contact could not be returned`;
}

/** The output for a contact that was deleted before this item asked. */
export function alreadyDeleted(contact: IDataObject): IDataObject {
	return { ...contact, status: 'INACTIVE', alreadyDeleted: true };
}

const isNotFound = (error: unknown) => error instanceof NodeApiError && error.httpCode === '404';

/** Deletes one contact per input item; Kore marks it INACTIVE and returns it, which is the output. */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, lookups, concurrency, options, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const succeedIfGone = options.succeedIfAlreadyDeleted === true;
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		target: readTarget(this, index),
	}));
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, target }, itemIndex) => {
		const remove = async (contactId: string, _current: unknown, send: Send) => {
			const meta: RequestMeta = { attempts: 0, maybeApplied: false };
			try {
				const deleted = await send<IDataObject>({ method: 'DELETE', streamId, path: [contactId], contactId, itemIndex }, meta);
				const known = deleted && typeof deleted === 'object' && deleted.id !== undefined ? { ...deleted, status: 'INACTIVE' } : undefined;
				return { result: deleted, contact: known };
			} catch (error) {
				// Sent again after an attempt whose answer was lost once it may have reached Kore (a reset, a
				// timeout, a 5xx — not a 429 or a refused connection), Kore no longer knows the contact: that
				// attempt most likely deleted it. The output says it was not confirmed.
				if (meta.maybeApplied && isNotFound(error)) {
					const gone = { id: contactId, status: 'INACTIVE', deleted: true, note: alreadyDeletedNote(meta.maybeAppliedBy) };
					return { result: gone, contact: { id: contactId, status: 'INACTIVE' } };
				}
				// Deleted before this item asked (a repeated delivery), or never known to Kore?
				const known = succeedIfGone && isNotFound(error) ? (await lookups.deleted(streamId, [contactId], itemIndex, true)).get(contactId) : undefined;
				if (known) return { result: alreadyDeleted(known), contact: known };
				throw asItemError(this, error, itemIndex);
			}
		};
		return await lookups.write(streamId, target, itemIndex, remove, succeedIfGone ? alreadyDeleted : undefined);
	});
	return [...failed, ...done];
}
