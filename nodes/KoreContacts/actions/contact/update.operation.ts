import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { FIELD_LABELS, checkFields, contactFieldProperties, fieldsOf, isComplete, toKoreContact, withStoredCountry } from '../../helpers/contact';
import type { ContactFields } from '../../helpers/contact';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import type { OperationContext } from '../types';
import { readTarget, targetProperties } from './target';

/** The "Update Fields" collection, for Update and Update Many. */
export function updateFieldsProperty(operation: string): INodeProperties {
	return {
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'The fields to change. Fields you leave out, and fields whose value is blank for an item (e.g. an expression that resolves to nothing), keep their current values — nothing is ever erased: Kore\'s update takes the whole contact, so the node reads the stream\'s current contacts (one read shared by all the updates that arrive together) and sends the current values with your changes. When you set all six fields, nothing is read.',
		displayOptions: { show: { resource: ['contact'], operation: [operation] } },
		options: Object.values(contactFieldProperties).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export const description: INodeProperties[] = [...targetProperties(['update'], 'update'), updateFieldsProperty('update')];

/**
 * Reads item `index`'s Update Fields, checked (at least one, phone digits, country code). A field that is
 * blank — e.g. an expression that resolved to "" or nothing for this item — means "leave as is", never
 * "erase": the contact's stored value is sent back for it.
 */
export function readUpdateFields(ctx: IExecuteFunctions, index: number): ContactFields {
	const raw = ctx.getNodeParameter('updateFields', index, {}) as IDataObject;
	const given: ContactFields = {};
	const blank: string[] = [];
	for (const key of Object.keys(FIELD_LABELS) as Array<keyof ContactFields>) {
		if (!(key in raw)) continue;
		const value = raw[key];
		if (value === undefined || value === null || String(value).trim() === '') blank.push(FIELD_LABELS[key]);
		else given[key] = String(value);
	}
	if (Object.keys(given).length === 0) {
		const message =
			blank.length > 0
				? `Item ${index}: every field in "Update Fields" is blank (${blank.join(', ')}), so there is nothing to change — blank fields keep their stored values; nothing was sent to Kore for this item`
				: `Item ${index}: "Update Fields" is empty — add the fields to change; nothing was sent to Kore for this item`;
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex: index });
	}
	return checkFields(ctx, index, given);
}

/**
 * The full body for an update: the contact's current values overlaid with the changes (nothing is read
 * when the changes set every field). A new phone number without a new country code keeps the current one.
 */
export async function mergedBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	changes: ContactFields,
	current: () => Promise<IDataObject>,
): Promise<IDataObject> {
	if (isComplete(changes)) return toKoreContact(changes);
	const stored = fieldsOf(await current());
	return toKoreContact({ ...stored, ...withStoredCountry(ctx, itemIndex, changes, stored) });
}

/** Kore's answer when it is a contact (the layer keeps it as the newest copy), else undefined. */
export function asContact(answer: unknown): IDataObject | undefined {
	return answer && typeof answer === 'object' && (answer as IDataObject).id !== undefined ? (answer as IDataObject) : undefined;
}

export async function execute(
	this: IExecuteFunctions,
	{ items, client, lookups, concurrency, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: streamIdFor(this, index, defaultStreamId),
		target: readTarget(this, index),
		changes: readUpdateFields(this, index),
	}));
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, target, changes }, itemIndex) => {
		return await lookups.write(streamId, target, itemIndex, async (contactId, current, send) => {
			const body = await mergedBody(this, itemIndex, changes, current);
			const updated = await send<IDataObject>({ method: 'PUT', streamId, path: [contactId], contactId, body, itemIndex });
			return { result: updated, contact: asContact(updated) };
		});
	});
	return [...failed, ...done];
}
