import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver, collect, readMembers } from '../../helpers/campaign';
import type { ItemOutcome } from '../../helpers/items';
import { readLimit, returnAllProperties } from '../../helpers/params';
import { eachItem, locator, readListLocator } from '../campaignManagement';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	locator('contactList', ['getMembers'], 'The contact list whose phone numbers to get'),
	...returnAllProperties('contactList', 'getMembers'),
];

/** Outputs the numbers in the list each item names (Kore's `_id`, `phoneNumber`, `createdAt`, `updatedAt`), read page by page. */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const lists = new ListResolver(context.client, this.getNode());
	const read = (index: number) => ({ locator: readListLocator(this, index), limit: readLimit(this, index) });
	return await eachItem(
		this,
		context,
		read,
		async ({ streamId, locator, limit }, itemIndex) => {
			const contactListId = await lists.idOf(streamId, locator, itemIndex);
			return await collect((onPage) => readMembers(context.client, streamId, contactListId, onPage, itemIndex), limit);
		},
		{ paged: true },
	);
}
