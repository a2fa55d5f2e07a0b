import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ListResolver, memberKey, readMembers } from '../../helpers/campaign';
import { contactFieldProperties } from '../../helpers/contact';
import type { ListLocator, ListRef } from '../../helpers/campaign';
import { asItemError, prepareItems, runBatches } from '../../helpers/items';
import type { ItemOutcome, Prepared } from '../../helpers/items';
import { requiredText, streamIdFor, textParameter } from '../../helpers/params';
import { parsePhone } from '../../helpers/phone';
import type { KoreClient } from '../../transport';
import { locator, readListLocator } from '../campaignManagement';
import type { OperationContext } from '../types';

const show = { resource: ['contactList'], operation: ['addMembers'] };

export const description: INodeProperties[] = [
	locator(
		'contactList',
		['addMembers'],
		'The list to add the numbers to. Kore\'s add call names the list by its name: a list given by ID costs one more request per run to learn it, a list given by name one request to check it exists.',
	),
	{
		...contactFieldProperties.phoneNumber,
		required: true,
		placeholder: 'e.g. +91 98765 43210',
		description:
			'The number to add, usually an expression: each input item gives one number, and the node sends them to Kore in batches (see Batch Size). A number is read by its country\'s rules, as for contacts; an invalid one fails its item and is not sent. The same number on several items is sent once.',
		displayOptions: { show },
	},
	{ ...contactFieldProperties.countryCode, description: 'Needed when Phone Number is written without its country code', displayOptions: { show } },
];

export const options: INodeProperties[] = [
	{
		displayName: 'Send Numbers As',
		name: 'numberFormat',
		type: 'options',
		options: [
			{ name: 'Country Code and Number (919876543210)', value: 'digits', description: 'As Kore\'s documentation shows them' },
			{ name: 'E.164 (+919876543210)', value: 'e164' },
		],
		default: 'digits',
		description: 'How numbers are written in the add request. Kore\'s page shows digits with the country code and no +.',
		displayOptions: { show: { '/operation': ['addMembers'] } },
	},
	{
		displayName: 'Skip Numbers Already in the List',
		name: 'skipExisting',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the list\'s members first (once per list per run, one request per 100 members) and send only the numbers it does not hold yet. Those items output status "alreadyInList".',
		displayOptions: { show: { '/operation': ['addMembers'] } },
	},
	{
		displayName: 'Wait Until Added',
		name: 'waitUntilAdded',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the numbers appear in the list before going on (Kore adds them in the background), so that a following Start Campaign does not dial a half-filled list. The node reads the list now and then; a number not there when Wait Timeout ends fails its item.',
		displayOptions: { show: { '/operation': ['addMembers'] } },
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'How long Wait Until Added waits, in total, for the numbers to appear in the list',
		displayOptions: { show: { '/operation': ['addMembers'], waitUntilAdded: [true] } },
	},
];

interface Entry {
	streamId: string;
	locator: ListLocator;
	/** The list the item names, as written: items naming the same list are sent together. */
	list: string;
	/** The number as the node compares it with a list's members (digits, country code first). */
	key: string;
	/** The number as sent to Kore. */
	sent: string;
}

/** The first read of the list after sending, and the longest pause between reads, while waiting. */
const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 10_000;

/**
 * Reads the list until every number of `keys` is in it or `timeoutMs` has passed; returns those found. A read
 * takes the first page, and the other pages only when Kore's count of members changed since the last read.
 */
async function waitForMembers(
	ctx: IExecuteFunctions,
	client: KoreClient,
	streamId: string,
	list: ListRef,
	keys: Set<string>,
	timeoutMs: number,
	itemIndex: number,
): Promise<Set<string>> {
	const deadline = Date.now() + timeoutMs;
	const found = new Set<string>();
	let lastTotal: number | undefined;
	let delay = FIRST_POLL_MS;
	while (found.size < keys.size) {
		const pause = Math.min(delay, deadline - Date.now());
		if (pause <= 0) break;
		await sleep(pause, ctx.getExecutionCancelSignal?.());
		delay = Math.min(delay * 2, MAX_POLL_MS);
		let first = true;
		let changed = true;
		await readMembers(
			client,
			streamId,
			list.id,
			(members, total) => {
				for (const member of members) {
					const key = memberKey(member.phoneNumber);
					if (key !== undefined && keys.has(key)) found.add(key);
				}
				if (first) {
					changed = total === undefined || total !== lastTotal;
					lastTotal = total;
					first = false;
				}
				return changed && found.size < keys.size;
			},
			itemIndex,
		);
	}
	return found;
}

