import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

/** Kore's documented rate-limit message (its status code is not documented). */
export const RATE_LIMIT_TEXT = /exceeded the per-minute rate limit/i;

const MAX_TEXT = 300;

function asText(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return undefined;
}

/**
 * Kore's own words from an error body. Kore's public APIs answer `{"errors":[{"msg","code"}]}` (one page
 * says `message` instead of `msg`); anything else — another JSON shape, an HTML proxy page, nothing —
 * is reduced to a short plain-text excerpt.
 */
export function koreErrorText(body: unknown): string | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const record = body as Record<string, unknown>;
		if (Array.isArray(record.errors)) {
			const texts = record.errors
				.map((entry) =>
					entry && typeof entry === 'object'
						? (asText((entry as JsonObject).msg) ?? asText((entry as JsonObject).message))
						: asText(entry),
				)
				.filter((text): text is string => text !== undefined);
			if (texts.length > 0) return texts.join('; ');
		}
		return asText(record.msg) ?? asText(record.message) ?? asText(record.error);
	}
	if (typeof body === 'string') {
		const plain = body
			.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
		if (plain === '') return undefined;
		return plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…` : plain;
	}
	return undefined;
}

/** True when a response is Kore's rate-limit answer, whatever its status. */
export function isRateLimitResponse(status: number, body: unknown): boolean {
	return status === 429 || RATE_LIMIT_TEXT.test(koreErrorText(body) ?? '');
}

/** What the request was about, for hints that name it. */
export interface RequestSubject {
	streamId: string;
	contactId?: string;
	/** The API scope the request needs, when it is not the Contacts API's "Configuration". */
	scope?: string;
	/** What the request is about when it is not a contact, e.g. 'contact list "cl-1"'. */
	what?: string;
}

function hintFor(status: number, subject: RequestSubject): string | undefined {
	if (status === 401 || status === 403) {
		return (
			'Kore did not accept the credentials for this request. Check in the credential that the Client ID and ' +
			'Client Secret are those of a JWT app, that the Account ID is right, and that the app is mapped to the ' +
			`"${subject.scope ?? 'Configuration'}" API scope; and check that Stream ID "${subject.streamId}" belongs to that account.`
		);
	}
	if (status === 404) {
		if (subject.what !== undefined) return `Kore did not find ${subject.what} in stream "${subject.streamId}". Check the ID and the Stream ID.`;
		return subject.contactId !== undefined
			? `No contact with ID "${subject.contactId}" exists in stream "${subject.streamId}", or it was already deleted.`
			: `Kore did not find this resource. Check Stream ID "${subject.streamId}", and the credential's Environment (or Custom URL).`;
	}
	if (status === 412 || status === 400) {
		return 'Kore rejected the values sent. Check the fields of this item (phone numbers must be digits only).';
	}
	if (status >= 500) {
		return 'Kore had a problem on its side. Try again later.';
	}
	return undefined;
}

/**
 * Builds the error for a Kore response that was not a success: the message is Kore's own words plus the
 * HTTP status, the description a plain hint. Only the status and Kore's body go into the error — never
 * the request, whose headers hold the signed token.
 */
export function koreApiError(
	node: INode,
	status: number,
	body: unknown,
	subject: RequestSubject,
	itemIndex?: number,
	attempts = 1,
	notRepeated = false,
): NodeApiError {
	const words = koreErrorText(body) ?? (body === undefined || body === '' ? 'No response body' : 'Unexpected response');
	const tries = attempts > 1 ? `, after ${attempts} attempts` : '';
	// A refusal for scope names the scope that is missing (the Contacts API's messages are kept as Kore words them).
	const scope = subject.scope && (status === 401 || status === 403) && /scope/i.test(words) ? `: the JWT app is not mapped to the "${subject.scope}" API scope` : '';
	return withMessage(
		new NodeApiError(node, { httpCode: String(status), message: words } as JsonObject, {
			description: notRepeated ? NOT_REPEATED_HINT : hintFor(status, subject),
			httpCode: String(status),
			itemIndex,
		}),
		`${words} (HTTP ${status}${tries})${scope}`,
	);
}

