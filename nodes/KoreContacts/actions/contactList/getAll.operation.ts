import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readContactLists } from '../../helpers/campaign';
import type { ItemOutcome } from '../../helpers/items';
import { readLimit, returnAllProperties } from '../../helpers/params';
import { eachItem } from '../campaignManagement';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...returnAllProperties('contactList', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Kore lists all of a stream\'s contact lists in one answer; the node keeps those that match',
		displayOptions: { show: { resource: ['contactList'], operation: ['getAll'] } },
		options: [
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Renewal',
				description: 'Only lists whose name contains this text (not case-sensitive)',
			},
		],
	},
];

/** Lists the stream's contact lists (one request), one output item per list. */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const read = (index: number) => {
		const filters = this.getNodeParameter('filters', index, {}) as IDataObject;
		return { limit: readLimit(this, index), name: typeof filters.name === 'string' ? filters.name.trim().toLowerCase() : '' };
	};
	return await eachItem(
		this,
		context,
		read,
		async ({ streamId, limit, name }, itemIndex) => {
			const lists = await readContactLists(context.client, streamId, itemIndex);
			const matching = lists.filter((list) => name === '' || String(list.name ?? '').toLowerCase().includes(name));
			return limit === undefined ? matching : matching.slice(0, limit);
		},
		{ paged: true },
	);
}