/** The numbers a list holds now (one request per 100 members). */
async function memberKeys(client: KoreClient, streamId: string, list: ListRef, itemIndex: number): Promise<Set<string>> {
	const keys = new Set<string>();
	await readMembers(client, streamId, list.id, (members) => {
		for (const member of members) {
			const key = memberKey(member.phoneNumber);
			if (key !== undefined) keys.add(key);
		}
	}, itemIndex);
	return keys;
}

function readEntry(ctx: IExecuteFunctions, index: number, defaultStreamId: string, format: string): Entry {
	const raw = requiredText(ctx, 'phoneNumber', index);
	const countryCode = textParameter(ctx, 'countryCode', index) || undefined;
	let e164: string;
	try {
		e164 = parsePhone(raw, countryCode).e164;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "Phone Number" is not valid: ${(error as Error).message} — nothing was sent to Kore for this item`, {
			itemIndex: index,
		});
	}
	const locator = readListLocator(ctx, index);
	const streamId = streamIdFor(ctx, index, defaultStreamId);
	const key = e164.slice(1);
	return { streamId, locator, list: `${streamId}\n${locator.mode === 'name' ? 'name' : 'id'}\n${locator.value}`, key, sent: format === 'e164' ? e164 : key };
}

/**
 * Adds the numbers of the input items to the lists they name: per list, one request per Batch Size numbers
 * (Kore adds them in the background). Outputs one item per input item: `status` "accepted" (Kore took it for
 * adding), "added" (seen in the list, with Wait Until Added) or "alreadyInList" (with Skip Numbers Already in the List).
 */
export async function execute(this: IExecuteFunctions, { items, client, batchSize, options, defaultStreamId }: OperationContext): Promise<ItemOutcome[]> {
	const format = options.numberFormat === 'e164' ? 'e164' : 'digits';
	const wait = options.waitUntilAdded === true;
	const timeoutMs = Math.max(1, Number(options.waitTimeout) || 60) * 1000;
	const { prepared, failed } = await prepareItems(this, items, (index) => readEntry(this, index, defaultStreamId, format));
	const groups = new Map<string, Array<Prepared<Entry>>>();
	for (const entry of prepared) groups.set(entry.value.list, [...(groups.get(entry.value.list) ?? []), entry]);
	const lists = new ListResolver(client, this.getNode());
	const outcomes: ItemOutcome[] = [...failed];
	for (const group of groups.values()) {
		const { streamId, locator } = group[0].value;
		const first = group[0].index;
		let list: ListRef;
		let present = new Set<string>();
		try {
			list = await lists.resolve(streamId, locator, first);
			if (options.skipExisting === true) present = await memberKeys(client, streamId, list, first);
		} catch (error) {
			if (!this.continueOnFail()) throw asItemError(this, error, first);
			outcomes.push(...group.map(({ index }) => ({ index, error: asItemError(this, error, index) })));
			continue;
		}
		const output = (value: Entry, status: string): IDataObject => ({ phoneNumber: value.sent, contactListId: list.id, contactListName: list.name, status });
		const toSend = group.filter(({ value }) => !present.has(value.key));
		outcomes.push(...group.filter(({ value }) => present.has(value.key)).map(({ index, value }) => ({ index, json: [output(value, 'alreadyInList')] })));
		const sent = await runBatches(this, toSend, { group: () => '', dedupe: (value) => value.key, size: batchSize }, async (batch) => {
			const body = { contact_list_name: list.name, data: batch.map(({ value }) => ({ phoneNumber: value.sent })) };
			await client.request({ campaign: { name: 'addMembers' }, streamId, body, itemIndex: batch[0].index });
			return batch.map(({ index, value }) => ({ index, json: [output(value, 'accepted')] }));
		});
		const byIndex = new Map(group.map(({ index, value }) => [index, value]));
		const accepted = sent.filter((outcome) => 'json' in outcome);
		const keys = new Set(accepted.map((outcome) => byIndex.get(outcome.index)!.key));
		const found = wait && keys.size > 0 ? await waitForMembers(this, client, streamId, list, keys, timeoutMs, first) : undefined;
		for (const outcome of sent) {
			const value = byIndex.get(outcome.index)!;
			if (!found || 'error' in outcome) outcomes.push(outcome);
			else if (found.has(value.key)) outcomes.push({ index: outcome.index, json: [output(value, 'added')] });
			else {
				const error = new NodeOperationError(
					this.getNode(),
					`Item ${outcome.index}: ${value.sent} was not in contact list "${list.name}" after ${timeoutMs / 1000} s — Kore accepted it for adding and may still add it`,
					{
						itemIndex: outcome.index,
						description:
							'Kore adds numbers to a list in the background and does not say when it is done. The number was not sent again. Raise "Wait Timeout (Seconds)", or check the list (Get Members) before starting a campaign.',
					},
				);
				if (!this.continueOnFail()) throw error;
				outcomes.push({ index: outcome.index, error });
			}
		}
	}
	return outcomes;
}
