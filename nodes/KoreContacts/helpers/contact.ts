import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PhoneError, nationalDigits, normalizeCountryCode, parsePhone, phoneDigitsForKore } from './phone';
import { textParameter } from './params';

/** The contact fields Kore's create and update endpoints take (names as in Kore's API). */
export interface ContactFields {
	firstName?: string;
	lastName?: string;
	salutation?: string;
	phoneNumber?: string;
	countryCode?: string;
	extension?: string;
}

export const FIELD_LABELS: Record<keyof ContactFields, string> = {
	firstName: 'First Name',
	lastName: 'Last Name',
	salutation: 'Salutation',
	phoneNumber: 'Phone Number',
	countryCode: 'Country Code',
	extension: 'Dialing Prefix',
};

/** Descriptions of the contact fields, shared by Create (as fields) and Update (as a collection). */
export const contactFieldProperties: Record<keyof ContactFields, INodeProperties> = {
	firstName: { displayName: 'First Name', name: 'firstName', type: 'string', default: '', description: "The contact's first name" },
	lastName: { displayName: 'Last Name', name: 'lastName', type: 'string', default: '', description: "The contact's last name" },
	salutation: {
		displayName: 'Salutation',
		name: 'salutation',
		type: 'string',
		default: '',
		placeholder: 'e.g. Mr',
		description: 'Title of the contact, such as Mr, Ms or Dr',
	},
	phoneNumber: {
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. 98765 43210',
		description:
			'The mobile number, read by its country\'s numbering rules: spaces, dashes and brackets are fine, letters are refused, and a trunk 0 is dropped where that country\'s rules say so (UK 020 7946 0958 is sent as 2079460958; Italy\'s 06… keeps its 0). A number written with its country code, e.g. +91 98765 43210, is accepted when that code is the Country Code.',
	},
	countryCode: {
		displayName: 'Country Code',
		name: 'countryCode',
		type: 'string',
		default: '',
		placeholder: 'e.g. +91',
		description: 'The country calling code, such as +1, +44 or +91',
	},
	extension: {
		// Kore calls this field "extension"; it is the prefix dialled before the number, not a phone extension.
		displayName: 'Dialing Prefix',
		name: 'extension',
		type: 'string',
		default: '+',
		hint: 'The sign before the country code; keep "+". Not a phone extension.',
		description: 'What is dialed before the country code. Kore keeps it in its "extension" field, which is not a phone extension; Kore\'s own examples use "+".',
	},
};

function fieldError(ctx: IExecuteFunctions, index: number, label: string, problem: string) {
	return new NodeOperationError(ctx.getNode(), `Item ${index}: "${label}" ${problem} — nothing was sent to Kore for this item`, {
		itemIndex: index,
	});
}

/**
 * Checks and normalises contact fields read for item `index`: the country code to `+<digits>`, the phone
 * number to digits only. `required` fields must not be blank.
 */
export function checkFields(
	ctx: IExecuteFunctions,
	index: number,
	raw: ContactFields,
	required: Array<keyof ContactFields> = [],
): ContactFields {
	const fields: ContactFields = {};
	for (const key of Object.keys(FIELD_LABELS) as Array<keyof ContactFields>) {
		const value = raw[key];
		if (value === undefined) continue;
		const text = String(value).trim();
		if (text === '' && required.includes(key)) throw fieldError(ctx, index, FIELD_LABELS[key], 'is empty');
		fields[key] = text;
	}
	for (const key of required) {
		if (fields[key] === undefined) throw fieldError(ctx, index, FIELD_LABELS[key], 'is empty');
	}
	const normalised = <T>(key: 'countryCode' | 'phoneNumber', normalise: (text: string) => T): T => {
		try {
			return normalise(fields[key]!);
		} catch (error) {
			throw fieldError(ctx, index, FIELD_LABELS[key], `is not valid: ${(error as PhoneError).message}`);
		}
	};
	if (fields.countryCode !== undefined) fields.countryCode = normalised('countryCode', (text) => normalizeCountryCode(text) ?? '');
	if (fields.phoneNumber !== undefined && fields.phoneNumber !== '') {
		if (fields.countryCode) {
			fields.phoneNumber = normalised('phoneNumber', (text) => phoneDigitsForKore(text, fields.countryCode));
		} else if (/^\s*(\+|00)/.test(fields.phoneNumber)) {
			// An update's new number written internationally, without a new Country Code: it carries its own.
			const phone = normalised('phoneNumber', (text) => parsePhone(text, undefined));
			fields.countryCode = phone.countryCode;
			fields.phoneNumber = phone.nationalNumber;
		} else {
			// An update's new national number without a Country Code: checked here, read by the numbering
			// rules of the contact's stored country code when the update is merged (see withStoredCountry).
			fields.phoneNumber = normalised('phoneNumber', (text) => {
				const compact = text.replace(/[\s\-()./]/g, '');
				if (!/^\d+$/.test(compact)) throw new PhoneError(`"${text}" contains characters other than digits (spaces, dashes and brackets are fine)`);
				return compact;
			});
		}
	}
	return fields;
}

/**
 * An update's changes, completed for a contact whose stored fields are `current`: a new national number
 * given without a Country Code is read by the rules of the stored country code (so a trunk `0` is dropped
 * where that country's rules say so). Throws an error naming the field when it is not a number there.
 */
export function withStoredCountry(ctx: IExecuteFunctions, index: number, changes: ContactFields, current: ContactFields): ContactFields {
	if (changes.phoneNumber === undefined || changes.phoneNumber === '' || changes.countryCode) return changes;
	try {
		return { ...changes, phoneNumber: phoneDigitsForKore(changes.phoneNumber, current.countryCode || undefined) };
	} catch (error) {
		throw fieldError(ctx, index, FIELD_LABELS.phoneNumber, `is not valid for the contact's country code ${current.countryCode || '(none stored)'}: ${(error as Error).message}`);
	}
}

/** Reads the top-level contact fields of item `index` (Create). */
export function readContactFields(ctx: IExecuteFunctions, index: number): ContactFields {
	const raw: ContactFields = {};
	for (const key of Object.keys(FIELD_LABELS) as Array<keyof ContactFields>) raw[key] = textParameter(ctx, key, index);
	return raw;
}

/** The body Kore takes for one contact. */
export function toKoreContact(fields: ContactFields): IDataObject {
	return {
		firstName: fields.firstName ?? '',
		lastName: fields.lastName ?? '',
		salutation: fields.salutation ?? '',
		cellPhone: {
			phoneNumber: fields.phoneNumber ?? '',
			countryCode: fields.countryCode ?? '',
			extension: fields.extension ?? '',
		},
	};
}

/** A stored contact's editable fields, in the form Kore takes them back. */
export function fieldsOf(contact: IDataObject): ContactFields {
	const cellPhone = (contact.cellPhone ?? {}) as IDataObject;
	const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
	return {
		firstName: text(contact.firstName),
		lastName: text(contact.lastName),
		salutation: text(contact.salutation),
		phoneNumber: nationalDigits(cellPhone) ?? '',
		countryCode: text(cellPhone.countryCode),
		extension: text(cellPhone.extension),
	};
}

/** True when `fields` sets every field, so nothing needs to be read from Kore first. */
export function isComplete(fields: ContactFields): boolean {
	return (Object.keys(FIELD_LABELS) as Array<keyof ContactFields>).every((key) => fields[key] !== undefined);
}
