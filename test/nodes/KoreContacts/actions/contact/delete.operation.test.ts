import { runWorkflow } from '../../../../helpers/engine';
import { fakeStream } from '../../../../helpers/fake-stream';
import { BASE, CREDENTIALS, contact, inTurn, koreError, scriptedKore } from '../../../../helpers/kore';
import type { ScriptedAnswer } from '../../../../helpers/kore';
import { networkFailure } from '../../../../helpers/network';

const ITEMS = [
	{ stream: 'st-1', koreId: 'c1' },
	{ stream: 'st-1', koreId: 'c2' },
	{ stream: 'st-1', koreId: 'c3' },
];

/** Kore for three contacts where c2 is unknown; returns the ids that were asked to be deleted. */
function koreWithUnknownC2() {
	const asked: string[] = [];
	scriptedKore((request) => {
		const id = decodeURIComponent(request.path.split('/').pop()!);
		asked.push(id);
		return id === 'c2' ? [404, koreError('Contact not found', 404)] : [200, contact(id, { status: 'INACTIVE' })];
	});
	return asked;
}

const idOf = (path: string) => decodeURIComponent(path.split('/').pop()!);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Delete, run inside n8n\'s engine', () => {
	test('deletes one contact and outputs what Kore returned, paired with the input', async () => {
		const deleted = contact('69609027c1746a61429a1b2c', { status: 'INACTIVE' });
		const seen = scriptedKore(() => [200, deleted]);
		const { outputs, error } = await runWorkflow('delete-contact.json', { credentials: CREDENTIALS });
		expect(error).toBeUndefined();
		expect(outputs).toEqual([[{ json: deleted, pairedItem: { item: 0 } }]]);
		expect(seen.map((request) => [request.method, request.path, request.headers.accountid])).toEqual([
			['DELETE', `${BASE}/st-7dc994f0-4436-5134-9fa8-a942625a1b2c/contacts/69609027c1746a61429a1b2c`, CREDENTIALS.accountId],
		]);
	});

	test('takes Stream ID and Contact ID from expressions, per item', async () => {
		const asked = koreWithUnknownC2();
		const { outputs } = await runWorkflow('delete-from-items.json', {
			credentials: CREDENTIALS,
			items: [
				{ stream: 'st-1', koreId: 'c1' },
				{ stream: 'st-1', koreId: '  c3  ' },
				{ stream: 'st-1', koreId: 4711 },
			],
		});
		expect(asked.sort()).toEqual(['4711', 'c1', 'c3']);
		expect(outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			['c1', { item: 0 }],
			['c3', { item: 1 }],
			['4711', { item: 2 }],
		]);
	});

	test('under concurrency, answers arriving out of order still come out in input order, paired', async () => {
		const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
		scriptedKore(async (request) => {
			// later items answer sooner, so requests complete in another order than they started
			const id = idOf(request.path);
			await sleep(300 - ids.indexOf(id) * 50);
			return [200, contact(id)];
		});
		const { outputs } = await runWorkflow('delete-from-items.json', {
			credentials: CREDENTIALS,
			items: ids.map((koreId) => ({ stream: 'st-1', koreId })),
			node: { parameters: { options: { concurrency: 3 } } },
		});
		expect(outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual(ids.map((id, n) => [id, { item: n }]));
	});

	describe('several items, one unknown id', () => {
		test('On Error "Stop Workflow": the run stops at that item, later items are not sent', async () => {
			const asked = koreWithUnknownC2();
			const { error, outputs } = await runWorkflow('delete-from-items.json', {
				credentials: CREDENTIALS,
				items: ITEMS,
				node: { parameters: { options: { concurrency: 1 } } },
			});
			expect(error?.message).toBe('Contact not found (HTTP 404)');
			expect(error?.description).toBe('No contact with ID "c2" exists in stream "st-1", or it was already deleted.');
			expect(error?.context?.itemIndex).toBe(1);
			expect(asked).toEqual(['c1', 'c2']);
			expect(outputs).toEqual([]);
		});

		test('with Concurrency 3, requests already in flight finish but no new one starts', async () => {
			// c1 and c3 answer slowly, so c2's 404 arrives while they are still in flight.
			const asked: string[] = [];
			scriptedKore(async (request) => {
				const id = idOf(request.path);
				if (id !== 'c2') await sleep(1000);
				asked.push(id);
				return id === 'c2' ? [404, koreError('Contact not found', 404)] : [200, contact(id)];
			});
			const items = ['c1', 'c2', 'c3', 'c4', 'c5'].map((koreId) => ({ stream: 'st-1', koreId }));
			const { error } = await runWorkflow('delete-from-items.json', {
				credentials: CREDENTIALS,
				items,
				node: { parameters: { options: { concurrency: 3 } } },
			});
			expect(error?.context?.itemIndex).toBe(1);
			expect(asked.sort()).toEqual(['c1', 'c2', 'c3']);
		});

		test('On Error "Continue": the failed item becomes an error item paired with its input', async () => {
			const asked = koreWithUnknownC2();
			const { error, outputs } = await runWorkflow('delete-from-items.json', {
				credentials: CREDENTIALS,
				items: ITEMS,
				node: { onError: 'continueRegularOutput' },
			});
			expect(error).toBeUndefined();
			expect(asked.sort()).toEqual(['c1', 'c2', 'c3']);
			expect(outputs).toHaveLength(1);
			expect(outputs[0]).toEqual([
				{ json: expect.objectContaining({ id: 'c1', status: 'INACTIVE' }), pairedItem: { item: 0 } },
				{
					json: {
						error: 'Contact not found (HTTP 404)',
						details: 'No contact with ID "c2" exists in stream "st-1", or it was already deleted.',
					},
					pairedItem: { item: 1 },
				},
				{ json: expect.objectContaining({ id: 'c3' }), pairedItem: { item: 2 } },
			]);
		});

		test('On Error "Continue (using error output)": the failed item goes to the error output', async () => {
			koreWithUnknownC2();
			const { error, outputs } = await runWorkflow('delete-from-items.json', {
				credentials: CREDENTIALS,
				items: ITEMS,
				node: { onError: 'continueErrorOutput' },
			});
			expect(error).toBeUndefined();
			expect(outputs).toHaveLength(2);
			expect(outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
				['c1', { item: 0 }],
				['c3', { item: 2 }],
			]);
			expect(outputs[1]).toEqual([
				{
					// n8n merges the input item into an error-output item, so the CRM data stays with the error.
					json: {
						stream: 'st-1',
						koreId: 'c2',
						error: 'Contact not found (HTTP 404)',
						details: 'No contact with ID "c2" exists in stream "st-1", or it was already deleted.',
					},
					pairedItem: { item: 1 },
				},
			]);
		});

		test('requests still waiting for a rate-limit slot are not sent once the run stops', async () => {
			const asked = koreWithUnknownC2();
			const items = ['c1', 'c2', 'c3', 'c4', 'c5'].map((koreId) => ({ stream: 'st-1', koreId }));
			const started = Date.now();
			const { error } = await runWorkflow('delete-from-items.json', {
				// 2 requests per 5 s: c1 and c2 go at once, c3… wait for a slot while c2 fails
				credentials: { ...CREDENTIALS, accountId: 'acc-halt', requestsPerMinute: 2, rateLimitWindowMs: 5000 },
				items,
				node: { parameters: { options: { concurrency: 4 } } },
			});
			expect(error?.context?.itemIndex).toBe(1);
			// The run ends long before the next slot (5 s): the waiting requests were dropped, not sent later.
			expect(Date.now() - started).toBeLessThan(2500);
			expect(asked.sort()).toEqual(['c1', 'c2']);
		});
	});

	test('a delete repeated after a lost answer that finds the contact gone counts as deleted', async () => {
		// Kore deletes c1 but the connection drops before its answer (ECONNRESET); the repeat finds c1 gone
		const stream = fakeStream(0, [contact('c1')]);
		let attempts = 0;
		stream.beforeWrite = () => (attempts++ === 0 ? { reset: 'after' } : undefined);
		const { outputs, error } = await runWorkflow('delete-from-items.json', {
			credentials: CREDENTIALS,
			items: [{ stream: 'st-1', koreId: 'c1' }],
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([
			{ json: { id: 'c1', status: 'INACTIVE', deleted: true, note: expect.stringMatching(/^Not confirmed by Kore: an earlier attempt's answer was lost \(ECONNRESET\)/) }, pairedItem: { item: 0 } },
		]);
	});

	const notFound: ScriptedAnswer = [404, koreError('Contact not found: c1', 404)];
	test.each([
		['a 503', () => scriptedKore(inTurn([503, 'Service Unavailable'], notFound)), /HTTP 503/],
		['a timeout', () => (scriptedKore(inTurn(notFound)), networkFailure('DELETE', `${BASE}/st-1/contacts/c1`, 'ETIMEDOUT')), /ETIMEDOUT/],
	])('after %s (the answer lost, the delete may have reached Kore) a 404 counts as deleted, and says why', async (_, koreAnswers, reason) => {
		koreAnswers();
		const { outputs, error } = await runWorkflow('delete-from-items.json', {
			credentials: CREDENTIALS,
			items: [{ stream: 'st-1', koreId: 'c1' }],
			node: { parameters: { options: { maxRetries: 1 } } },
		});
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({ id: 'c1', status: 'INACTIVE', deleted: true, note: expect.stringMatching(reason) });
	});

	const nope: ScriptedAnswer = [404, koreError('Contact not found: nope', 404)];
	test.each([
		['a 429 (Kore refused it for the rate limit)', () => scriptedKore(inTurn([429, koreError("You've exceeded the per-minute rate limit.", 429), { 'Retry-After': '1' }], nope))],
		['a refused connection (never sent)', () => (scriptedKore(inTurn(nope)), networkFailure('DELETE', `${BASE}/st-1/contacts/nope`, 'ECONNREFUSED'))],
	])('an unknown id whose first attempt met %s is an error, never "deleted"', async (_, koreAnswers) => {
		koreAnswers();
		const { outputs, error } = await runWorkflow('delete-from-items.json', {
			credentials: CREDENTIALS,
			items: [{ stream: 'st-1', koreId: 'nope' }],
			node: { onError: 'continueRegularOutput', parameters: { options: { maxRetries: 1 } } },
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([
			{ json: { error: 'Contact not found: nope (HTTP 404, after 2 attempts)', details: expect.stringMatching(/No contact with ID "nope"/) }, pairedItem: { item: 0 } },
		]);
	});

	test('a first-attempt 404 is still an error (the contact was never there)', async () => {
		fakeStream(0);
		const { error } = await runWorkflow('delete-from-items.json', { credentials: CREDENTIALS, items: [{ stream: 'st-1', koreId: 'c1' }] });
		expect(error?.message).toBe('Contact not found: c1 (HTTP 404)');
	});

	describe('bad ids', () => {
		test.each([
			['an empty Contact ID', { koreId: '' }, 'Item 1: "Contact ID" is empty — nothing was sent to Kore for this item'],
			['a blank Contact ID', { koreId: '   ' }, 'Item 1: "Contact ID" is empty — nothing was sent to Kore for this item'],
			['a missing Contact ID', { koreId: undefined }, 'Item 1: "Contact ID" is empty — nothing was sent to Kore for this item'],
			['a Contact ID ".."', { koreId: '..' }, 'Item 1: "Contact ID" cannot be ".."'],
			['a blank Stream ID (and none in the credential)', { stream: ' ' }, 'Item 1: "Stream ID" is empty, in the node and in the credential — nothing was sent to Kore for this item'],
		])('%s stops the run before any request is sent', async (_, change, message) => {
			const asked = koreWithUnknownC2();
			const items = [ITEMS[0], { ...ITEMS[2], ...change }, ITEMS[2]];
			const { error } = await runWorkflow('delete-from-items.json', { credentials: CREDENTIALS, items });
			expect(error?.message).toBe(message);
			expect(error?.context?.itemIndex).toBe(1);
			expect(asked).toEqual([]);
		});

		test('with On Error "Continue" only the bad item fails; no request goes out for it', async () => {
			const asked = koreWithUnknownC2();
			const items = [ITEMS[0], { stream: 'st-1', koreId: '' }, ITEMS[2]];
			const { outputs } = await runWorkflow('delete-from-items.json', {
				credentials: CREDENTIALS,
				items,
				node: { onError: 'continueRegularOutput' },
			});
			expect(asked.sort()).toEqual(['c1', 'c3']);
			expect(outputs[0].map((item) => [item.json.id ?? item.json.error, item.pairedItem])).toEqual([
				['c1', { item: 0 }],
				['Item 1: "Contact ID" is empty — nothing was sent to Kore for this item', { item: 1 }],
				['c3', { item: 2 }],
			]);
		});
	});

	test('no input items: no request, no output', async () => {
		const asked = koreWithUnknownC2();
		const { outputs, error } = await runWorkflow('delete-from-items.json', { credentials: CREDENTIALS, items: [] });
		expect(error).toBeUndefined();
		expect(asked).toEqual([]);
		expect(outputs.flat()).toEqual([]);
	});
});

