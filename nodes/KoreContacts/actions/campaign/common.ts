/**
 * What the Contact List and Campaign operations share: their Stream ID field, the pickers for a contact list and
 * a campaign (resource locators), Return All / Limit, and the readers of these parameters.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import type { ListLocator } from '../../helpers/campaign';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import type { CampaignType } from '../../transport/campaign';
import { optionsCollection } from '../options';
import type { OperationContext, Operation } from '../types';

/** The Stream ID field of a Campaign Management resource (the Contact resource has its own). */
export function streamIdProperty(resource: string): INodeProperties {
	return {
		displayName: 'Stream ID',
		name: 'streamId',
		type: 'string',
		default: '',
		placeholder: 'e.g. st-7dc994f0-4436-5134-9fa8-a942625a1b2c',
		hint: 'Leave empty to use the Stream ID of the credential',
		description:
			'The ID of the Kore bot (stream) that holds the contact lists and campaigns, when it is not the credential\'s. It starts with "st-". The credential\'s JWT app needs the "Campaign Management" API scope.',
		displayOptions: { show: { resource: [resource] } },
	};
}

/** The Options collection of a Campaign Management resource: which of its operations send one request per item, which batch. */
export function campaignOptions(resource: string, operations: Record<string, Operation>, perItem: string[], batch: string[] = []): INodeProperties {
	return optionsCollection(
		Object.values(operations).flatMap((operation) => operation.options ?? []),
		{
			resources: [resource],
			perItem,
			batch,
			batchDescription: 'How many phone numbers go in one Add Members request to Kore. Kore does not document a maximum; 100 is a safe size.',
		},
	);
}

/** The "Contact List" picker: from the stream's lists, by ID, or by name. */
export function contactListLocator(operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Contact List',
		name: 'contactList',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show: { resource: ['contactList'], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a contact list...',
				typeOptions: { searchListMethod: 'searchContactLists', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. cl-67a405c-ae3b-4a42-8cd2-5dcd699a1b2c' },
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. Renewal Due - July 2025' },
		],
	};
}

/** The "Campaign" picker: from the stream's campaigns, or by ID. */
export function campaignLocator(operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Campaign',
		name: 'campaign',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show: { resource: ['campaign'], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a campaign...',
				typeOptions: { searchListMethod: 'searchCampaigns', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. cd-c1b940c-7012-4e7d-98d9-4707177a1b2c' },
		],
	};
}

/** Voice or SMS: Kore lists, starts and stops them on different paths. */
export function campaignTypeProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Campaign Type',
		name: 'campaignType',
		type: 'options',
		options: [
			{ name: 'Voice', value: 'voice' },
			{ name: 'SMS', value: 'sms' },
		],
		default: 'voice',
		description: 'Whether the campaign calls (voice) or sends text messages (SMS). Kore starts and stops each type on its own path.',
		displayOptions: { show: { resource: ['campaign'], operation: operations } },
	};
}

/** Return All and Limit of a paged read. */
export function returnAllProperties(resource: string, operation: string): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** How many records item `index` wants: undefined for Return All. */
export function readLimit(ctx: IExecuteFunctions, index: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', index, false) === true) return undefined;
	return Math.max(1, Math.floor(Number(ctx.getNodeParameter('limit', index, 50)) || 1));
}

/** A picker's value, checked: not empty, and usable as one URL path segment when it is an ID. */
function locatorOf(ctx: IExecuteFunctions, name: string, label: string, index: number): ListLocator {
	const raw = ctx.getNodeParameter(name, index) as INodeParameterResourceLocator | string;
	const locator = typeof raw === 'object' && raw !== null ? raw : { mode: 'id', value: raw };
	const value = String(locator.value ?? '').trim();
	const mode = locator.mode === 'name' ? 'name' : locator.mode === 'list' ? 'list' : 'id';
	if (value === '' || (mode !== 'name' && (value === '.' || value === '..'))) {
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "${label}" is ${value === '' ? 'empty' : `"${value}"`} — nothing was sent to Kore for this item`, {
			itemIndex: index,
			description: `Pick the ${label.toLowerCase()} from the list, or give its ID${name === 'contactList' ? ' or name' : ''} (e.g. with an expression such as {{ $json.${name}Id }}).`,
		});
	}
	return { mode, value };
}

/** The contact list item `index` names. */
export function readListLocator(ctx: IExecuteFunctions, index: number): ListLocator {
	return locatorOf(ctx, 'contactList', 'Contact List', index);
}

/** The ID of the campaign item `index` names. */
export function readCampaignId(ctx: IExecuteFunctions, index: number): string {
	return locatorOf(ctx, 'campaign', 'Campaign', index).value;
}

export function readCampaignType(ctx: IExecuteFunctions, index: number): CampaignType {
	return ctx.getNodeParameter('campaignType', index, 'voice') === 'sms' ? 'sms' : 'voice';
}

/**
 * A list's name or description, checked against Kore's limits (48 and 256 characters): `required` refuses an
 * empty value; otherwise an empty one is undefined (not sent).
 */
export function listText(ctx: IExecuteFunctions, value: unknown, label: string, max: number, index: number, required: boolean): string | undefined {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (text === '') {
		if (!required) return undefined;
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "${label}" is empty — nothing was sent to Kore for this item`, {
			itemIndex: index,
			description: `Kore requires a ${label.toLowerCase()} for a contact list.`,
		});
	}
	if (text.length > max) {
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "${label}" has ${text.length} characters; Kore allows at most ${max} — nothing was sent to Kore for this item`, {
			itemIndex: index,
		});
	}
	return text;
}

/**
 * Runs `work` for the campaign each item names (stream and campaign checked for every item before anything is
 * sent): `concurrency` items at a time, or one at a time for the paged reads.
 */
export async function perCampaign(
	ctx: IExecuteFunctions,
	{ items, client, concurrency, defaultStreamId }: OperationContext,
	work: (target: { streamId: string; campaignId: string }, itemIndex: number) => Promise<IDataObject | IDataObject[]>,
	{ paged = false } = {},
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(ctx, items, (index) => ({
		streamId: streamIdFor(ctx, index, defaultStreamId),
		campaignId: readCampaignId(ctx, index),
	}));
	const done = await runEach(ctx, prepared, paged ? { concurrency: 1 } : { concurrency, onStop: () => client.halt() }, work);
	return [...failed, ...done];
}

/** Start (`play`) or Stop: the campaign each item names, on the path of its type; outputs Kore's answer. */
export function triggerCampaign(trigger: 'play' | 'stop'): Operation['execute'] {
	return async function (this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
		return await perCampaign(this, context, async ({ streamId, campaignId }, itemIndex) => {
			const type = readCampaignType(this, itemIndex);
			const answer = await context.client.request<IDataObject>({ campaign: { name: 'triggerCampaign', campaignId, type, trigger }, streamId, body: {}, itemIndex });
			return { campaignId, type, ...answer };
		});
	};
}
