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
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 60,
			description:
				'Kore allows 60 requests per minute per account on the Contacts APIs. Every Kore Contacts node in this n8n that uses this account waits for a free slot instead of being refused. Lower it if other systems use the same account. Whole numbers only; when several credentials name the same account, the lowest of their limits applies to all of them.',
		},
		{
			// Kore's window is a minute. Only a local test server with a scaled clock sets another one.
			displayName: 'Rate Limit Window (Ms)',
			name: 'rateLimitWindowMs',
			type: 'hidden',
			default: 60000,
		},
		{
			displayName: 'Stream ID for Connection Test',
			name: 'testStreamId',
			type: 'string',
			default: '',
			placeholder: 'e.g. st-7dc994f0-4436-5134-9fa8-a942625a1b2c',
			description:
				'Optional, used only by the Test button: a stream (bot) ID of this account. The Test reads one contact from it, which proves the Host, Account ID, Client ID, Client Secret and API scope together. Kore cannot confirm them without a stream.',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(credentials, requestOptions);

	/**
	 * The Test reads one contact of the stream named below. Only a 2xx answer counts as success, and that
	 * proves everything at once: host, JWT app (Client ID and Secret), Account ID, API scope and stream.
	 * Kore ties every Contacts endpoint to a stream, so without one it cannot confirm the credentials;
	 * the messages below say so instead of reporting a success that was not proven.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.host).trim().replace(/\\/+$/, "") }}',
			url: '={{ "/agentassist/api/v1/public/" + encodeURIComponent(String($credentials.testStreamId || "").trim() || "no-stream-id-entered") + "/contacts" }}',
			qs: { skip: 0, limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Kore answered at this Host but did not accept the request (HTTP 401). If "Stream ID for Connection Test" is empty, Kore cannot confirm the Client ID, Client Secret and Account ID: enter one of your stream IDs (st-…) to test them. Otherwise check the Client ID and Client Secret of the JWT app, the Account ID, that the app is mapped to the "Configuration" API scope, and that the stream belongs to this account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Kore answered at this Host but refused access (HTTP 403): check that the JWT app is mapped to the "Configuration" API scope and that the stream belongs to this account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The Host answered "not found" (HTTP 404) for the Contacts API: check that the Host is your Kore platform URL (e.g. https://platform.kore.ai) and, if entered, the Stream ID for the test. Nothing else could be checked.',
				},
			},
		],
	};
}