/**
 * Said of a request that creates something (contacts, a contact list, numbers in a list) or starts a campaign and
 * failed after it may have reached Kore (a 5xx, a lost connection): it was not repeated.
 */
const NOT_REPEATED_HINT =
	'This request creates something in Kore (contacts, a contact list, numbers in a list) or starts a campaign, and may have reached Kore before it failed, so it was not sent again (that could do it twice). Kore may have done it. Check in Kore whether they exist before running it again (after a start: whether the campaign runs).';

/** The error for a request Kore kept rate-limiting until the node's total wait was used up. */
export function koreRateLimitError(
	node: INode,
	status: number,
	body: unknown,
	waitedMs: number,
	itemIndex?: number,
): NodeApiError {
	const words = koreErrorText(body) ?? 'Rate limit exceeded';
	return withMessage(
		new NodeApiError(node, { httpCode: String(status), message: words } as JsonObject, {
			description:
				'Kore allows 60 requests per minute per account, shared by everything that uses the account. Raise "Rate Limit Wait (Seconds)" in the node\'s options, lower "Requests per Minute" in the credential, or run the workflow when the account is less busy.',
			httpCode: String(status),
			itemIndex,
		}),
		`Rate-limited by Kore: ${words} (HTTP ${status}). Gave up after waiting ${formatMs(waitedMs)} in total for the limit to reset.`,
	);
}

/**
 * NodeApiError swaps a message that mentions a system error code (ENOTFOUND, EPERM, …) for a generic
 * sentence; ours are written to be read as they are, so they are set after construction.
 */
function withMessage(error: NodeApiError, message: string): NodeApiError {
	error.message = message;
	return error;
}

const NETWORK_TEXT: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset before Kore answered',
	EPIPE: 'the connection was closed while sending',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ENOTFOUND: 'no server with this name was found',
	EAI_AGAIN: 'its name could not be looked up just now',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	CERT_HAS_EXPIRED: 'its TLS certificate has expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
};

/** What a network error code means, in words (an unknown code is named). */
export function networkText(code: string | undefined): string {
	if (code === undefined) return 'the request failed without an answer';
	return NETWORK_TEXT[code] ?? `the request failed without an answer (network error ${code})`;
}

/** Walks an error's `cause` chain for a Node.js/axios error code such as ECONNRESET. */
export function errorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * The error for a request that got no HTTP answer. Built afresh from the error code alone: the error n8n
 * hands back carries the request (and so the signed token) in its cause, and must not reach the output.
 */
export function koreNetworkError(
	node: INode,
	code: string | undefined,
	host: string,
	itemIndex?: number,
	attempts = 1,
	notRepeated = false,
): NodeApiError {
	const what = networkText(code);
	const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	const description = notRepeated
		? NOT_REPEATED_HINT
		: "Check the credential's Environment (or its Custom URL), and that this n8n can reach that address (no firewall or proxy in the way).";
	return withMessage(
		new NodeApiError(node, { message: what, networkErrorCode: code ?? 'UNKNOWN' } as JsonObject, {
			description,
			itemIndex,
		}),
		`Could not reach Kore at ${host}: ${what}${tries}`,
	);
}

/** A learned rate for people: whole requests, or one decimal below 10. */
export function formatRate(rate: number): string {
	return rate < 10 ? String(Math.round(rate * 10) / 10) : String(Math.round(rate));
}

/** A duration for people: "12.5 s", "4 min 3 s", "1 min". */
export function formatMs(ms: number): string {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const secondsPart = Math.round((ms % 60_000) / 1000);
	return `${Math.floor(ms / 60_000)} min${secondsPart ? ` ${secondsPart} s` : ''}`;
}
