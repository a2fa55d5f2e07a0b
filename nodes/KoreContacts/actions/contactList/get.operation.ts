import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver } from '../../helpers/campaign';
import type { ItemOutcome } from '../../helpers/items';
import { eachItem, locator, readListLocator } from '../campaignManagement';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	locator(
		'contactList',
		['get'],
		'The contact list to get. By name, the node finds its ID among the stream\'s lists (one more request per run); names are matched without regard to case.',
	),
];

/** Outputs the contact list each item names, as Kore's Get Contact List Details answers it. */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const lists = new ListResolver(context.client, this.getNode());
	return await eachItem(this, context, (index) => ({ locator: readListLocator(this, index) }), async ({ streamId, locator }, itemIndex) => {
		const contactListId = await lists.idOf(streamId, locator, itemIndex);
		return await context.client.request<IDataObject>({ campaign: { name: 'getContactList', contactListId }, streamId, itemIndex });
	});
}
