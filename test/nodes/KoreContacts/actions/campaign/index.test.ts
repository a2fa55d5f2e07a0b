/** The Contact List and Campaign resources as the editor and an AI Agent see them. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { KoreContacts } from '../../../../../nodes/KoreContacts/KoreContacts.node';

const { properties } = new KoreContacts().description;
const operationsOf = (resource: string) =>
	properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))!.options as INodePropertyOptions[];

describe('the Contact List and Campaign resources in the node\'s description', () => {
	test('Contact stays the default resource; the two new ones are offered beside it', () => {
		const resource = properties.find((p) => p.name === 'resource')!;
		expect(resource.default).toBe('contact');
		expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['campaign', 'contact', 'contactList']);
	});

	test.each([
		['contactList', ['addMembers', 'create', 'delete', 'get', 'getAll', 'getMembers', 'update']],
		['campaign', ['get', 'getAll', 'getOutcomes', 'getStatus', 'start', 'stop']],
	])('%s: every operation has an action for AI agents and a description that fits the two lines n8n shows', (resource, values) => {
		const operations = operationsOf(resource);
		expect(operations.map((o) => o.value)).toEqual(values);
		for (const operation of operations) {
			expect(operation.action).toMatch(/^[A-Z][a-z]/);
			expect(String(operation.description).length).toBeLessThanOrEqual(100);
		}
	});

	test('the pickers: a list from the stream, by ID or by name; a campaign from the stream or by ID', () => {
		const modes = (name: string) => (properties.find((p) => p.name === name)!.modes ?? []).map((m) => [m.name, m.typeOptions?.searchListMethod]);
		expect(modes('contactList')).toEqual([['list', 'searchContactLists'], ['id', undefined], ['name', undefined]]);
		expect(modes('campaign')).toEqual([['list', 'searchCampaigns'], ['id', undefined]]);
	});

	test('Add Members\' own options sit in its resource\'s Options, with Batch Size', () => {
		const options = properties.find((p) => p.name === 'options' && p.displayOptions?.show?.resource?.includes('contactList'))!;
		expect((options.options as INodeProperties[]).map((o) => o.name)).toEqual([
			'batchSize',
			'concurrency',
			'maxRateLimitWait',
			'maxRetries',
			'numberFormat',
			'skipExisting',
			'timeout',
			'waitTimeout',
			'waitUntilAdded',
		]);
	});
});
