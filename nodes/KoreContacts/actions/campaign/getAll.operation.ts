import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { collect, readCampaigns } from '../../helpers/campaign';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import { campaignTypeProperty, readCampaignType, readLimit, returnAllProperties } from './common';
import type { OperationContext } from '../types';

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
export async function execute(this: IExecuteFunctions, { items, client, defaultStreamId }: OperationContext): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => {
		const filters = this.getNodeParameter('filters', index, {}) as IDataObject;
		return {
			streamId: streamIdFor(this, index, defaultStreamId),
			type: readCampaignType(this, index),
			limit: readLimit(this, index),
			statuses: Array.isArray(filters.status) ? filters.status.map(String) : [],
		};
	});
	const done = await runEach(this, prepared, { concurrency: 1 }, async ({ streamId, type, limit, statuses }, itemIndex) =>
		await collect((onPage) => readCampaigns(client, streamId, type, statuses, onPage, itemIndex), limit),
	);
	return [...failed, ...done];
}
