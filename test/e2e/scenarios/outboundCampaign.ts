/**
 * Scenarios for the Contact List and Campaign resources, run by a real `n8n execute`: the two examples
 * (CRM segment → list → start; outcomes → CRM) and one workflow that chains every operation. The scenario's
 * stream gets its lists and campaigns in `setup`; the server applies an add 1 s after it answers, as Kore
 * does in the background. How to add one: ../README.md.
 */
import type { IDataObject } from 'n8n-workflow';

import { nodeOutput } from '../../../scripts/n8n-harness';
import { KORE_NODE_TYPE, expectSignedByScenario, fromExample } from '../helpers';
import type { Scenario, ScenarioContext, ScenarioRun, WorkflowJson } from '../helpers';

/** The list and campaign the examples name (scripts/kore-server's demo ids). */
const EXAMPLE_LIST = 'Renewal Due - July 2025';
const EXAMPLE_CAMPAIGN = 'cd-5e1f7a93-2b4c-4d6e-8f01-a2b3c4d5e6f7';

/** `METHOD path?query` of the scenario's requests, its stream written `{s}`. */
function lines(run: ScenarioRun): string[] {
	return run.requests.map((r) => {
		const query = new URLSearchParams(Object.entries(r.query).sort(([a], [b]) => a.localeCompare(b))).toString();
		return `${r.method} ${r.path.split(`/${run.streamId}/`).join('/{s}/')}${query ? `?${query}` : ''}`;
	});
}

const output = (run: ScenarioRun, node: string, index = 0) => nodeOutput(run.result, node, index);

const v2 = (run: ScenarioRun, path: string, query = '') => `/campaign/api/v2/public/{s}/campaign/${path}?accountId=${run.account.accountId}${query}`;
const ADD = 'POST /api/1.1/public/{s}/campaign/contactList/addContacts';

function seedExample(ctx: ScenarioContext, outcomes = 0): void {
	ctx.server.campaigns.seed({
		contactLists: [{ streamId: ctx.streamId, name: EXAMPLE_LIST, members: ['919876543210'] }],
		campaigns: [
			{
				streamId: ctx.streamId,
				_id: EXAMPLE_CAMPAIGN,
				name: 'Renewal Reminder (Voice)',
				contactLists: [EXAMPLE_LIST],
				outcomes: Array.from({ length: outcomes }, (_, n) => ({
					phoneNumber: String(14155550000 + n),
					dialerOutcome: n % 2 ? 'completed' : '',
					numberOfAttemptsSoFar: 1 + (n % 2),
					agentDispositionCodes: n % 4 === 1 ? ['Callback Requested'] : [],
					botOutboundStatus: 'userHangUp',
				})),
			},
		],
	});
}

/** A Kore Contacts node of the chained workflow (credential and stream are filled in by the harness). */
function kore(name: string, x: number, parameters: IDataObject): WorkflowJson['nodes'][number] {
	return { id: `cmp-${x}`, name, type: KORE_NODE_TYPE, typeVersion: 1, position: [x * 200, 0], parameters, executeOnce: true };
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const CAMPAIGN = 'cd-e2e-voice-0001';

/** Every Contact List and Campaign operation, chained: each Kore node runs once (Execute Once) but Add Members. */
function everyOperation(): WorkflowJson {
	const numbers = `return ['+14155550101', '+14155550102', '+1 415 555 0103'].map((phone) => ({ json: { phone, listId: $('Create list').first().json._id } }));`;
	const nodes: WorkflowJson['nodes'] = [
		{ id: 'cmp-0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		kore('Create list', 1, { resource: 'contactList', operation: 'create', name: 'E2E Renewals', description: 'made by the e2e suite' }),
		{ id: 'cmp-2', name: 'Numbers', type: 'n8n-nodes-base.code', typeVersion: 2, position: [400, 0], parameters: { jsCode: numbers } },
		{ ...kore('Add members', 3, { resource: 'contactList', operation: 'addMembers', contactList: byId('={{ $json.listId }}'), phoneNumber: '={{ $json.phone }}', options: { waitUntilAdded: true, waitTimeout: 60 } }), executeOnce: false },
		kore('Get members', 4, { resource: 'contactList', operation: 'getMembers', contactList: byId('={{ $json.contactListId }}'), returnAll: true }),
		kore('Get list', 5, { resource: 'contactList', operation: 'get', contactList: { __rl: true, mode: 'name', value: 'e2e renewals' } }),
		kore('Rename list', 6, { resource: 'contactList', operation: 'update', contactList: byId('={{ $json._id }}'), updateFields: { name: 'E2E Renewals July' } }),
		kore('All lists', 7, { resource: 'contactList', operation: 'getAll', returnAll: true, filters: { name: 'e2e' } }),
		kore('Voice campaigns', 8, { resource: 'campaign', operation: 'getAll', campaignType: 'voice', returnAll: true }),
		kore('Get campaign', 9, { resource: 'campaign', operation: 'get', campaign: byId(CAMPAIGN) }),
		kore('Start campaign', 10, { resource: 'campaign', operation: 'start', campaignType: 'voice', campaign: byId(CAMPAIGN) }),
		kore('Campaign status', 11, { resource: 'campaign', operation: 'getStatus', campaign: byId(CAMPAIGN) }),
		kore('Outcomes', 12, { resource: 'campaign', operation: 'getOutcomes', campaign: byId(CAMPAIGN), returnAll: true }),
		kore('Stop campaign', 13, { resource: 'campaign', operation: 'stop', campaignType: 'voice', campaign: byId(CAMPAIGN) }),
		kore('Delete spare list', 14, { resource: 'contactList', operation: 'delete', contactList: { __rl: true, mode: 'name', value: 'E2E Spare' } }),
	];
	const connections = Object.fromEntries(nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]));
	return { name: 'every campaign operation', nodes, connections, settings: { executionOrder: 'v1' } };
}

