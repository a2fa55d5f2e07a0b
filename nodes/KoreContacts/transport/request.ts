import { isObjectEmpty } from 'n8n-workflow';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { CAMPAIGN_SCOPE, campaignTarget } from './campaign';
import { contactsPath } from './http';
import type { RequestSubject } from './errors';
import type { KoreRequest } from './types';

/**
 * What one KoreRequest becomes on the wire: n8n's HTTP options, whether sending it again is harmless, and what
 * an error about it names.
 */
export function wireRequest(req: KoreRequest, accountId: string, timeoutMs: number): { options: IHttpRequestOptions; retrySafe: boolean; subject: RequestSubject } {
	const target = req.campaign
		? campaignTarget(req.campaign, req.streamId, accountId)
		: // Sending it twice does no harm, except for a create (POST): one that may have reached Kore is not
			// sent again, or the contact could be created twice.
			{ method: req.method, url: contactsPath(req.streamId, req.path), qs: {}, headers: {}, repeatable: req.method !== 'POST' };
	const options: IHttpRequestOptions = {
		method: target.method,
		url: target.url,
		qs: req.campaign ? { ...target.qs, ...req.qs } : req.qs,
		// n8n sends no body for an empty object; Kore's pages send `{}` with these POSTs.
		body: req.campaign && target.method === 'POST' && (req.body === undefined || (typeof req.body === 'object' && isObjectEmpty(req.body))) ? '{}' : req.body,
		json: true,
		headers: { 'Content-Type': req.contentType ?? 'application/json', ...target.headers },
		timeout: timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const subject = req.campaign
		? { streamId: req.streamId, scope: CAMPAIGN_SCOPE, what: 'what' in target ? target.what : undefined }
		: { streamId: req.streamId, contactId: req.contactId };
	return { options, retrySafe: target.repeatable, subject };
}
