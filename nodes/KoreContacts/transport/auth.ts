import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/** The credential's fields, as the Kore Contacts API credential stores them. */
export interface KoreCredentials {
	host: string;
	accountId: string;
	clientId: string;
	clientSecret: string;
	/** Kore's per-account limit (60 per minute unless Kore agreed otherwise with the account). */
	requestsPerMinute: number;
	/** The limit's window: a minute, except against a local test server with a scaled clock. */
	rateLimitWindowMs: number;
	/** The credential's Stream ID (field `testStreamId`): used by the Test, and by the node when its own is empty. */
	streamId: string;
}

/** The `host` value that means "use the Custom URL field". */
export const CUSTOM_HOST = 'custom';

/**
 * Kore's regional environments, as the credential's Environment list offers them (value = the base URL).
 * Credentials saved before the list existed hold a URL in the same `host` field, so they keep working.
 */
export const KORE_ENVIRONMENTS: Array<{ name: string; value: string; description: string }> = [
	{ name: 'US', value: 'https://platform.kore.ai', description: 'Host platform.kore.ai' },
	{ name: 'US (Older Address)', value: 'https://bots.kore.ai', description: 'Host bots.kore.ai' },
	{ name: 'EU (London)', value: 'https://eu-platform.kore.ai', description: 'Host eu-platform.kore.ai' },
	{ name: 'EU (Frankfurt)', value: 'https://de-platform.kore.ai', description: 'Host de-platform.kore.ai' },
	{ name: 'Australia', value: 'https://au-platform.kore.ai', description: 'Host au-platform.kore.ai' },
	{ name: 'Japan', value: 'https://jp-platform.kore.ai', description: 'Host jp-platform.kore.ai' },
	{ name: 'India', value: 'https://ind-platform.kore.ai', description: 'Host ind-platform.kore.ai' },
	{ name: 'UAE', value: 'https://uae-platform.kore.ai', description: 'Host uae-platform.kore.ai' },
	{ name: 'SmartAssist', value: 'https://smartassist.kore.ai', description: 'Host smartassist.kore.ai, for older SmartAssist accounts' },
];

/** A problem with the credential itself; the message is safe to show (never holds the secret). */
export class KoreCredentialError extends Error {
	name = 'KoreCredentialError';
}

/** Kore rejects tokens that live longer than an hour with JTI enforcement; ours live 5 minutes. */
export const JWT_LIFETIME_SECONDS = 300;

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Turns what a user typed as the host into the base URL requests go to: surrounding spaces and trailing
 * slashes are dropped, a bare host name gets `https://`. Plain `http://` is refused unless the host is
 * this machine (a local test server), so a client secret-signed token never crosses a network in clear.
 * `field` is the credential field the messages name.
 */
export function normalizeHost(raw: unknown, field: 'Custom URL' | 'Environment' = 'Custom URL'): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') {
		throw new KoreCredentialError(
			field === 'Custom URL'
				? 'The Kore credential has no Custom URL. Enter the address you open Kore at, e.g. https://kore.example.com, or choose your region in Environment.'
				: 'The Kore credential has no Environment. Choose the region your Kore account is in, or Custom URL for a private install.',
		);
	}
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
	if (!URL.canParse(withScheme)) {
		throw new KoreCredentialError(`The Kore credential's ${field} "${text}" is not a web address. Use one like https://kore.example.com.`);
	}
	const url = new URL(withScheme);
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		throw new KoreCredentialError(
			`The Kore credential's ${field} uses plain http:// ("${text}"). Kore requires https:// — use https://${url.host}. (http:// is only accepted for localhost.)`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new KoreCredentialError(`The Kore credential's ${field} must start with https:// (it starts with ${url.protocol}//).`);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new KoreCredentialError(
			`The Kore credential's ${field} must be just the address of your Kore platform, e.g. https://kore.example.com, without a user name, a query (?…) or a #fragment.`,
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function requiredText(credentials: ICredentialDataDecryptedObject, field: string, label: string) {
	const value = credentials[field];
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (text === '') {
		throw new KoreCredentialError(`The Kore credential has no ${label}. Enter it in the credential.`);
	}
	return text;
}

/**
 * The base URL the credential names: the Environment chosen in `host`, or the Custom URL when `host` is
 * "custom". A credential saved before the Environment list existed holds its URL in `host` itself, which is
 * used as it is (so a private host keeps working).
 */
export function hostOf(credentials: ICredentialDataDecryptedObject): string {
	const chosen = typeof credentials.host === 'string' ? credentials.host.trim() : '';
	return chosen === CUSTOM_HOST ? normalizeHost(credentials.customHost, 'Custom URL') : normalizeHost(chosen, 'Environment');
}

/** Reads and checks the credential's fields; the host comes back normalised. */
export function readCredentials(credentials: ICredentialDataDecryptedObject): KoreCredentials {
	return {
		host: hostOf(credentials),
		accountId: requiredText(credentials, 'accountId', 'Account ID'),
		clientId: requiredText(credentials, 'clientId', 'Client ID'),
		clientSecret: requiredText(credentials, 'clientSecret', 'Client Secret'),
		requestsPerMinute: wholeNumber(credentials.requestsPerMinute, 60, 'Requests per Minute'),
		rateLimitWindowMs: wholeNumber(credentials.rateLimitWindowMs, 60_000, 'Rate Limit Window (Ms)'),
		streamId: typeof credentials.testStreamId === 'string' ? credentials.testStreamId.trim() : '',
	};
}

/**
 * A whole number of 1 or more; `fallback` when the field is not set. Anything else is refused: a
 * fractional limit would break the pacing arithmetic, and guessing another limit could exceed Kore's.
 */
function wholeNumber(value: unknown, fallback: number, label: string): number {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return fallback;
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof number === 'number' && Number.isInteger(number) && number >= 1) return number;
	throw new KoreCredentialError(
		`The Kore credential's "${label}" must be a whole number of 1 or more (got ${JSON.stringify(value)}). Fix it in the credential.`,
	);
}

const encoder = new TextEncoder();

/** A new HS256 token for one request: `appId` = client id, 5-minute lifetime, a unique `jti`. */
export async function signKoreJwt(clientId: string, clientSecret: string): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	return await new SignJWT({ appId: clientId })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setIssuedAt(now)
		.setExpirationTime(now + JWT_LIFETIME_SECONDS)
		.setJti(randomUUID())
		.sign(encoder.encode(clientSecret));
}

/**
 * The credential's `authenticate`: n8n calls it before every request made with this credential, so
 * every request carries a freshly signed token (never reused, so Kore's "Enforce JTI" replay check
 * passes) and the `accountId` header. A relative URL is resolved against the credential's host.
 */
export async function authenticateRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { host, accountId, clientId, clientSecret } = readCredentials(credentials);
	const auth = await signKoreJwt(clientId, clientSecret);
	const options: IHttpRequestOptions = {
		...requestOptions,
		headers: { ...requestOptions.headers, auth, accountId },
	};
	if (options.url.startsWith('/')) options.baseURL = host;
	return options;
}
