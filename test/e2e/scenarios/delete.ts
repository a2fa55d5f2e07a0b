/**
 * Scenarios for Contact › Delete. Each one is a workflow run by a real `n8n execute`, with assertions on
 * n8n's output and on what the local Kore server saw. How to add one: ../README.md.
 */
import {
	DEMO_IDS,
	expectSignedByScenario,
	fromExample,
	notFoundMessage,
	requestLines,
	statuses,
	demoContacts,
} from '../helpers';
import type { Scenario, ScenarioRun } from '../helpers';

const [FIRST, SECOND, THIRD] = DEMO_IDS;
const UNKNOWN = '69609027c1746a61429affff';

/** Delete the contacts whose ids arrive as `koreId` in the incoming items, one request at a time. */
const byItemId = { operation: 'delete', contactBy: 'id', contactId: '={{ $json.koreId }}', options: { concurrency: 1 } };

/** Every demo contact ACTIVE except `deleted`. */
function onlyDeleted(run: ScenarioRun, deleted: string[]): void {
	const want = Object.fromEntries(Object.keys(run.contacts).map((id) => [id, deleted.includes(id) ? 'INACTIVE' : 'ACTIVE']));
	expect(statuses(run)).toEqual(want);
}

/** The Kore Contacts node's items with their pairedItem, from the raw IRun. */
function pairedItems(run: ScenarioRun, output = 0): unknown[] {
	return run.result.data.resultData.runData['Kore Contacts'][0].data.main[output].map((i: { pairedItem: unknown }) => i.pairedItem);
}

/** Contacts whose ids would break out of `/contacts/<id>` if they were not encoded, and look-alikes that must not change. */
const TRICKY_IDS = ['../x', 'a/b', '..%2Fbulk-delete'];
const LOOK_ALIKES = ['x', 'a', 'b', 'bulk-delete', '..%2Fx'];
const trickyContacts = [...TRICKY_IDS, ...LOOK_ALIKES].map((id, i) => ({
	id,
	firstName: `Tricky${i}`,
	lastName: 'Id',
	salutation: 'Mx',
	cellPhone: { phoneNumber: String(3000000000 + i), countryCode: '+1', extension: '+' },
}));

