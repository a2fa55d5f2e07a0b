/**
 * Scenarios for Delete's "Succeed If Already Deleted" option: a CRM delivers one "contact deleted" event twice.
 * Here the two deliveries are two items of one `n8n execute` (concurrent executions in one `n8n start` share
 * the same in-process state; that is not yet covered end to end). How to add one: ../README.md.
 */
import { DEMO_IDS, demoContacts, notFoundMessage, requestLines, statuses } from '../helpers';
import type { Scenario } from '../helpers';

const [JOHN, JANE] = DEMO_IDS;
const UNKNOWN = '69609027c1746a61429affff';

const deleteById = (options: Record<string, unknown>) => ({
	operation: 'delete',
	contactBy: 'id',
	contactId: '={{ $json.koreId }}',
	options,
});

export const scenarios: Scenario[] = [
	{
		id: 'del-twice-on',
		title: 'the same delete twice, Succeed If Already Deleted on: both succeed, the second alreadyDeleted, one DELETE sent',
		items: [{ koreId: JOHN }, { koreId: JOHN }],
		node: { parameters: deleteById({ succeedIfAlreadyDeleted: true }) },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(requestLines(run)).toEqual([`DELETE ${run.base}/${JOHN}`]);
			const [first, second] = run.output()!;
			expect(first).toEqual(expect.objectContaining({ id: JOHN, status: 'INACTIVE' }));
			expect(first.alreadyDeleted).toBeUndefined();
			expect(second).toEqual(expect.objectContaining({ id: JOHN, status: 'INACTIVE', alreadyDeleted: true }));
			expect(statuses(run)[JOHN]).toBe('INACTIVE');
		},
	},
	{
		id: 'del-twice-off',
		title: 'the same delete twice, option off (the default): the second fails with Kore\'s 404, as before',
		items: [{ koreId: JOHN }, { koreId: JOHN }],
		node: { parameters: deleteById({}), onError: 'continueErrorOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				`DELETE ${run.base}/${JOHN} 200`,
				`DELETE ${run.base}/${JOHN} 404`,
			]);
			expect(run.output(0)!.map((c) => [c.id, c.status, c.alreadyDeleted])).toEqual([[JOHN, 'INACTIVE', undefined]]);
			expect(run.output(1)).toEqual([expect.objectContaining({ koreId: JOHN, error: notFoundMessage(JOHN) })]);
		},
	},
	{
		id: 'del-gone-on',
		title: 'option on, an unknown id and a contact deleted by another process (Kore does not list INACTIVE): both still fail',
		contacts: [...demoContacts().map((c) => (c.id === JANE ? { ...c, status: 'INACTIVE' as const } : c))],
		items: [{ koreId: UNKNOWN }, { koreId: JANE }],
		node: { parameters: deleteById({ succeedIfAlreadyDeleted: true, concurrency: 1 }), onError: 'continueErrorOutput' },
		expect: (run) => {
			expect(run.code).toBe(0);
			// each 404 costs one scan, to tell "already deleted" from "never existed"; this server lists no INACTIVE
			// contact and this n8n process deleted neither, so neither is known to be deleted
			expect(run.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				`DELETE ${run.base}/${UNKNOWN} 404`,
				`GET ${run.base} 200`,
				`DELETE ${run.base}/${JANE} 404`,
				`GET ${run.base} 200`,
			]);
			expect(run.output(0)).toEqual([]);
			expect(run.output(1)!.map((item) => [item.koreId, item.error])).toEqual([
				[UNKNOWN, notFoundMessage(UNKNOWN)],
				[JANE, notFoundMessage(JANE)],
			]);
		},
	},
];
