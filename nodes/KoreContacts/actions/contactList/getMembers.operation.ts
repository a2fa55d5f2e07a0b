import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver, collect, readMembers } from '../../helpers/campaign';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import { contactListLocator, readLimit, readListLocator, returnAllProperties } from '../campaign/common';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	contactListLocator(['getMembers'], 'The contact list whose phone numbers to get'),
	...returnAllProperties('contactList', 'getMembers'),
];

/** Outputs the numbers in the list each item names (Kore's `_id`, `phoneNumber`, `createdAt`, `updatedAt`), read page by page. */
export async function execute(this: IExecuteFunctions, { items, client, defaultStreamId }: OperationContext): Promise<ItemOutcome[]> {
	const lists = new ListResolver(client, this.getNode());
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		locator: readListLocator(this, index),
		limit: readLimit(this, index),
	}));
	const done = await runEach(this, prepared, { concurrency: 1 }, async ({ streamId, locator, limit }, itemIndex) => {
		const contactListId = await lists.idOf(streamId, locator, itemIndex);
		return await collect((onPage) => readMembers(client, streamId, contactListId, onPage, itemIndex), limit);
	});
	return [...failed, ...done];
}
