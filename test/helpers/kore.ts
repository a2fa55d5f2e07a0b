/**
 * The fake Kore of the tests: the local Kore server (scripts/kore-server) running in this jest process, a new one
 * for each test (this module registers the hooks that start and close it). Kore's rules (paging, INACTIVE
 * contacts, one ACTIVE contact per number) live in one place, its store; CREDENTIALS point at it. A test either gets a stream that those
 * rules apply to (`fakeStream`, fake-stream.ts) or scripts every answer itself (`scriptedKore`); both start from
 * an empty server. Network failures no server can give come from network.ts.
 */
import { jwtVerify } from 'jose';
import type { IDataObject } from 'n8n-workflow';

import { startKoreServer } from '../../scripts/kore-server';
import type { FaultAction, HookedRequest, KoreServer } from '../../scripts/kore-server';

export const SECRET = 'test-client-secret-0123456789-abcdefghij';
export const CREDENTIALS = {
	/** The fake Kore's URL: set before each test, as that test's server listens (so read it inside a test). */
	host: '',
	accountId: 'acc-0001',
	clientId: 'cs-test-client',
	clientSecret: SECRET,
	// Pacing is shared per host + account for the whole process: tests that are not about pacing must
	// not wait for each other.
	requestsPerMinute: 1_000_000,
};

export const BASE = '/agentassist/api/v1/public';

let server: KoreServer | undefined;
/** Contacts Kore creates get the ids new0, new1, … (counted from each fresh start), so a test can name them. */
let created = 0;

// One server per test: a request a test left running (a timed-out test's) cannot reach the next test's Kore.
beforeEach(async () => {
	created = 0;
	server = await startKoreServer({
		accounts: [{ accountId: CREDENTIALS.accountId, clientId: CREDENTIALS.clientId, clientSecret: SECRET }],
		// Kore's limit is the node's to keep: the tests count the requests it sends instead
		rateLimit: { limit: 0 },
		newId: () => `new${created++}`,
	});
	CREDENTIALS.host = server.url;
});
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** This test's fake Kore, back to its start: no contacts, no hooks, an empty log, Kore's default options. */
export function freshKore(): KoreServer {
	if (!server) throw new Error('The fake Kore runs during a test: call this inside one');
	server.reset();
	created = 0;
	return server;
}

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

export function seenRequest(request: HookedRequest): SeenRequest {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return { method: request.method, path: request.path, query: new URLSearchParams(request.query), headers, body: request.body };
}

/**
 * A scripted answer: status, body (a string is sent as text) and headers; or what the server can do instead of
 * answering ('reset': the connection drops, ECONNRESET; 'hang': no answer).
 */
export type ScriptedAnswer = [number, unknown?, Record<string, string>?] | FaultAction;

/**
 * Kore answering every request with `handler`, for answers no rule of Kore's gives (a 5xx, a refused batch in
 * other words, a page that ignores skip): nothing reaches the store. Returns the requests, in arrival order.
 */
export function scriptedKore(handler: (request: SeenRequest) => ScriptedAnswer | Promise<ScriptedAnswer>): SeenRequest[] {
	const seen: SeenRequest[] = [];
	freshKore().intercept(async (hooked) => {
		const request = seenRequest(hooked);
		seen.push(request);
		const answer = await handler(request);
		if (!Array.isArray(answer)) return answer;
		const [status, body, headers] = answer;
		return { status, body: body ?? '', headers };
	});
	return seen;
}

/** A handler giving `answers` in turn, the last one from then on. */
export function inTurn(...answers: ScriptedAnswer[]): () => ScriptedAnswer {
	let next = 0;
	return () => answers[Math.min(next++, answers.length - 1)];
}

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

/** Verifies a request's `auth` header the way Kore would, and returns its payload. */
export async function verifyAuth(token: string | string[] | undefined) {
	if (typeof token !== 'string') throw new Error('no auth header');
	const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
		algorithms: ['HS256'],
	});
	return { payload, protectedHeader };
}
