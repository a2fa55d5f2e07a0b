import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { encodeSegment as encode } from './http';

/**
 * Kore's Campaign Management API (contact lists and campaigns): where each endpoint lives, what it needs
 * besides the credential's `auth` and `accountId` headers, and how its answers are wrapped. Only the
 * transport reads this; operations name an endpoint and get its `data` back.
 *
 * Kore's pages (ai-for-service/apis/contact-center/*-v2.mdx) put these calls under three different bases, send
 * the stream as the `iid` header as well as in the path, and repeat the account as `?accountId=` on v2 paths.
 */

/** The API scope a JWT app needs for these endpoints (the Contacts API needs "Configuration"). */
export const CAMPAIGN_SCOPE = 'Campaign Management';

export type CampaignType = 'voice' | 'sms';

/** One Campaign Management endpoint, with what goes into its path and query. */
export type CampaignEndpoint =
	| { name: 'listContactLists' | 'createContactList' | 'addMembers' | 'listCampaigns' }
	| { name: 'getContactList' | 'updateContactList' | 'deleteContactList'; contactListId: string }
	| { name: 'listMembers'; contactListId: string; skip: number; limit: number }
	| { name: 'getCampaign' | 'campaignStatus' | 'campaignOutcomes'; campaignId: string }
	| { name: 'triggerCampaign'; campaignId: string; type: CampaignType; trigger: 'play' | 'stop' };

/** Where and how one endpoint is called. */
export interface CampaignTarget {
	method: IHttpRequestMethods;
	/** The path, each variable segment percent-encoded. */
	url: string;
	qs: IDataObject;
	headers: IDataObject;
	/** Whether sending it again after a lost answer does no harm (reads, updates, deletes, stop). */
	repeatable: boolean;
	/** What the request is about, for error hints (e.g. 'contact list "cl-1"'). */
	what?: string;
}

/** The target of `endpoint` for stream `streamId`; each ID is percent-encoded as one path segment. */
export function campaignTarget(endpoint: CampaignEndpoint, streamId: string, accountId: string): CampaignTarget {
	const stream = encode(streamId);
	const v2 = (...segments: string[]) => ['', 'campaign', 'api', 'v2', 'public', stream, 'campaign', ...segments].join('/');
	const headers = { iid: streamId };
	const account = { accountId };
	const list = (id: string) => `contact list "${id}"`;
	const campaign = (id: string) => `campaign "${id}"`;
	switch (endpoint.name) {
		case 'listContactLists':
			return { method: 'POST', url: v2('contactList', 'getAllListDetails'), qs: { ...account, type: 'call' }, headers, repeatable: true };
		case 'createContactList':
			return { method: 'POST', url: v2('contactList', 'createContactList'), qs: account, headers, repeatable: false };
		case 'getContactList':
		case 'updateContactList':
		case 'deleteContactList': {
			const method = ({ getContactList: 'GET', updateContactList: 'PUT', deleteContactList: 'DELETE' } as const)[endpoint.name];
			const url = v2('contactList', encode(endpoint.contactListId));
			return { method, url, qs: account, headers, repeatable: true, what: list(endpoint.contactListId) };
		}
		case 'listMembers': {
			const url = v2('contactList', encode(endpoint.contactListId), 'getAllContacts');
			// Kore's page shows skip and limit in the answer only; the node sends them as the Contacts API takes them.
			const qs = { ...account, skip: endpoint.skip, limit: endpoint.limit };
			return { method: 'GET', url, qs, headers, repeatable: true, what: list(endpoint.contactListId) };
		}
		case 'addMembers':
			// The only documented add call is v1, under /api/1.1, with no accountId in its query.
			return {
				method: 'POST',
				url: ['', 'api', '1.1', 'public', stream, 'campaign', 'contactList', 'addContacts'].join('/'),
				qs: {},
				headers,
				repeatable: false,
			};
		case 'listCampaigns':
			return { method: 'POST', url: v2('getAllCampaignDetails'), qs: account, headers, repeatable: true };
		case 'getCampaign':
			return { method: 'GET', url: v2(encode(endpoint.campaignId)), qs: account, headers, repeatable: true, what: campaign(endpoint.campaignId) };
		case 'campaignStatus':
		case 'campaignOutcomes': {
			const view = endpoint.name === 'campaignStatus' ? 'status' : 'contacts';
			const url = v2(encode(endpoint.campaignId), 'status');
			return { method: 'POST', url, qs: { ...account, view }, headers, repeatable: true, what: campaign(endpoint.campaignId) };
		}
		case 'triggerCampaign': {
			const { campaignId, type, trigger } = endpoint;
			// Voice campaigns are started and stopped under /api/v2 (no /campaign prefix); SMS campaigns on their own path.
			const url =
				type === 'voice'
					? ['', 'api', 'v2', 'public', stream, 'campaign', 'trigger', encode(campaignId)].join('/')
					: v2(encode(campaignId));
			const qs = { ...account, campaignType: type, trigger };
			// Stopping twice does no harm; starting twice might start a second run.
			return { method: 'POST', url, qs, headers, repeatable: trigger === 'stop', what: campaign(campaignId) };
		}
	}
}

/** Kore's words for a failed call, in the `status` of an answer sent with HTTP 2xx. */
const FAILED = /^(failure|failed|error)$/i;

/**
 * Reads a Campaign API answer: most are `{ status: "success", message, data }` (the value is `data`), start and
 * stop answer the campaign's own `{ status: "Active", message, … }`, the add call `{ message }` (the value is
 * the whole answer). An answer whose `status` says it failed is not a success, whatever its HTTP status.
 */
export function campaignAnswer(body: unknown): { ok: true; value: unknown } | { ok: false } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: true, value: body };
	const { status } = body as IDataObject;
	if (typeof status === 'string' && FAILED.test(status.trim())) return { ok: false };
	if (typeof status === 'string' && /^success$/i.test(status.trim()) && 'data' in body) return { ok: true, value: (body as IDataObject).data };
	return { ok: true, value: body };
}
