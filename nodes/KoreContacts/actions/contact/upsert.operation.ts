import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { FIELD_LABELS, checkFields, contactFieldProperties, readContactFields, toKoreContact } from '../../helpers/contact';
import type { ContactFields } from '../../helpers/contact';
import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { streamIdFor } from '../../helpers/params';
import { phoneCandidates } from '../../helpers/phone';
import type { OperationContext } from '../types';
import { asContact, mergedBody } from './update.operation';

const show = { resource: ['contact'], operation: ['upsert'] };
const KEY: Array<keyof ContactFields> = ['phoneNumber', 'countryCode'];

export const description: INodeProperties[] = (Object.keys(contactFieldProperties) as Array<keyof ContactFields>).map((key) => ({
	...contactFieldProperties[key],
	required: KEY.includes(key),
	// Empty keeps the contact's value on an update; a new contact gets Kore's usual "+".
	...(key === 'extension'
		? { default: '', placeholder: '+', hint: 'The sign before the country code. Leave empty: a new contact gets "+", an update keeps the contact\'s. Not a phone extension.' }
		: {}),
	...(key === 'phoneNumber'
		? {
				hint: 'The contact with this number is updated; when none has it, one is created',
				description: `${contactFieldProperties.phoneNumber.description} With Country Code, it is the key: the contact with this number is updated, or created when none has it.`,
			}
		: {}),
	displayOptions: { show },
}));

/** What Kore requires to create a contact (all six fields are documented as required; the prefix defaults). */
const NEEDED_TO_CREATE: Array<keyof ContactFields> = ['firstName', 'lastName', 'salutation'];

/**
 * Kore's answer to a create of a number an active contact already has. Its status is not documented (409
 * from the local server; a 400/412 validation error is as plausible), so the words decide too.
 */
function isDuplicateNumber(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	return error.httpCode === '409' || (['400', '412', '422'].includes(String(error.httpCode)) && /already exist|duplicate/i.test(error.message));
}

/**
 * Create or Update by phone number: the one active contact with the number is updated (empty fields keep
 * their values), or one is created when none has it. Several with the number fail the item unchanged.
 */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, lookups, concurrency, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => {
		const raw = readContactFields(this, index);
		const given: ContactFields = {};
		// Empty fields are left out: on an update they keep the contact's values.
		for (const [key, value] of Object.entries(raw) as Array<[keyof ContactFields, string | undefined]>) if (value) given[key] = value;
		const fields = checkFields(this, index, given, KEY);
		// checkFields has checked the number; these are the E.164 forms a stored contact may have it in.
		return { streamId: streamIdFor(this, index, defaultStreamId), fields, candidates: phoneCandidates(fields.phoneNumber!, fields.countryCode) };
	});
	const done = await runEach(this, prepared, { concurrency, onStop: () => client.halt() }, async ({ streamId, fields, candidates }, itemIndex) =>
		await lookups.upsert<IDataObject>(streamId, candidates, itemIndex, {
			create: async (send) => {
				const missing = NEEDED_TO_CREATE.filter((key) => !fields[key]);
				if (missing.length > 0) {
					throw new NodeOperationError(
						this.getNode(),
						`Item ${itemIndex}: no contact has phone ${candidates.join(' or ')}, so one would be created, but ${missing.map((key) => `"${FIELD_LABELS[key]}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty — nothing was sent to Kore for this item`,
						{ itemIndex, description: 'Kore requires First Name, Last Name and Salutation to create a contact. An update of an existing contact keeps the values left empty.' },
					);
				}
				const answer = await send({ method: 'POST', streamId, body: [toKoreContact({ extension: '+', ...fields })], itemIndex });
				const contact = asContact(Array.isArray(answer) ? answer[0] : answer);
				return { result: { ...(contact ?? {}), action: 'created' }, contact };
			},
			update: async (contactId, current, send) => {
				const body = await mergedBody(this, itemIndex, fields, async () => current);
				const updated = await send<IDataObject>({ method: 'PUT', streamId, path: [contactId], contactId, body, itemIndex });
				return { result: { ...updated, action: 'updated' }, contact: asContact(updated) };
			},
			isDuplicate: isDuplicateNumber,
		}),
	);
	return [...failed, ...done];
}
