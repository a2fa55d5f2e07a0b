import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver } from '../../helpers/campaign';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import { contactListLocator, listText, readListLocator } from '../campaign/common';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	contactListLocator(['update'], 'The contact list to change'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Kore lets a list\'s name and description be changed; fields left out keep their values',
		displayOptions: { show: { resource: ['contactList'], operation: ['update'] } },
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'The new description, at most 256 characters',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The new name, at most 48 characters. Campaigns that dial the list follow the rename.',
			},
		],
	},
];

/** Changes the name and/or description of the list each item names; outputs the list's ID and what Kore stored. */
export async function execute(this: IExecuteFunctions, { items, client, concurrency, defaultStreamId }: OperationContext): Promise<ItemOutcome[]> {
	const lists = new ListResolver(client, this.getNode());
	const { prepared, failed } = await prepareItems(this, items, (index) => {
		const fields = this.getNodeParameter('updateFields', index, {}) as IDataObject;
		const body: IDataObject = {};
		const name = listText(this, fields.name, 'Name', 48, index, false);
		const text = listText(this, fields.description, 'Description', 256, index, false);
		if (name !== undefined) body.name = name;
		if (text !== undefined) body.description = text;
		if (Object.keys(body).length === 0) {
			throw new NodeOperationError(this.getNode(), `Item ${index}: no field to update — nothing was sent to Kore for this item`, {
				itemIndex: index,
				description: 'Add "Name" or "Description" under Update Fields.',
			});
		}
		return { streamId: streamIdFor(this, index, defaultStreamId), locator: readListLocator(this, index), body };
	});
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, locator, body }, itemIndex) => {
		const contactListId = await lists.idOf(streamId, locator, itemIndex);
		const data = await client.request<IDataObject>({ campaign: { name: 'updateContactList', contactListId }, streamId, body, itemIndex });
		// Kore answers { contactListId, body: { name, description?, … } }
		const stored = data?.body && typeof data.body === 'object' ? (data.body as IDataObject) : {};
		return { _id: typeof data?.contactListId === 'string' ? data.contactListId : contactListId, ...body, ...stored };
	});
	return [...failed, ...done];
}
