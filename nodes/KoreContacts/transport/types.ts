import type { FunctionsBase, IDataObject, IHttpRequestMethods, IHttpRequestOptions, RequestHelperFunctions } from 'n8n-workflow';

import type { CampaignEndpoint } from './campaign';

/**
 * What the client (and the lookup layer) use of n8n's node context: an execution's (`IExecuteFunctions`, the
 * Kore Contacts node), a poll's (`IPollFunctions`, the Kore Contacts Trigger) or the editor's look-ups
 * (`ILoadOptionsFunctions`, the pickers of a contact list or campaign).
 */
export type KoreContext = Pick<FunctionsBase, 'getCredentials' | 'getNode' | 'getExecutionId' | 'logger'> & {
	helpers: Pick<RequestHelperFunctions, 'httpRequestWithAuthentication'>;
	/** An execution's cancel signal; a poll has none. */
	getExecutionCancelSignal?(): AbortSignal | undefined;
};

/**
 * One request to a stream's Contacts API (`method` and `path`), or to its Campaign Management API (`campaign`:
 * the endpoint decides the method, path and headers, and the answer is the `data` of Kore's wrapper).
 */
export type KoreRequest = RequestBase &
	(
		| {
				method: IHttpRequestMethods;
				/** Path segments after `/contacts`; each is percent-encoded on its own. */
				path?: string[];
				campaign?: never;
		  }
		| { campaign: CampaignEndpoint }
	);

interface RequestBase {
	streamId: string;
	qs?: IDataObject;
	body?: IHttpRequestOptions['body'];
	/** The body's type when it is not JSON (e.g. a multipart upload). */
	contentType?: string;
	/** The contact the request is about, named in error hints. */
	contactId?: string;
	itemIndex?: number;
	/**
	 * Not stopped when this execution stops or is cancelled: the request serves other executions too
	 * (a scan shared by the lookup layer).
	 */
	detached?: boolean;
	/**
	 * Runs just before each attempt is sent, once its pacing slot is granted; when it throws, the attempt is
	 * not sent and the request fails with its message (e.g. the lock guarding a write may have lapsed).
	 */
	beforeSend?: () => Promise<void>;
}

/** How requests behave; the node's Options. */
export interface RequestSettings {
	/** Per-request timeout. */
	timeoutMs: number;
	/** Retries after a passing fault (5xx, reset, timeout) for requests that are safe to repeat. */
	maxRetries: number;
	/** The longest a request may wait, in total, after Kore said the rate limit was exceeded. */
	maxRateLimitWaitMs: number;
	/** First back-off after a passing fault; doubles with each retry (with jitter). */
	retryBaseMs: number;
}

export const DEFAULT_SETTINGS: RequestSettings = {
	timeoutMs: 60_000,
	maxRetries: 4,
	maxRateLimitWaitMs: 300_000,
	retryBaseMs: 1_000,
};

/** What the client tells its caller about how a request went, besides the answer. */
export interface RequestMeta {
	/** How many times the request was sent (rate-limited and never-sent attempts included). */
	attempts: number;
	/**
	 * True when an earlier attempt's answer was lost after the request may have reached Kore (a reset, a
	 * timeout, a 5xx): Kore may have applied it, so a later answer can reflect that attempt. Never set by
	 * a 429 (Kore refused it) or by a failure that proves nothing was sent (connection refused, DNS).
	 */
	maybeApplied: boolean;
	/** What lost the answer of that attempt, e.g. "HTTP 503" or "ECONNRESET". */
	maybeAppliedBy?: string;
}
