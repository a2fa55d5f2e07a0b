import type { INodeProperties } from 'n8n-workflow';

import { campaignTypeProperty, locator, triggerCampaign } from '../campaignManagement';

export const description: INodeProperties[] = [
	campaignTypeProperty(['start']),
	locator('campaign', ['start'], 'The campaign to start: it dials (or texts) the numbers of its contact lists'),
];

/** Starts the campaign each item names; outputs its new status (Active) and, for voice, the run's `campaignInstanceId`. */
export const execute = triggerCampaign('play');
