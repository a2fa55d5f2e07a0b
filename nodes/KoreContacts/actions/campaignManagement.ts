/**
 * What the Contact List and Campaign operations share: their Stream ID field and Options, the pickers for a
 * contact list and a campaign (resource locators), Campaign Type, the checks of a list's name and description, and
 * the per-item run of the operations that send one request per item.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import type { ListLocator } from '../helpers/campaign';
import { prepareItems, runEach } from '../helpers/items';
import type { ItemOutcome } from '../helpers/items';
import { streamIdFor, streamIdProperty } from '../helpers/params';
import type { CampaignType } from '../transport/campaign';
import { optionsCollection } from './options';
import type { Operation, OperationContext } from './types';

/** The Stream ID field of a Campaign Management resource (the Contact resource has its own). */
export function campaignStreamId(resource: string): INodeProperties {
	return streamIdProperty(
		resource,
		'The ID of the Kore bot (stream) that holds the contact lists and campaigns, when it is not the credential\'s. It starts with "st-". The credential\'s JWT app needs the "Campaign Management" API scope.',
	);
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

const PICKERS = {
	contactList: { displayName: 'Contact List', resource: 'contactList', search: 'searchContactLists', id: 'e.g. cl-67a405c-ae3b-4a42-8cd2-5dcd699a1b2c' },
	campaign: { displayName: 'Campaign', resource: 'campaign', search: 'searchCampaigns', id: 'e.g. cd-c1b940c-7012-4e7d-98d9-4707177a1b2c' },
};

/** The picker of a contact list (from the stream's lists, by ID, or by name) or of a campaign (from the list, or by ID). */
export function locator(name: keyof typeof PICKERS, operations: string[], description: string): INodeProperties {
	const picker = PICKERS[name];
	return {
		displayName: picker.displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show: { resource: [picker.resource], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${picker.displayName.toLowerCase()}...`,
				typeOptions: { searchListMethod: picker.search, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: picker.id },
			...(name === 'contactList' ? [{ displayName: 'By Name', name: 'name', type: 'string' as const, placeholder: 'e.g. Renewal Due - July 2025' }] : []),
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

/** A picker's value, checked: not empty, and usable as one URL path segment when it is an ID. */
function readLocator(ctx: IExecuteFunctions, name: keyof typeof PICKERS, index: number): ListLocator {
	const label = PICKERS[name].displayName;
	const raw = ctx.getNodeParameter(name, index) as INodeParameterResourceLocator | string;
	const given = typeof raw === 'object' && raw !== null ? raw : { mode: 'id', value: raw };
	const value = String(given.value ?? '').trim();
	const mode = given.mode === 'name' ? 'name' : given.mode === 'list' ? 'list' : 'id';
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
	return readLocator(ctx, 'contactList', index);
}

/** The ID of the campaign item `index` names. */
export function readCampaignId(ctx: IExecuteFunctions, index: number): string {
	return readLocator(ctx, 'campaign', index).value;
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
 * Runs `work` for each item: its stream and what `read` takes from it are checked for every item before anything is
 * sent; then `concurrency` items at a time, or one at a time for reads that follow pages (`paged`).
 */
export async function eachItem<T>(
	ctx: IExecuteFunctions,
	{ items, client, concurrency, defaultStreamId }: OperationContext,
	read: (index: number) => T,
	work: (value: T & { streamId: string }, itemIndex: number) => Promise<IDataObject | IDataObject[]>,
	{ paged = false } = {},
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(ctx, items, (index) => ({ streamId: streamIdFor(ctx, index, defaultStreamId), ...read(index) }));
	const done = await runEach(ctx, prepared, paged ? { concurrency: 1 } : { concurrency, onStop: () => client.halt() }, work);
	return [...failed, ...done];
}

/** Start (`play`) or Stop: the campaign each item names, on the path of its type; outputs Kore's answer. */
export function triggerCampaign(trigger: 'play' | 'stop'): Operation['execute'] {
	return async function (this: IExecuteFunctions, context: OperationContext): Promise<ItemOutcome[]> {
		const read = (index: number) => ({ campaignId: readCampaignId(this, index), type: readCampaignType(this, index) });
		return await eachItem(this, context, read, async ({ streamId, campaignId, type }, itemIndex) => {
			const answer = await context.client.request<IDataObject>({ campaign: { name: 'triggerCampaign', campaignId, type, trigger }, streamId, body: {}, itemIndex });
			return { campaignId, type, ...answer };
		});
	};
}
