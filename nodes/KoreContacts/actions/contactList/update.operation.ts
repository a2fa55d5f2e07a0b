import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver } from '../../helpers/campaign';
import type { ItemOutcome } from '../../helpers/items';
import { eachItem, listText, locator, readListLocator } from '../campaignManagement';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	locator('contactList', ['update'], 'The contact list to change'),
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
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const lists = new ListResolver(context.client, this.getNode());
	const read = (index: number) => {
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
		return { locator: readListLocator(this, index), body };
	};
	return await eachItem(this, context, read, async ({ streamId, locator, body }, itemIndex) => {
		const contactListId = await lists.idOf(streamId, locator, itemIndex);
		const data = await context.client.request<IDataObject>({ campaign: { name: 'updateContactList', contactListId }, streamId, body, itemIndex });
		// Kore answers { contactListId, body: { name, description?, … } }
		const stored = data?.body && typeof data.body === 'object' ? (data.body as IDataObject) : {};
		return { _id: typeof data?.contactListId === 'string' ? data.contactListId : contactListId, ...body, ...stored };
	});
}
