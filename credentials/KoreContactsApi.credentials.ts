import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { authenticateRequest } from '../nodes/KoreContacts/transport/auth';

export class KoreContactsApi implements ICredentialType {
	name = 'koreContactsApi';

	displayName = 'Kore.ai Contacts API';

	icon: Icon = { light: 'file:../nodes/KoreContacts/kore.svg', dark: 'file:../nodes/KoreContacts/kore.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-kore-contacts#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'https://platform.kore.ai',
			required: true,
			description:
				'Your Kore environment URL. Regional hosts: https://platform.kore.ai (US), https://eu-platform.kore.ai (EU London), https://de-platform.kore.ai (EU Frankfurt), https://au-platform.kore.ai (Australia), https://jp-platform.kore.ai (Japan), https://ind-platform.kore.ai (India), https://uae-platform.kore.ai (UAE); or your own host for a private install.',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			required: true,
			description: 'Your Kore account ID, sent as the accountId header with every request',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. cs-5a0b1c2d-…',
			description:
				'Client ID of a JWT app (App Settings → Dev Tools) mapped to the "Configuration" API scope',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Client Secret of the same JWT app. It signs a short-lived token for every request and is never sent itself.',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(credentials, requestOptions);

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.host}}',
			url: '/agentassist/api/v1/public/n8n-credential-test/contacts',
		},
	};
}
