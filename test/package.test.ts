/**
 * The package as n8n sees it: n8n-core's own loader reads package.json's "n8n" section and loads the
 * compiled node and credential from dist (run `npm run build` first; `npm test` does), and `npm pack`
 * ships exactly what n8n needs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

const ROOT = path.join(__dirname, '..');

describe('the built package', () => {
	beforeAll(() => {
		if (!existsSync(path.join(ROOT, 'dist/nodes/KoreContacts/KoreContacts.node.js'))) {
			throw new Error('dist/ is missing: run `npm run build` (npm test does) before these tests');
		}
	});

	test('n8n\'s package loader finds the node, the credential, the codex and both icons', async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		expect(loader.packageName).toBe('n8n-nodes-kore-contacts');
		expect(Object.keys(loader.nodeTypes)).toEqual(['koreContacts']);
		expect(Object.keys(loader.credentialTypes)).toEqual(['koreContactsApi']);

		const node = loader.nodeTypes.koreContacts.type.description as unknown as Record<string, unknown>;
		expect(node.displayName).toBe('Kore Contacts');
		expect(node.usableAsTool).toBe(true);
		expect(node.codex).toEqual(
			expect.objectContaining({
				categories: expect.arrayContaining(['Communication']),
				resources: expect.objectContaining({ primaryDocumentation: expect.any(Array) }),
			}),
		);
		expect(node.iconUrl).toEqual({
			light: 'icons/n8n-nodes-kore-contacts/dist/nodes/KoreContacts/kore.svg',
			dark: 'icons/n8n-nodes-kore-contacts/dist/nodes/KoreContacts/kore.dark.svg',
		});
		const credential = loader.credentialTypes.koreContactsApi.type as unknown as Record<string, unknown>;
		expect(credential.iconUrl).toEqual({
			light: 'icons/n8n-nodes-kore-contacts/dist/nodes/KoreContacts/kore.svg',
			dark: 'icons/n8n-nodes-kore-contacts/dist/nodes/KoreContacts/kore.dark.svg',
		});
		for (const file of ['kore.svg', 'kore.dark.svg']) {
			expect(existsSync(path.join(ROOT, 'dist/nodes/KoreContacts', file))).toBe(true);
		}
	});

	test('index.js exports the node and credential classes', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(path.join(ROOT, 'index.js'));
		expect(new exported.KoreContacts().description.name).toBe('koreContacts');
		expect(new exported.KoreContactsApi().name).toBe('koreContactsApi');
	});

	test('npm pack ships the compiled node, credential, icons and codex, and no sources or tests', () => {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }),
		) as Array<{ files: Array<{ path: string }> }>;
		const files = packed.files.map((file) => file.path).sort();
		expect(files).toEqual(
			expect.arrayContaining([
				'LICENSE',
				'README.md',
				'index.js',
				'package.json',
				'dist/credentials/KoreContactsApi.credentials.js',
				'dist/nodes/KoreContacts/KoreContacts.node.js',
				'dist/nodes/KoreContacts/KoreContacts.node.json',
				'dist/nodes/KoreContacts/kore.svg',
				'dist/nodes/KoreContacts/kore.dark.svg',
				'dist/nodes/KoreContacts/transport/index.js',
			]),
		);
		const unexpected = files.filter(
			(file) =>
				!/^dist\/.+\.(js|json|svg)$/.test(file) && !['LICENSE', 'README.md', 'index.js', 'package.json'].includes(file),
		);
		expect(unexpected).toEqual([]);
		expect(files.filter((file) => /\.ts$|^test\/|^scripts\/|\.map$/.test(file))).toEqual([]);
	});
});
