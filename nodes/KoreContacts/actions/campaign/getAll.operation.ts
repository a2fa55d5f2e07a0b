import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { collect, readCampaigns } from '../../helpers/campaign';
import type { ItemOutcome } from '../../helpers/items';
import { readLimit, returnAllProperties } from '../../helpers/params';
import type { OperationContext } from '../types';
import { campaignTypeProperty, eachItem, readCampaignType } from '../campaignManagement';

export const description: INodeProperties[] = [
	campaignTypeProperty(['getAll']),
	...returnAllProperties('campaign', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['campaign'], operation: ['getAll'] } },
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: ['Active', 'Completed', 'Paused', 'Preparing', 'Ready', 'Rescheduled', 'Scheduled', 'Stopped'].map((status) => ({ name: status, value: status })),
				default: [],
				description: 'Only campaigns in one of these states (Kore filters them)',
			},
		],
	},
];

/** Lists the stream's voice or SMS campaigns, newest first, one output item per campaign. */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const read = (index: number) => {
		const filters = this.getNodeParameter('filters', index, {}) as IDataObject;
		const statuses = Array.isArray(filters.status) ? filters.status.map(String) : [];
		return { type: readCampaignType(this, index), limit: readLimit(this, index), statuses };
	};
	return await eachItem(
		this,
		context,
		read,
		async ({ streamId, type, limit, statuses }, itemIndex) =>
			await collect((onPage) => readCampaigns(context.client, streamId, type, statuses, onPage, itemIndex), limit),
		{ paged: true },
	);
}
