import type { INodeProperties } from 'n8n-workflow';

import { campaignTypeProperty, locator, triggerCampaign } from '../campaignManagement';

export const description: INodeProperties[] = [campaignTypeProperty(['stop']), locator('campaign', ['stop'], 'The campaign to stop')];

/** Stops the campaign each item names; outputs its new status (Stopped). */
export const execute = triggerCampaign('stop');
