import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver } from '../../helpers/campaign';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import { contactListLocator, readListLocator } from '../campaign/common';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	contactListLocator(
		['get'],
		'The contact list to get. By name, the node finds its ID among the stream\'s lists (one more request per run); names are matched without regard to case.',
	),
];

/** Outputs the contact list each item names, as Kore's Get Contact List Details answers it. */
export async function execute(this: IExecuteFunctions, { items, client, concurrency, defaultStreamId }: OperationContext): Promise<ItemOutcome[]> {
	const lists = new ListResolver(client, this.getNode());
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		locator: readListLocator(this, index),
	}));
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, locator }, itemIndex) => {
		const contactListId = await lists.idOf(streamId, locator, itemIndex);
		return await client.request<IDataObject>({ campaign: { name: 'getContactList', contactListId }, streamId, itemIndex });
	});
	return [...failed, ...done];
}
