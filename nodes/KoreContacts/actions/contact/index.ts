import type { INodeProperties } from 'n8n-workflow';

import { streamIdProperty } from '../../helpers/params';
import { optionsCollection } from '../options';
import type { Operation } from '../types';
import * as create from './create.operation';
import * as deleteContact from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as importCsv from './importCsv.operation';
import * as update from './update.operation';
import * as updateMany from './updateMany.operation';
import * as upsert from './upsert.operation';

/** Every Contact operation, by the value saved in workflows (a public contract: never rename one). */
export const operations: Record<string, Operation> = {
	create,
	delete: deleteContact,
	deleteMany,
	get,
	getAll,
	importCsv,
	update,
	updateMany,
	upsert,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a contact from each input item (name, salutation, phone number)',
				action: 'Create a contact',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				// n8n's lint rule node-param-description-wrong-for-upsert fixes the start and the end of this wording
				description: 'Create a new contact for a phone number, or update the current one if it already exists (upsert)',
				action: 'Create or update a contact',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a contact by its ID or phone number (Kore marks it INACTIVE)',
				action: 'Delete a contact',
			},
			{
				name: 'Delete Many',
				value: 'deleteMany',
				description: 'Delete the contacts named by the input items with Kore\'s bulk endpoint, in batches',
				action: 'Delete many contacts',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a contact by its ID or phone number',
				action: 'Get a contact',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the contacts of a stream, optionally filtered by status or phone number',
				action: 'Get many contacts',
			},
			{
				name: 'Import CSV',
				value: 'importCsv',
				description: 'Create contacts from a CSV file in the input item\'s binary data',
				action: 'Import contacts from a CSV file',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change fields of a contact found by its ID or phone number; other fields keep their values',
				action: 'Update a contact',
			},
			{
				name: 'Update Many',
				value: 'updateMany',
				description: 'Change the contacts named by the input items with Kore\'s bulk endpoint, in batches',
				action: 'Update many contacts',
			},
		],
		default: 'delete',
	},
	streamIdProperty(
		'contact',
		'The ID of the Kore bot (stream) that holds the contacts, when it is not the credential\'s. Find it on the bot\'s App Settings page; it starts with "st-".',
	),
	...Object.values(operations).flatMap((operation) => operation.description),
	optionsCollection(Object.values(operations).flatMap((operation) => operation.options ?? [])),
];
