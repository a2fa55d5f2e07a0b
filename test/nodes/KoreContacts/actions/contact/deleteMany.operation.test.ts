import { runWorkflow } from '../../../../helpers/engine';
import { BASE, CREDENTIALS, inTurn, scriptedKore } from '../../../../helpers/kore';
import type { ScriptedAnswer } from '../../../../helpers/kore';
import { networkFailure } from '../../../../helpers/network';

/** Kore's bulk delete where `unknown` ids fail, reporting failedRecords in the given shape. */
function bulkKore(unknown: string[], failedShape: (id: string) => unknown = (id) => ({ id, error: { msg: 'Contact not found', code: 404 } })) {
	return scriptedKore(({ body }) => {
		const ids = (body as { ids: string[] }).ids;
		const failed = ids.filter((id) => unknown.includes(id));
		const ok = ids.filter((id) => !unknown.includes(id));
		return [
			200,
			{
				totalRequested: ids.length,
				successful: ok.length,
				failed: failed.length,
				successfulRecords: ok.map((id) => ({ id })),
				failedRecords: failed.map(failedShape),
			},
		];
	});
}

const ITEMS = ['c1', 'c2', 'x3', 'c4', 'c1', 'c5'].map((koreId) => ({ koreId }));

describe('Delete Many, run inside n8n\'s engine', () => {
	test('batches the ids (duplicates sent once) and outputs one outcome per input item, paired', async () => {
		const seen = bulkKore([]);
		const { outputs, error } = await runWorkflow('delete-many.json', {
			credentials: CREDENTIALS,
			items: ITEMS,
			node: { parameters: { options: { batchSize: 2 } } },
		});
		expect(error).toBeUndefined();
		expect(seen.map((request) => [request.method, request.path, request.body])).toEqual([
			['DELETE', `${BASE}/st-1/contacts/bulk-delete`, { ids: ['c1', 'c2'] }],
			['DELETE', `${BASE}/st-1/contacts/bulk-delete`, { ids: ['x3', 'c4'] }],
			['DELETE', `${BASE}/st-1/contacts/bulk-delete`, { ids: ['c5'] }],
		]);
		expect(outputs[0].map((item) => [item.json, item.pairedItem])).toEqual(
			ITEMS.map(({ koreId }, index) => [{ id: koreId, deleted: true }, { item: index }]),
		);
	});

	describe('mixed success and failure', () => {
		test('On Error "Stop Workflow": stops after the batch with the failure', async () => {
			const seen = bulkKore(['x3']);
			const { error } = await runWorkflow('delete-many.json', {
				credentials: CREDENTIALS,
				items: ITEMS,
				node: { parameters: { options: { batchSize: 2 } } },
			});
			expect(error?.message).toBe('Could not delete contact "x3": Contact not found');
			expect(error?.context?.itemIndex).toBe(2);
			expect(seen).toHaveLength(2);
		});

		test('On Error "Continue": the failed id becomes an error item, the rest are deleted', async () => {
			bulkKore(['x3']);
			const { outputs } = await runWorkflow('delete-many.json', {
				credentials: CREDENTIALS,
				items: ITEMS,
				node: { onError: 'continueRegularOutput' },
			});
			expect(outputs[0].map((item) => item.json.error ?? item.json.id)).toEqual([
				'c1',
				'c2',
				'Could not delete contact "x3": Contact not found',
				'c4',
				'c1',
				'c5',
			]);
		});

		test('On Error "Continue (using error output)": the failed id goes to the error output with its input', async () => {
			bulkKore(['x3'], (id) => id); // failedRecords as bare ids
			const { outputs } = await runWorkflow('delete-many.json', {
				credentials: CREDENTIALS,
				items: ITEMS,
				node: { onError: 'continueErrorOutput' },
			});
			expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }, { item: 4 }, { item: 5 }]);
			expect(outputs[1]).toEqual([
				{
					json: {
						koreId: 'x3',
						error: 'Could not delete contact "x3": Kore reported it as failed without a reason',
						details: "Kore's bulk delete reported this contact as failed; the other contacts of the batch are not affected.",
					},
					pairedItem: { item: 2 },
				},
			]);
		});
	});

	test('an id that Kore\'s answer does not mention is reported, not assumed deleted', async () => {
		scriptedKore(() => [200, { totalRequested: 2, successful: 1, failed: 0, successfulRecords: [{ id: 'c1' }], failedRecords: [] }]);
		const { outputs } = await runWorkflow('delete-many.json', { credentials: CREDENTIALS, node: { onError: 'continueRegularOutput' } });
		expect(outputs[0].map((item) => item.json.error ?? item.json.id)).toEqual([
			'c1',
			'Could not delete contact "c2": Kore\'s answer does not mention this contact, so whether it was changed is unknown; check it in Kore',
		]);
	});

	test('a bulk delete repeated after a lost answer counts ids Kore no longer knows as deleted', async () => {
		scriptedKore(
			inTurn('reset', [
				200,
				{
					totalRequested: 2,
				successful: 0,
				failed: 2,
				successfulRecords: [],
					failedRecords: [
						{ id: 'c1', error: { msg: 'Contact not found: c1', code: 404 } },
						{ id: 'c2', error: { msg: 'Contact not found: c2', code: 404 } },
					],
				},
			]),
		);
		const { outputs, error } = await runWorkflow('delete-many.json', { credentials: CREDENTIALS });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => [item.json.id, item.json.deleted, typeof item.json.note])).toEqual([
			['c1', true, 'string'],
			['c2', true, 'string'],
		]);
		expect(outputs[0][0].json.note).toMatch(/ECONNRESET/);
	});

	const halfDone: ScriptedAnswer = [
		200,
		{
			totalRequested: 2,
			successful: 1,
			failed: 1,
			successfulRecords: [{ id: 'c1' }],
			failedRecords: [{ id: 'c2', error: { msg: 'Contact not found: c2', code: 404 } }],
		},
	];
	test.each([
		['a 429', () => scriptedKore(inTurn([429, { errors: [{ msg: "You've exceeded the per-minute rate limit." }] }, { 'Retry-After': '1' }], halfDone))],
		['a refused connection', () => (scriptedKore(inTurn(halfDone)), networkFailure('DELETE', `${BASE}/st-1/contacts/bulk-delete`, 'ECONNREFUSED'))],
	])('after %s (nothing applied), ids Kore reports "not found" are errors, not deleted', async (_, koreAnswers) => {
		koreAnswers();
		const { outputs, error } = await runWorkflow('delete-many.json', { credentials: CREDENTIALS, node: { onError: 'continueRegularOutput' } });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json)).toEqual([
			{ id: 'c1', deleted: true },
			{ error: 'Could not delete contact "c2": Contact not found: c2', details: expect.any(String) },
		]);
	});

	test('10,000 ids go in ⌈10,000 / 500⌉ = 20 requests', async () => {
		const seen = bulkKore([]);
		const items = Array.from({ length: 10_000 }, (_, n) => ({ koreId: `id-${n}` }));
		const { outputs } = await runWorkflow('delete-many.json', {
			credentials: CREDENTIALS,
			items,
			node: { parameters: { options: { batchSize: 500 } } },
		});
		expect(seen).toHaveLength(20);
		expect(outputs[0]).toHaveLength(10_000);
		expect(outputs[0].filter((item) => item.json.deleted === true)).toHaveLength(10_000);
	}, 30_000); // counts requests, not speed: 10,000 items through the engine outlast jest's 5 s on a busy 2-core machine
});
