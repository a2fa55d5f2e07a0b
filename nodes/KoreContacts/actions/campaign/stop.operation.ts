import type { INodeProperties } from 'n8n-workflow';

import { campaignLocator, campaignTypeProperty, triggerCampaign } from './common';

export const description: INodeProperties[] = [campaignTypeProperty(['stop']), campaignLocator(['stop'], 'The campaign to stop')];

/** Stops the campaign each item names; outputs its new status (Stopped). */
export const execute = triggerCampaign('stop');
