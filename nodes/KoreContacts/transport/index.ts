import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IAllExecuteFunctions, IDataObject } from 'n8n-workflow';

import { KoreCredentialError, readCredentials } from './auth';
import type { KoreCredentials } from './auth';
import { campaignAnswer } from './campaign';
import { errorCode, formatMs, isRateLimitResponse, koreApiError, koreErrorText, koreNetworkError, koreRateLimitError } from './errors';
import { NEVER_SENT_CODES, TRANSIENT_CODES, TRANSIENT_STATUS, backoffMs, retryAfterMs } from './http';
import { listPages } from './list';
import { wireRequest } from './request';
import { DEFAULT_SETTINGS } from './types';
import type { KoreContext, KoreRequest, RequestMeta, RequestSettings } from './types';
import { logLearnedRate, logPacingWait, pacerFor } from './pacing';
import { sharedState } from '../queue';
import type { SharedState } from '../queue';
import type { SharedRate } from '../queue/types';
import type { LearningStep, Pacer } from './pacing';

export const CREDENTIAL_TYPE = 'koreContactsApi';

export { backoffMs, contactsPath, encodeSegment, retryAfterMs } from './http';
export { DEFAULT_SETTINGS } from './types';
export type { KoreContext, KoreRequest, RequestMeta, RequestSettings } from './types';

/**
 * The shortest wait between rate-limit retries, whatever Kore's Retry-After says (0, empty, a past date):
 * a second of Kore's minute (a local test server's scaled window scales it), or the account's pacing interval
 * when that is longer.
 */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000;

interface Response {
	statusCode: number;
	body: unknown;
	headers?: IDataObject;
}

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

	/** The account (its key) and its pacer; each credential registers its own limit with it, the lowest in use applies. */
	private pacer(credentials: KoreCredentials): { pacer: Pacer; user: string; account: string } {
		const user = `${this.ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? ''}\n${credentials.clientId}`;
		const pacer = pacerFor(credentials.host, credentials.accountId, credentials.requestsPerMinute, credentials.rateLimitWindowMs, user);
		return { pacer, user, account: `${credentials.host}\n${credentials.accountId}` };
	}

	/**
	 * How many requests per window the account is paced to: the credential's limit, or the rate learned from
	 * Kore's refusals when that is lower (in n8n's queue mode, as n8n's Redis holds it for every worker).
	 */
	async pacedLimit(): Promise<{ limit: number; learned: boolean }> {
		const credentials = await this.getCredentials();
		const { pacer, account } = this.pacer(credentials);
		const shared = await this.shared();
		// a step that changes nothing only reads what Redis holds
		const inRedis = shared.queueMode ? await shared.learn(account, pacer.windowMs, (state) => ({ state })).catch(() => undefined) : undefined;
		const learned = inRedis ? inRedis.state : pacer.learnedRate();
		const limit = Math.min(credentials.requestsPerMinute, pacer.limit);
		return learned && learned.rate < limit ? { limit: learned.rate, learned: true } : { limit, learned: false };
	}

	/**
	 * Sends one request (pacing, retrying, mapping errors) and returns Kore's answer. `meta` tells how many
	 * times it was sent and whether an earlier attempt may have been applied by Kore although its answer
	 * was lost (`maybeApplied`): only then may an answer to a repeat reflect what that attempt did.
	 */
	async request<T = unknown>(req: KoreRequest, meta: RequestMeta = { attempts: 0, maybeApplied: false }): Promise<T> {
		const credentials = await this.getCredentials(req.itemIndex);
		const { pacer, user, account } = this.pacer(credentials);
		const signal = req.detached ? new AbortController().signal : this.signal();
		const { options, retrySafe, subject } = wireRequest(req, credentials.accountId, this.settings.timeoutMs);
		let attempts = 0;
		let retries = 0;
		let rateLimitRetries = 0;
		/** When Kore first answered that the rate limit was exceeded: waits are measured from it, in real time. */
		let rateLimitedSince: number | undefined;
		const shared = await this.shared();
		const minWaitMs = (MIN_RATE_LIMIT_WAIT_MS * credentials.rateLimitWindowMs) / 60_000;
		for (;;) {
			// A slot is held from its grant until a window after the answer: Kore counts the request somewhere between.
			const slot = await pacer.acquire(signal, user).catch(() => {
				throw this.notSent(req.itemIndex);
			});
			logPacingWait(this.ctx.logger, pacer, credentials, slot);
			let sharedDone: (accepted?: boolean) => Promise<SharedRate | undefined>;
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
			const sentAt = Date.now();
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
			}
			const rateLimited = response !== undefined && isRateLimitResponse(response.statusCode, response.body);
			// whether Kore let the request through its limit: unknown without an answer
			const accepted = response === undefined ? undefined : !rateLimited;
			slot.done(accepted);
			const known = await sharedDone(accepted);
			if (refused !== undefined) {
				if (refused instanceof NodeOperationError) throw refused;
				throw new NodeOperationError(this.ctx.getNode(), `Not sent: ${(refused as Error).message}`, { itemIndex: req.itemIndex });
			}
			const retryAfter = rateLimited ? retryAfterMs(response!.headers) : undefined;
			// a refusal with a Retry-After says when to send again: there is nothing to learn from it
			if (accepted || (rateLimited && retryAfter === undefined)) {
				const inRedis = shared.queueMode ? (step: LearningStep) => shared.learn(account, pacer.windowMs, step, known) : undefined;
				logLearnedRate(this.ctx.logger, pacer, credentials, await pacer.answered(rateLimited, sentAt, inRedis));
			}

			if (response && rateLimited) {
				// Bounded three ways: a floor on each wait (a Retry-After of 0, empty or in the past still waits),
				// the real time since the first rate-limit answer (queueing for a pacing slot included), and the
				// number of retries that time allows at the floor. Without a Retry-After (Kore sends none), the
				// account waits at the rate learned from the refusals.
				const now = Date.now();
				rateLimitedSince ??= now;
				const floor = Math.max(minWaitMs, Math.ceil(pacer.windowMs / pacer.limit));
				const delay = Math.max(floor, retryAfter ?? pacer.refusalWaitMs(now));
				const waited = now - rateLimitedSince;
				const maxRetries = Math.floor(this.settings.maxRateLimitWaitMs / minWaitMs);
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
					`Kore Contacts: ${options.method} failed (${response ? `HTTP ${response.statusCode}` : code}); retry ${retries} of ${this.settings.maxRetries} in ${formatMs(delay)}`,
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
		options: { pageSize?: number; itemIndex?: number; detached?: boolean; onSend?: () => Promise<S> } = {},
	): Promise<void> {
		await listPages(this, streamId, onPage, options);
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
}
