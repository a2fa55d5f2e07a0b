import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { CUSTOM_HOST, KORE_ENVIRONMENTS, authenticateRequest } from '../nodes/KoreContacts/transport/auth';

export class KoreContactsApi implements ICredentialType {
	name = 'koreContactsApi';

	displayName = 'Kore.ai Contacts API';

	icon: Icon = { light: 'file:../nodes/KoreContacts/kore.svg', dark: 'file:../nodes/KoreContacts/kore.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-kore-contacts';

	properties: INodeProperties[] = [
		{
			// Internal name `host` kept: credentials saved before this list held the URL itself here, and still work.
			displayName: 'Environment',
			name: 'host',
			type: 'options',
			options: [...KORE_ENVIRONMENTS, { name: 'Custom URL', value: CUSTOM_HOST, description: 'A private or on-premises Kore install' }],
			default: 'https://platform.kore.ai',
			required: true,
			description: 'The Kore platform your account is on. Choose Custom URL for a private or on-premises install.',
		},
		{
			displayName: 'Custom URL',
			name: 'customHost',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://kore.example.com',
			description: 'The base URL of your Kore platform (https://, without a path to the API)',
			displayOptions: { show: { host: [CUSTOM_HOST] } },
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
				'Client ID of a JWT app (App Settings → Dev Tools) mapped to the "Configuration" API scope, and to "Campaign Management" for contact lists and campaigns',
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
		{
			// Internal name `testStreamId` kept: saved credentials store it under this name.
			displayName: 'Stream ID',
			name: 'testStreamId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. st-7dc994f0-4436-5134-9fa8-a942625a1b2c',
			description:
				'The ID of the Kore bot (stream) the JWT app belongs to; it starts with "st-" (the bot\'s App Settings page). The Test reads one contact of this stream, and a Kore Contacts node uses it when its own Stream ID is empty.',
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 60,
			description:
				'Kore allows 60 requests per minute per account on the Contacts APIs. Every Kore Contacts node in this n8n that uses this account waits for a free slot instead of being refused, and never sends faster than this. Set a lower limit you know of here (Kore agreed less, or other systems use the account); when Kore still refuses requests, the node learns the lower rate it can send at. Whole numbers only; when several credentials name the same account, the lowest of their limits applies to all of them.',
		},
		{
			// Kore's window is a minute. Only a local test server with a scaled clock sets another one.
			displayName: 'Rate Limit Window (Ms)',
			name: 'rateLimitWindowMs',
			type: 'hidden',
			default: 60000,
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(credentials, requestOptions);

	// The Test is the Kore Contacts node's `methods.credentialTest.koreContactsApiTest` (its `testedBy`): Kore
	// answers several refusals with HTTP 401 and tells them apart only in its body, which a declarative test
	// cannot read.
}
