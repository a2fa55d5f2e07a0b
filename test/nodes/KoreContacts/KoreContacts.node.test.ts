/** What the editor shows: labels, their order, hints and notices, the credential Test wiring, docs links. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { KoreContacts } from '../../../nodes/KoreContacts/KoreContacts.node';
import { CSV_COLUMNS } from '../../../nodes/KoreContacts/actions/contact/importCsv.operation';

const node = new KoreContacts();
const properties = node.description.properties;

function all(name: string): INodeProperties[] {
	return properties.filter((p) => p.name === name);
}

function labels(collection: INodeProperties): string[] {
	return (collection.options as INodeProperties[]).map((o) => o.displayName);
}

describe('the Kore Contacts node as the editor shows it', () => {
	test('Options, Filters and Update Fields list their entries alphabetically', () => {
		const collections = [...all('options'), ...all('filters'), ...all('updateFields')];
		expect(collections.length).toBeGreaterThanOrEqual(4);
		for (const collection of collections) {
			const shown = labels(collection);
			expect(shown).toEqual([...shown].sort((a, b) => a.localeCompare(b)));
		}
	});

	test('labels read right and fit; their internal names stay', () => {
		const options = all('options')[0].options as INodeProperties[];
		const wait = options.find((o) => o.name === 'maxRateLimitWait')!;
		expect(wait.displayName).toBe('Rate Limit Wait (Seconds)');
		const extensions = [...properties, ...all('updateFields').flatMap((c) => c.options as INodeProperties[])].filter((p) => p.name === 'extension');
		expect(extensions.length).toBeGreaterThanOrEqual(2);
		for (const field of extensions) expect(field.displayName).toBe('Dialing Prefix');
		const shown = JSON.stringify(properties);
		expect(shown).not.toMatch(/"displayName":"(Extension|Max Rate-Limit Wait[^"]*)"/);
	});

	test('the node\'s Stream ID is optional and says the credential\'s is used when empty', () => {
		const [stream] = all('streamId');
		expect(stream.required).toBeFalsy();
		expect(stream.hint).toMatch(/empty.*credential/i);
	});

	test('Import CSV shows the required columns as a hint, Get Many a notice about the Status filter', () => {
		const [binary] = all('binaryPropertyName');
		for (const column of CSV_COLUMNS) expect(binary.hint).toContain(column);
		const notice = properties.find((p) => p.type === 'notice' && p.displayOptions?.show?.operation?.includes('getAll'));
		expect(notice?.displayName).toMatch(/Without a Status filter.*deleted/);
		const filtersAt = properties.findIndex((p) => p.name === 'filters');
		expect(properties.indexOf(notice!)).toBe(filtersAt - 1);
	});

	test('the credential is tested by the node\'s credentialTest method', () => {
		const [credential] = node.description.credentials!;
		expect(credential).toMatchObject({ name: 'koreContactsApi', testedBy: 'koreContactsApiTest' });
		expect(typeof node.methods.credentialTest.koreContactsApiTest).toBe('function');
	});

	test('the Operation list: each description fits the two lines n8n shows of it, and says what it matches on', () => {
		const operations = new Map((all('operation')[0].options as Array<{ value: string; description: string }>).map((o) => [o.value, o.description]));
		// n8n 2.41 clamps an option's description to two lines of about 55 characters in the node's panel
		for (const description of operations.values()) expect(description.length).toBeLessThanOrEqual(100);
		expect(operations.get('get')).toBe('Get a contact by its ID or phone number');
		expect(operations.get('upsert')).toMatch(/phone number/);
	});

	test('Create or Update says under Phone Number that the number is what it matches on', () => {
		const phone = properties.find((p) => p.name === 'phoneNumber' && p.displayOptions?.show?.operation?.includes('upsert'));
		expect(phone?.hint).toBe('The contact with this number is updated; when none has it, one is created');
	});

	test('Dialing Prefix says under the field what it is; on Create it is optional and pre-filled with "+"', () => {
		const prefixes = [...properties, ...all('updateFields').flatMap((c) => c.options as INodeProperties[])].filter((p) => p.name === 'extension');
		expect(prefixes.length).toBeGreaterThanOrEqual(4); // Create, Create or Update, and the two Update Fields
		for (const prefix of prefixes) expect(prefix.hint).toMatch(/^The sign before the country code.*Not a phone extension\.$/);
		const onCreate = properties.find((p) => p.name === 'extension' && p.displayOptions?.show?.operation?.includes('create'));
		expect(onCreate).toMatchObject({ default: '+', required: false });
	});

	test('docs links have no #fragment (n8n appends its query after the URL)', () => {
		const codex = JSON.parse(readFileSync(path.join(__dirname, '../../../nodes/KoreContacts/KoreContacts.node.json'), 'utf8'));
		const urls = [...codex.resources.primaryDocumentation, ...codex.resources.credentialDocumentation].map((r: { url: string }) => r.url);
		expect(urls.length).toBeGreaterThan(0);
		for (const url of urls) expect(url).toMatch(/^https:\/\/[^#]+$/);
	});
});
