import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { requiredId } from '../../helpers/params';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 69609027c1746a61429a1b2c',
		description:
			'The Kore ID of the contact to delete (the "ID" field Kore returns for a contact). Kore marks the contact INACTIVE and returns it.',
		displayOptions: { show: { resource: ['contact'], operation: ['delete'] } },
	},
];

export async function execute(
	this: IExecuteFunctions,
	{ items, client, concurrency }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = prepareItems(this, items, (index) => ({
		streamId: requiredId(this, 'streamId', index),
		contactId: requiredId(this, 'contactId', index),
	}));
	const done = await runEach(this, prepared, concurrency, async ({ streamId, contactId }, itemIndex) =>
		await client.request({ method: 'DELETE', streamId, path: [contactId], contactId, itemIndex }),
	);
	return [...failed, ...done];
}
