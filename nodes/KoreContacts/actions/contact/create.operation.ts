import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkFields, contactFieldProperties, readContactFields, toKoreContact } from '../../helpers/contact';
import type { ContactFields } from '../../helpers/contact';
import { prepareItems, runBatches, runEach } from '../../helpers/items';
import type { ItemOutcome, Prepared } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import { storedPhone } from '../../helpers/phone';
import type { OperationContext } from '../types';

const show = { resource: ['contact'], operation: ['create'] };
const REQUIRED: Array<keyof ContactFields> = ['firstName', 'lastName', 'salutation', 'phoneNumber', 'countryCode'];

// Dialing Prefix is optional: pre-filled with "+", and "+" is sent when it is left empty.
export const description: INodeProperties[] = [...REQUIRED, 'extension' as const].map((key) => ({
	...contactFieldProperties[key],
	required: REQUIRED.includes(key),
	displayOptions: { show },
}));

export const options: INodeProperties[] = [
	{
		displayName: 'Send in One Request',
		name: 'sendInOneRequest',
		type: 'boolean',
		default: false,
		description:
			'Whether to send many items\' contacts in one request (in batches of Batch Size) instead of one request per item. Faster for large imports; Kore accepts or refuses a request as a whole, so one bad contact fails its whole batch.',
		displayOptions: { show: { '/operation': ['create'] } },
	},
];

type Entry = { streamId: string; fields: ContactFields };

/** `+<country code><national number>` (E.164), as Kore stores the number: to pair created contacts with their items. */
function expectedPhone(fields: ContactFields): string {
	return `${fields.countryCode}${fields.phoneNumber}`;
}

/**
 * Pairs the contacts Kore created for a batch with the batch's items: by phone number (unique per stream
 * in Kore), else by position when Kore returned exactly one contact per item.
 */
function pairCreated(ctx: IExecuteFunctions, batch: Array<Prepared<Entry>>, created: IDataObject[]): ItemOutcome[] {
	const byPhone = new Map<string, IDataObject>();
	for (const contact of created) {
		const phone = storedPhone(contact.cellPhone);
		if (phone) byPhone.set(phone, contact);
	}
	const allByPhone = batch.every(({ value }) => byPhone.has(expectedPhone(value.fields)));
	return batch.map(({ index, value }, position) => {
		const contact = allByPhone ? byPhone.get(expectedPhone(value.fields)) : created.length === batch.length ? created[position] : undefined;
		if (contact) return { index, json: [contact] };
		return {
			index,
			error: new NodeOperationError(ctx.getNode(), `Item ${index}: Kore did not return a created contact for phone ${expectedPhone(value.fields)}`, {
				itemIndex: index,
				description: `Kore answered with ${created.length} contacts for ${batch.length} sent (IDs: ${created.map((c) => c.id).join(', ') || 'none'}). Check the stream in Kore before sending this item again.`,
			}),
		};
	});
}

/** Creates one contact per input item: one request each, or batched with "Send in One Request". */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, lookups, concurrency, batchSize, options, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => {
		const streamId = streamIdFor(this, index, defaultStreamId);
		const fields = checkFields(this, index, readContactFields(this, index), REQUIRED);
		return { streamId, fields: { ...fields, extension: fields.extension || '+' } };
	});
	const create = async (batch: Array<Prepared<Entry>>) => {
		const created = await client.request<unknown>({
			method: 'POST',
			streamId: batch[0].value.streamId,
			body: batch.map(({ value }) => toKoreContact(value.fields)),
			itemIndex: batch[0].index,
		});
		const contacts = Array.isArray(created) ? (created as IDataObject[]) : [created as IDataObject];
		await lookups.learned(batch[0].value.streamId, contacts, batch[0].index);
		return pairCreated(this, batch, contacts);
	};
	const refused: ItemOutcome[] = [];
	let batched = prepared;
	if (options.sendInOneRequest) {
		// Created contacts are paired with their items by number: two items with one number in the same
		// stream cannot both be sent (Kore keeps one contact per number). The later one is refused, before
		// anything is sent, rather than paired with the other's contact.
		batched = [];
		const firstByPhone = new Map<string, number>();
		for (const entry of prepared) {
			const phone = expectedPhone(entry.value.fields);
			const key = `${entry.value.streamId}\n${phone}`;
			const first = firstByPhone.get(key);
			if (first === undefined) {
				firstByPhone.set(key, entry.index);
				batched.push(entry);
				continue;
			}
			const error = new NodeOperationError(
				this.getNode(),
				`Item ${entry.index}: phone ${phone} is also the number of item ${first}; Kore keeps one contact per number, so this item was not sent`,
				{
					itemIndex: entry.index,
					description:
						'With "Send in One Request" each created contact is paired with its item by number, so two items with one number cannot both be sent. Merge the two items, or remove the duplicate before this node.',
				},
			);
			if (!this.continueOnFail()) throw error;
			refused.push({ index: entry.index, error });
		}
	}
	const done = options.sendInOneRequest
		? await runBatches(this, batched, { group: (value) => value.streamId, size: batchSize }, create)
		: await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async (value, index) => {
				const [outcome] = await create([{ index, value }]);
				if ('error' in outcome) throw outcome.error;
				return outcome.json;
			});
	return [...failed, ...refused, ...done];
}
