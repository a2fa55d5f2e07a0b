import { NodeOperationError, isObjectEmpty, sleep } from 'n8n-workflow';
import type { FunctionsBase, IAllExecuteFunctions, IDataObject, IHttpRequestMethods, IHttpRequestOptions, RequestHelperFunctions } from 'n8n-workflow';

import { KoreCredentialError, readCredentials } from './auth';
import type { KoreCredentials } from './auth';
import { CAMPAIGN_SCOPE, campaignAnswer, campaignTarget } from './campaign';
import type { CampaignEndpoint } from './campaign';
import {
	errorCode,
	formatMs,
	isRateLimitResponse,
	koreApiError,
	koreErrorText,
	koreNetworkError,
	koreRateLimitError,
} from './errors';
import { pacerFor } from './pacing';
import { sharedState } from '../queue';
import type { SharedState } from '../queue';
import type { Pacer, PacingSlot } from './pacing';

export const CREDENTIAL_TYPE = 'koreContactsApi';

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

/** Statuses that say "try again later" without saying the request was wrong. */
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
/** Network failures worth another try. */
const TRANSIENT_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
]);
/**
 * Failures that prove the request never reached Kore (no connection was made), so even a create may be
 * sent again. EHOSTUNREACH / ENETUNREACH are not among them: they can be raised on a socket that already
 * sent the request.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

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

const MAX_BACKOFF_MS = 30_000;
/**
 * The shortest wait between rate-limit retries, whatever Kore's Retry-After says (0, empty, a past date):
 * a second, or the account's pacing interval when that is longer.
 */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000;
/** How many times in a row a list read steps back to close a gap before it goes on regardless. */
const MAX_STEPS_BACK = 4;
/** How often (at most) a pacer's waits are logged. */
const WAIT_LOG_INTERVAL_MS = 10_000;

/**
 * Percent-encodes one path segment so that nothing in it can leave it: `/`, `?`, `#` and `%` are encoded
 * by encodeURIComponent; `.` and `..` would be collapsed by URL parsing (even as `%2E`), so they are refused.
 */
export function encodeSegment(value: string): string {
	if (value === '' || value === '.' || value === '..') {
		throw new Error(`"${value}" cannot be used as a path segment`);
	}
	return encodeURIComponent(value);
}

/** The path of a stream's contacts resource, with each segment encoded. */
export function contactsPath(streamId: string, path: string[] = []): string {
	return ['', 'agentassist', 'api', 'v1', 'public', encodeSegment(streamId), 'contacts', ...path.map(encodeSegment)].join('/');
}

