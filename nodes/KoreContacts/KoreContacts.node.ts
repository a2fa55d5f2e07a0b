import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { description as contactDescription } from './actions/contact';
import { router } from './actions/router';
import { testKoreCredential } from './methods/credentialTest';

export class KoreContacts implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kore Contacts',
		name: 'koreContacts',
		icon: { light: 'file:kore.svg', dark: 'file:kore.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage the contacts of a Kore.ai contact center (AI for Service, SmartAssist, AgentAssist)',
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
				options: [{ name: 'Contact', value: 'contact' }],
				default: 'contact',
			},
			...contactDescription,
		],
	};

	methods = {
		// The credential's Test: Kore tells its 401 refusals apart only in the body (see methods/credentialTest.ts).
		credentialTest: { koreContactsApiTest: testKoreCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
