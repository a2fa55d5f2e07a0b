/**
 * The Stream ID an item acts on: the node's, or — when that is empty — the credential's. Run in n8n's engine,
 * with the credential as n8n hands it to the node (defaults filled in).
 */
import type { SeedContact } from '../../../../scripts/kore-server';
import { runWorkflow } from '../../../helpers/engine';
import { BASE, CREDENTIALS, contact, freshKore, scriptedKore } from '../../../helpers/kore';

const withStream = () => ({ ...CREDENTIALS, testStreamId: ' st-from-credential ' });

/** Kore that deletes any contact and records the stream/contact pairs it was asked for. */
function koreDeletes(): string[] {
	const asked: string[] = [];
	scriptedKore(({ path }) => {
		const parts = path.split('/');
		asked.push(`${decodeURIComponent(parts.at(-3)!)}/${decodeURIComponent(parts.at(-1)!)}`);
		return [200, contact(parts.at(-1)!, { status: 'INACTIVE' })];
	});
	return asked;
}

describe('Stream ID: the node\'s, else the credential\'s', () => {
	test('an empty node Stream ID uses the credential\'s, per item; a node value wins where given', async () => {
		const asked = koreDeletes();
		const { outputs, error } = await runWorkflow('delete-from-items.json', {
			credentials: withStream(),
			items: [
				{ stream: '', koreId: 'c1' },
				{ stream: 'st-explicit', koreId: 'c2' },
				{ stream: '   ', koreId: 'c3' },
			],
		});
		expect(error).toBeUndefined();
		expect(asked.sort()).toEqual(['st-explicit/c2', 'st-from-credential/c1', 'st-from-credential/c3']);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('the credential\'s stream is the default for Get Many too', async () => {
		const kore = freshKore();
		kore.addContacts([{ ...contact('c1'), streamId: 'st-from-credential' } as unknown as SeedContact]);
		const { outputs, error } = await runWorkflow('get-many.json', { credentials: withStream(), node: { parameters: { streamId: '' } } });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.id)).toEqual(['c1']);
		expect(kore.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET ${BASE}/st-from-credential/contacts`]);
	});

	test('empty in the node and in the credential: the item fails naming both, and nothing is sent', async () => {
		const asked = koreDeletes();
		const { outputs, error } = await runWorkflow('delete-from-items.json', {
			credentials: CREDENTIALS,
			items: [{ stream: 'st-1', koreId: 'c1' }, { stream: '', koreId: 'c2' }],
			node: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(asked).toEqual(['st-1/c1']);
		expect(outputs[0][1].json.error).toMatch(/^Item 1: "Stream ID" is empty, in the node and in the credential/);
	});

	test('On Error: Stop — the run stops before any request', async () => {
		const asked = koreDeletes();
		const { error } = await runWorkflow('delete-from-items.json', {
			credentials: CREDENTIALS,
			items: [{ stream: 'st-1', koreId: 'c1' }, { stream: '', koreId: 'c2' }],
		});
		expect(error?.message).toMatch(/"Stream ID" is empty/);
		expect(asked).toEqual([]);
	});
});
