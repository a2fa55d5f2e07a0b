/**
 * The importable workflows in examples/: every Kore Contacts node in them must be one n8n accepts as it is
 * (known parameters, no missing required value, an existing operation), as the editor would check it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeParameters, INodeProperties } from 'n8n-workflow';

import { KoreContacts } from '../nodes/KoreContacts/KoreContacts.node';
import { KoreContactsTrigger } from '../nodes/KoreContactsTrigger/KoreContactsTrigger.node';

// n8n-core's node loader adds these to a poller's parameters; not exported from its index
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { commonPollingParameters } = require('n8n-core/dist/nodes-loader/constants') as { commonPollingParameters: INodeProperties[] };

const EXAMPLES = path.join(__dirname, '..', 'examples');
/** Each node type's description, with the parameters n8n's node loader adds (a poller's Poll Times). */
const descriptions = Object.fromEntries(
	[new KoreContacts(), new KoreContactsTrigger()].map((type) => [
		`n8n-nodes-kore-contacts.${type.description.name}`,
		{ ...type.description, properties: [...(type.description.polling ? commonPollingParameters : []), ...type.description.properties] },
	]),
);
const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'));

describe('examples/', () => {
	test('there are the promised examples', () => {
		expect(files).toEqual(
			expect.arrayContaining([
				'delete-contact.json',
				'crm-deleted-delete-by-phone.json',
				'crm-upsert-contact.json',
				'nightly-reconcile.json',
				'bulk-delete-list.json',
				'crm-segment-to-campaign.json',
				'campaign-outcomes-to-crm.json',
				'kore-contact-created-to-crm.json',
			]),
		);
	});

	test.each(files)('%s: its Kore Contacts (Trigger) nodes are valid for the node as it is', (file) => {
		const workflow = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as { id: string; nodes: INode[] };
		expect(workflow.id.length).toBeLessThanOrEqual(21); // n8n import:workflow's limit
		const koreNodes = workflow.nodes.filter((node) => node.type in descriptions);
		expect(koreNodes.length).toBeGreaterThan(0);
		for (const node of koreNodes) {
			expect(node.typeVersion).toBe(1);
			expect(Object.keys(node.credentials ?? {})).toEqual(['koreContactsApi']);
			const description = descriptions[node.type];
			const resolved = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description);
			const known = new Set(description.properties.map((property) => property.name));
			expect(Object.keys(node.parameters).filter((name) => !known.has(name))).toEqual([]);
			expect(NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters: resolved as INodeParameters }, description)).toBeNull();
		}
	});

	describe('nightly-reconcile.json: the guard against an empty or short CRM list', () => {
		const workflow = JSON.parse(readFileSync(path.join(EXAMPLES, 'nightly-reconcile.json'), 'utf8')) as { nodes: INode[] };
		const compare = workflow.nodes.find((node) => node.name === 'Only in Kore')!;
		const note = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote')!;

		/** Runs the Code node's JavaScript as n8n does (the body of a function), with `$(node).all()`. */
		function runCompare(crmPhones: string[], korePhones: string[]) {
			const data: Record<string, Array<{ json: Record<string, unknown> }>> = {
				'CRM phone numbers': crmPhones.map((phone) => ({ json: { phone } })),
				'Kore contacts': korePhones.map((phone, n) => ({ json: { id: `k${n}`, fullName: `K ${n}`, cellPhone: { phoneNumber: phone, countryCode: '+91' } } })),
			};
			const $ = (name: string) => ({ all: () => data[name] });
			return new Function('$', compare.parameters.jsCode as string)($) as Array<{ json: { id: string } }>;
		}
		const kore = Array.from({ length: 10 }, (_, n) => `+9198765000${String(n).padStart(2, '0')}`);

		test('an empty CRM list stops the run: nothing would be deleted', () => {
			expect(() => runCompare([], kore)).toThrow(/Safety stop: the CRM returned no phone numbers/);
		});

		test('more than 20 % of Kore\'s contacts to delete stops the run', () => {
			expect(() => runCompare(kore.slice(0, 7), kore)).toThrow(/Safety stop: 3 of 10 Kore contacts \(30 %\)/);
		});

		test('a plausible share goes through: only the contacts the CRM lacks are deleted', () => {
			expect(runCompare(kore.slice(1), kore).map((item) => item.json.id)).toEqual(['k0']);
			expect(runCompare(kore, kore)).toEqual([]);
		});

		test('a Kore contact without a number is never deleted for lacking one in the CRM', () => {
			expect(runCompare(kore, [...kore, ''])).toEqual([]);
		});

		test('the sticky note tells users about the guard', () => {
			expect(note.parameters.content).toMatch(/Safety stop/);
			expect(note.parameters.content).toMatch(/20 %/);
		});
	});
});
