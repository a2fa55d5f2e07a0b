/**
 * Shared helpers for the local Kore server tests (not a test file itself: jest only runs *.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { startKoreServer, demoSeed, type KoreServer, type ServerOptions } from '../../scripts/kore-server';

export { startKoreServer, demoSeed, type KoreServer };

export const RATE_LIMIT_MESSAGE =
	"You've exceeded the per-minute rate limit. Please wait for sometime before retrying.";

export const ACCOUNT = {
	accountId: '65f7d49a5dd06e2cefa00001',
	clientId: 'cs-test-app-0001',
	clientSecret: 'test-secret-0001-abcdefghijklmnopqrstuvwxyz',
	streams: ['st-test-0001'],
};
export const STREAM = 'st-test-0001';
export const BASE = `/agentassist/api/v1/public/${STREAM}/contacts`;

export interface TokenOptions {
	appId?: string;
	secret?: string;
	alg?: string;
	jti?: string | null;
	iat?: number;
	exp?: number | null;
}

/** An HS256 token like a Kore client signs it: appId = Client ID, fresh jti, 5-minute lifetime. */
export async function token(opts: TokenOptions = {}): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	const jwt = new SignJWT({ appId: opts.appId ?? ACCOUNT.clientId, sub: 'test' })
		.setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
		.setIssuedAt(opts.iat ?? now);
	if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now + 300);
	if (opts.jti !== null) jwt.setJti(opts.jti ?? randomUUID());
	return jwt.sign(new TextEncoder().encode(opts.secret ?? ACCOUNT.clientSecret));
}

export interface CallOptions {
	body?: unknown;
	rawBody?: string | FormData;
	headers?: Record<string, string>;
	token?: string | null;
	accountId?: string | null;
	query?: string;
	signal?: AbortSignal;
}

export interface CallResult {
	status: number;
	headers: Headers;
	json: any;
	text: string;
}

/** One request to the server with Kore's headers (auth JWT + accountId), JSON in and out. */
export async function call(server: KoreServer, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	const tok = opts.token === undefined ? await token() : opts.token;
	if (tok !== null) headers.auth = tok;
	const acct = opts.accountId === undefined ? ACCOUNT.accountId : opts.accountId;
	if (acct !== null) headers.accountId = acct;
	let body: string | FormData | undefined;
	if (opts.rawBody !== undefined) body = opts.rawBody;
	else if (opts.body !== undefined) {
		body = JSON.stringify(opts.body);
		headers['content-type'] ??= 'application/json';
	}
	const res = await fetch(`${server.url}${path}${opts.query ?? ''}`, { method, headers, body, signal: opts.signal });
	const text = await res.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, json, text };
}

/** A contact body as Kore's Create docs show it. */
export function contactInput(n: number, extra: Record<string, unknown> = {}) {
	return {
		firstName: `First${n}`,
		lastName: `Last${n}`,
		salutation: 'Mr',
		cellPhone: { phoneNumber: String(9000000000 + n), countryCode: '+91', extension: '+' },
		...extra,
	};
}

/** Seed contacts for `startKoreServer({ contacts })`. */
export function seedContacts(count: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
	return Array.from({ length: count }, (_, i) => ({ streamId: STREAM, ...contactInput(i), ...extra(i) }));
}

export function start(options: ServerOptions = {}): Promise<KoreServer> {
	return startKoreServer({ accounts: [ACCOUNT], ...options });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