export const scenarios: Scenario[] = [
	{
		id: 'cmp-example',
		title: 'examples/crm-segment-to-campaign.json: numbers added (one already there, one invalid), waited for, campaign started once',
		workflow: fromExample('crm-segment-to-campaign.json'),
		setup: (ctx) => seedExample(ctx),
		expect: (run) => {
			expect(run.code).toBe(0);
			const list = run.server.campaigns.contactLists(run.streamId)[0];
			const all = lines(run);
			expect(all.slice(0, 3)).toEqual([`POST ${v2(run, 'contactList/getAllListDetails', '&type=call')}`, `GET ${v2(run, `contactList/${list._id}/getAllContacts`, '&limit=100&skip=0')}`, ADD]);
			// Wait Until Added reads the list (one request: 4 members) until the numbers are there
			expect(all.slice(3, -1).length).toBeGreaterThanOrEqual(1);
			expect(new Set(all.slice(3, -1))).toEqual(new Set([`GET ${v2(run, `contactList/${list._id}/getAllContacts`, '&limit=100&skip=0')}`]));
			expect(all.at(-1)).toBe(`POST /api/v2/public/{s}/campaign/trigger/${EXAMPLE_CAMPAIGN}?accountId=${run.account.accountId}&campaignType=voice&trigger=play`);
			expect(run.requests[2].body).toEqual({ contact_list_name: EXAMPLE_LIST, data: [{ phoneNumber: '442079460958' }, { phoneNumber: '14155552671' }] });
			expect(output(run, 'Add to contact list')!.map((item) => [item.phoneNumber, item.status])).toEqual([
				['919876543210', 'alreadyInList'],
				['442079460958', 'added'],
				['14155552671', 'added'],
			]);
			expect(output(run, 'Add to contact list', 1)).toEqual([expect.objectContaining({ name: 'Bad Number', error: expect.stringMatching(/^Item 3: "Phone Number" is not valid: "12345" has no country code/) })]);
			expect(output(run, 'Start campaign')).toEqual([expect.objectContaining({ campaignId: EXAMPLE_CAMPAIGN, status: 'Active', campaignInstanceId: expect.stringMatching(/^cid-/) })]);
			expect(list.members).toEqual(['919876543210', '442079460958', '14155552671']);
			expect(run.server.campaigns.campaigns(run.streamId)[0]).toMatchObject({ status: 'Active', outcomes: [{}, {}, {}] });
			expectSignedByScenario(run);
		},
	},
	{
		id: 'cmp-outcomes',
		title: 'examples/campaign-outcomes-to-crm.json: 130 outcomes in two pages, one CRM update each',
		workflow: fromExample('campaign-outcomes-to-crm.json'),
		setup: (ctx) => seedExample(ctx, 130),
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(lines(run)).toEqual(Array(2).fill(`POST ${v2(run, `${EXAMPLE_CAMPAIGN}/status`, '&view=contacts')}`));
			expect(run.requests.map((r) => r.body)).toEqual([{ page: 1, limit: 100 }, { page: 2, limit: 100 }]);
			const updates = output(run, 'Update the CRM')!;
			expect(updates).toHaveLength(130);
			expect(updates.slice(0, 2)).toEqual([
				{ phone: '+14155550000', lastCallOutcome: 'in progress', callAttempts: 1, dispositions: '', botStatus: 'userHangUp', campaignId: EXAMPLE_CAMPAIGN },
				{ phone: '+14155550001', lastCallOutcome: 'completed', callAttempts: 2, dispositions: 'Callback Requested', botStatus: 'userHangUp', campaignId: EXAMPLE_CAMPAIGN },
			]);
		},
	},
	{
		id: 'cmp-every-op',
		title: 'every Contact List and Campaign operation chained in one workflow',
		workflow: everyOperation(),
		setup: (ctx) =>
			void ctx.server.campaigns.seed({
				contactLists: [{ streamId: ctx.streamId, name: 'E2E Spare' }],
				campaigns: [{ streamId: ctx.streamId, _id: CAMPAIGN, name: 'E2E Voice', contactLists: ['E2E Renewals'] }],
			}),
		expect: (run) => {
			expect(run.code).toBe(0);
			const created = output(run, 'Create list')![0];
			const id = String(created._id);
			const members = `GET ${v2(run, `contactList/${id}/getAllContacts`, '&limit=100&skip=0')}`;
			const lists = `POST ${v2(run, 'contactList/getAllListDetails', '&type=call')}`;
			const all = lines(run);
			const tail = [
				members,
				lists,
				`GET ${v2(run, `contactList/${id}`)}`,
				`PUT ${v2(run, `contactList/${id}`)}`,
				lists,
				`POST ${v2(run, 'getAllCampaignDetails')}`,
				`GET ${v2(run, CAMPAIGN)}`,
				`POST /api/v2/public/{s}/campaign/trigger/${CAMPAIGN}?accountId=${run.account.accountId}&campaignType=voice&trigger=play`,
				`POST ${v2(run, `${CAMPAIGN}/status`, '&view=status')}`,
				`POST ${v2(run, `${CAMPAIGN}/status`, '&view=contacts')}`,
				`POST /api/v2/public/{s}/campaign/trigger/${CAMPAIGN}?accountId=${run.account.accountId}&campaignType=voice&trigger=stop`,
				lists,
			];
			expect(all.slice(0, 3)).toEqual([`POST ${v2(run, 'contactList/createContactList')}`, `GET ${v2(run, `contactList/${id}`)}`, ADD]);
			// then Wait Until Added's reads of the list (at least one), Get Members, and one request per later operation
			expect(all.slice(3, -(tail.length + 1))).toEqual(Array(all.length - tail.length - 4).fill(members));
			expect(all.length - tail.length - 4).toBeGreaterThanOrEqual(1);
			expect(all.slice(-(tail.length + 1), -1)).toEqual(tail);
			expect(all.at(-1)).toMatch(/^DELETE \/campaign\/api\/v2\/public\/\{s\}\/campaign\/contactList\/cl-/);

			const numbers = ['14155550101', '14155550102', '14155550103'];
			expect(output(run, 'Add members')!.map((item) => [item.phoneNumber, item.status])).toEqual(numbers.map((n) => [n, 'added']));
			expect(output(run, 'Get members')!.map((item) => item.phoneNumber)).toEqual(numbers);
			expect(output(run, 'Get list')).toEqual([expect.objectContaining({ _id: id, name: 'E2E Renewals', totalRecordCount: 3 })]);
			expect(output(run, 'Rename list')).toEqual([expect.objectContaining({ _id: id, name: 'E2E Renewals July' })]);
			expect(output(run, 'All lists')!.map((item) => item.name)).toEqual(expect.arrayContaining(['E2E Renewals July', 'E2E Spare']));
			expect(output(run, 'Voice campaigns')).toEqual([expect.objectContaining({ _id: CAMPAIGN, contactLists: ['E2E Renewals July'] })]);
			expect(output(run, 'Get campaign')).toEqual([expect.objectContaining({ _id: CAMPAIGN, name: 'E2E Voice' })]);
			expect(output(run, 'Start campaign')).toEqual([expect.objectContaining({ status: 'Active' })]);
			expect(output(run, 'Campaign status')).toEqual([{ id: CAMPAIGN, status: 'Active', name: 'E2E Voice' }]);
			expect(output(run, 'Outcomes')!.map((item) => [item.phoneNumber, item.dialerOutcome, item.campaignId])).toEqual(numbers.map((n) => [n, 'completed', CAMPAIGN]));
			expect(output(run, 'Stop campaign')).toEqual([expect.objectContaining({ status: 'Stopped' })]);
			expect(output(run, 'Delete spare list')).toEqual([expect.objectContaining({ name: 'E2E Spare', deleted: true })]);
			expect(run.server.campaigns.contactLists(run.streamId).map((l) => l.name)).toEqual(['E2E Renewals July']);
			expectSignedByScenario(run);
		},
	},
];