export const scenarios: Scenario[] = [
	{
		id: 'del-example',
		title: 'examples/delete-contact.json deletes one contact: the output is the contact, INACTIVE',
		workflow: fromExample('delete-contact.json'),
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.result?.status).toBe('success');
			const output = run.output();
			expect(output).toHaveLength(1);
			expect(output![0]).toEqual(
				expect.objectContaining({ id: FIRST, fullName: 'John Doe', status: 'INACTIVE', instanceBotId: run.streamId }),
			);
			expect(requestLines(run)).toEqual([`DELETE ${run.base}/${FIRST}`]);
			expect(run.requests[0].status).toBe(200);
			expectSignedByScenario(run);
			onlyDeleted(run, [FIRST]);
		},
	},
	{
		id: 'del-stop',
		title: 'an unknown id with On Error "stop": exit 1, Kore\'s words + HTTP 404, later items not sent',
		items: [{ koreId: FIRST }, { koreId: UNKNOWN }, { koreId: THIRD }],
		node: { parameters: byItemId },
		expect: (run) => {
			expect(run.code).toBe(1);
			expect(run.errorMessage).toBe(notFoundMessage(UNKNOWN));
			expect(run.error?.description).toContain(`No contact with ID "${UNKNOWN}"`);
			expect(run.error?.context).toEqual(expect.objectContaining({ itemIndex: 1 }));
			expect(run.stdout).toContain(notFoundMessage(UNKNOWN));
			expect(run.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				`DELETE ${run.base}/${FIRST} 200`,
				`DELETE ${run.base}/${UNKNOWN} 404`,
			]);
			expectSignedByScenario(run);
			onlyDeleted(run, [FIRST]);
		},
	},
	{
		id: 'del-continue',
		title: 'an unknown id with On Error "continue": the error item stays in the main output, in order',
		items: [{ koreId: FIRST }, { koreId: UNKNOWN }, { koreId: THIRD }],
		node: { parameters: byItemId, onError: 'continueRegularOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			const output = run.output()!;
			expect(output).toHaveLength(3);
			expect(output[0]).toEqual(expect.objectContaining({ id: FIRST, status: 'INACTIVE' }));
			expect(output[1]).toEqual({ error: notFoundMessage(UNKNOWN), details: expect.stringContaining('No contact with ID') });
			expect(output[2]).toEqual(expect.objectContaining({ id: THIRD, status: 'INACTIVE' }));
			expect(pairedItems(run)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(requestLines(run)).toEqual([`DELETE ${run.base}/${FIRST}`, `DELETE ${run.base}/${UNKNOWN}`, `DELETE ${run.base}/${THIRD}`]);
			onlyDeleted(run, [FIRST, THIRD]);
		},
	},
	{
		id: 'del-error-out',
		title: 'an unknown id with On Error "error output": the failed item, merged with its input, on output 1',
		items: [{ koreId: FIRST }, { koreId: UNKNOWN, crmRow: 7 }, { koreId: THIRD }],
		node: { parameters: byItemId, onError: 'continueErrorOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.output(0)!.map((c) => [c.id, c.status])).toEqual([
				[FIRST, 'INACTIVE'],
				[THIRD, 'INACTIVE'],
			]);
			expect(run.output(1)).toEqual([
				{ koreId: UNKNOWN, crmRow: 7, error: notFoundMessage(UNKNOWN), details: expect.stringContaining('No contact with ID') },
			]);
			expect(pairedItems(run, 1)).toEqual([{ item: 1 }]);
			onlyDeleted(run, [FIRST, THIRD]);
		},
	},
	{
		id: 'del-tricky-ids',
		title: 'ids with "/", ".." and "%2F" reach only /contacts/<encoded id>, and only that contact changes',
		items: TRICKY_IDS.map((koreId) => ({ koreId })),
		node: { parameters: byItemId, onError: 'continueRegularOutput' },
		contacts: [...demoContacts(), ...trickyContacts],
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				`DELETE ${run.base}/..%2Fx 200`,
				`DELETE ${run.base}/a%2Fb 200`,
				`DELETE ${run.base}/..%252Fbulk-delete 200`,
			]);
			expect(run.output()!.map((c) => [c.id, c.status])).toEqual(TRICKY_IDS.map((id) => [id, 'INACTIVE']));
			onlyDeleted(run, TRICKY_IDS);
		},
	},
	{
		id: 'del-blank-id',
		title: 'a blank id fails with the item and field named, and nothing is sent for any item',
		items: [{ koreId: FIRST }, { koreId: '   ' }],
		node: { parameters: byItemId },
		expect: (run) => {
			expect(run.code).toBe(1);
			expect(run.errorMessage).toBe('Item 1: "Contact ID" is empty — nothing was sent to Kore for this item');
			expect(run.requests).toEqual([]);
			onlyDeleted(run, []);
		},
	},
	{
		id: 'del-bad-secret',
		title: 'a wrong client secret: a clear 401 error, and the secret appears nowhere in n8n\'s output',
		workflow: fromExample('delete-contact.json'),
		credential: { clientSecret: 'WRONG-e2e-secret-5f2c9a71d3' },
		expect: (run) => {
			expect(run.code).toBe(1);
			expect(run.errorMessage).toBe('Invalid JWT token (HTTP 401)');
			expect(run.error?.description).toContain('Client Secret');
			expect(run.requests.map((r) => [r.method, r.path, r.status, r.authError])).toEqual([
				['DELETE', `${run.base}/${FIRST}`, 401, 'bad-signature'],
			]);
			const everything = [run.stdout, run.stderr, JSON.stringify(run.result)].join('\n');
			expect(everything).toContain('Invalid JWT token');
			for (const secret of ['WRONG-e2e-secret-5f2c9a71d3', run.account.clientSecret]) expect(everything).not.toContain(secret);
			expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT either
			onlyDeleted(run, []);
		},
	},
];
