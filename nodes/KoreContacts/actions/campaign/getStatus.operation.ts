import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemOutcome } from '../../helpers/items';
import type { OperationContext } from '../types';
import { eachItem, locator, readCampaignId } from '../campaignManagement';

export const description: INodeProperties[] = [locator('campaign', ['getStatus'], 'The campaign whose state to get')];

/** Outputs the state of the campaign each item names: `{ id, status, name }` (status e.g. Ready, Active, Stopped). */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	return await eachItem(this, context, (index) => ({ campaignId: readCampaignId(this, index) }), async ({ streamId, campaignId }, itemIndex) =>
		await context.client.request<IDataObject>({ campaign: { name: 'campaignStatus', campaignId }, streamId, body: {}, itemIndex }),
	);
}
