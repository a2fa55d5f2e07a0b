/**
 * KoreClient's retry and rate-limit behaviour against a scripted Kore, on jest's fake clock: no test
 * sleeps for real. (The client inside n8n's real engine is covered by index.test.ts and the operations.)
 */
import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { DEFAULT_SETTINGS, KoreClient } from '../../../../nodes/KoreContacts/transport';
import type { RequestSettings } from '../../../../nodes/KoreContacts/transport';

const RATE_LIMIT_MESSAGE = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.";

type Answer =
	| { statusCode: number; body?: unknown; headers?: Record<string, string> }
	| { error: string }
	| ((options: IHttpRequestOptions) => Promise<never>);

let accountCounter = 0;

/** A context whose HTTP helper answers from `answers` in order (the last one repeats). */
function scriptedContext(answers: Answer[], credentialOverrides: Record<string, unknown> = {}) {
	const calls: Array<{ at: number; options: IHttpRequestOptions }> = [];
	const logs: string[] = [];
	const node = { name: 'Kore Contacts', type: 'n8n-nodes-kore-contacts.koreContacts' } as INode;
	const ctx = {
		getNode: () => node,
		getExecutionCancelSignal: () => undefined,
		getCredentials: async () => ({
			host: 'https://kore.example.test',
			accountId: `acc-client-${++accountCounter}`,
			clientId: 'cs-1',
			clientSecret: 'secret',
			requestsPerMinute: 1000,
			...credentialOverrides,
		}),
		logger: { info: (message: string) => logs.push(message), debug() {}, warn() {}, error() {} },
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				calls.push({ at: Date.now(), options });
				const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
				if (typeof answer === 'function') return await answer(options);
				if ('error' in answer) throw Object.assign(new Error(answer.error), { code: answer.error });
				return { body: {}, headers: {}, ...answer };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, calls, logs };
}

function client(ctx: IExecuteFunctions, settings: Partial<RequestSettings> = {}) {
	return new KoreClient(ctx, { ...DEFAULT_SETTINGS, ...settings });
}

/** Runs a request to completion on the fake clock; returns its result or error and the elapsed fake time. */
async function settle<T>(promise: Promise<T>) {
	const start = Date.now();
	const outcome = promise.then(
		(value) => ({ value, error: undefined as unknown as Error, elapsed: Date.now() - start }),
		(error: Error) => ({ value: undefined, error, elapsed: Date.now() - start }),
	);
	await jest.advanceTimersByTimeAsync(60 * 60 * 1000);
	return await outcome;
}

beforeEach(() => {
	jest.useFakeTimers({ now: 5_000_000 });
	jest.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
	jest.useRealTimers();
	jest.restoreAllMocks();
});

const DELETE = { method: 'DELETE' as const, streamId: 'st-1', path: ['c1'], contactId: 'c1' };
const CREATE = { method: 'POST' as const, streamId: 'st-1', body: [{ firstName: 'a' }] };

