import type { INodeProperties } from 'n8n-workflow';

import { campaignOptions, campaignStreamId } from '../campaignManagement';
import type { Operation } from '../types';
import * as addMembers from './addMembers.operation';
import * as create from './create.operation';
import * as deleteList from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getMembers from './getMembers.operation';
import * as update from './update.operation';

/** Every Contact List operation, by the value saved in workflows (a public contract: never rename one). */
export const operations: Record<string, Operation> = {
	addMembers,
	create,
	delete: deleteList,
	get,
	getAll,
	getMembers,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contactList'] } },
		options: [
			{
				name: 'Add Members',
				value: 'addMembers',
				description: 'Add the items\' phone numbers to a contact list, in batches (Kore adds them in the background)',
				action: 'Add phone numbers to a contact list',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a contact list for campaigns, to be filled with Add Members',
				action: 'Create a contact list',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a contact list by its ID or name',
				action: 'Delete a contact list',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a contact list (name, number of members, campaigns using it) by its ID or name',
				action: 'Get a contact list',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the contact lists of a stream, optionally those whose name contains a text',
				action: 'Get many contact lists',
			},
			{
				name: 'Get Members',
				value: 'getMembers',
				description: 'List the phone numbers in a contact list',
				action: 'Get the phone numbers in a contact list',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the name or description of a contact list',
				action: 'Update a contact list',
			},
		],
		default: 'addMembers',
	},
	campaignStreamId('contactList'),
	...Object.values(operations).flatMap((operation) => operation.description),
	campaignOptions('contactList', operations, ['create', 'delete', 'get', 'update'], ['addMembers']),
];
