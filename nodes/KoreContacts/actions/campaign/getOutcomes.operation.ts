import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { collect, readOutcomes } from '../../helpers/campaign';
import type { ItemOutcome } from '../../helpers/items';
import type { OperationContext } from '../types';
import { campaignLocator, perCampaign, readLimit, returnAllProperties } from './common';

export const description: INodeProperties[] = [
	campaignLocator(['getOutcomes'], 'The campaign whose per-contact results to get'),
	...returnAllProperties('campaign', 'getOutcomes'),
];

/**
 * Outputs the per-contact results of the campaign each item names, one item per contact: phone number, dialer
 * outcome, attempts so far, agent disposition codes, bot outbound status (Kore's fields), and `campaignId`.
 */
export async function execute(this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
	return await perCampaign(
		this,
		context,
		async ({ streamId, campaignId }, itemIndex) => {
			const outcomes = await collect((onPage) => readOutcomes(context.client, streamId, campaignId, onPage, itemIndex), readLimit(this, itemIndex));
			return outcomes.map((outcome) => ({ ...outcome, campaignId }));
		},
		{ paged: true },
	);
}
