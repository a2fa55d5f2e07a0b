import type { IDataObject } from 'n8n-workflow';

const MAX_BACKOFF_MS = 30_000;

/** Statuses that say "try again later" without saying the request was wrong. */
export const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
/** Network failures worth another try. */
export const TRANSIENT_CODES = new Set([
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
export const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

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

/** Exponential back-off with jitter: base·2^(n-1), scaled by a random 50–100%, capped at 30 s. */
export function backoffMs(baseMs: number, retry: number): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (retry - 1));
	return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}
