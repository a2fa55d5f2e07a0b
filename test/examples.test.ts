/**
 * The importable workflows in examples/: every Kore Contacts node in them must be one n8n accepts as it is
 * (known parameters, no missing required value, an existing operation), as the editor would check it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeParameters } from 'n8n-workflow';

import { KoreContacts } from '../nodes/KoreContacts/KoreContacts.node';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const description = new KoreContacts().description;
const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'));

describe('examples/', () => {
	test('there are the promised examples', () => {
		expect(files).toEqual(
			expect.arrayContaining(['delete-contact.json', 'crm-deleted-delete-by-phone.json', 'nightly-reconcile.json', 'bulk-delete-list.json']),
		);
	});

	test.each(files)('%s: its Kore Contacts nodes are valid for the node as it is', (file) => {
		const workflow = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as { id: string; nodes: INode[] };
		expect(workflow.id.length).toBeLessThanOrEqual(21); // n8n import:workflow's limit
		const koreNodes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-kore-contacts.koreContacts');
		expect(koreNodes.length).toBeGreaterThan(0);
		for (const node of koreNodes) {
			expect(node.typeVersion).toBe(1);
			expect(Object.keys(node.credentials ?? {})).toEqual(['koreContactsApi']);
			const resolved = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description);
			const known = new Set(description.properties.map((property) => property.name));
			expect(Object.keys(node.parameters).filter((name) => !known.has(name))).toEqual([]);
			expect(NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters: resolved as INodeParameters }, description)).toBeNull();
		}
	});
});
