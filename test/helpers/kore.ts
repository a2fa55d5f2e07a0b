/** Shared test data: a credential, Kore-shaped contacts and error bodies, and nock set-up. */
import nock from 'nock';
import { jwtVerify } from 'jose';
import type { IDataObject } from 'n8n-workflow';

export const HOST = 'https://kore.example.test';
export const SECRET = 'test-client-secret-0123456789-abcdefghij';
export const CREDENTIALS = {
	host: HOST,
	accountId: 'acc-0001',
	clientId: 'cs-test-client',
	clientSecret: SECRET,
	// Pacing is shared per host + account for the whole process: tests that are not about pacing must
	// not wait for each other.
	requestsPerMinute: 1_000_000,
};

export const BASE = '/agentassist/api/v1/public';

export function contact(id: string, overrides: IDataObject = {}): IDataObject {
	return {
		firstName: 'john',
		lastName: 'doe',
		fullName: 'john doe',
		salutation: 'mr',
		cellPhone: { extension: '+', phoneNumber: '+919876543210', countryCode: '+91' },
		status: 'ACTIVE',
		instanceBotId: 'st-1',
		accountId: CREDENTIALS.accountId,
		address: [],
		twitterDetails: [],
		createdAt: '2026-01-09T05:20:39.374Z',
		updatedAt: '2026-01-09T09:19:37.307Z',
		id,
		...overrides,
	};
}

export function koreError(msg: string, code = 0) {
	return { errors: [{ msg, code }] };
}

export const kore = () => nock(HOST);

/** A request as the fake Kore received it. */
export interface SeenRequest {
	method: string;
	/** The raw path, percent-encoding as sent, without the query. */
	path: string;
	query: URLSearchParams;
	headers: Record<string, string>;
	/** Parsed JSON, or the raw bytes for other content types. */
	body: unknown;
}

/**
 * Answers every request to the Kore host with `handler` and records it. nock 15 hands a reply function
 * the fetch Request that was made.
 */
export function fakeKore(handler: (request: SeenRequest) => [number, unknown?, Record<string, string>?]): SeenRequest[] {
	const seen: SeenRequest[] = [];
	const scope = kore().persist();
	for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
		scope.intercept(() => true, method).reply(async (request: unknown) => {
			const { url, headers } = request as Request;
			const raw = Buffer.from(await (request as Request).arrayBuffer());
			const target = new URL(url);
			const headerObject = Object.fromEntries(headers.entries());
			const isJson = /json/.test(headerObject['content-type'] ?? '') && raw.length > 0;
			const entry: SeenRequest = {
				method,
				path: url.slice(HOST.length).split('?')[0],
				query: target.searchParams,
				headers: headerObject,
				body: isJson ? JSON.parse(raw.toString('utf8')) : raw,
			};
			seen.push(entry);
			return handler(entry) as [number, nock.Body, Record<string, string>?];
		});
	}
	return seen;
}

/**
 * A Kore that refuses (429 with its rate-limit message, no Retry-After) every request past `limit` in a sliding
 * `windowMs`, counting only those it accepts, as the local server does; the others succeed. Returns when each
 * request arrived and how it was answered.
 */
export function rateLimitedKore(limit: number, windowMs: number): Array<{ at: number; status: number }> {
	const answered: Array<{ at: number; status: number }> = [];
	const accepted: number[] = [];
	fakeKore((request) => {
		const at = Date.now();
		while (accepted.length > 0 && accepted[0] <= at - windowMs) accepted.shift();
		const ok = accepted.length < limit;
		if (ok) accepted.push(at);
		answered.push({ at, status: ok ? 200 : 429 });
		return ok ? [200, contact(request.path.split('/').pop()!)] : [429, koreError(RATE_LIMIT_MESSAGE, 429)];
	});
	return answered;
}

export const RATE_LIMIT_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.";

/** A Get All page as Kore sends it. */
export function page(results: IDataObject[], skip: number, limit: number, total: number) {
	return { results, skip, limit, hasMore: skip + results.length < total, totalPages: Math.ceil(total / limit), totalResults: total };
}

/** Verifies a request's `auth` header the way Kore would, and returns its payload. */
export async function verifyAuth(token: string | string[] | undefined) {
	if (typeof token !== 'string') throw new Error('no auth header');
	const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
		algorithms: ['HS256'],
	});
	return { payload, protectedHeader };
}

// Nothing leaves the process while nock is on; it is switched off again after each test file, because
// jest runs several files in one worker and other suites talk to a real local server.
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});
