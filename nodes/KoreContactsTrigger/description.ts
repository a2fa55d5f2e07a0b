import type { INodeProperties } from 'n8n-workflow';

import { TRACKED_FIELDS } from './state/digest';

/** The trigger's parameters. Their names and values are stored in users' workflows: never rename one. */

const FIELD_NAMES: Record<(typeof TRACKED_FIELDS)[number], string> = {
	firstName: 'First Name',
	lastName: 'Last Name',
	fullName: 'Full Name',
	salutation: 'Salutation',
	cellPhone: 'Phone Number',
	address: 'Address',
	twitterDetails: 'Twitter Details',
};

export const properties: INodeProperties[] = [
	{
		displayName:
			'Kore sends no webhooks and cannot list only what changed: each poll reads the whole stream, 1 request per 100 contacts (a 20,000-contact stream: 200 requests, over 3 minutes of the 60 a minute Kore allows an account). When a read would take more than "Max Share of Rate Limit" of the account\'s requests between two polls, the trigger polls less often and says so in n8n\'s log.',
		name: 'costNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['created'],
		description: 'Which changes start the workflow: one item per changed contact',
		options: [
			{ name: 'Contact Created', value: 'created', description: 'A contact appears in the stream' },
			{
				name: 'Contact Deleted',
				value: 'deleted',
				description: 'Kore lists the contact INACTIVE, or (if Kore does not list deleted contacts) two polls in a row no longer list it',
			},
			{ name: 'Contact Updated', value: 'updated', description: 'A contact\'s fields change (or Kore stamps it updated)' },
		],
	},
	{
		displayName: 'Stream ID',
		name: 'streamId',
		type: 'string',
		default: '',
		placeholder: "e.g. st-7dc994f0-4436-5134-9fa8-a942625a1b2c (empty: the credential's)",
		description: "The ID of the Kore bot (stream) whose contacts to watch. Leave empty to use the credential's Stream ID.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Max Share of Rate Limit (%)',
				name: 'maxBudgetPercent',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 25,
				description:
					"The largest share of the account's requests (the credential's Requests per Minute) that reading the stream may take between two polls. When a read costs more, the trigger polls less often.",
			},
			{
				displayName: 'Only Changes To',
				name: 'onlyFields',
				type: 'multiOptions',
				default: [],
				description: 'Contact Updated: report only changes to these fields. Empty: any change.',
				options: TRACKED_FIELDS.map((field) => ({ name: FIELD_NAMES[field], value: field })).sort((a, b) => a.name.localeCompare(b.name)),
			},
		],
	},
];