describe('rate limit answers', () => {
	test('429 with Retry-After: waits exactly that long, then sends the same request again', async () => {
		const { ctx, calls, logs } = scriptedContext([
			{ statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': '7' } },
			{ statusCode: 200, body: { id: 'c1' } },
		]);
		const { value, elapsed } = await settle(client(ctx).request(DELETE));
		expect(value).toEqual({ id: 'c1' });
		expect(calls).toHaveLength(2);
		expect(calls[1].at - calls[0].at).toBe(7000);
		expect(calls[1].options.url).toBe(calls[0].options.url);
		expect(elapsed).toBe(7000);
		expect(logs.join('\n')).toMatch(/rate limit was exceeded \(HTTP 429.*waiting 7\.0 s/);
	});

	test('429 without Retry-After: waits at the rate learned from the refusal, not a whole window, and logs what it learned', async () => {
		// Kore accepts 5, then refuses one: it probes at three times that count per window until Kore accepts again
		const ok = { statusCode: 200, body: { id: 'c1' } };
		const { ctx, calls, logs } = scriptedContext([ok, ok, ok, ok, ok, { statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] } }, ok], {
			requestsPerMinute: 600,
		});
		const shared = client(ctx);
		await settle(Promise.all([1, 2, 3, 4, 5].map(() => shared.request(DELETE))).then(() => shared.request(DELETE)));
		expect(calls).toHaveLength(7);
		// a window with its 2 % margin, over 3 × 5
		expect(calls[6].at - calls[5].at).toBe(4080);
		expect(logs).toContainEqual(
			expect.stringMatching(
				/^Kore Contacts: learned rate for account acc-client-\d+ at https:\/\/kore\.example\.test: 600 → 4\.3 requests per 1 min \(Kore refused a request after accepting 5 in the last window\); the credential allows 600$/,
			),
		);
	});

	test('a 429 with Retry-After teaches no rate: Kore said when, and the account goes on at the credential\'s limit', async () => {
		const ok = { statusCode: 200, body: { id: 'c1' } };
		const { ctx, calls, logs } = scriptedContext([ok, { statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': '2' } }, ok]);
		const shared = client(ctx);
		await settle(shared.request(DELETE).then(() => Promise.all([shared.request(DELETE), shared.request(DELETE)])));
		expect(calls.map((call) => call.at - calls[0].at)).toEqual([0, 0, 0, 2000]);
		expect(logs.filter((line) => /learned rate/.test(line))).toEqual([]);
	});

	test.each([200, 400])('Kore\'s rate-limit message with status %i is treated as a rate limit too', async (status) => {
		const { ctx, calls } = scriptedContext([
			{ statusCode: status, body: { errors: [{ message: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': '2' } },
			{ statusCode: 200, body: { id: 'c1' } },
		]);
		const { value } = await settle(client(ctx).request(DELETE));
		expect(value).toEqual({ id: 'c1' });
		expect(calls).toHaveLength(2);
	});

	test('gives up when the total wait would pass Max Rate-Limit Wait, saying how long it waited', async () => {
		const { ctx, calls } = scriptedContext([
			{ statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': '40' } },
		]);
		const { error, elapsed } = await settle(client(ctx, { maxRateLimitWaitMs: 100_000 }).request(DELETE));
		expect(calls).toHaveLength(3); // waited 40 s twice; a third wait would pass 100 s
		expect(elapsed).toBe(80_000);
		expect(error.message).toBe(
			`Rate-limited by Kore: ${RATE_LIMIT_MESSAGE} (HTTP 429). Gave up after waiting 1 min 20 s in total for the limit to reset.`,
		);
	});

	test.each([
		['0', '0'],
		['empty', ''],
		['a date in the past', 'Thu, 01 Jan 1970 00:00:01 GMT'] // the fake clock stands at 1970-01-01T01:23:20Z,
	])('Retry-After %s still counts: the loop ends at Max Rate-Limit Wait, with at least 1 s between tries', async (_, header) => {
		// 40 rate-limit answers, then a success: a loop that does not count these waits would reach it.
		const answers: Answer[] = [
			...Array.from({ length: 40 }, () => ({ statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': header } })),
			{ statusCode: 200, body: { id: 'c1' } },
		];
		const { ctx, calls } = scriptedContext(answers);
		const { error, elapsed } = await settle(client(ctx, { maxRateLimitWaitMs: 5_000 }).request(DELETE));
		expect(error?.message).toMatch(/^Rate-limited by Kore: .*Gave up after waiting/);
		expect(calls.length).toBeGreaterThanOrEqual(1);
		expect(calls.length).toBeLessThanOrEqual(6);
		const gaps = calls.slice(1).map((call, i) => call.at - calls[i].at);
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
		expect(elapsed).toBeLessThanOrEqual(5_000);
	});

	test('time spent queued for a pacing slot between rate-limit retries counts against Max Rate-Limit Wait', async () => {
		// Kore answers 429 with Retry-After 1 while the account's pacing lets one request through per 3 s:
		// each retry really waits 3 s, which must be counted, not the 1 s Kore asked for.
		const answers: Answer[] = [
			...Array.from({ length: 40 }, () => ({ statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': '1' } })),
			{ statusCode: 200, body: { id: 'c1' } },
		];
		const { ctx, calls } = scriptedContext(answers, { requestsPerMinute: 1, rateLimitWindowMs: 3000 });
		const { error, elapsed } = await settle(client(ctx, { maxRateLimitWaitMs: 10_000 }).request(DELETE));
		expect(error?.message).toMatch(/^Rate-limited by Kore: /);
		expect(calls.length).toBeLessThanOrEqual(5);
		expect(elapsed).toBeLessThanOrEqual(10_000);
	});

	test('a create (POST) that was rate-limited is sent again: Kore did not take it', async () => {
		const { ctx, calls } = scriptedContext([
			{ statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': '1' } },
			{ statusCode: 200, body: [{ id: 'new' }] },
		]);
		const { value } = await settle(client(ctx).request(CREATE));
		expect(value).toEqual([{ id: 'new' }]);
		expect(calls).toHaveLength(2);
	});

	test('a rate limit holds back the other requests of the same account too', async () => {
		const answers: Answer[] = [
			{ statusCode: 429, body: { errors: [{ msg: RATE_LIMIT_MESSAGE }] }, headers: { 'retry-after': '5' } },
			{ statusCode: 200, body: {} },
		];
		const { ctx, calls } = scriptedContext(answers);
		const shared = client(ctx);
		const first = shared.request(DELETE);
		await jest.advanceTimersByTimeAsync(1);
		const second = shared.request({ ...DELETE, path: ['c2'] });
		await settle(Promise.all([first, second]));
		expect(calls.map((call) => call.at - calls[0].at)).toEqual([0, 5000, 5000]);
	});
});

describe('passing faults', () => {
	test('three 503s then success: retried with growing back-off, nothing lost', async () => {
		const { ctx, calls, logs } = scriptedContext([
			{ statusCode: 503 },
			{ statusCode: 503 },
			{ statusCode: 503 },
			{ statusCode: 200, body: { id: 'c1' } },
		]);
		const { value } = await settle(client(ctx).request(DELETE));
		expect(value).toEqual({ id: 'c1' });
		const gaps = calls.slice(1).map((call, i) => call.at - calls[i].at);
		expect(gaps).toEqual([750, 1500, 3000]); // 1 s, 2 s, 4 s scaled by the 75% jitter
		expect(logs.filter((line) => /retry \d of 4/.test(line))).toHaveLength(3);
	});

	test.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED'])('%s is retried for a delete', async (code) => {
		const { ctx, calls } = scriptedContext([{ error: code }, { statusCode: 200, body: { id: 'c1' } }]);
		const { value } = await settle(client(ctx).request(DELETE));
		expect(value).toEqual({ id: 'c1' });
		expect(calls).toHaveLength(2);
	});

	test('the retry count is bounded; the error says how many attempts were made', async () => {
		const { ctx, calls } = scriptedContext([{ statusCode: 502, body: 'Bad Gateway' }]);
		const { error } = await settle(client(ctx, { maxRetries: 2 }).request(DELETE));
		expect(calls).toHaveLength(3);
		expect(error.message).toBe('Bad Gateway (HTTP 502, after 3 attempts)');
	});

	test.each([400, 401, 404, 412])('HTTP %i is not retried', async (status) => {
		const { ctx, calls } = scriptedContext([{ statusCode: status, body: { errors: [{ msg: 'no' }] } }]);
		await settle(client(ctx).request(DELETE));
		expect(calls).toHaveLength(1);
	});

	test.each([
		['a 503', { statusCode: 503 }],
		['a reset connection', { error: 'ECONNRESET' }],
		['a timeout', { error: 'ECONNABORTED' }],
	] as Array<[string, Answer]>)('a create (POST) is not sent again after %s: it may have reached Kore', async (_, answer) => {
		const { ctx, calls } = scriptedContext([answer, { statusCode: 200, body: [{ id: 'twice' }] }]);
		const { error } = await settle(client(ctx).request(CREATE));
		expect(calls).toHaveLength(1);
		expect(error).toBeDefined();
		if (!('statusCode' in answer)) expect((error as { description?: string }).description).toMatch(/not sent again/);
	});

	test('a create is sent again when the connection was refused: it cannot have reached Kore', async () => {
		const { ctx, calls } = scriptedContext([{ error: 'ECONNREFUSED' }, { statusCode: 200, body: [{ id: 'once' }] }]);
		const { value } = await settle(client(ctx).request(CREATE));
		expect(value).toEqual([{ id: 'once' }]);
		expect(calls).toHaveLength(2);
	});

	test.each(['EHOSTUNREACH', 'ENETUNREACH'])('a create is not sent again after %s: the socket may already have sent it', async (code) => {
		const { ctx, calls } = scriptedContext([{ error: code }, { statusCode: 200, body: [{ id: 'twice' }] }]);
		const { error } = await settle(client(ctx).request(CREATE));
		expect(calls).toHaveLength(1);
		expect((error as { description?: string }).description).toMatch(/may have reached Kore.*not sent again/);
	});

	test('a create answered with a 5xx says it may have been created and to check Kore, never "try again later"', async () => {
		const { ctx } = scriptedContext([{ statusCode: 503, body: 'Service Unavailable' }]);
		const { error } = await settle(client(ctx).request(CREATE));
		const description = (error as { description?: string }).description;
		expect(description).toMatch(/may have reached Kore.*not sent again.*Check in Kore whether they exist/);
		expect(description).not.toMatch(/Try again later/i);
	});

	test.each([
		['a 503', { statusCode: 503 }, true, 'HTTP 503'],
		['a reset', { error: 'ECONNRESET' }, true, 'ECONNRESET'],
		['a timeout', { error: 'ECONNABORTED' }, true, 'ECONNABORTED'],
		['an unreachable host', { error: 'EHOSTUNREACH' }, true, 'EHOSTUNREACH'],
		['a refused connection', { error: 'ECONNREFUSED' }, false, undefined],
		['a failed DNS look-up', { error: 'EAI_AGAIN' }, false, undefined],
		['a 429', { statusCode: 429, headers: { 'retry-after': '2' } }, false, undefined],
	] as Array<[string, Answer, boolean, string | undefined]>)(
		'after %s, meta.maybeApplied says whether an earlier attempt may have reached Kore',
		async (_, first, maybeApplied, reason) => {
			const { ctx } = scriptedContext([first, { statusCode: 200, body: { id: 'c1' } }]);
			const meta = { attempts: 0, maybeApplied: false, maybeAppliedBy: undefined as string | undefined };
			await settle(client(ctx).request(DELETE, meta));
			expect(meta.attempts).toBe(2);
			expect(meta.maybeApplied).toBe(maybeApplied);
			expect(meta.maybeAppliedBy).toBe(reason);
		},
	);

	test('the request timeout from the options is passed to every attempt', async () => {
		const { ctx, calls } = scriptedContext([{ error: 'ECONNABORTED' }, { statusCode: 200 }]);
		await settle(client(ctx, { timeoutMs: 1234 }).request(DELETE));
		expect(calls.map((call) => call.options.timeout)).toEqual([1234, 1234]);
	});
});

describe('pacing inside the client', () => {
	test('two credentials for the same host + account share the lowest limit, in whatever order they run', async () => {
		const account = { accountId: 'acc-shared-by-two', rateLimitWindowMs: 1000 };
		const low = scriptedContext([{ statusCode: 200 }], { ...account, clientId: 'cs-low', requestsPerMinute: 2 });
		const high = scriptedContext([{ statusCode: 200 }], { ...account, clientId: 'cs-high', requestsPerMinute: 100 });
		const lowClient = client(low.ctx);
		const highClient = client(high.ctx);
		const work = [
			...[1, 2, 3].map((n) => lowClient.request({ ...DELETE, path: [`l${n}`] })),
			...[1, 2, 3].map((n) => highClient.request({ ...DELETE, path: [`h${n}`] })),
		];
		await settle(Promise.all(work));
		const starts = [...low.calls, ...high.calls].map((call) => call.at).sort((a, b) => a - b);
		expect(starts).toHaveLength(6);
		// never more than 2 in any window of 1 s (+2 % margin)
		for (let i = 2; i < starts.length; i++) expect(starts[i] - starts[i - 2]).toBeGreaterThanOrEqual(1020);
	});

	test('requests beyond the per-minute budget wait for a slot, and the wait is logged', async () => {
		const { ctx, calls, logs } = scriptedContext([{ statusCode: 200 }], { requestsPerMinute: 2, rateLimitWindowMs: 1000 });
		const shared = client(ctx);
		await settle(Promise.all([1, 2, 3, 4, 5].map((n) => shared.request({ ...DELETE, path: [`c${n}`] }))));
		expect(calls.map((call) => call.at - calls[0].at)).toEqual([0, 0, 1020, 1020, 2040]);
		expect(logs.some((line) => /pacing requests to 2 per 1\.0 s for account acc-client-\d+ .*waited 1\.0 s/.test(line))).toBe(true);
	});
});