/** Milliseconds asked for by a Retry-After header (seconds or an HTTP date), if any. */
export function retryAfterMs(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	const value = headers?.['retry-after'];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface Response {
	statusCode: number;
	body: unknown;
	headers?: IDataObject;
}

const lastWaitLog = new WeakMap<Pacer, number>();

/**
 * The one way this package talks to Kore. It alone knows the URLs, the authentication (through the
 * credential's `authenticate`, which signs a token per request), pacing to Kore's per-account rate
 * limit, retries, and Kore's error format.
 */
export class KoreClient {
	private credentials?: Promise<KoreCredentials>;

	private readonly halted = new AbortController();

	constructor(
		private readonly ctx: KoreContext,
		private readonly settings: RequestSettings = DEFAULT_SETTINGS,
	) {}

	/** How long one request may take (the node's Timeout option). */
	get timeoutMs(): number {
		return this.settings.timeoutMs;
	}

	/** The credential's checked fields (read once per execution). */
	async getCredentials(itemIndex?: number): Promise<KoreCredentials> {
		this.credentials ??= this.ctx.getCredentials(CREDENTIAL_TYPE).then((data) => readCredentials(data));
		try {
			return await this.credentials;
		} catch (error) {
			// A KoreCredentialError's message is written for the user; anything else (e.g. no credential
			// selected) keeps n8n's own message.
			throw error instanceof KoreCredentialError
				? new NodeOperationError(this.ctx.getNode(), error.message, { itemIndex })
				: new NodeOperationError(this.ctx.getNode(), error as Error, { itemIndex });
		}
	}

	/**
	 * The credential's Stream ID, the default for items whose node Stream ID is empty; '' when it has none or
	 * the credential cannot be read (its error is then reported by the first request, for that item).
	 */
	async defaultStreamId(): Promise<string> {
		try {
			return (await this.getCredentials()).streamId;
		} catch {
			return '';
		}
	}

	/**
	 * Stops the client: requests not yet sent (waiting for a pacing slot or a retry) fail instead of going
	 * out. Called when the node stops at an item's error, so nothing more is changed in Kore after it.
	 */
	halt(): void {
		this.halted.abort();
	}

	/**
	 * Sends one request (pacing, retrying, mapping errors) and returns Kore's answer. `meta` tells how many
	 * times it was sent and whether an earlier attempt may have been applied by Kore although its answer
	 * was lost (`maybeApplied`): only then may an answer to a repeat reflect what that attempt did.
	 */
	async request<T = unknown>(req: KoreRequest, meta: RequestMeta = { attempts: 0, maybeApplied: false }): Promise<T> {
		const credentials = await this.getCredentials(req.itemIndex);
		// Each credential registers its own limit with the account's pacer, which applies the lowest in use.
		const credentialId = this.ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
		const user = `${credentialId}\n${credentials.clientId}`;
		const pacer = pacerFor(credentials.host, credentials.accountId, credentials.requestsPerMinute, credentials.rateLimitWindowMs, user);
		const signal = req.detached ? new AbortController().signal : this.signal();
		const target = req.campaign
			? campaignTarget(req.campaign, req.streamId, credentials.accountId, encodeSegment)
			: // Sending it twice does no harm, except for a create (POST): one that may have reached Kore is not
				// sent again, or the contact could be created twice.
				{ method: req.method, url: contactsPath(req.streamId, req.path), qs: {}, headers: {}, repeatable: req.method !== 'POST' };
		const retrySafe = target.repeatable;
		const options: IHttpRequestOptions = {
			method: target.method,
			url: target.url,
			qs: req.campaign ? { ...target.qs, ...req.qs } : req.qs,
			// n8n sends no body for an empty object; Kore's pages send `{}` with these POSTs.
			body: req.campaign && target.method === 'POST' && (req.body === undefined || (typeof req.body === 'object' && isObjectEmpty(req.body))) ? '{}' : req.body,
			json: true,
			headers: { 'Content-Type': req.contentType ?? 'application/json', ...target.headers },
			timeout: this.settings.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		};
		const subject = req.campaign
			? { streamId: req.streamId, scope: CAMPAIGN_SCOPE, what: 'what' in target ? target.what : undefined }
			: { streamId: req.streamId, contactId: req.contactId };
		let attempts = 0;
		let retries = 0;
		let rateLimitRetries = 0;
		/** When Kore first answered that the rate limit was exceeded: waits are measured from it, in real time. */
		let rateLimitedSince: number | undefined;
		const shared = await this.shared();
		const account = `${credentials.host}\n${credentials.accountId}`;
		for (;;) {
			// A slot is held from its grant until a window after the answer: Kore counts the request somewhere between.
			const slot = await pacer.acquire(signal, user).catch(() => {
				throw this.notSent(req.itemIndex);
			});
			this.logWait(pacer, credentials, slot);
			let sharedDone: () => Promise<void>;
			try {
				// In n8n's queue mode the account's budget is shared by every worker as well.
				sharedDone = await shared.acquire(account, pacer.limit, pacer.windowMs, this.settings.timeoutMs, signal);
			} catch (error) {
				slot.done();
				if (signal.aborted) throw this.notSent(req.itemIndex);
				throw new NodeOperationError(this.ctx.getNode(), `Not sent: n8n's Redis did not answer (${(error as Error).message})`, {
					itemIndex: req.itemIndex,
				});
			}
			let response: Response | undefined;
			let failure: unknown;
			let refused: unknown;
			try {
				await req.beforeSend?.();
			} catch (error) {
				refused = error;
			}
			try {
				if (refused === undefined) {
					attempts++;
					meta.attempts = attempts;
					response = (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx as IAllExecuteFunctions, CREDENTIAL_TYPE, {
						...options,
						headers: { ...options.headers },
					})) as Response;
				}
			} catch (error) {
				failure = error;
			} finally {
				slot.done();
				await sharedDone();
			}
			if (refused !== undefined) {
				if (refused instanceof NodeOperationError) throw refused;
				throw new NodeOperationError(this.ctx.getNode(), `Not sent: ${(refused as Error).message}`, { itemIndex: req.itemIndex });
			}

			if (response && isRateLimitResponse(response.statusCode, response.body)) {
				// Bounded three ways: a floor on each wait (a Retry-After of 0, empty or in the past still waits),
				// the real time since the first rate-limit answer (queueing for a pacing slot included), and the
				// number of retries that time allows at the floor.
				const now = Date.now();
				rateLimitedSince ??= now;
				const floor = Math.max(MIN_RATE_LIMIT_WAIT_MS, Math.ceil(pacer.windowMs / pacer.limit));
				const asked = retryAfterMs(response.headers, now) ?? pacer.windowMs + Math.round(Math.random() * 1000);
				const delay = Math.max(floor, asked);
				const waited = now - rateLimitedSince;
				const maxRetries = Math.floor(this.settings.maxRateLimitWaitMs / MIN_RATE_LIMIT_WAIT_MS);
				if (waited + delay > this.settings.maxRateLimitWaitMs || rateLimitRetries >= maxRetries) {
					throw koreRateLimitError(this.ctx.getNode(), response.statusCode, response.body, waited, req.itemIndex);
				}
				rateLimitRetries++;
				pacer.pause(now + delay);
				await shared.pause(account, delay).catch(() => undefined);
				this.ctx.logger.info(
					`Kore Contacts: Kore answered that the rate limit was exceeded (HTTP ${response.statusCode}: ${koreErrorText(response.body) ?? 'no message'}); waiting ${formatMs(delay)} before retrying`,
				);
				continue;
			}
			if (response && response.statusCode >= 200 && response.statusCode < 300) {
				if (!req.campaign) return response.body as T;
				const answer = campaignAnswer(response.body);
				if (answer.ok) return answer.value as T;
				throw koreApiError(this.ctx.getNode(), response.statusCode, response.body, subject, req.itemIndex, attempts);
			}

			const code = failure === undefined ? undefined : errorCode(failure);
			const transient = response ? TRANSIENT_STATUS.has(response.statusCode) : code !== undefined && TRANSIENT_CODES.has(code);
			const neverSent = !response && code !== undefined && NEVER_SENT_CODES.has(code);
			const safe = retrySafe || neverSent;
			if (transient && safe && retries < this.settings.maxRetries && !signal.aborted) {
				retries++;
				if (!neverSent) {
					// The answer was lost after the request may have reached Kore: it may have been applied.
					meta.maybeApplied = true;
					meta.maybeAppliedBy ??= response ? `HTTP ${response.statusCode}` : code;
				}
				const delay = backoffMs(this.settings.retryBaseMs, retries);
				this.ctx.logger.info(
					`Kore Contacts: ${target.method} failed (${response ? `HTTP ${response.statusCode}` : code}); retry ${retries} of ${this.settings.maxRetries} in ${formatMs(delay)}`,
				);
				try {
					await sleep(delay, signal);
				} catch {
					throw this.notSent(req.itemIndex);
				}
				continue;
			}
			if (response) {
				// A create that failed with a 5xx may have been applied before Kore failed: it is not repeated,
				// and the error must not invite the user to send it again blindly.
				const notRepeated = !retrySafe && TRANSIENT_STATUS.has(response.statusCode);
				throw koreApiError(this.ctx.getNode(), response.statusCode, response.body, subject, req.itemIndex, attempts, notRepeated);
			}
			throw koreNetworkError(this.ctx.getNode(), code, credentials.host, req.itemIndex, attempts, !retrySafe && !neverSent);
		}
	}

	/**
	 * Lists a stream's contacts page by page (Kore's `skip`/`limit`), calling `onPage` with each page's
	 * contacts not listed before (and what `onSend` returned when that page's request was sent), until Kore
	 * says there are no more, `onPage` returns false, or — for a server that never says so — a page comes
	 * back empty or repeats the previous one.
	 *
	 * Kore pages by offset and may list only active contacts, so a contact deleted (by anyone) before the
	 * next offset while the list is read moves every later one back: the first of them would never be seen.
	 * A page is taken as following on from the last one when Kore's count (`totalResults`) did not drop in
	 * between, or when it meets a contact already taken; otherwise the read steps back by what was lost (and as
	 * much again) and reads from there, up to MAX_STEPS_BACK times in a row. Without a count, pages overlap by
	 * one contact, which must be there. Each contact is handed to `onPage` once, in Kore's order.
	 */
	async listContacts<S = undefined>(
		streamId: string,
		onPage: (contacts: IDataObject[], sent: S) => boolean | void,
		{ pageSize = 100, itemIndex, detached, onSend }: { pageSize?: number; itemIndex?: number; detached?: boolean; onSend?: () => Promise<S> } = {},
	): Promise<void> {
		/** Contacts of the pages taken: a page that may follow a gap must meet one of them. */
		const seen = new Set<string>();
		let skip = 0;
		let previousIds = '';
		/** Where the next page starts, and Kore's count, as the list stood when the last page was taken. */
		let end = 0;
		let takenCount: number | undefined;
		/** Kore's count in the latest answer. */
		let lastCount: number | undefined;
		/** Steps back in a row. */
		let steps = 0;
		for (;;) {
			let sent = undefined as S;
			const page = await this.request<IDataObject>({
				method: 'GET',
				streamId,
				qs: { skip, limit: pageSize },
				itemIndex,
				detached,
				beforeSend: onSend && (async () => void (sent = await onSend())),
			});
			const results = Array.isArray(page?.results) ? (page.results as IDataObject[]) : [];
			const ids = results.map((contact) => String(contact.id));
			const joined = ids.join('\n');
			// a server that ignores skip answers a step forward with the same page (a step back may, rightly)
			if (steps === 0 && ids.length > 0 && joined === previousIds) return;
			previousIds = joined;
			const count = typeof page?.totalResults === 'number' ? page.totalResults : undefined;
			const drop = count === undefined || lastCount === undefined ? 0 : lastCount - count;
			lastCount = count;
			// Counted pages do not overlap, so only a drop (or a step back) says this one must meet a contact read.
			const gap = skip > 0 && !ids.some((id) => seen.has(id)) && (count === undefined || steps > 0 || drop > 0);
			if (gap && steps < MAX_STEPS_BACK) {
				// Read again from before the contacts lost since the last page taken, plus as many again as were
				// lost during this request (they may go on being deleted); with no count, 3, 15, 63… further back.
				steps++;
				const back = count === undefined || takenCount === undefined ? 4 ** steps - 1 : Math.max(takenCount - count + Math.max(0, drop), 2 ** steps - 1);
				skip = Math.max(0, end - 1 - back);
				continue;
			}
			const fresh = results.filter((_, i) => !seen.has(ids[i]));
			for (const id of ids) seen.add(id);
			if (fresh.length > 0 && onPage(fresh, sent) === false) return;
			if (results.length === 0 || page.hasMore === false) return;
			steps = 0;
			end = skip + results.length;
			takenCount = count;
			skip = count === undefined ? end - 1 : end;
		}
	}

	/** State shared with the other n8n processes in queue mode (else a no-op). */
	async shared(): Promise<SharedState> {
		return await sharedState(this.ctx.logger);
	}

	/** This execution's stop signal: the node stopped at an error, or the execution was cancelled. */
	signal(): AbortSignal {
		const cancelled = this.ctx.getExecutionCancelSignal?.();
		return cancelled ? AbortSignal.any([cancelled, this.halted.signal]) : this.halted.signal;
	}

	/** Waits for `promise` (e.g. a scan shared with other executions) unless this execution stops first. */
	async abortable<T>(promise: Promise<T>, itemIndex?: number): Promise<T> {
		const signal = this.signal();
		if (signal.aborted) throw this.notSent(itemIndex);
		let onAbort!: () => void;
		const stopped = new Promise<never>((_, reject) => {
			onAbort = () => reject(this.notSent(itemIndex));
			signal.addEventListener('abort', onAbort, { once: true });
		});
		try {
			return await Promise.race([promise, stopped]);
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	}

	/** The error of a request dropped before it was sent (the run stopped, or was cancelled). */
	private notSent(itemIndex?: number): NodeOperationError {
		const why = this.halted.signal.aborted ? "the node stopped at an earlier item's error" : 'the execution was cancelled';
		return new NodeOperationError(this.ctx.getNode(), `Not sent: ${why}`, { itemIndex });
	}

	private logWait(pacer: Pacer, credentials: KoreCredentials, wait: PacingSlot): void {
		if (wait.waitedMs < 1000) return;
		const now = Date.now();
		if (now - (lastWaitLog.get(pacer) ?? 0) < WAIT_LOG_INTERVAL_MS) return;
		lastWaitLog.set(pacer, now);
		this.ctx.logger.info(
			`Kore Contacts: pacing requests to ${pacer.limit} per ${formatMs(credentials.rateLimitWindowMs)} for account ${credentials.accountId} at ${credentials.host} (Kore's rate limit); a request waited ${formatMs(wait.waitedMs)}, ${wait.queued} more waiting`,
		);
	}
}

/** Exponential back-off with jitter: base·2^(n-1), scaled by a random 50–100%, capped at 30 s. */
export function backoffMs(baseMs: number, retry: number): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (retry - 1));
	return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}
