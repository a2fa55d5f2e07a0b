import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { campaignOptions, campaignStreamId } from '../campaignManagement';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getOutcomes from './getOutcomes.operation';
import * as getStatus from './getStatus.operation';
import * as start from './start.operation';
import * as stop from './stop.operation';

/** Every Campaign operation, by the value saved in workflows (a public contract: never rename one). */
export const operations: Record<string, Operation> = {
	get,
	getAll,
	getOutcomes,
	getStatus,
	start,
	stop,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a voice or SMS campaign by its ID: its settings, status and contact lists',
				action: 'Get a campaign',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the voice or SMS campaigns of a stream, optionally only those in given states',
				action: 'Get many campaigns',
			},
			{
				name: 'Get Outcomes',
				value: 'getOutcomes',
				description: 'Get each dialed contact\'s result: dialer outcome, attempts, disposition codes, bot status',
				action: 'Get the outcomes of a campaign',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the state of a campaign (e.g. Ready, Active, Stopped)',
				action: 'Get the status of a campaign',
			},
			{
				name: 'Start',
				value: 'start',
				description: 'Start a voice or SMS campaign: it dials the numbers of its contact lists',
				action: 'Start a campaign',
			},
			{
				name: 'Stop',
				value: 'stop',
				description: 'Stop a running voice or SMS campaign',
				action: 'Stop a campaign',
			},
		],
		default: 'getAll',
	},
	campaignStreamId('campaign'),
	...Object.values(operations).flatMap((operation) => operation.description),
	campaignOptions('campaign', operations, ['get', 'getStatus', 'start', 'stop']),
];
