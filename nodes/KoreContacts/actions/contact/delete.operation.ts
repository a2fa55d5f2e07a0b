import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { asItemError, prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { requiredId } from '../../helpers/params';
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

/** Said of a contact that an earlier attempt, whose answer was lost, already deleted. */
export const ALREADY_DELETED_NOTE =
	'Deleted by an earlier attempt whose answer was lost on the way back (the repeat found it gone), so Kore\'s copy of the contact could not be returned';

/** The output for a contact that was deleted before this item asked. */
export function alreadyDeleted(contact: IDataObject): IDataObject {
	return { ...contact, status: 'INACTIVE', alreadyDeleted: true };
}

const isNotFound = (error: unknown) => error instanceof NodeApiError && error.httpCode === '404';

/** Deletes one contact per input item; Kore marks it INACTIVE and returns it, which is the output. */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, lookups, concurrency, options }: OperationContext,
): Promise<ItemOutcome[]> {
	const succeedIfGone = options.succeedIfAlreadyDeleted === true;
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: requiredId(this, 'streamId', index),
		target: readTarget(this, index),
	}));
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, target }, itemIndex) => {
		const send = async (contactId: string) => {
			const meta = { attempts: 0 };
			try {
				const deleted = await client.request<IDataObject>({ method: 'DELETE', streamId, path: [contactId], contactId, itemIndex }, meta);
				const known = deleted && typeof deleted === 'object' && deleted.id !== undefined ? { ...deleted, status: 'INACTIVE' } : undefined;
				return { result: deleted, contact: known };
			} catch (error) {
				// Sent again after an attempt whose answer was lost (a reset, a timeout, a 5xx), Kore no longer
				// knows the contact: that attempt deleted it. The contact is gone, which is what was asked.
				if (meta.attempts > 1 && isNotFound(error)) {
					const gone = { id: contactId, status: 'INACTIVE', deleted: true, note: ALREADY_DELETED_NOTE };
					return { result: gone, contact: { id: contactId, status: 'INACTIVE' } };
				}
				// Deleted before this item asked (a repeated delivery), or never known to Kore?
				const known = succeedIfGone && isNotFound(error) ? (await lookups.deleted(streamId, [contactId], itemIndex, true)).get(contactId) : undefined;
				if (known) return { result: alreadyDeleted(known), contact: known };
				throw asItemError(this, error, itemIndex);
			}
		};
		return await lookups.write(streamId, target, itemIndex, send, succeedIfGone ? alreadyDeleted : undefined);
	});
	return [...failed, ...done];
}
