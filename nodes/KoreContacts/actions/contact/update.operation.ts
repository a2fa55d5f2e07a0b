import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { FIELD_LABELS, checkFields, contactFieldProperties, fieldsOf, isComplete, toKoreContact } from '../../helpers/contact';
import type { ContactFields } from '../../helpers/contact';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { requiredId } from '../../helpers/params';
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
			'The fields to change. Fields you leave out keep their current values: Kore\'s update takes the whole contact, so the node reads the stream\'s current contacts (one read shared by all the updates that arrive together) and sends the current values with your changes. When you set all six fields, nothing is read.',
		displayOptions: { show: { resource: ['contact'], operation: [operation] } },
		options: Object.values(contactFieldProperties),
	};
}

export const description: INodeProperties[] = [...targetProperties(['update'], 'update'), updateFieldsProperty('update')];

/** Reads item `index`'s Update Fields, checked (at least one, phone digits, country code). */
export function readUpdateFields(ctx: IExecuteFunctions, index: number): ContactFields {
	const raw = ctx.getNodeParameter('updateFields', index, {}) as IDataObject;
	const given: ContactFields = {};
	for (const key of Object.keys(FIELD_LABELS) as Array<keyof ContactFields>) {
		if (raw[key] !== undefined && raw[key] !== null) given[key] = String(raw[key]);
	}
	if (Object.keys(given).length === 0) {
		throw new NodeOperationError(ctx.getNode(), `Item ${index}: "Update Fields" is empty — add the fields to change; nothing was sent to Kore for this item`, {
			itemIndex: index,
		});
	}
	return checkFields(ctx, index, given);
}

/**
 * The full body for an update: the contact's current values overlaid with the changes (nothing is read
 * when the changes set every field). A new phone number without a new country code keeps the current one.
 */
export async function mergedBody(changes: ContactFields, current: () => Promise<IDataObject>): Promise<IDataObject> {
	return toKoreContact({ ...(isComplete(changes) ? {} : fieldsOf(await current())), ...changes });
}

/** Kore's answer when it is a contact (the layer keeps it as the newest copy), else undefined. */
export function asContact(answer: unknown): IDataObject | undefined {
	return answer && typeof answer === 'object' && (answer as IDataObject).id !== undefined ? (answer as IDataObject) : undefined;
}

export async function execute(
	this: IExecuteFunctions,
	{ items, client, lookups, concurrency }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => ({
		streamId: requiredId(this, 'streamId', index),
		target: readTarget(this, index),
		changes: readUpdateFields(this, index),
	}));
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, target, changes }, itemIndex) => {
		return await lookups.write(streamId, target, itemIndex, async (contactId, current) => {
			const body = await mergedBody(changes, current);
			const updated = await client.request<IDataObject>({ method: 'PUT', streamId, path: [contactId], contactId, body, itemIndex });
			return { result: updated, contact: asContact(updated) };
		});
	});
	return [...failed, ...done];
}
