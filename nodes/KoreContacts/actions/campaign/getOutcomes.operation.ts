import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { collect, readOutcomes } from '../../helpers/campaign';
import type { ItemOutcome } from '../../helpers/items';
import { readLimit, returnAllProperties } from '../../helpers/params';
import type { OperationContext } from '../types';
import { eachItem, locator, readCampaignId } from '../campaignManagement';

export const description: INodeProperties[] = [
	locator('campaign', ['getOutcomes'], 'The campaign whose per-contact results to get'),
	...returnAllProperties('campaign', 'getOutcomes'),
];

/**
 * Outputs the per-contact results of the campaign each item names, one item per contact: phone number, dialer
 * outcome, attempts so far, agent disposition codes, bot outbound status (Kore's fields), and `campaignId`.
 */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	const read = (index: number) => ({ campaignId: readCampaignId(this, index), limit: readLimit(this, index) });
	return await eachItem(
		this,
		context,
		read,
		async ({ streamId, campaignId, limit }, itemIndex) => {
			const outcomes = await collect((onPage) => readOutcomes(context.client, streamId, campaignId, onPage, itemIndex), limit);
			return outcomes.map((outcome) => ({ ...outcome, campaignId }));
		},
		{ paged: true },
	);
}
