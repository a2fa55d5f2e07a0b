import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { forEditor } from '../KoreContacts/helpers/editorText';
import { testKoreCredential } from '../KoreContacts/methods/credentialTest';
import { properties } from './description';
import { poll } from './poll';

export class KoreContactsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kore Contacts Trigger',
		name: 'koreContactsTrigger',
		icon: { light: 'file:kore.svg', dark: 'file:kore.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Contact " + $parameter["events"].join(", ")}}',
		description: 'Starts the workflow when contacts of a Kore.ai contact center stream are created, updated or deleted',
		defaults: { name: 'Kore Contacts Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'koreContactsApi', required: true, testedBy: 'koreContactsApiTest' }],
		properties,
	};

	methods = {
		credentialTest: { koreContactsApiTest: testKoreCredential },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			return await poll.call(this);
		} catch (error) {
			// as the Kore Contacts node's router: the values an error quotes made safe for n8n's HTML
			throw forEditor(error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error));
		}
	}
}
