import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description as campaignDescription } from './actions/campaign';
import { description as contactDescription } from './actions/contact';
import { description as contactListDescription } from './actions/contactList';
import { router } from './actions/router';
import { testKoreCredential } from './methods/credentialTest';
import { searchCampaigns, searchContactLists } from './methods/listSearch';

export class KoreContacts implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kore Contacts',
		name: 'koreContacts',
		icon: { light: 'file:kore.svg', dark: 'file:kore.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage the contacts, contact lists and campaigns of a Kore.ai contact center (AI for Service, SmartAssist, AgentAssist)',
		defaults: { name: 'Kore Contacts' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'koreContactsApi', required: true, testedBy: 'koreContactsApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Contact List', value: 'contactList' },
				],
				default: 'contact',
			},
			...contactDescription,
			...contactListDescription,
			...campaignDescription,
		],
	};

	methods = {
		// The credential's Test: Kore tells its 401 refusals apart only in the body (see methods/credentialTest.ts).
		credentialTest: { koreContactsApiTest: testKoreCredential },
		// The pickers of the Contact List and Campaign resources.
		listSearch: { searchContactLists, searchCampaigns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
