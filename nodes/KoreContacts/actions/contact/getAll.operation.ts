import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { prepareItems, runEach } from '../../helpers/items';
import type { ItemOutcome } from '../../helpers/items';
import { readLimit, returnAllProperties, streamIdFor } from '../../helpers/params';
import { PhoneError, phoneCandidates, storedPhone } from '../../helpers/phone';
import type { OperationContext } from '../types';

const show = { resource: ['contact'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...returnAllProperties('contact', 'getAll'),
	{
		displayName:
			'Without a Status filter, the node returns whatever Kore lists for the stream: deleted (inactive) contacts too, if Kore lists them. Add the Status filter "Active" to get only contacts in use.',
		name: 'statusNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Kore\'s list has no search, so the node reads the pages and keeps the contacts that match',
		displayOptions: { show },
		options: [
			{
				displayName: 'Country Code',
				name: 'countryCode',
				type: 'string',
				default: '',
				placeholder: 'e.g. +91',
				description: 'Needed when the Phone Number filter is written without its country code',
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. +91 98765 43210',
				description:
					'Only the contact with this number. +91 98765-43210, 0091 9876543210 and 9876543210 with Country Code +91 are the same number.',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active', description: 'Contacts in use' },
					{ name: 'Inactive', value: 'inactive', description: 'Deleted contacts, if Kore still lists them' },
					{ name: 'All', value: 'all' },
				],
				default: 'active',
				description: 'Whether to keep only active contacts, only deleted (inactive) ones, or all',
			},
		],
	},
];

interface Query {
	streamId: string;
	limit: number | undefined;
	status: string;
	phones: string[] | undefined;
}

function readQuery(ctx: IExecuteFunctions, index: number, defaultStreamId: string): Query {
	const streamId = streamIdFor(ctx, index, defaultStreamId);
	const limit = readLimit(ctx, index);
	const filters = ctx.getNodeParameter('filters', index, {}) as IDataObject;
	const phone = typeof filters.phoneNumber === 'string' ? filters.phoneNumber.trim() : '';
	let phones: string[] | undefined;
	if (phone !== '') {
		const countryCode = typeof filters.countryCode === 'string' ? filters.countryCode : undefined;
		try {
			phones = phoneCandidates(phone, countryCode);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Item ${index}: the "Phone Number" filter is not valid: ${(error as PhoneError).message}`, {
				itemIndex: index,
			});
		}
	}
	return { streamId, limit, status: String(filters.status ?? 'all'), phones };
}

function matches(contact: IDataObject, { status, phones }: Query): boolean {
	if (status !== 'all') {
		const inactive = String(contact.status ?? '').toUpperCase() === 'INACTIVE';
		if (inactive !== (status === 'inactive')) return false;
	}
	if (phones) {
		const stored = storedPhone(contact.cellPhone);
		if (!stored || !phones.includes(stored)) return false;
	}
	return true;
}

/** Lists a stream's contacts, page by page, one output item per contact. */
export async function execute(
	this: IExecuteFunctions,
	{ items, client, defaultStreamId }: OperationContext,
): Promise<ItemOutcome[]> {
	const { prepared, failed } = await prepareItems(this, items, (index) => readQuery(this, index, defaultStreamId));
	const done = await runEach(this, prepared, { concurrency: 1 }, async (query, itemIndex) => {
		const found: IDataObject[] = [];
		await client.listContacts(
			query.streamId,
			(page) => {
				for (const contact of page) {
					if (!matches(contact, query)) continue;
					found.push(contact);
					if (query.limit !== undefined && found.length >= query.limit) return false;
				}
				return true;
			},
			{ itemIndex },
		);
		return found;
	});
	return [...failed, ...done];
}
