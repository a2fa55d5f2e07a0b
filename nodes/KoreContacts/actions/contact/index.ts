import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../options';
import type { Operation } from '../types';
import * as deleteContact from './delete.operation';

/** Every Contact operation, by the value saved in workflows (a public contract: never rename one). */
export const operations: Record<string, Operation> = {
	delete: deleteContact,
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
				name: 'Delete',
				value: 'delete',
				description: 'Delete a contact by its ID (Kore marks it INACTIVE)',
				action: 'Delete a contact',
			},
		],
		default: 'delete',
	},
	{
		displayName: 'Stream ID',
		name: 'streamId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. st-7dc994f0-4436-5134-9fa8-a942625a1b2c',
		description:
			'The ID of the Kore bot (stream) that holds the contacts. Find it on the bot\'s App Settings page; it starts with "st-".',
		displayOptions: { show: { resource: ['contact'] } },
	},
	...Object.values(operations).flatMap((operation) => operation.description),
	optionsCollection(Object.values(operations).flatMap((operation) => operation.options ?? [])),
];
