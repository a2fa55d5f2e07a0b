import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_SETTINGS } from '../transport';
import type { RequestSettings } from '../transport';

/** Operations that send one request per input item, and so can overlap a few of them. */
export const PER_ITEM_OPERATIONS = ['create', 'delete', 'get', 'importCsv', 'update', 'upsert'];

export const DEFAULT_CONCURRENCY = 4;

/** Operations that send many contacts per request. */
export const BATCH_OPERATIONS = ['create', 'deleteMany', 'updateMany'];

export const DEFAULT_BATCH_SIZE = 100;

/** Which resources a collection is for, and which of their operations send one request per item or many items per request. */
export interface CollectionScope {
	resources: string[];
	perItem: string[];
	batch: string[];
	/** What Batch Size says it counts. */
	batchDescription: string;
}

const CONTACT_SCOPE: CollectionScope = {
	resources: ['contact'],
	perItem: PER_ITEM_OPERATIONS,
	batch: BATCH_OPERATIONS,
	batchDescription:
		'How many contacts go in one request to Kore (Delete Many, Update Many, and Create with Send in One Request). Kore does not document a maximum; 100 is a safe size.',
};

/**
 * Options every operation has: how requests behave. Operations add their own to this collection. A resource
 * other than Contact has its own collection (same name, shown for that resource), described by `scope`.
 */
export function optionsCollection(operationOptions: INodeProperties[], scope: CollectionScope = CONTACT_SCOPE): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: scope.resources } },
		// n8n lists a collection's options alphabetically
		options: ([
			...operationOptions,
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 100,
				description: scope.batchDescription,
				displayOptions: { show: { '/operation': scope.batch } },
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many items are sent to Kore at the same time. Output order and item pairing stay as in the input whatever this is; all requests still respect the account\'s rate limit.',
				displayOptions: { show: { '/operation': scope.perItem } },
			},
			{
				displayName: 'Rate Limit Wait (Seconds)',
				name: 'maxRateLimitWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description:
					'The longest the node waits in total, in seconds, for Kore\'s per-minute limit to reset when Kore answers that it was exceeded (Retry-After, but at least 1 s between tries), counted in real time from Kore\'s first rate-limit answer; it then sends the request again. After that the item fails.',
			},
			{
				displayName: 'Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 4,
				description:
					'How often a request is sent again after a passing fault (Kore errors 500, 502, 503, 504, a dropped connection, a timeout, an unreachable host), with growing pauses. Creates are only sent again when the request cannot have reached Kore (connection refused, host name not resolved), so a contact is never created twice.',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'How long to wait for Kore to answer one request',
			},
		] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

function numberOption(options: IDataObject, name: string, fallback: number): number {
	const value = options[name];
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** The node's Options as transport settings and a concurrency. */
export function readOptions(ctx: IExecuteFunctions): {
	settings: RequestSettings;
	concurrency: number;
	batchSize: number;
	options: IDataObject;
} {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		options,
		concurrency: Math.max(1, Math.floor(numberOption(options, 'concurrency', DEFAULT_CONCURRENCY))),
		batchSize: Math.max(1, Math.floor(numberOption(options, 'batchSize', DEFAULT_BATCH_SIZE))),
		settings: {
			...DEFAULT_SETTINGS,
			timeoutMs: Math.max(1, numberOption(options, 'timeout', DEFAULT_SETTINGS.timeoutMs / 1000)) * 1000,
			maxRetries: Math.floor(numberOption(options, 'maxRetries', DEFAULT_SETTINGS.maxRetries)),
			maxRateLimitWaitMs: numberOption(options, 'maxRateLimitWait', DEFAULT_SETTINGS.maxRateLimitWaitMs / 1000) * 1000,
		},
	};
}
