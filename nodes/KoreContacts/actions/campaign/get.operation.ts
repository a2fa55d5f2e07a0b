import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOutcome } from '../../helpers/items';
import type { OperationContext } from '../types';
import { eachItem, locator, readCampaignId } from '../campaignManagement';

export const description: INodeProperties[] = [locator('campaign', ['get'], 'The campaign to get (voice or SMS: Kore answers both on one path)')];

/** Outputs the campaign each item names, as Kore's Get Campaign by ID answers it. */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	return await eachItem(this, context, (index) => ({ campaignId: readCampaignId(this, index) }), async ({ streamId, campaignId }, itemIndex) =>
		await context.client.request<IDataObject>({ campaign: { name: 'getCampaign', campaignId }, streamId, itemIndex }),
	);
}
