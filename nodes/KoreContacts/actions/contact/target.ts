import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredId, requiredText, textParameter } from '../../helpers/params';
import { normalizeCountryCode, phoneCandidates } from '../../helpers/phone';

/**
 * Which contact an item is about: by Kore ID, or by phone number (looked up in the stream). A phone
 * target carries the E.164 keys its number stands for, computed when the item is prepared.
 */
export type Target =
	| { by: 'id'; contactId: string }
	| { by: 'phone'; phoneNumber: string; countryCode?: string; candidates: string[] };

/** "Contact By: ID | Phone Number" and its fields, for the operations in `operations`. */
export function targetProperties(operations: string[], verb: string): INodeProperties[] {
	const show = { resource: ['contact'], operation: operations };
	return [
		{
			displayName: 'Contact By',
			name: 'contactBy',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'ID', value: 'id', description: 'The contact\'s Kore ID' },
				{
					name: 'Phone Number',
					value: 'phone',
					description: 'Find the contact by its number: the node reads the stream\'s contacts, once for all the lookups that arrive together',
				},
			],
			default: 'id',
			description: `How to name the contact to ${verb}`,
			displayOptions: { show },
		},
		{
			displayName: 'Contact ID',
			name: 'contactId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 69609027c1746a61429a1b2c',
			description: `The Kore ID of the contact to ${verb} (the "ID" field Kore returns for a contact)`,
			displayOptions: { show: { ...show, contactBy: ['id'] } },
		},
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. +91 98765 43210',
			description: `The phone number of the contact to ${verb}, read by its country's numbering rules. +91 98765-43210, 0091 9876543210 and 9876543210 with Country Code +91 are the same number; so are +44 (0)20 7946 0958 and 020 7946 0958 with +44. No match, or more than one, fails the item without changing anything.`,
			displayOptions: { show: { ...show, contactBy: ['phone'] } },
		},
		{
			displayName: 'Country Code',
			name: 'countryCode',
			type: 'string',
			default: '',
			placeholder: 'e.g. +91',
			description: 'Needed when Phone Number is written without its country code',
			displayOptions: { show: { ...show, contactBy: ['phone'] } },
		},
	];
}

/**
 * Reads item `index`'s target (validated; no request). A phone number is parsed here, when the items are
 * prepared, so a malformed number on any item stops the run before the first request.
 */
export function readTarget(ctx: IExecuteFunctions, index: number): Target {
	if (ctx.getNodeParameter('contactBy', index, 'id') === 'phone') {
		const phoneNumber = requiredText(ctx, 'phoneNumber', index);
		const countryCode = textParameter(ctx, 'countryCode', index) || undefined;
		const invalid = (label: string, error: unknown) =>
			new NodeOperationError(
				ctx.getNode(),
				`Item ${index}: "${label}" is not valid: ${(error as Error).message} — nothing was sent to Kore for this item`,
				{ itemIndex: index },
			);
		if (countryCode !== undefined) {
			try {
				normalizeCountryCode(countryCode);
			} catch (error) {
				throw invalid('Country Code', error);
			}
		}
		try {
			return { by: 'phone', phoneNumber, countryCode, candidates: phoneCandidates(phoneNumber, countryCode) };
		} catch (error) {
			throw invalid('Phone Number', error);
		}
	}
	return { by: 'id', contactId: requiredId(ctx, 'contactId', index) };
}
