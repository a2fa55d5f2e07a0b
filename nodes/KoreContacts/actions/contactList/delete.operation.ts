import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver } from '../../helpers/campaign';
import { asItemError } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import type { RequestMeta } from '../../transport';
import { eachItem, locator, readListLocator } from '../campaignManagement';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	locator('contactList', ['delete'], 'The contact list to delete. Kore refuses to delete a list a campaign uses.'),
];

/** Deletes the list each item names; outputs the deleted list as Kore last had it, with `deleted: true`. */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const lists = new ListResolver(context.client, this.getNode());
	return await eachItem(this, context, (index) => ({ locator: readListLocator(this, index) }), async ({ streamId, locator }, itemIndex) => {
		const contactListId = await lists.idOf(streamId, locator, itemIndex);
		const meta: RequestMeta = { attempts: 0, maybeApplied: false };
		try {
			const data = await context.client.request<IDataObject>({ campaign: { name: 'deleteContactList', contactListId }, streamId, itemIndex }, meta);
			return { ...data, _id: contactListId, deleted: true };
		} catch (error) {
			// Sent again after an answer was lost (not after a 429): a list Kore no longer knows was deleted by that attempt.
			if (meta.maybeApplied && error instanceof NodeApiError && error.httpCode === '404') {
				return { _id: contactListId, deleted: true, note: `Kore's answer to the first attempt was lost (${meta.maybeAppliedBy}); the list was gone when the node asked again` };
			}
			throw asItemError(this, error, itemIndex);
		}
	});
}
