import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOutcome } from '../../helpers/items';
import { eachItem, listText } from '../campaignManagement';
import type { OperationContext } from '../types';

const show = { resource: ['contactList'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Renewal Due - July 2025',
		description: 'The name of the new contact list, at most 48 characters. Campaigns and the Add Members call name the list by it.',
		displayOptions: { show },
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Customers whose plan renews in July 2025',
		description: 'What the list is for, at most 256 characters (Kore requires one)',
		displayOptions: { show },
	},
	{
		displayName: 'Allow Duplicates',
		name: 'allowDuplicates',
		type: 'boolean',
		default: false,
		description: 'Whether the list may hold the same phone number more than once',
		displayOptions: { show },
	},
];

/** Creates a contact list (filled by the API, `source: "passiveApi"`) per item; outputs the list Kore created. */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const read = (index: number) => ({
		body: {
			name: listText(this, this.getNodeParameter('name', index, ''), 'Name', 48, index, true),
			description: listText(this, this.getNodeParameter('description', index, ''), 'Description', 256, index, true),
			source: 'passiveApi',
			allowDuplicates: this.getNodeParameter('allowDuplicates', index, false) === true,
		},
	});
	return await eachItem(this, context, read, async ({ streamId, body }, itemIndex) =>
		await context.client.request<IDataObject>({ campaign: { name: 'createContactList' }, streamId, body, itemIndex }),
	);
}
